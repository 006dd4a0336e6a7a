"""Apply a compiled rule pack to an article: matches, values, overlaps.

Overlap policy (docs/rules.md): candidates are normalized first (a normalizer may
reject a match) and filtered by the rule's `drop` conditions; then, within one kind,
the longest match wins, ties going to the higher `priority`, then to the rule loaded
first. Matches of different kinds may overlap freely.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import normalize
from .conditions import Subject
from .errors import RegexTimeout
from .models import Match, Sentence
from .rules import Pack, Rule

_GROUP_REF = __import__("regex").compile(r"\{([A-Za-z_]\w*)\}")


@dataclass(frozen=True)
class Candidate:
    """A match with its normalized value, before judging."""

    match: Match
    value: Any
    rule: Rule


def _params(rule: Rule, groups: dict[str, str]) -> dict[str, Any]:
    """Fill '{group}' references in the rule's normalize mapping."""
    out: dict[str, Any] = {}
    for key, value in rule.normalize.items():
        if isinstance(value, str) and "{" in value:
            value = _GROUP_REF.sub(lambda m: groups.get(m.group(1)) or "", value).strip() or None
        out[key] = value
    return out


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _scan(rule: Rule, pattern: Any, text: str, timeout: float, article_id: str,
          start: int = 0, end: int | None = None) -> list[Any]:
    try:
        return list(pattern.finditer(text, start, len(text) if end is None else end, timeout=timeout))
    except TimeoutError:
        raise RegexTimeout(f"pattern timed out after {timeout:g} s on article '{article_id}'",
                           rule.location, f"rule '{rule.id}'") from None


def _candidate(rule: Rule, m: Any, text: str, sentences: tuple[Sentence, ...], starts: list[int],
               pack: Pack, published: dt.date | None, timeout: float, article_id: str) -> Candidate | None:
    start, end = m.span()
    if start == end:
        return None
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    spans = {k: m.span(k) for k in groups}
    sent = sentences[_sentence_of(starts, start)] if sentences else Sentence(0, 0, len(text), text)
    ctx = normalize.NormContext(published, text, start, end, sent.start, sent.end,
                                _params(rule, groups), pack.tables, pack.lists)
    try:
        value = normalize.normalizer(rule.kind)(groups, ctx)
    except normalize.Skip:
        return None
    subject = Subject(text, start, end, groups, value, sent.start, sent.end, published, timeout)
    try:
        if any(cond.holds(subject) for cond in rule.drop):
            return None
    except TimeoutError:
        raise RegexTimeout(f"a 'drop' condition timed out after {timeout:g} s on article '{article_id}'",
                           rule.location, f"rule '{rule.id}'") from None
    match = Match(rule.id, rule.kind, start, end, text[start:end], groups, spans, sent.index)
    return Candidate(match, value, rule)


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep, per kind, the longest non-overlapping candidates (then priority, then order)."""
    kept: list[Candidate] = []
    # Kept spans of a kind never overlap, so sorted starts and ends let one bisection
    # test a candidate (a linear scan made long articles quadratic).
    taken: dict[str, tuple[list[int], list[int]]] = {}
    ranked = sorted(cands, key=lambda c: (c.match.start - c.match.end, -c.rule.priority, c.rule.order, c.match.start))
    for c in ranked:
        starts, ends = taken.setdefault(c.match.kind, ([], []))
        i = bisect.bisect_left(ends, c.match.start + 1)  # first kept span ending after our start
        if i < len(starts) and starts[i] < c.match.end:
            continue
        starts.insert(i, c.match.start)
        ends.insert(i, c.match.end)
        kept.append(c)
    kept.sort(key=lambda c: (c.match.start, -c.match.end, c.rule.order))  # outer spans first
    return kept


def _regions(rule: Rule, text: str, sentences: tuple[Sentence, ...], starts: list[int], timeout: float,
             article_id: str, seen: dict[Any, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Where the rule's patterns must look: the sentences holding its trigger, merged.

    Most rules' patterns begin with long optional alternations that the engine tries
    at every character; a trigger (one word list, scanned once per article and shared
    by the rules that use it) narrows that to the few sentences that can match.
    """
    if rule.trigger is None or not sentences:
        return [(0, len(text))]
    if rule.trigger not in seen:
        hits = sorted({_sentence_of(starts, m.start()) for m in _scan(rule, rule.trigger, text, timeout, article_id)})
        regions: list[tuple[int, int]] = []
        for i in hits:
            s, e = sentences[i].start, sentences[i].end
            if regions and regions[-1][1] >= s - 2:  # neighbours: one scan for both
                regions[-1] = (regions[-1][0], e)
            else:
                regions.append((s, e))
        seen[rule.trigger] = regions
    return seen[rule.trigger]


def find_candidates(text: str, sentences: tuple[Sentence, ...], pack: Pack, published: dt.date | None,
                    article_id: str = "<text>", only: set[str] | None = None) -> list[Candidate]:
    """Run every rule over `text`; return the candidates that survive the overlap policy."""
    timeout = float(pack.settings.get("regex_timeout", 1.0))
    starts = [s.start for s in sentences]
    cands: list[Candidate] = []
    triggered: dict[Any, list[tuple[int, int]]] = {}
    for rule in pack.rules:
        if only is not None and rule.id not in only:
            continue
        for start, end in _regions(rule, text, sentences, starts, timeout, article_id, triggered):
            for pattern in rule.compiled:
                for m in _scan(rule, pattern, text, timeout, article_id, start, end):
                    c = _candidate(rule, m, text, sentences, starts, pack, published, timeout, article_id)
                    if c is not None:
                        cands.append(c)
    return _resolve(cands)
