"""The PDF report: the HTML report's templates laid out by WeasyPrint with print CSS.

WeasyPrint is imported here only, inside functions, so `import factcheck.report`
(and every command but `check`) stays light.

Safety: a `SafeFetcher` refuses every URL except files inside the shipped
templates folder (the stylesheet's own resources). Article text is escaped by the
templates anyway; this also stops a user template or CSS from reading local files
(`file:///etc/passwd`) or the network.

Speed (bench/bench_pdf.py): the stylesheet is compiled once per (CSS text, paper)
into a `CSS` object and the `FontConfiguration` is shared across renders, instead
of re-parsing an inlined <style> for every report.

Determinism: no creation or modification date unless `checked_at` is given (the
template writes it as dcterms.modified), no file identifier, and embedded font
subsets get a fixed `head.modified` time (fontTools, which WeasyPrint uses when
HarfBuzz-subset is missing, stamps the current time unless SOURCE_DATE_EPOCH is
set), so the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .html import render_page
from .model import ReportModel
from .templating import default_templates_dir, stylesheet

PAPERS = {"A4": "A4", "LETTER": "letter"}
_LOCK = threading.Lock()  # WeasyPrint's caches are not documented as thread-safe
FONT_EPOCH = "0"  # SOURCE_DATE_EPOCH for font subsets when the user has not set one


class FetchRefused(ValueError):
    """A URL the report renderer will not fetch."""


def allowed_path(url: str, root: Path | None = None) -> Path | None:
    """Return the local file a URL names if it lies inside the shipped templates folder, else None."""
    root = (root or default_templates_dir()).resolve()
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


@functools.cache
def fetcher_class() -> type:
    """Return the SafeFetcher class (built on first use: it subclasses WeasyPrint's fetcher)."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """Fetch only the package's own files; refuse network, data and other local files."""

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = allowed_path(url)
            if path is None:
                self.refused.append(url)
                raise FetchRefused(f"factcheck reports fetch no external resources: {url[:200]}")
            return URLFetcherResponse(url, body=path.read_bytes())

    return SafeFetcher


@functools.cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.lru_cache(maxsize=8)
def _stylesheets(css: str, paper: str) -> tuple[Any, ...]:
    """Compile the report stylesheet and the paper size once; reused by every render."""
    from weasyprint import CSS

    base = default_templates_dir().resolve().as_uri() + "/"
    kw = {"base_url": base, "url_fetcher": fetcher_class()(), "font_config": _font_config()}
    return CSS(string=css, **kw), CSS(string=f"@page {{ size: {paper}; }}", **kw)


@contextlib.contextmanager
def _reproducible() -> Any:
    """Set SOURCE_DATE_EPOCH while rendering, unless the user set it (reproducible-builds.org)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def paper_size(paper: str) -> str:
    """Return the CSS page size of a paper name ('A4' or 'Letter', any case)."""
    from ..errors import ConfigError

    size = PAPERS.get(paper.upper())
    if size is None:
        raise ConfigError(f"unknown paper {paper!r}; use A4 or Letter")
    return size


def render_document(report: ReportModel, templates: Path | None = None, checked_at: str | None = None,
                    paper: str = "A4", fetcher: Any = None) -> Any:
    """Lay out the PDF report; return WeasyPrint's Document (its `pages` can be counted)."""
    from weasyprint import HTML

    size = paper_size(paper)
    html = render_page(report, templates, checked_at, "pdf", css=None, jsonld=False)
    base = default_templates_dir().resolve().as_uri() + "/"
    with _LOCK:
        sheets = _stylesheets(stylesheet(templates), size)
        doc = HTML(string=html, base_url=base, url_fetcher=fetcher or fetcher_class()())
        return doc.render(stylesheets=list(sheets), font_config=_font_config())


def render_pdf(report: ReportModel, templates: Path | None = None, checked_at: str | None = None,
               paper: str = "A4", fetcher: Any = None) -> bytes:
    """Return the PDF report's bytes; `fetcher` replaces the SafeFetcher (tests spy on it)."""
    document = render_document(report, templates, checked_at, paper, fetcher)
    with _LOCK, _reproducible():
        return document.write_pdf(pdf_identifier=None, uncompressed_pdf=False, custom_metadata=False)
