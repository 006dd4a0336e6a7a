"""What the text around a date tells about it: the tense of its clause, the quarter it reports on.

A weekday, a month without a year or a quarter without a year lies before or after
publication depending on what the clause tells: "the talks were held Friday" is the
past Friday, "the talks will be held Friday" the next one. The cue words come from
the pack's lists (rules/words-time.yaml): future_markers, past_markers,
deadline_markers, not_participles. Business news compares a quarter with "a year
earlier": `reported_quarter` finds the quarter the text speaks of.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Sequence

import regex

from .. import regexcache
from ..anchor import factor_lists
from . import NormContext, per_table
from .timex import quarter_of

PAST, NEUTRAL, FUTURE = -1, 0, 1
ED_WINDOW = 25  # a past participle counts only this close before the match ("announced Sunday")
AFTER_WINDOW = 40  # how far after the match a cue may lie when none comes before
OVERRIDE_DAYS = 45  # how far the nearest reading may lie against the tense before the tense wins

_FEW_WORDS = regexcache.compile(r"(?:\s*\w+){0,2}\s*$")
# A past participle: a lowercase word in -ed ("announced"; not "United").
_ED = regexcache.compile(r"(?<![\w'’-])[a-z]{2,}ed\b")
# An -ed word used as an adjective after a determiner: "a still unspecified date", "the expected".
_ADJECTIVAL = regexcache.compile(r"\b(?:a|an|the|its|their|his|her|our|this|that|these|those)\s+"
                            r"(?:(?:still|yet|as|not|so|very|newly|long|much|widely)\s+)?$", regex.IGNORECASE)
# A future word in the past perfect or said of a plan that was dropped: "had been due to expire Friday".
_UNDONE = regexcache.compile(r"\b(?:had|previously|originally)\s+(?:been\s+)?$", regex.IGNORECASE)


def _marker(ctx: NormContext, name: str, tail: str = "") -> Any:
    return _marker_pattern(ctx.lists.get(name, ()), tail)


@per_table
def _marker_pattern(words: Sequence[str], tail: str) -> Any:
    """A list's words as whole words (a tree of their beginnings), then `tail`."""
    alt = "|".join(sorted((regex.escape(w) for w in words), key=len, reverse=True)) or "(?!)"
    return factor_lists(regexcache.compile(rf"(?<!\w)(?:{alt})(?!\w){tail}", regex.IGNORECASE))


def _participles(ctx: NormContext, text: str, start: int = 0) -> list[int]:
    """Offsets of the past participles in text[start:] ("announced", not "hundred" nor "a still unspecified")."""
    skip = {w.lower() for w in ctx.lists.get("not_participles", ())}
    return [m.start() for m in _ED.finditer(text, start)
            if m[0] not in skip and not _ADJECTIVAL.search(text, 0, m.start())]


def _cues(ctx: NormContext, before: str) -> tuple[int, int]:
    """The end of the last future cue and the start of the last past cue before the match (-1 if none).

    A future word after "had (been)" or "previously" tells a plan of the past ("had been
    scheduled to expire Friday"), so it counts as a past cue.
    """
    future, past = _marker(ctx, "future_markers"), _marker(ctx, "past_markers")
    f_end, p_start = -1, max([m.start() for m in past.finditer(before)] + [-1])
    for m in future.finditer(before):
        if _UNDONE.search(before, 0, m.start()):
            p_start = max(p_start, m.start())
        else:
            f_end = max(f_end, m.end())
    near_ed = _participles(ctx, before, max(0, len(before) - ED_WINDOW))
    return f_end, max([p_start] + near_ed)


def tense(ctx: NormContext) -> int:
    """Guess whether the match's clause tells the past or the future (or neither).

    A deadline word just before the match ("by", "until") means the future. Else
    the cue nearest before the match decides: a future marker ("will", "planned",
    "would") or a past one ("said", "was", a past participle in -ed); with none
    before, the first cue just after the match. A possessive ("Friday's vote") is
    the past.
    """
    if ctx.text.startswith(("'s", "’s"), ctx.end):
        return PAST
    before = ctx.text[max(ctx.sentence_start, ctx.start - 80):ctx.start]
    after = ctx.text[ctx.end:min(ctx.sentence_end, ctx.end + AFTER_WINDOW)]
    future, past = _marker(ctx, "future_markers"), _marker(ctx, "past_markers")
    if _marker(ctx, "deadline_markers", r"\s*$").search(before) and not (past.search(before) or past.search(after)):
        return FUTURE  # "repaid by February", but not "had filed reports by Wednesday"
    f_end, p_start = _cues(ctx, before)
    if f_end >= 0 or p_start >= 0:
        # "will be held Friday": a participle right after a future marker is future
        near = f_end >= 0 and _FEW_WORDS.match(before, f_end, max(f_end, p_start)) is not None
        return FUTURE if f_end > p_start or near else PAST
    f_start = min((m.start() for m in future.finditer(after)), default=10**6)
    p_start = min([m.start() for m in past.finditer(after)] + _participles(ctx, after) + [10**6])
    if f_start == p_start:
        return NEUTRAL
    return FUTURE if f_start < p_start else PAST


def pick_year(ctx: NormContext, first: Callable[[int], dt.date], last: Callable[[int], dt.date]) -> int:
    """Choose the year (around publication) of a date that gives no year.

    The nearest reading wins ("Nov. 16" in late October is this November), unless it
    lies more than OVERRIDE_DAYS days ahead and the clause does not tell the future
    (news reports the past: "In January, the company hired..." in October is the past
    January), or lies behind in a clause that does ("will resume in December", said in
    February, is next December).
    """
    pub = ctx.published
    assert pub is not None
    years = (pub.year - 1, pub.year, pub.year + 1)

    def distance(y: int) -> int:
        return 0 if first(y) <= pub <= last(y) else min(abs((first(y) - pub).days), abs((last(y) - pub).days))
    year = min(years, key=distance)
    way = tense(ctx)
    if way != FUTURE and (first(year) - pub).days > OVERRIDE_DAYS:  # news tells the past unless it says otherwise
        return year - 1
    if way == FUTURE and (pub - first(year)).days > OVERRIDE_DAYS and last(year) < pub:
        return year + 1
    return year


_QUARTER = regexcache.compile(r"\b(?:(first|second|third|fourth)[-\s]+(?:fiscal\s+)?)?quarter\b", regex.IGNORECASE)
QUARTER_WINDOW = 600  # characters before the match where a reported quarter still counts


def reported_quarter(ctx: NormContext) -> tuple[int, int] | None:
    """The quarter (year, number) the text around a match reports on, if it names one.

    Business news compares "third-quarter profit" with "a year earlier", the same quarter
    a year before. The nearest quarter named before the match counts (else the first
    after it in the sentence); a bare "the quarter" is the latest one reported, the one
    before publication's.
    """
    found = list(_QUARTER.finditer(ctx.text, max(0, min(ctx.sentence_start, ctx.start - QUARTER_WINDOW)),
                                   ctx.sentence_end))
    before = [m for m in found if m.start() < ctx.start]
    m = before[-1] if before else (found[0] if found else None)
    if m is None or ctx.published is None:
        return None
    year, q = quarter_of(ctx.published)
    if m[1]:
        number = int(ctx.tables.get("ordinals", {}).get(m[1].lower(), 0))
        return (year if number <= q else year - 1), number
    latest_year, latest = divmod(year * 4 + q - 2, 4)
    return latest_year, latest + 1
