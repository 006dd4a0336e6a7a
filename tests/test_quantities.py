"""Quantity claims: figures read into {low, high, unit, entity}, and what is not a figure."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import load_engine
from factcheck.models import Article
from factcheck.normalize import quantities


@pytest.fixture(scope="module")
def engine():
    return load_engine(default_facts=False)


def quantity(engine, text: str) -> list[tuple[str, dict]]:
    result = engine.check(Article(id="t", text=text, published=dt.date(2025, 5, 11), file_offset=None))
    return [(c.text, c.value) for c in result.claims if c.kind == "quantity"]


def only(engine, text: str) -> tuple[str, dict]:
    found = quantity(engine, text)
    assert len(found) == 1, found
    return found[0]


def q(low, high, unit=None, entity=None) -> dict:
    return {"low": low, "high": high, "unit": unit, "entity": entity}


@pytest.mark.parametrize("text, span, value", [
    ("It has verified more than 12,000 civilian deaths.", "more than 12,000 civilian deaths",
     q(12001, None, entity="killed")),
    ("Nearly 1.5 million people live there.", "Nearly 1.5 million people", q(1350000, 1650000, entity="people")),
    ("Congress approved $61bn in aid.", "$61bn", q(61000000000, 61000000000, "USD")),
    ("The budget is £3.2bn.", "£3.2bn", q(3200000000, 3200000000, "GBP")),
    ("Each family gets €50.", "€50", q(50, 50, "EUR")),
    ("Forty-five soldiers were captured.", "Forty-five soldiers", q(45, 45, entity="soldiers")),
    ("Two hundred soldiers arrived.", "Two hundred soldiers", q(200, 200, entity="soldiers")),
    ("Two dozen soldiers arrived.", "Two dozen soldiers", q(24, 24, entity="soldiers")),
    ("Two hundred and fifty thousand people marched.", "Two hundred and fifty thousand people",
     q(250000, 250000, entity="people")),
    ("Half a million people fled.", "Half a million people", q(500000, 500000, entity="refugees")),
    ("At least 20 civilians died.", "At least 20 civilians", q(20, None, entity="killed")),
    ("Up to 300 troops will stay.", "Up to 300 troops", q(None, 300, entity="soldiers")),
    ("Fewer than 100 people voted.", "Fewer than 100 people", q(None, 99, entity="people")),
    ("Turnout was over 60%.", "over 60%", q(60.1, None, "%")),
    ("Growth was 2.5 per cent.", "2.5 per cent", q(2.5, 2.5, "%")),
    ("Between 20 and 30 people were hurt.", "Between 20 and 30 people", q(20, 30, entity="people")),
    ("The storm destroyed 20-30 homes.", "20-30 homes", q(20, 30, entity="homes")),
    ("It will cost 2 to 3 million dollars.", "2 to 3 million dollars", q(2000000, 3000000, "USD")),
    ("About 143,000 Ukrainians serve.", "About 143,000 Ukrainians", q(128700, 157300, entity="Ukrainians")),
    ("Tens of thousands of people marched.", "Tens of thousands of people", q(20000, 99999, entity="people")),
])
def test_figures_read_into_ranges(engine, text, span, value):
    assert only(engine, text) == (span, value)


def test_claimed_the_lives_of_counts_lives_not_the_noun(engine):
    text = "a war that has claimed the lives of hundreds of thousands of soldiers and civilians, and more"
    assert only(engine, text) == ("hundreds of thousands of soldiers and civilians", q(200000, 999999, entity="lives"))


@pytest.mark.parametrize("text, entity", [
    ("The strike killed 52 people.", "killed"),
    ("Thousands of people have fled.", "refugees"),
    ("Dozens were wounded in the attack.", "wounded"),
    ("The blast injured 14 children.", "wounded"),
    ("Some 3,000 workers lost their jobs.", "jobs"),
])
def test_entity_is_what_happened_to_the_people_counted(engine, text, entity):
    assert only(engine, text)[1]["entity"] == entity


def test_approximate_and_scale_word_figures_are_vague(engine):
    text = "About 500 people left. Hundreds of thousands of people stayed. Exactly 12,000 people were counted."
    result = engine.check(Article(id="t", text=text, published=dt.date(2025, 5, 11), file_offset=None))
    verdicts = {c.text: c.verdict for c in result.claims if c.kind == "quantity"}
    assert verdicts == {"About 500 people": "vague", "Hundreds of thousands of people": "vague",
                        "12,000 people": "unsupported"}


@pytest.mark.parametrize("text", [
    "The war began in February 2022 and lasted more than three years.",
    "The talks start at 5 pm on 24 February.",
    "He flew a Boeing 747 with the Apollo 11 crew during COVID-19 and the G7 summit.",
    "It was the 21st meeting and the first in 2014.",
    "Chelsea won 3-1 and he scored 23 points in the 100m final.",
    "One of the two sides said a few people had left.",
    "Inflation rose from 5% to 7%.",
    "The 2003-04 season and the 1939-1945 war.",
    "She has thousands of reasons to stay.",
])
def test_dates_names_times_durations_and_bare_numbers_are_not_quantities(engine, text):
    assert [t for t, _ in quantity(engine, text) if t not in ("5%", "7%")] == []


def test_tolerance_is_a_rule_parameter(tmp_path):
    import shutil
    from factcheck.rules import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules, ignore=shutil.ignore_patterns("facts"))
    path = rules / "quantities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("normalize: {tolerance: 0.1}",
                                                             "normalize: {tolerance: 0.2}"), encoding="utf-8")
    eng = load_engine(rules=[rules], default_rules=False, default_facts=False)
    assert only(eng, "About 500 people left.")[1] == q(400, 600, entity="people")


@pytest.mark.parametrize("value, said", [
    (q(200000, 999999, entity="lives"), "200,000–999,999 lives"),
    (q(6000001, None, entity="refugees"), "more than 6,000,000 refugees"),
    (q(20, None, entity="killed"), "at least 20 killed"),
    (q(None, 99, entity="people"), "fewer than 100 people"),
    (q(None, 300, entity="soldiers"), "up to 300 soldiers"),
    (q(61000000000, 61000000000, "USD"), "61,000,000,000 USD"),
    (q(60.1, None, "%"), "more than 60%"),
    (q(2.5, 2.5, "%"), "2.5%"),
])
def test_describe_says_the_figure_as_a_person_would(value, said):
    assert quantities.describe(value) == said


def test_interval_opens_missing_ends_and_rejects_non_quantities():
    assert quantities.interval(q(12001, None)) == (12001.0, float("inf"))
    assert quantities.interval(q(None, 99)) == (float("-inf"), 99.0)
    assert quantities.interval({"low": "many", "high": None}) is None
    assert quantities.interval("12,000") is None
