"""The JSON report: the report model as a versioned, stable JSON document.

format_version history (bump when a consumer would notice):
  1 - first version: article, versions, summary, counts, claims, paragraphs.
Keys come in a fixed order, there is no timestamp unless `checked_at` is given,
text is written as UTF-8 (`ensure_ascii=False`), one claim and one paragraph a line,
and the file ends with a newline, so the same input gives the same bytes. The schema is factcheck/schema/report.schema.json.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .model import EvidenceItem, ReportClaim, ReportModel
from .segments import Paragraph

FORMAT_VERSION = 1


def _evidence(e: EvidenceItem) -> dict[str, Any]:
    out = {"type": e.type, "id": e.id, "text": e.text, "source": e.source, "publisher": e.publisher,
           "url": e.url, "as_of": e.as_of, "claim_number": e.claim_number}
    return {k: v for k, v in out.items() if v is not None}


def _claim(c: ReportClaim) -> dict[str, Any]:
    return {"number": c.number, "id": c.id, "start": c.start, "end": c.end, "paragraph": c.paragraph,
            "text": c.text, "kind": c.kind, "value": c.value, "value_said": c.value_said, "verdict": c.verdict,
            "reason": c.reason, "evidence": [_evidence(e) for e in c.evidence], "attribution": c.attribution,
            "rule": c.rule, "message": c.message}


def _paragraph(p: Paragraph) -> dict[str, Any]:
    return {"number": p.number, "segments": [{"text": s.text, "claims": list(s.claims)} for s in p.segments]}


def report_dict(report: ReportModel, checked_at: str | None = None) -> dict[str, Any]:
    """Return the JSON form of a report model."""
    art = report.article
    out: dict[str, Any] = {"format_version": FORMAT_VERSION, "generator": f"factcheck {__version__}"}
    if checked_at:
        out["checked_at"] = checked_at
    out["article"] = {"id": art.id, "title": art.title, "source": art.source, "url": art.url,
                      "published": art.published, "language": art.language}
    out["rules_version"] = report.rules_version
    out["facts_version"] = report.facts_version
    out["summary"] = report.summary
    out["counts"] = {"total": report.total, "suppressed": report.suppressed,
                     "verdicts": {v.verdict: v.count for v in report.verdicts},
                     "kinds": {k.kind: k.count for k in report.kinds}}
    out["claims"] = [_claim(c) for c in report.claims]
    out["paragraphs"] = [_paragraph(p) for p in report.paragraphs]
    out["errors"] = list(report.errors)
    out["warnings"] = list(report.warnings)
    return out


def report_json(report: ReportModel, checked_at: str | None = None) -> str:
    """Return the JSON report's text: one top-level key a line, one claim or paragraph a line.

    `json.dumps(indent=...)` runs Python's pure-Python encoder, four times slower than
    the C one it uses without indentation (a millisecond an article, a tenth of a
    corpus run's time); a line per claim keeps the file easy to skim and diff.
    """
    return _lines(report_dict(report, checked_at))


def _lines(doc: dict[str, Any]) -> str:
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(dump(item) for item in value)
            parts.append(f"  {dump(key)}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
