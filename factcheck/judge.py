"""Judge candidates: verdict, reason and evidence for every claim.

Every source of a verdict gives a `Finding`: the rule's `verdict.when` conditions
and default (rule files), the reference facts linked to the claim, and the kind's
consistency hook (the article's own anchored claims). The verdict is the first in
the precedence of CLAIMS.md among the findings; its reason is the first finding's
and its evidence is the union. Nothing here branches on a kind's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from . import normalize, watchdog
from .conditions import Subject
from .facts import EMPTY, Fact, FactBase
from .matcher import Candidate
from .errors import RegexTimeout
from .models import Article, Claim, Evidence, Sentence, verdict_rank
from .rules import Pack


@dataclass(frozen=True)
class Finding:
    """One reason to give a claim a verdict."""

    verdict: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    # A rule's reason is a template ("{text} ..."), filled in only if it is chosen:
    # most findings lose to another, and formatting them all was a hot spot.
    template: bool = False


@dataclass
class JudgeContext:
    """What findings may look at beyond the claim: the article and all candidates."""

    article: Article
    sentences: tuple[Sentence, ...]
    candidates: list[Candidate]
    pack: Pack
    ids: dict[int, str] = field(default_factory=dict)  # id(candidate) -> claim id
    # The timeout each condition pattern gets: None while judge()'s interval timer keeps
    # the limit (watchdog.py); the pack's regex_timeout when none is set.
    per_call: float | None = None
    by_sentence: dict[int, list[Candidate]] = field(default_factory=dict)
    # Where a fact's `about` pattern matches around a sentence: every claim of the
    # sentence asks, so each (pattern, sentence) is searched once.
    about_hits: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.per_call is None:
            self.per_call = self.pack.regex_timeout
        for cand in self.candidates:
            self.by_sentence.setdefault(cand.match.sentence, []).append(cand)

    def sentence_text(self, index: int, previous: bool = False) -> str:
        """Return a sentence's text, with the one before it when `previous`."""
        if not self.sentences:
            return self.article.text
        text = self.sentences[index].text
        if previous and index > 0:
            text = self.sentences[index - 1].text + " " + text
        return text

    def topics_near(self, start: int, end: int, before: int = 60) -> set[str]:
        """Return the topics named in the `before` characters ahead of a span, or in it."""
        text = self.article.text[max(0, start - before):end]
        return {name for name, pat in self.pack.topics.items() if pat.search(text)}

    def topics(self, index: int) -> set[str]:
        """Return the topics (settings.topics) a sentence speaks of.

        Only the sentence itself: with the one before it, a duration about talks
        ("the first proposal in over a year") took the war's start date of the previous
        sentence as its own start.
        """
        text = self.sentence_text(index)
        return {name for name, pat in self.pack.topics.items() if pat.search(text)}


def _fill(template: str, cand: Candidate, fields: dict[str, Any] | None = None, **extra: Any) -> str:
    """Fill a reason or message template with the claim's text, kind, value and groups."""
    if "{" not in template and "}" not in template:  # nothing to fill ("}}" would be)
        return template
    fields = {**(fields if fields is not None else _fields(cand)), **extra}
    try:
        return template.format_map(_Default(fields))
    except (ValueError, IndexError):
        return template


def _fields(cand: Candidate) -> dict[str, Any]:
    return {"text": cand.match.text, "kind": cand.match.kind,
            "value": normalize.describe(cand.match.kind, cand.value), **cand.match.groups}


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def rule_findings(cand: Candidate, ctx: JudgeContext) -> list[Finding]:
    """Return the findings of the rule's `verdict.when` conditions and its default."""
    m, sent = cand.match, ctx.sentences[cand.match.sentence] if ctx.sentences else None
    neighbours = tuple((c.match.kind, c.value) for c in ctx.by_sentence.get(m.sentence, ()) if c is not cand)
    subject = Subject(ctx.article.text, m.start, m.end, m.groups, cand.value,
                      sent.start if sent else 0, sent.end if sent else len(ctx.article.text),
                      ctx.article.published, ctx.per_call, neighbours)
    rule = cand.rule
    try:
        holding = [w for w in rule.when if w.condition.holds(subject)]
    except TimeoutError:
        raise RegexTimeout(f"a 'when' condition timed out on article '{ctx.article.id}'", rule.location,
                           f"rule '{rule.id}'") from None
    out = [Finding(w.verdict, w.reason, (Evidence("rule", rule.id),), template=True) for w in holding]
    out.append(Finding(rule.default_verdict, rule.default_reason, template=True))
    return out


def _fact_evidence(fact: Fact) -> Evidence:
    src = fact.source
    return Evidence("fact", fact.id, fact.statement, src.get("title"), src.get("publisher"), src.get("url"),
                    fact.as_of.isoformat())


def _ordinal(iso: str, published: dt.date | None) -> float | None:
    if iso == "published":
        return float(published.toordinal()) if published else None
    return float(dt.date.fromisoformat(iso).toordinal())


def _fact_interval(fact: Fact, published: dt.date | None) -> tuple[float, float] | None:
    if fact.span is not None:
        start, end = (_ordinal(x, published) for x in fact.span)
        return None if start is None or end is None else (end - start, end - start)
    if isinstance(fact.value, dict) and "from" in fact.value and "to" in fact.value:
        return _ordinal(fact.value["from"], None), _ordinal(fact.value["to"], None)
    fn = normalize.hook(fact.kind, "interval")
    return fn(fact.value) if fn and fact.value is not None else None


def _widen(rng: tuple[float, float], fact: Fact) -> tuple[float, float]:
    lo, hi = rng
    if fact.relative_tolerance:
        return lo - abs(lo) * fact.tolerance, hi + abs(hi) * fact.tolerance
    return lo - fact.tolerance, hi + fact.tolerance


def _distance(fact: Fact, cand: Candidate, ctx: JudgeContext) -> float | None:
    """How far the fact's `about` words stand from the claim (None: not linked).

    A sentence can speak of several events ("proposed talks ... the war that began in
    February 2022"), so a claim is judged by the facts whose words stand closest to it.
    """
    if not fact.applies_to(ctx.article.published):
        return None
    index = cand.match.sentence
    start = ctx.sentences[index - 1].start if ctx.sentences and index > 0 else (
        ctx.sentences[index].start if ctx.sentences else 0)
    end = ctx.sentences[index].end if ctx.sentences else len(ctx.article.text)
    text, total = ctx.article.text, 0.0
    for pattern in fact.about:
        key = (id(pattern), index)
        spans = ctx.about_hits.get(key)
        if spans is None:
            spans = ctx.about_hits[key] = [m.span() for m in pattern.finditer(text, start, end)]
        gaps = [max(s - cand.match.end, cand.match.start - e, 0) for s, e in spans]
        if not gaps or (fact.within is not None and min(gaps) > fact.within):
            return None
        total += min(gaps)
    return total


def compare_fact(fact: Fact, cand: Candidate, ctx: JudgeContext) -> Finding | None:
    """Compare a claim with one linked fact: verified, contradicted, or no finding."""
    evidence = (_fact_evidence(fact),)
    source = fact.source.get("title", fact.id)
    if fact.keywords:
        sentence = ctx.sentence_text(cand.match.sentence)
        if all(k.search(sentence) for k in fact.keywords):
            return Finding("verified", f"{fact.statement} ({source}), which agrees with “{cand.match.text}”.", evidence)
        return None
    fn = normalize.hook(cand.match.kind, "interval")
    fact_rng = _fact_interval(fact, ctx.article.published)
    if fn is None or fact_rng is None:
        return None
    anchor = _ordinal(fact.span[0], None) if fact.span else None
    claim_rng = fn(cand.value, anchor) if anchor is not None else fn(cand.value)
    if claim_rng is None:
        return None
    lo, hi = _widen(fact_rng, fact)
    said = normalize.describe(cand.match.kind, cand.value)
    if claim_rng[0] <= hi and lo <= claim_rng[1]:
        return Finding("verified", f"{fact.statement} ({source}), which agrees with “{cand.match.text}” ({said}).",
                       evidence)
    return Finding("contradicted", f"{fact.statement} ({source}); “{cand.match.text}” ({said}) does not fit it.",
                   evidence)


def fact_findings(cand: Candidate, ctx: JudgeContext, facts: FactBase) -> list[Finding]:
    """Return the findings of the reference facts linked closest to the claim."""
    linked = [(d, f) for f in facts.for_kind(cand.match.kind) if (d := _distance(f, cand, ctx)) is not None]
    if not linked:
        return []
    nearest = min(d for d, _ in linked)
    findings = (compare_fact(f, cand, ctx) for d, f in linked if d == nearest)
    return [f for f in findings if f is not None]


def _attributions(cands: list[Candidate], pack: Pack) -> dict[int, dict[str, Any]]:
    kinds = set(pack.settings.get("attribution_kinds", ["attribution"]))
    return {c.match.sentence: c.value for c in cands if c.match.kind in kinds and isinstance(c.value, dict)}


MAX_REASONS = 2  # a reader wants the grounds, not a list of every rule that fired


def decide(findings: list[Finding], fill: Callable[[str], str] = lambda s: s) -> Finding:
    """Pick the verdict by precedence; merge the reasons and evidence of the findings that agree.

    A claim verified both by a fact and by the article's own arithmetic shows both
    reasons, so the reader sees each ground the verdict rests on.
    """
    best = min(findings, key=lambda f: verdict_rank(f.verdict))
    agreeing = [f for f in findings if f.verdict == best.verdict]
    evidence: dict[tuple[str, str], Evidence] = {}
    for f in agreeing:
        for e in f.evidence:
            evidence.setdefault((e.type, e.id), e)
    # A rule's default reason is the fallback: it is left out when a grounded finding agrees.
    grounded = [f for f in agreeing if f.evidence] or agreeing
    reasons = list(dict.fromkeys(fill(f.reason) if f.template else f.reason for f in grounded if f.reason))
    reasons = reasons[:MAX_REASONS]
    return Finding(best.verdict, " ".join(reasons), tuple(evidence.values()))


def judge(cands: list[Candidate], article: Article, sentences: tuple[Sentence, ...], pack: Pack,
          facts: FactBase = EMPTY) -> tuple[Claim, ...]:
    """Turn candidates into judged claims, numbered c1, c2, ... in reading order."""
    ctx = JudgeContext(article, sentences, cands, pack, {id(c): f"c{i}" for i, c in enumerate(cands, 1)})
    attributed = _attributions(cands, pack)
    kinds = set(pack.settings.get("attribution_kinds", ["attribution"]))
    claims = []
    # Each claim's judging (conditions, facts, consistency) has the pack's regex_timeout.
    with watchdog.limit(pack.regex_timeout) as limit:
        ctx.per_call = limit.per_call
        for cand in cands:
            limit.start()
            try:
                claims.append(_judge_one(cand, ctx, facts, attributed, kinds))
            except TimeoutError:  # the timer's, wherever the claim's judging was
                raise RegexTimeout(f"judging a claim timed out after {limit.timeout:g} s on article "
                                   f"'{article.id}'", cand.rule.location, f"rule '{cand.rule.id}'") from None
    return tuple(claims)


def _judge_one(cand: Candidate, ctx: JudgeContext, facts: FactBase, attributed: dict[int, dict[str, Any]],
               kinds: set[str]) -> Claim:
    """Judge one candidate: its findings, the verdict they decide, the claim."""
    findings = rule_findings(cand, ctx)
    if "facts" in cand.rule.checks:
        findings += fact_findings(cand, ctx, facts)
    hook = normalize.hook(cand.match.kind, "consistency")
    if hook is not None and "consistency" in cand.rule.checks:
        findings += hook(cand, ctx)
    fields = _fields(cand)  # described once for the reason and the message
    final = decide(findings, lambda r: _fill(r, cand, fields))
    m = cand.match
    attribution = None if m.kind in kinds else attributed.get(m.sentence)
    return Claim(ctx.ids[id(cand)], m.start, m.end, m.text, m.kind, cand.value, m.rule_id, m.sentence,
                 final.verdict, final.reason, final.evidence, attribution, _fill(cand.rule.message, cand, fields))
