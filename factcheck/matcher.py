"""Apply a compiled rule pack to an article: matches, values, overlaps.

Overlap policy (docs/rules.md): candidates are normalized (a normalizer may reject a
match) and filtered by the rule's `drop` conditions; within one kind, the longest
match wins, ties going to the higher `priority`, then to the rule loaded first.
Matches of different kinds may overlap freely. Matches are taken in that order of
rank, and one that a kept candidate of its kind overlaps is never normalized.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from . import normalize, watchdog
from .anchor import Plan, SplitMatch, named_groups
from .conditions import Subject
from .errors import RegexTimeout
from .models import Match, Sentence
from .rules import Pack, Rule

_GROUP_REF = __import__("regex").compile(r"\{([A-Za-z_]\w*)\}")
_CHECK_EVERY = 64  # attempts of a split pattern between two reads of the CPU clock
# Articles a corpus run extracts together (find_candidates_many): 1.27x one at a time at 16,
# 1.21x at 8, 1.10x at 2 (BBC sample, A/B in one process).
BATCH = 16


@dataclass(slots=True)  # not frozen, as NormContext: one per claim, built in the hot loop
class Candidate:
    """A match with its normalized value, before judging."""

    match: Match
    value: Any
    rule: Rule


def _params(rule: Rule, groups: dict[str, str]) -> dict[str, Any]:
    """Fill '{group}' references in the rule's normalize mapping (the mapping itself
    when it has none: normalizers only read it)."""
    if not rule.templated:
        return rule.normalize
    out: dict[str, Any] = {}
    for key, value in rule.normalize.items():
        if isinstance(value, str) and "{" in value:
            value = _GROUP_REF.sub(lambda m: groups.get(m.group(1)) or "", value).strip() or None
        out[key] = value
    return out


def _scan(rule: Rule, pattern: Any, text: str, limit: watchdog.Limit, article_id: str,
          start: int = 0, end: int | None = None) -> list[Any]:
    try:
        return list(pattern.finditer(text, start, len(text) if end is None else end, concurrent=False,
                                     timeout=limit.per_call))
    except TimeoutError:
        raise _timed_out(rule, limit, article_id) from None


def _timed_out(rule: Rule, limit: watchdog.Limit, article_id: str) -> RegexTimeout:
    return RegexTimeout(f"pattern timed out after {limit.timeout:g} s on article '{article_id}'",
                        rule.location, f"rule '{rule.id}'")


def _candidate(rule: Rule, m: Any, text: str, sentences: tuple[Sentence, ...], starts: list[int],
               pack: Pack, published: dt.date | None, limit: watchdog.Limit, article_id: str) -> Candidate | None:
    start, end = m.span()
    if start == end:
        return None
    groups, spans = m.named() if isinstance(m, SplitMatch) else named_groups(m)
    # starts: _Article.starts, the first at 0, so the bisect needs no clamp
    sent = sentences[bisect.bisect_right(starts, start) - 1] if sentences else Sentence(0, 0, len(text), text)
    # The drop conditions that do not read the value first: a match they drop needs no
    # normalizing (the result is the same either way, so the order is free).
    subject = Subject(text, start, end, groups, None, sent.start, sent.end, published, limit.per_call)
    early, late = rule.drop_stages
    if early and _dropped(rule, early, subject, limit, article_id):
        return None
    ctx = normalize.NormContext(published, text, start, end, sent.start, sent.end,
                                _params(rule, groups), pack.tables, pack.lists)
    try:
        value = rule.normalizer(groups, ctx)
    except normalize.Skip:
        return None
    subject.value = value
    if late and _dropped(rule, late, subject, limit, article_id):
        return None
    match = Match(rule.id, rule.kind, start, end, text[start:end], groups, spans, sent.index)
    return Candidate(match, value, rule)


def _dropped(rule: Rule, conditions: tuple[Any, ...], subject: Subject, limit: watchdog.Limit,
             article_id: str) -> bool:
    """Whether one of the rule's drop `conditions` holds."""
    try:
        for cond in conditions:
            if cond.holds(subject):
                return True
    except TimeoutError:
        raise RegexTimeout(f"a 'drop' condition timed out after {limit.timeout:g} s on article '{article_id}'",
                           rule.location, f"rule '{rule.id}'") from None
    return False


def _resolve(found: list[tuple[Rule, Any]], text: str, sentences: tuple[Sentence, ...], starts: list[int],
             pack: Pack, published: dt.date | None, limit: watchdog.Limit, article_id: str) -> list[Candidate]:
    """Keep, per kind, the longest non-overlapping candidates (then priority, then order)
    among an article's matches (rule, match), normalized and tested against `drop`.

    A match is normalized only when no kept candidate of its kind overlaps it: one
    that does would lose to it whatever its value (1.7 of 28 matches an article in
    the BBC sample). A match its normalizer or `drop` rejects leaves the place to the
    next in rank, as if it had never matched.
    """
    kept: list[Candidate] = []
    # Kept spans of a kind never overlap, so sorted starts and ends let one bisection
    # test a match (a linear scan made long articles quadratic).
    taken: dict[str, tuple[list[int], list[int]]] = {}
    ranked = sorted(found, key=_rank)
    for rule, m in ranked:
        start, end = m.span()
        kept_starts, kept_ends = taken.setdefault(rule.kind, ([], []))
        i = bisect.bisect_left(kept_ends, start + 1)  # first kept span ending after our start
        if i < len(kept_starts) and kept_starts[i] < end:
            continue
        limit.start()
        try:
            c = _candidate(rule, m, text, sentences, starts, pack, published, limit, article_id)
        except TimeoutError:  # the timer's, in a normalizer
            raise _timed_out(rule, limit, article_id) from None
        if c is None:
            continue
        kept_starts.insert(i, start)
        kept_ends.insert(i, end)
        kept.append(c)
    kept.sort(key=lambda c: (c.match.start, -c.match.end, c.rule.order))  # outer spans first
    return kept


def _rank(found: tuple[Rule, Any]) -> tuple[int, int, int, int]:
    """The overlap policy's order: longest first, then higher priority, then load order."""
    rule, m = found
    start, end = m.span()
    return start - end, -rule.priority, rule.order, start


def _regions(rule: Rule, text: str, sentences: tuple[Sentence, ...], starts: list[int], limit: watchdog.Limit,
             article_id: str, seen: dict[Any, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Where a scanned pattern must look: the sentences holding its rule's trigger, merged."""
    if rule.trigger is None or not sentences:
        return [(0, len(text))]
    if rule.trigger not in seen:
        found = _scan(rule, rule.trigger, text, limit, article_id)
        hits = sorted({bisect.bisect_right(starts, m.start()) - 1 for m in found})
        regions: list[tuple[int, int]] = []
        for i in hits:
            s, e = sentences[i].start, sentences[i].end
            if regions and _neighbours(regions[-1][1], s):  # one scan for both
                regions[-1] = (regions[-1][0], e)
            else:
                regions.append((s, e))
        seen[rule.trigger] = regions
    return seen[rule.trigger]


def _neighbours(end: int, start: int) -> bool:
    """Whether a sentence ending at `end` and the next starting at `start` form one region."""
    return end >= start - 2


def _runs_of(flags: list[bool], sentences: tuple[Sentence, ...]) -> list[tuple[int, int] | None]:
    """For each flagged sentence, the span of the run of flagged neighbours it is in."""
    runs: list[tuple[int, int] | None] = [None] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        last = i
        while last + 1 < len(flags) and flags[last + 1] and _neighbours(sentences[last].end, sentences[last + 1].start):
            last += 1
        span = (sentences[i].start, sentences[last].end)
        for k in range(i, last + 1):
            runs[k] = span
        i = last + 1
    return runs


class _Article:
    """One article as the matcher sees it: its words looked up in the pack's anchor
    table once (anchor.py), and its sentences' triggers tested when first asked."""

    def __init__(self, pack: Pack, text: str, sentences: tuple[Sentence, ...], limit: watchdog.Limit,
                 article_id: str) -> None:
        index = pack.anchors()
        self.ids = index.ids
        self.hits, self.words, self.tokens = index.hits(text)
        self.pack = pack
        self.text = text
        self.sentences = sentences
        # Where each sentence starts, the first at 0: `bisect_right(starts, pos) - 1` is then
        # the sentence of any offset, with no clamp.
        self.starts = [0, *(s.start for s in sentences[1:])] if sentences else []
        self.timeout = limit.per_call  # passed to each regex call: None when the timer keeps the limit
        self.limit = limit
        self.article_id = article_id
        self._triggered: dict[int, list[tuple[int, int] | None]] = {}  # by trigger: _runs
        self._searched: dict[tuple[str, int], list[bool]] = {}  # (pattern, flags): searched trigger parts
        self._attempts: dict[int, list[Any]] = {}  # per split pattern: [attempts, CPU clock at the first check]

    def _runs(self, rule: Rule) -> list[tuple[int, int] | None]:
        """For each sentence, the run of neighbouring sentences holding the rule's trigger
        around it (None: the sentence has no trigger). Worked out for the whole article
        when a rule with this trigger first asks, and shared by the rules that have it."""
        key = id(rule.trigger)
        runs = self._triggered.get(key)
        if runs is None:
            try:
                flags = self._trigger_flags(rule.trigger_parts or (rule.trigger,))
            except TimeoutError:
                raise RegexTimeout(f"trigger timed out after {self.limit.timeout:g} s on article '{self.article_id}'",
                                   rule.location, f"rule '{rule.id}'") from None
            runs = self._triggered[key] = _runs_of(flags, self.sentences)
        return runs

    def _trigger_flags(self, parts: Iterable[Any]) -> list[bool]:
        """Which sentences hold a match of one of a trigger's parts (Rule.trigger_parts, or
        the whole trigger), a match starting in the sentence: a plan at one of its words
        there, a pattern searched in each sentence."""
        sents, starts = self.sentences, self.starts
        flags = [False] * len(sents)
        for part in parts:
            if isinstance(part, Plan):
                for pos in self.hits[self.ids[id(part)]]:
                    i = bisect.bisect_right(starts, pos) - 1
                    if flags[i] or pos >= sents[i].end:  # known, or between two sentences
                        continue
                    if not self.limit.armed:  # else the interval timer keeps the limit
                        self._spend(part)
                    if part.begins(self.text, pos, self.timeout):
                        flags[i] = True
                continue
            # Kept by the pattern's text: "\d" is the whole trigger of the date rules and
            # a part of others'.
            key = (part.pattern, part.flags)
            found = self._searched.get(key)
            if found is None:
                text, search, timeout = self.text, part.search, self.timeout
                found = self._searched[key] = [
                    (search(text, s.start, s.end, False) if timeout is None
                     else search(text, s.start, s.end, False, False, timeout)) is not None for s in sents]
            flags = [a or b for a, b in zip(flags, found)]
        return flags

    def matches(self, rule: Rule, plan: Any) -> list[Any]:
        """Matches of a split pattern, in text order (within its trigger's sentences, if any)."""
        # Each hit is tried within the run of trigger sentences around it (Article._runs),
        # or, for a rule with no trigger, within the whole text. Runs never overlap, so
        # neither do the matches of two of them: one set of spans keeps a match found
        # from two hits once.
        whole = (0, len(self.text))
        runs = self._runs(rule) if rule.trigger is not None and self.sentences else None
        starts, bisect_right = self.starts, bisect.bisect_right
        text, timeout, words, tokens, match = self.text, self.timeout, self.words, self.tokens, plan.match
        counting = not self.limit.armed  # else the interval timer keeps the limit
        out: list[Any] = []
        spans: set[tuple[int, int]] = set()
        try:
            for pos in self.hits[self.ids[id(plan)]]:  # not empty: find_candidates skips those
                region: tuple[int, int] | None
                if runs is None:
                    region = whole
                else:
                    region = runs[bisect_right(starts, pos) - 1]
                    if region is None or pos >= region[1]:  # no trigger around, or after the run
                        continue
                if counting:
                    self._spend(plan)
                m = match(text, pos, region[0], region[1], timeout, words, tokens)
                if m is not None:
                    span = m.span()
                    if span not in spans and span[1] > span[0]:
                        spans.add(span)
                        out.append(m)
        except TimeoutError:
            raise _timed_out(rule, self.limit, self.article_id) from None
        return out

    def _spend(self, plan: Any) -> None:
        """Count one attempt of a split pattern; raise TimeoutError past the time limit.

        Each attempt has the limit, but an article made of anchor words ("said said
        said ...") could make a pattern run for minutes in fast attempts: every
        _CHECK_EVERY attempts the CPU clock is read, and all of a pattern's attempts
        on one article share the limit, as a scan of the article did.
        """
        spent = self._attempts.setdefault(id(plan), [0, 0.0])
        spent[0] += 1
        if spent[0] % _CHECK_EVERY == 0:
            now = time.process_time()
            if spent[0] == _CHECK_EVERY:
                spent[1] = now
            elif now - spent[1] > self.limit.timeout:
                raise TimeoutError


def find_candidates(text: str, sentences: tuple[Sentence, ...], pack: Pack, published: dt.date | None,
                    article_id: str = "<text>", only: set[str] | None = None) -> list[Candidate]:
    """Run every rule over `text`; return the candidates that survive the overlap policy."""
    (found,) = find_candidates_many([(text, sentences, published, article_id)], pack, only)
    if isinstance(found, RegexTimeout):
        raise found
    return found


def find_candidates_many(articles: Sequence[tuple[str, tuple[Sentence, ...], dt.date | None, str]], pack: Pack,
                         only: set[str] | None = None) -> list[list[Candidate] | RegexTimeout]:
    """find_candidates on each (text, sentences, published, article id): the same
    candidates, or the RegexTimeout that stopped that article (the others go on).

    The rules are run one after another over all the articles, not the articles one
    after another: the `regex` engine's compiled patterns run to megabytes, and a
    pattern's first try in an article, after the other rules had run, took three times
    as long as its next tries. Over 16 articles at a time extraction took a fifth less.
    """
    # The pack's regex_timeout of CPU time (watchdog.py) for each pattern's matching on an
    # article (all its attempts and triggers), and again for each match's value and drop
    # conditions: an article with thousands of figures is no runaway pattern.
    with watchdog.limit(pack.regex_timeout) as limit:
        states = [_Article(pack, text, sentences, limit, article_id) for text, sentences, _, article_id in articles]
        found: list[list[tuple[Rule, Any]]] = [[] for _ in articles]
        triggered: list[dict[Any, list[tuple[int, int]]]] = [{} for _ in articles]
        failed: list[RegexTimeout | None] = [None] * len(articles)
        for rule, pattern, plan, row in pack.steps():
            if only is not None and rule.id not in only:
                continue
            for k, article in enumerate(states):
                if failed[k] is not None or (row is not None and not article.hits[row]):
                    continue  # stopped, or the plan's anchor is nowhere in it (most plans, most articles)
                try:
                    found[k].extend((rule, m) for m in _find(rule, pattern, plan, article, triggered[k]))
                except TimeoutError:  # the timer's, wherever the pattern's work was
                    failed[k] = _timed_out(rule, limit, article.article_id)
                except RegexTimeout as exc:
                    failed[k] = exc
        out: list[list[Candidate] | RegexTimeout] = []
        for k, article in enumerate(states):
            failure = failed[k]
            if failure is None:
                try:
                    out.append(_resolve(found[k], article.text, article.sentences, article.starts, pack,
                                        articles[k][2], limit, article.article_id))
                    continue
                except RegexTimeout as exc:
                    failure = exc
            out.append(failure)
    return out


def _find(rule: Rule, pattern: Any, plan: Any, article: _Article,
          triggered: dict[Any, list[tuple[int, int]]]) -> Iterable[Any]:
    """The matches of one of the rule's patterns in the article."""
    limit = article.limit
    limit.start()
    if plan is not None:  # looked up from its anchor's words
        return article.matches(rule, plan)
    # scanned, over the trigger's sentences
    text = article.text
    return [m for start, end in _regions(rule, text, article.sentences, article.starts, limit, article.article_id,
                                         triggered)
            for m in _scan(rule, pattern, text, limit, article.article_id, start, end)]
