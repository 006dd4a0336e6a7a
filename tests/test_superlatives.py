"""Superlative claims: superlatives, records and firsts read into {comparison}."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import load_engine
from factcheck.models import Article
from factcheck.normalize.superlatives import singular


@pytest.fixture(scope="module")
def engine():
    return load_engine(default_facts=False)


def superlatives(engine, text: str) -> list[tuple[str, str, str]]:
    result = engine.check(Article(id="t", text=text, published=dt.date(2025, 5, 11), file_offset=None))
    return [(c.text, c.value["comparison"], c.verdict) for c in result.claims if c.kind == "superlative"]


@pytest.mark.parametrize("text, span, comparison", [
    ("It caused one of the largest refugee crises in Europe since World War II.",
     "one of the largest refugee crises in Europe since World War II",
     "largest refugee crisis in Europe since World War II"),
    ("It marks the first formal proposal of face-to-face negotiations between the two sides in over a year.",
     "the first formal proposal of face-to-face negotiations between the two sides in over a year",
     "first formal proposal of face-to-face negotiations in over a year"),
    ("It was the deadliest attack since 2014.", "the deadliest attack since 2014", "deadliest attack since 2014"),
    ("Unemployment hit its highest level in 20 years.", "its highest level in 20 years", "highest level in 20 years"),
    ("It is one of the world's poorest countries.", "one of the world's poorest countries", "world's poorest country"),
    ("He called it the most serious threat to peace.", "the most serious threat", "most serious threat"),
    ("It is the first time since 2014 that they met.", "the first time since 2014", "first time since 2014"),
    ("Oil hit a record high.", "record high", "record high"),
    ("Moscow faces unprecedented sanctions.", "unprecedented sanctions", "unprecedented sanctions"),
    ("Exports were the biggest since 1990.", "the biggest since 1990", "biggest since 1990"),
])
def test_superlatives_read_into_comparisons(engine, text, span, comparison):
    assert superlatives(engine, text) == [(span, comparison, "unsupported")]


@pytest.mark.parametrize("text", [
    "At least 20 people were hurt and most of them were children.",
    "The latest proposal arrived at the latest possible moment.",
    "Sales fell in the first quarter and the first of the meetings was on Monday.",
    "She won Best Actress.",
    "She signed with a record label after spending time off the record.",
    "The most recent talks failed.",
])
def test_news_words_ordinals_and_names_are_not_superlatives(engine, text):
    assert superlatives(engine, text) == []


@pytest.mark.parametrize("plural, one", [
    ("crises", "crisis"), ("countries", "country"), ("attacks", "attack"), ("churches", "church"),
    ("children", "child"), ("gas", "gas"), ("status", "status"),
])
def test_singular_of_the_head_noun(plural, one):
    table = {"crises": "crisis", "children": "child"}
    assert singular(plural, table) == one
