"""The report model: everything a renderer shows, computed once per article.

`build_report(result)` turns a `Result` into plain frozen dataclasses: article
metadata, counts per verdict and kind, the claims in reading order (numbered from
1, with the value as a person would say it and their evidence), and the article
text cut into segments for highlighting. Templates, the JSON writer and the
ClaimReview writer only format this data; none of them computes anything.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any, Callable

from .. import normalize
from ..models import VERDICTS, Claim, Evidence, Result
from .segments import Paragraph, split_paragraphs

# The words shown for each verdict (never colour alone) and what each means.
VERDICT_LABELS: dict[str, str] = {
    "contradicted": "Contradicted",
    "vague": "Vague",
    "verified": "Verified",
    "unsupported": "Unsupported",
}
VERDICT_MEANINGS: dict[str, str] = {
    "contradicted": "The value disagrees with a reference fact or with the article's own anchored claims.",
    "vague": "Too imprecise to be proved wrong: scale words, unanchored dates, vague sources, hedges.",
    "verified": "The value agrees with a reference fact or follows from the article's own anchored claims.",
    "unsupported": "Specific enough to check, but nothing backs it: no reference fact, no source in the article.",
}
SAFE_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class ArticleInfo:
    """The article's metadata as shown in the report header."""

    id: str
    title: str  # the article's title, or its id when it has none
    source: str | None
    url: str | None  # only http(s) URLs are kept, so a link can never run script
    published: str | None  # ISO date
    language: str


@dataclass(frozen=True)
class VerdictCount:
    """One bar of the summary chart and one entry of the legend."""

    verdict: str
    label: str
    meaning: str
    count: int
    percent: int  # share of all claims, rounded, for the bar's width


@dataclass(frozen=True)
class KindCount:
    """How many claims of one kind the article makes."""

    kind: str
    count: int


@dataclass(frozen=True)
class EvidenceItem:
    """One thing a verdict rests on: a reference fact, another claim, or a rule."""

    type: str  # "fact" | "claim" | "rule"
    id: str
    text: str | None  # the fact's statement, or the other claim's text
    source: str | None
    publisher: str | None
    url: str | None  # http(s) only
    as_of: str | None
    claim_number: int | None  # for type "claim": the number of the claim referred to
    restated: bool = False  # the claim's reason already quotes `text`: the report need not repeat it


@dataclass(frozen=True)
class ReportClaim:
    """A claim as the report shows it."""

    number: int
    id: str
    text: str
    kind: str
    value: Any  # the normalized JSON value (CLAIMS.md)
    value_said: str  # the value as a person would say it
    verdict: str
    verdict_label: str
    reason: str
    evidence: tuple[EvidenceItem, ...]
    attribution: str | None  # "attributed to Zelensky (named)"
    rule: str
    message: str
    start: int
    end: int
    paragraph: int  # 1-based paragraph of the article text

    @property
    def cited(self) -> tuple[EvidenceItem, ...]:
        """Return the evidence worth listing: facts and other claims (the rule is shown apart)."""
        return tuple(e for e in self.evidence if e.type != "rule")

    @property
    def anchor(self) -> str:
        """Return the HTML id of the claim's entry in the table."""
        return f"claim-{self.number}"


@dataclass(frozen=True)
class ReportModel:
    """The whole report of one article."""

    article: ArticleInfo
    rules_version: str
    facts_version: str
    total: int
    verdicts: tuple[VerdictCount, ...]  # in precedence order, zero counts included
    kinds: tuple[KindCount, ...]  # most frequent first, then by name
    claims: tuple[ReportClaim, ...]  # reading order; suppressed claims left out
    highlights: tuple[ReportClaim, ...]  # the findings that need attention most, for the first page
    paragraphs: tuple[Paragraph, ...]
    suppressed: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    summary: str  # one sentence: "16 claims: 2 contradicted, ..."


HIGHLIGHT_LIMIT = 6


def safe_url(url: str | None) -> str | None:
    """Return the URL if it is http(s), else None: no javascript:, data: or file: links."""
    if url and url.strip().lower().startswith(SAFE_URL_SCHEMES):
        return url.strip()
    return None


def say(kind: str, value: Any) -> str:
    """Say a value as a person would; fall back to compact JSON if the kind's hook fails."""
    try:
        return normalize.describe(kind, value)
    except (KeyError, TypeError, ValueError, AttributeError):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)


def attribution_text(attribution: dict[str, Any] | None) -> str | None:
    """Say who a claim is credited to: 'attributed to Zelensky (named)'."""
    if not attribution or not attribution.get("source"):
        return None
    kind = attribution.get("kind")
    return f"attributed to {attribution['source']}" + (f" ({kind})" if kind else "")


def _evidence(ev: Evidence, reason: str, numbers: dict[str, int], texts: dict[str, str]) -> EvidenceItem:
    number = numbers.get(ev.id) if ev.type == "claim" else None
    text = ev.text if ev.text is not None or ev.type != "claim" else texts.get(ev.id)
    restated = ev.type == "fact" and bool(text) and text in reason
    return EvidenceItem(ev.type, ev.id, text, ev.source, ev.publisher, safe_url(ev.url), ev.as_of, number, restated)


def _claim(n: int, c: Claim, paragraph: int, numbers: dict[str, int], texts: dict[str, str]) -> ReportClaim:
    evidence = tuple(_evidence(e, c.reason, numbers, texts) for e in c.evidence)
    return ReportClaim(n, c.id, c.text, c.kind, c.value, say(c.kind, c.value), c.verdict,
                       VERDICT_LABELS.get(c.verdict, c.verdict.capitalize()), c.reason, evidence,
                       attribution_text(c.attribution), c.rule, c.message, c.start, c.end, paragraph)


def _verdict_counts(claims: tuple[ReportClaim, ...]) -> tuple[VerdictCount, ...]:
    total = len(claims)
    out = []
    for v in VERDICTS:
        count = sum(1 for c in claims if c.verdict == v)
        out.append(VerdictCount(v, VERDICT_LABELS[v], VERDICT_MEANINGS[v], count,
                                round(100 * count / total) if total else 0))
    return tuple(out)


def _kind_counts(claims: tuple[ReportClaim, ...]) -> tuple[KindCount, ...]:
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    return tuple(KindCount(k, n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _summary(total: int, verdicts: tuple[VerdictCount, ...]) -> str:
    if total == 0:
        return "No checkable claims were found."
    parts = [f"{v.count} {v.verdict}" for v in verdicts if v.count]
    noun = "claim" if total == 1 else "claims"
    return f"{total} {noun}: " + ", ".join(parts) + "."


# What needs a reader's attention first; verified claims need it least (this is not
# the verdict precedence of CLAIMS.md, where verified comes before unsupported).
ATTENTION = ("contradicted", "vague", "unsupported", "verified")


def _highlights(claims: tuple[ReportClaim, ...]) -> tuple[ReportClaim, ...]:
    """Pick the claims a reader should look at first: contradicted, vague, unsupported, verified."""
    ranked = sorted(claims, key=lambda c: (ATTENTION.index(c.verdict) if c.verdict in ATTENTION else 9, c.number))
    return tuple(ranked[:HIGHLIGHT_LIMIT])


def _paragraph_finder(text: str) -> Callable[[int], int]:
    """Return a function giving the 1-based paragraph (non-blank line) of an offset."""
    starts, numbers, pos, count = [], [], 0, 0
    for line in text.split("\n"):
        starts.append(pos)
        numbers.append(count + 1)  # the paragraph an offset on this line belongs to
        count += bool(line.strip())
        pos += len(line) + 1
    return lambda offset: numbers[bisect.bisect_right(starts, offset) - 1]


def build_report(result: Result) -> ReportModel:
    """Build the report model of one checked article (suppressed claims left out)."""
    art = result.article
    shown = sorted((c for c in result.claims if c.suppressed is None), key=lambda c: (c.start, -c.end, c.id))
    numbers = {c.id: n for n, c in enumerate(shown, 1)}
    texts = {c.id: c.text for c in result.claims}
    paragraph_of = _paragraph_finder(art.text)
    claims = tuple(_claim(numbers[c.id], c, paragraph_of(c.start), numbers, texts) for c in shown)
    verdicts = _verdict_counts(claims)
    info = ArticleInfo(art.id, art.title or art.id, art.source, safe_url(art.url),
                       art.published.isoformat() if art.published else None, art.language)
    return ReportModel(info, result.rules_version, result.facts_version, len(claims), verdicts, _kind_counts(claims),
                       claims, _highlights(claims), split_paragraphs(art.text, claims),
                       len(result.claims) - len(shown), tuple(result.errors), tuple(art.warnings),
                       _summary(len(claims), verdicts))
