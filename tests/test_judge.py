"""Judging: reference facts and the article's own claims verify or contradict a claim.

Claims are built by hand here (kind, value, sentence) so the comparisons are tested
apart from the extraction rules; every expected verdict was worked out by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.facts import load_facts
from factcheck.judge import judge
from factcheck.matcher import Candidate
from factcheck.models import Article, Match
from factcheck.rules import load_pack
from factcheck.segment import split_sentences

PACK = """
settings:
  topics: {war: '\\bwar\\b'}
lists:
  start_words: [began]
  past_words: [was, held]
  future_words: [will]
rules:
  - id: t.any
    kind: date
    description: Placeholder rule whose verdict logic the hand-made claims use.
    pattern: 'zzz'
    verdict: {default: unsupported, reason: "Nothing backs it."}
    examples: {match: [{text: zzz}], no_match: [y]}
"""

FACTS = """
facts:
  - id: war.start
    statement: The war began on 24 February 2022
    about: ['\\bwar\\b']
    kind: {kind}
    {form}
    source: {{title: UN resolution ES-11/1, url: "https://example.org/un"}}
    as_of: "2022-03-02"
"""


@pytest.fixture
def pack(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "p.yaml").write_text(PACK, encoding="utf-8")
    return load_pack([tmp_path / "rules"])


def _facts(tmp_path, kind: str, form: str):
    folder = tmp_path / "facts"
    folder.mkdir(exist_ok=True)
    (folder / "f.yaml").write_text(FACTS.format(kind=kind, form=form), encoding="utf-8")
    return load_facts([folder])


def _judge(pack, facts, text: str, claims: list[tuple[str, str, object]], published: str | None = "2025-05-11"):
    """claims: (kind, exact text in `text`, value)."""
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    cands = []
    for kind, span, value in claims:
        start = text.index(span)
        index = max(i for i, s in enumerate(starts) if s <= start)
        cands.append(Candidate(Match("t.any", kind, start, start + len(span), span, {}, {}, index), value, pack.rules[0]))
    day = dt.date.fromisoformat(published) if published else None
    article = Article(id="a", text=text, published=day)
    return judge(cands, article, sentences, pack, facts)


TEXT = "The war began in February 2022."


@pytest.mark.parametrize("value, verdict", [
    ("2022-02", "verified"),       # 24 Feb is inside February 2022
    ("2022", "verified"),          # and inside 2022
    ("2022-02-24", "verified"),
    ("2022-03", "contradicted"),
    ("2022-02-23", "contradicted"),  # a day off, no tolerance
    ("2021", "contradicted"),
])
def test_a_date_agrees_when_the_fact_falls_inside_it(pack, tmp_path, value, verdict):
    facts = _facts(tmp_path, "date", 'value: "2022-02-24"')
    (claim,) = _judge(pack, facts, TEXT, [("date", "February 2022", value)])
    assert claim.verdict == verdict
    assert claim.evidence[0].id == "war.start" and claim.evidence[0].url == "https://example.org/un"
    assert "The war began on 24 February 2022 (UN resolution ES-11/1)" in claim.reason


def test_a_date_on_the_last_day_of_a_month_is_in_that_month(pack, tmp_path):
    facts = _facts(tmp_path, "date", 'value: "2024-02-29"')
    verdicts = [_judge(pack, facts, TEXT, [("date", "February 2022", v)])[0].verdict for v in ("2024-02", "2024-03")]
    assert verdicts == ["verified", "contradicted"]


def test_a_tolerance_in_days_widens_a_date_fact(pack, tmp_path):
    facts = _facts(tmp_path, "date", 'value: "2022-02-24"\n    tolerance: 1')
    assert _judge(pack, facts, TEXT, [("date", "February 2022", "2022-02-23")])[0].verdict == "verified"


def test_a_fact_newer_than_the_article_does_not_judge_it(pack, tmp_path):
    facts = _facts(tmp_path, "date", 'value: "2022-02-24"')
    (claim,) = _judge(pack, facts, TEXT, [("date", "February 2022", "2021")], published="2022-02-25")
    assert claim.verdict == "unsupported" and claim.evidence == ()


@pytest.mark.parametrize("published, iso, mod, verdict", [
    ("2025-05-11", "P3Y", "MORE_THAN", "verified"),      # 3 years 2 months 17 days
    ("2025-05-11", "P4Y", "MORE_THAN", "contradicted"),
    ("2025-02-24", "P3Y", "MORE_THAN", "contradicted"),  # exactly three years is not more than three
    ("2025-02-25", "P3Y", "MORE_THAN", "verified"),      # one day more is
    ("2025-02-24", "P3Y", "EQUAL_OR_MORE", "verified"),
    ("2025-05-11", "P3Y", "EQUAL", "verified"),          # "three years" until the fourth is complete
    ("2026-02-24", "P3Y", "EQUAL", "contradicted"),
    ("2025-05-11", "P4Y", "LESS_THAN", "verified"),
    ("2025-05-11", "P40M", "MORE_THAN", "contradicted"),  # 38 months and a half
])
def test_a_duration_is_checked_against_a_span_fact_on_the_calendar(pack, tmp_path, published, iso, mod, verdict):
    facts = _facts(tmp_path, "duration", 'span: {from: "2022-02-24", to: published}')
    text = "After years of war, they talk."
    (claim,) = _judge(pack, facts, text, [("duration", "years", {"iso": iso, "mod": mod})], published=published)
    assert claim.verdict == verdict


def test_the_articles_own_start_date_verifies_a_duration_by_arithmetic(pack):
    text = "The war began in February 2022. After more than three years of war, talks resume."
    claims = _judge(pack, load_facts([]), text, [("date", "February 2022", "2022-02"),
                                                ("duration", "more than three years", {"iso": "P3Y", "mod": "MORE_THAN"})])
    assert claims[1].verdict == "verified"
    assert claims[1].evidence[0].type == "claim" and claims[1].evidence[0].id == "c1"
    # From 1 or 28 February 2022 to 11 May 2025: more than three years either way.
    assert "between 3 years, 2 months, 13 days and 3 years, 3 months, 10 days" in claims[1].reason


def test_the_articles_own_start_date_contradicts_a_wrong_duration(pack):
    text = "The war began in February 2022. After more than four years of war, talks resume."
    claims = _judge(pack, load_facts([]), text, [("date", "February 2022", "2022-02"),
                                                ("duration", "more than four years", {"iso": "P4Y", "mod": "MORE_THAN"})])
    assert claims[1].verdict == "contradicted"


def test_a_start_date_too_loose_to_decide_gives_no_verdict(pack):
    # Began some time in 2022; "three years" (EQUAL) holds for a start in mid-2022 but not in January.
    text = "The war began in 2022. After three years of war, talks resume."
    claims = _judge(pack, load_facts([]), text, [("date", "2022", "2022"),
                                                ("duration", "three years", {"iso": "P3Y", "mod": "EQUAL"})])
    assert claims[1].verdict == "unsupported"


def test_a_past_tense_date_after_publication_is_contradicted(pack):
    text = "The summit was held on 3 June 2025."
    (claim,) = _judge(pack, load_facts([]), text, [("date", "3 June 2025", "2025-06-03")])
    assert claim.verdict == "contradicted" and "after the publication date" in claim.reason
    text = "The summit will be held on 3 June 2025."
    (claim,) = _judge(pack, load_facts([]), text, [("date", "3 June 2025", "2025-06-03")])
    assert claim.verdict == "unsupported"


@pytest.mark.parametrize("value, verdict", [
    ({"low": 200000, "high": 999999}, "verified"),   # overlaps "more than 12,000"
    ({"low": 5000, "high": 5000}, "contradicted"),   # below the verified lower bound
    ({"low": 12001, "high": None}, "verified"),
])
def test_a_quantity_range_is_compared_with_a_lower_bound_fact(pack, tmp_path, value, verdict):
    facts = _facts(tmp_path, "quantity", "value: {low: 12001, high: null}")
    (claim,) = _judge(pack, facts, "The war killed many.", [("quantity", "many", value)])
    assert claim.verdict == verdict


def test_a_statement_fact_verifies_by_its_keywords(pack, tmp_path):
    facts = _facts(tmp_path, "condition", "keywords: ['\\bceasefire\\b']")
    text = "In the war, Kyiv wants a ceasefire first. In the war, Kyiv wants money."
    claims = _judge(pack, facts, text, [("condition", "a ceasefire first", {"party": "Kyiv", "requirement": "a ceasefire first"}),
                                       ("condition", "money", {"party": "Kyiv", "requirement": "money"})])
    assert [c.verdict for c in claims] == ["verified", "unsupported"]


def test_the_closest_fact_judges_when_a_sentence_speaks_of_two_events(pack, tmp_path):
    folder = tmp_path / "facts2"
    folder.mkdir()
    (folder / "f.yaml").write_text("""
facts:
  - id: war.start
    statement: The war began on 24 February 2022
    about: ['\\bwar\\b', '\\bbegan\\b']
    kind: date
    value: "2022-02-24"
    source: {title: A}
    as_of: "2022-03-02"
  - id: talks.proposed
    statement: Talks were proposed on 11 May 2025
    about: ['\\bproposed\\b', '\\btalks\\b']
    kind: date
    value: "2025-05-11"
    source: {title: B}
    as_of: "2025-05-11"
""", encoding="utf-8")
    text = "Putin proposed talks aimed at ending the war that began in February 2022."
    (claim,) = _judge(pack, load_facts([folder]), text, [("date", "February 2022", "2022-02")])
    assert claim.verdict == "verified" and [e.id for e in claim.evidence] == ["war.start"]


def test_a_claim_in_an_attributed_sentence_carries_the_attribution_beside_its_verdict(pack):
    text = "The war killed 5,000 people, the ministry said. Nobody else spoke."
    source = {"source": "the ministry", "kind": "named", "quoted": False}
    claims = _judge(pack, load_facts([]), text, [("quantity", "5,000 people", {"low": 5000, "high": 5000}),
                                                ("attribution", "the ministry said", source)])
    assert claims[0].attribution == source and claims[0].verdict == "unsupported"
    assert claims[1].attribution is None  # an attribution is not attributed to itself


def test_within_keeps_a_fact_from_judging_claims_far_from_its_words(pack, tmp_path):
    facts = _facts(tmp_path, "quantity", "value: {low: 12001, high: null}\n    within: 20")
    text = "The war went on; elsewhere in the country a quite unrelated attack killed 52."
    (claim,) = _judge(pack, facts, text, [("quantity", "52", {"low": 52, "high": 52})])
    assert claim.verdict == "unsupported"  # "war" is 60 characters away
    (claim,) = _judge(pack, facts, "The war killed 52.", [("quantity", "52", {"low": 52, "high": 52})])
    assert claim.verdict == "contradicted"
