"""Reports: one model per article, rendered as HTML, PDF, JSON and ClaimReview.

`build_report(result)` makes the report model (report/model.py); every renderer
only formats it. `write_reports` writes the chosen formats atomically into a
folder, under the file stem `report_filename(article.id)`. WeasyPrint is imported
only when a PDF is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ConfigError
from ..models import Result
from ..atomic import write_atomic
from .files import report_filename
from .model import ReportModel, build_report

__all__ = ["FORMATS", "ReportModel", "ReportOptions", "build_report", "render_reports", "report_filename", "write_reports"]

# format -> file suffix after the stem
FORMATS: dict[str, str] = {"html": ".html", "pdf": ".pdf", "json": ".json", "claimreview": ".claimreview.json"}


@dataclass(frozen=True)
class ReportOptions:
    """How reports are written."""

    paper: str = "A4"  # "A4" | "Letter"
    templates: Path | None = None  # user folder overriding any template or the stylesheet
    checked_at: str | None = None  # shown as "checked"; None -> not shown (determinism)


def _html(report: ReportModel, options: ReportOptions) -> bytes:
    from .html import render_html

    return render_html(report, options.templates, options.checked_at).encode("utf-8")


def _pdf(report: ReportModel, options: ReportOptions) -> bytes:
    from .pdf import render_pdf

    return render_pdf(report, options.templates, options.checked_at, options.paper)


def _json(report: ReportModel, options: ReportOptions) -> bytes:
    from .jsonout import report_json

    return report_json(report, options.checked_at).encode("utf-8")


def _claimreview(report: ReportModel, options: ReportOptions) -> bytes:
    from .claimreview import claimreview_json

    return claimreview_json(report, options.checked_at).encode("utf-8")


_RENDERERS: dict[str, Callable[[ReportModel, ReportOptions], bytes]] = {
    "html": _html, "pdf": _pdf, "json": _json, "claimreview": _claimreview}


def check_formats(formats: Sequence[str]) -> list[str]:
    """Return the formats without duplicates, in order; unknown ones are a ConfigError."""
    out: list[str] = []
    for f in formats:
        name = f.strip().lower()
        if name not in FORMATS:
            raise ConfigError(f"unknown report format {f!r}; choose from {', '.join(FORMATS)}")
        if name not in out:
            out.append(name)
    return out


def render_reports(result: Result, formats: Sequence[str],
                   options: ReportOptions = ReportOptions()) -> dict[str, bytes]:
    """Render one article's reports in memory: {file suffix (".html", ".pdf", ...): bytes}."""
    wanted = check_formats(formats)
    if options.templates is not None and not Path(options.templates).is_dir():
        raise ConfigError(f"template folder not found: {options.templates}")
    report = build_report(result)
    return {FORMATS[fmt]: _RENDERERS[fmt](report, options) for fmt in wanted}


def write_reports(result: Result, out_dir: Path | str, formats: Sequence[str],
                  options: ReportOptions = ReportOptions(), stem: str | None = None) -> list[Path]:
    """Write one article's reports in the given formats; return the paths written.

    Files are named `stem` + suffix; the stem defaults to one derived from the article
    id (a corpus run passes its own, since ids such as "001.txt" repeat across
    folders). Every file is written atomically (a temp file in the same folder, then
    os.replace), so a reader never sees half a report.
    """
    rendered = render_reports(result, formats, options)
    out = Path(out_dir)  # made by write_atomic when missing (a mkdir an article was a call for nothing)
    stem = stem or report_filename(result.article.id)
    paths = []
    for suffix, data in rendered.items():
        path = out / f"{stem}{suffix}"
        write_atomic(path, data)
        paths.append(path)
    return paths
