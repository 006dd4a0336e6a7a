"""Hedge claims: wording that makes a statement impossible to pin down."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE
from factcheck.api import load_engine
from factcheck.config import Config
from factcheck.models import Article
from factcheck.normalize import hedges

ENGINE = load_engine(config=Config())


def hedges_of(text: str) -> list[str]:
    """Return the texts of the hedge claims of `text` checked as an undated article."""
    result = ENGINE.check(Article(id="t", text=text, file_offset=None))
    return [c.text for c in result.claims if c.kind == "hedge"]


@pytest.mark.parametrize("text, span", [
    # adverbs
    ("The drone was reportedly launched from Crimea.", "reportedly"),
    ("The general allegedly ordered the strike.", "allegedly"),
    ("He had probably already amassed a fortune.", "probably"),
    ("The talks will most likely fail.", "most likely"),
    # epistemic modals
    ("Irish poetry may have influenced rhyme elsewhere.", "may have influenced"),
    ("The fire could have been started deliberately.", "could have been started"),
    ("The talks might resume next week.", "might resume"),
    ("Russia may be behind the attack.", "may be behind"),
    ("It may well be the oldest bridge in the city.", "may well"),
    # uncertainty predicates
    ("Whether the offer is genuine remains unclear.", "remains unclear"),
    ("The number of victims is still not known.", "is still not known"),
    ("Doubt remains as to whether the figures are accurate.", "Doubt remains as to whether"),
    # hedged noun phrases
    ("Leaders see it as a possible opening for diplomacy.", "a possible opening for diplomacy"),
    ("The alleged plot was foiled.", "The alleged plot"),
    ("Police arrested two suspected members of the gang.", "two suspected members of the gang"),
    # offered as possible, apparent or hinted
    ("It is possible that the figures are inflated.", "It is possible"),
    ("It seems likely that the dam will fail.", "It seems likely"),
    ("The strike appears to have hit a hospital.", "appears to have"),
    ("It appears the talks have stalled.", "It appears"),
    ("The evidence suggests that the fire was set.", "suggests that"),
    # vague quantities
    ("Many countries condemned the strike.", "Many countries"),
    ("Some of its methods have come under question.", "Some of its methods"),
    ("The rebels held the towns, many of which were cut off.", "many of which"),
    ("He lived for some years in the Holy Land.", "some years"),
])
def test_hedges_are_found_with_their_span(text, span):
    assert span in hedges_of(text)


@pytest.mark.parametrize("text", [
    # the month, not the modal
    "The summit was held in May 2024.",
    "The deal was signed on May 5.",
    "In May the river floods.",
    # the noun, not the modal
    "Russia's military might has grown since 2014.",
    "They pushed with all their might.",
    # ability and root possibility, not a guess at a fact
    "Rescuers could not reach the village.",
    "The tool may be used to cut metal.",
    "It is possible to travel there by train.",
    # feasibility, not doubt
    "We will reply as soon as possible.",
    "They sought the best possible outcome for the workers.",
    "Talks are possible if both sides agree.",
    # quantities of time or degree, and numbers
    "He waited for several years.",
    "The rule applies to some extent.",
    "The bridge has stood for many years.",
    "Some 300 people were evacuated.",
    "As many as 500 people were evacuated.",
    # look-alikes of appearance and clarity
    "She appeared in three films.",
    "The bridge is clear of debris.",
    "Troops moved into the disputed territory.",
])
def test_look_alikes_of_hedges_are_not_claims(text):
    assert hedges_of(text) == []


def test_a_hedge_has_no_value_and_is_vague():
    result = ENGINE.check(Article(id="t", text="The drone was reportedly launched.", file_offset=None))
    claim = next(c for c in result.claims if c.kind == "hedge")
    assert claim.value is None
    assert claim.verdict == "vague"
    assert claim.reason


def test_a_crowd_is_an_attribution_not_also_a_vague_quantity():
    # "some historians" is credited as a vague source; it is not counted twice.
    result = ENGINE.check(Article(id="t", text="Some historians doubt the date.", file_offset=None))
    assert [c.kind for c in result.claims if c.text.startswith("Some historians")] == ["attribution"]


def test_the_seed_article_has_its_two_gold_hedges():
    from factcheck.readers import read_path

    article = next(iter(read_path(EXAMPLE)))
    found = [c.text for c in ENGINE.check(article).claims if c.kind == "hedge"]
    assert "remains unclear" in found
    assert "a possible opening for diplomacy" in found


def test_the_hedge_normalizer_returns_no_value():
    from factcheck.normalize import NormContext

    text = "It may rain."
    ctx = NormContext(None, text, 3, 6, 0, len(text), {}, {}, {})
    assert hedges.normalize({"hedge": "may"}, ctx) is None
    assert hedges.describe(None) == ""
