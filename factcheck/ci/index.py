"""The run's index: `index.json` (for tools and baselines) and `index.html` (for people).

index.json format 1: {"format", "factcheck", "rules_version", "facts_version",
"complete", "totals", "articles": [entry, ...]}; each entry has id, path, title,
published, warnings, counts (unsuppressed claims per verdict), suppressed, reports
(file names in the output folder), error, failures (why the policy failed it) and
claims [{fingerprint, verdict, rule, kind, text, reason, message, start, end,
line, col, suppressed, new?}]. It has no timestamp, so an unchanged corpus gives a
byte-identical index.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .. import __version__
from ..atomic import write_atomic
from ..cache import digest
from ..verdicts import VERDICTS

INDEX_FORMAT = 1
TEMPLATE = "index.html.j2"
_LINK_ORDER = ("html", "pdf", "json", "claimreview")


def index_head(run: Any) -> dict[str, Any]:
    """Return what index.json holds before its articles, as JSON-shaped data."""
    return {"format": INDEX_FORMAT, "factcheck": __version__, "rules_version": run.rules_version,
            "facts_version": run.facts_version, "complete": not run.interrupted, "totals": run.totals()}


# Keys in a fixed order, whether an entry was just computed or read back from the cache.
_ENTRY_KEYS = ("id", "path", "title", "published", "warnings", "counts", "suppressed", "reports", "error",
               "error_kind", "failures", "claims")
_CLAIM_KEYS = ("fingerprint", "verdict", "rule", "kind", "text", "reason", "message", "start", "end", "line", "col",
               "suppressed", "new")


def _canonical(entry: dict[str, Any]) -> dict[str, Any]:
    out = {k: entry[k] for k in _ENTRY_KEYS if k in entry}
    if "counts" in out:  # in verdict order: an entry read back from the cache has its keys sorted
        counts = out["counts"]
        out["counts"] = {**{v: counts[v] for v in VERDICTS if v in counts},
                         **{k: counts[k] for k in sorted(counts) if k not in VERDICTS}}
    out["claims"] = [{k: c[k] for k in _CLAIM_KEYS if k in c} for c in entry.get("claims", ())]
    return out


def index_line(entry: dict[str, Any]) -> str:
    """Return an entry's line of index.json."""
    return json.dumps(_canonical(entry), ensure_ascii=False, separators=(", ", ": "))


def index_json_chunks(run: Any, size: int = 1 << 20) -> Iterator[bytes]:
    """Yield index.json's bytes in chunks of about `size`, one article a line (quick to write,
    read and diff): the file is written as it is made.

    A corpus run makes the lines of the articles it checks as they come (`run.line_bytes`),
    while its workers go on: at the end they were a tenth of a run. Joined in memory
    as one text, 2,225 BBC articles' lines took 80 MB more at the end of a run.
    """
    head = json.dumps(index_head(run), ensure_ascii=False, separators=(", ", ": "))[:-1]
    chunk = bytearray((head + ', "articles": [\n').encode("utf-8"))
    for i in range(len(run.rows)):
        if i:
            chunk += b",\n"
        chunk += run.line_bytes(i)
        if len(chunk) >= size:
            yield bytes(chunk)
            chunk.clear()
    chunk += b"\n]}\n"
    yield bytes(chunk)


def _link(reports: list[str]) -> str | None:
    """Pick the report a person wants to open: HTML, else PDF, else JSON."""
    def rank(name: str) -> int:
        for i, fmt in enumerate(_LINK_ORDER):
            if name.endswith(f".{fmt}.json" if fmt == "claimreview" else f".{fmt}"):
                return i
        return len(_LINK_ORDER)
    return min(reports, key=rank) if reports else None


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry["id"], "title": entry.get("title") or entry["id"], "published": entry.get("published") or "",
            "counts": [entry["counts"].get(v, 0) for v in VERDICTS], "suppressed": entry.get("suppressed", 0),
            "link": _link(entry.get("reports", [])), "error": entry.get("error"),
            "failures": entry.get("failures", [])}


def render_html(run: Any, templates: Path | None = None) -> str:
    """Render index.html: totals on top, one sortable row per article."""
    from ..report.html import inline_css
    from ..report.templating import render, stylesheet

    return render(templates, TEMPLATE, css=inline_css(stylesheet(templates)), totals=run.totals(),
                  verdicts=list(VERDICTS), rows=[_row(e) for e in run.index_rows()], complete=not run.interrupted,
                  rules_version=run.rules_version, facts_version=run.facts_version, version=__version__)


def prepare_html(templates: Path | None = None) -> None:
    """Load what render_html needs (Jinja2, the index template compiled, the stylesheet) ahead of time.

    A corpus run calls this while its workers are busy, so that its end, when they are
    done and nothing else runs, only renders: the loading was 0.17 s of the half second
    a run of 2,225 articles took to write its index. A fault (a user's template that does
    not compile) is left for render_html to report, in its place.
    """
    try:
        from ..report.html import inline_css
        from ..report.templating import environment, stylesheet

        environment(templates).get_template(TEMPLATE)
        inline_css(stylesheet(templates))
    except Exception:  # noqa: BLE001 - reported by render_html, where the run reports its output's faults
        pass


NAMES = ("index.json", "index.html")


def index_state(run: Any, keys: list[str], extra: Any) -> str:
    """Digest what the index files are made of: the entries' cache keys, the policy's verdicts
    and baseline marks (`run.marks()`), versions.

    Equal states give byte-identical files, so an unchanged run need not write them.
    """
    return digest(INDEX_FORMAT, __version__, keys, run.marks(), run.rules_version, run.facts_version, run.interrupted,
                  extra)


def write_index(run: Any, out: Path, templates: Path | None = None) -> list[Path]:
    """Write index.json and index.html into out (atomically); return their paths."""
    out = Path(out)
    write_atomic(out / "index.json", index_json_chunks(run))
    write_atomic(out / "index.html", render_html(run, templates).encode("utf-8"))
    return [out / name for name in NAMES]
