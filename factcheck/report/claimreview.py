"""schema.org ClaimReview JSON-LD: one review per judged claim.

Verdicts map to `reviewRating.alternateName` on a 1-5 scale (docs/reports.md):
verified -> True (5), unsupported -> Unproven (3), vague -> Misleading (2),
contradicted -> False (1). The review's author is the tool, not a person.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .model import ReportClaim, ReportModel

RATINGS: dict[str, tuple[str, int]] = {
    "verified": ("True", 5),
    "unsupported": ("Unproven", 3),
    "vague": ("Misleading", 2),
    "contradicted": ("False", 1),
}
BEST, WORST = 5, 1


def _appearance(report: ReportModel) -> dict[str, Any]:
    art = report.article
    out: dict[str, Any] = {"@type": "CreativeWork", "headline": art.title}
    if art.url:
        out["url"] = art.url
    if art.published:
        out["datePublished"] = art.published
    if art.source:
        out["publisher"] = {"@type": "Organization", "name": art.source}
    return out


def _review(claim: ReportClaim, report: ReportModel, checked_at: str | None) -> dict[str, Any]:
    name, value = RATINGS.get(claim.verdict, ("Unproven", 3))
    item: dict[str, Any] = {"@type": "Claim", "appearance": _appearance(report)}
    if claim.attribution:
        item["author"] = {"@type": "Thing", "name": claim.attribution.removeprefix("attributed to ")}
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "reviewBody": claim.reason,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": BEST, "worstRating": WORST,
                         "alternateName": name},
        "author": {"@type": "Organization", "name": "factcheck", "softwareVersion": __version__},
    }
    if checked_at:
        review["datePublished"] = checked_at
    return review


def claimreview(report: ReportModel, checked_at: str | None = None) -> dict[str, Any]:
    """Return the JSON-LD document: a graph of ClaimReview objects, one per claim."""
    return {"@context": "https://schema.org", "@graph": [_review(c, report, checked_at) for c in report.claims]}


def claimreview_json(report: ReportModel, checked_at: str | None = None) -> str:
    """Return the ClaimReview document as a JSON file's text."""
    return json.dumps(claimreview(report, checked_at), ensure_ascii=False, indent=2) + "\n"


def script_safe(text: str) -> str:
    """Make JSON safe inside an HTML <script> element.

    `</script>` (or `<!--`) in an article's text would otherwise end the element
    early; JSON allows \\u escapes for these characters, so the data is unchanged.
    """
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def claimreview_script(report: ReportModel, checked_at: str | None = None) -> str:
    """Return the ClaimReview JSON-LD, compact and escaped for embedding in HTML."""
    return script_safe(json.dumps(claimreview(report, checked_at), ensure_ascii=False, separators=(",", ":")))
