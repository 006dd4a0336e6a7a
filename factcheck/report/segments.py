"""Cut the article text into segments for highlighting overlapping claims.

Claims of different kinds may overlap or nest (a superlative containing a
duration). HTML cannot nest crossing elements, so the text of each paragraph is
cut at every claim boundary into non-overlapping segments; each segment carries
the numbers of all claims covering it, the verdict to colour it with (the first in
precedence among them), the hover text, and the markers of the claims that end
there. Joining a paragraph's segment texts gives the paragraph back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..models import VERDICTS

if TYPE_CHECKING:  # the model imports this module; only type names are needed here
    from .model import ReportClaim


@dataclass(frozen=True)
class Marker:
    """A footnote-style claim number placed where a claim ends."""

    number: int
    verdict: str
    label: str


@dataclass(frozen=True)
class Segment:
    """A run of article text covered by the same set of claims (maybe none)."""

    text: str
    claims: tuple[int, ...]  # numbers of the claims covering this text, in order
    verdict: str | None  # colour: the first verdict in precedence among them; None for plain text
    title: str  # hover text: each covering claim's number, verdict and reason
    starts: tuple[int, ...]  # claims that begin here
    ends: tuple[Marker, ...]  # claims that end here (their numbers follow this text)
    # Whitespace just before a claim, kept apart: WeasyPrint breaks lines far too
    # early when a text ending in a space is followed by an inline element that must
    # wrap (Kozea/WeasyPrint#1614 and kin); a space in an element of its own avoids it.
    gap: bool = False

    @property
    def depth(self) -> int:
        """Return how many claims cover this text (nested claims get a stronger mark)."""
        return len(self.claims)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (a non-blank line) of the article text."""

    number: int
    segments: tuple[Segment, ...]


def _lines(text: str) -> list[tuple[int, int]]:
    """Return [start, end) of each non-blank line of the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _top_verdict(claims: Sequence[ReportClaim]) -> str:
    return min((c.verdict for c in claims), key=lambda v: VERDICTS.index(v) if v in VERDICTS else len(VERDICTS))


def _title(claims: Sequence[ReportClaim]) -> str:
    return "\n".join(f"[{c.number}] {c.verdict_label}" + (f": {c.reason}" if c.reason else "") for c in claims)


def _segment(text: str, a: int, b: int, claims: Sequence[ReportClaim], cover: list[ReportClaim],
             gap: bool) -> Segment:
    starts = tuple(c.number for c in claims if c.start == a and c.end > a)
    ends = tuple(Marker(c.number, c.verdict, c.verdict_label) for c in claims
                 if c.end == b and (c.start <= a or c.start == c.end))
    if not cover:
        return Segment(text[a:b], (), None, "", starts, ends, gap)
    return Segment(text[a:b], tuple(c.number for c in cover), _top_verdict(cover), _title(cover), starts, ends, gap)


def _gap_cuts(text: str, cuts: list[int], claims: Sequence[ReportClaim]) -> set[int]:
    """Return extra cuts that set apart the whitespace just before each claim's start."""
    starts = {c.start for c in claims}
    extra = set()
    for a, b in zip(cuts, cuts[1:]):
        if b in starts and not any(c.start <= a and c.end >= b for c in claims):
            stripped = len(text[a:b].rstrip())
            if 0 < stripped < b - a:
                extra.add(a + stripped)
    return extra


def _paragraph(text: str, number: int, start: int, end: int, claims: Sequence[ReportClaim]) -> Paragraph:
    mine = [c for c in claims if c.start <= end and c.end >= start and (c.start < end or c.start == c.end == end)]
    cuts = sorted({start, end} | {min(max(p, start), end) for c in mine for p in (c.start, c.end)})
    cuts = sorted(set(cuts) | _gap_cuts(text, cuts, mine))
    spans = list(zip(cuts, cuts[1:]))
    covers = [[c for c in mine if c.start <= a and c.end >= b and c.start < c.end] for a, b in spans]
    # A gap: plain whitespace just before a claim's text (see Segment.gap). Known before the
    # segment is built, rather than built twice (dataclasses.replace): a fifth of the cutting.
    last = len(spans) - 1
    return Paragraph(number, tuple(
        _segment(text, a, b, mine, cover, not cover and i < last and bool(covers[i + 1]) and not text[a:b].strip())
        for i, ((a, b), cover) in enumerate(zip(spans, covers))))


def split_paragraphs(text: str, claims: Sequence[ReportClaim]) -> tuple[Paragraph, ...]:
    """Cut the article text into paragraphs of segments (see the module docstring)."""
    ordered = sorted(claims, key=lambda c: c.number)
    return tuple(_paragraph(text, n, a, b, ordered) for n, (a, b) in enumerate(_lines(text), 1))
