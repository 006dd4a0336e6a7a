"""Condition claims: demands and preconditions, who sets them and what they require."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import load_engine
from factcheck.models import Article


@pytest.fixture(scope="module")
def engine():
    return load_engine(default_facts=False)


def conditions(engine, text: str) -> list[tuple[str, dict]]:
    result = engine.check(Article(id="t", text=text, published=dt.date(2025, 5, 11), file_offset=None))
    return [(c.text, c.value) for c in result.claims if c.kind == "condition"]


def cond(party, requirement) -> dict:
    return {"party": party, "requirement": requirement}


@pytest.mark.parametrize("text, span, value", [
    ("Ukrainian President Volodymyr Zelensky welcomed the possibility of dialogue but emphasized that any talks "
     "would require an immediate Russian ceasefire.",
     "any talks would require an immediate Russian ceasefire", cond("Zelensky", "an immediate Russian ceasefire")),
    ("“We are willing to talk,” Zelensky said, “but Moscow must first stop the attacks.”",
     "Moscow must first stop the attacks", cond("Zelensky", "Moscow to stop the attacks")),
    ("Ukraine has consistently insisted that any negotiations must involve full respect for its sovereignty and "
     "territorial integrity, including the return of territories occupied by Russian forces.",
     "any negotiations must involve full respect for its sovereignty and territorial integrity",
     cond("Ukraine", "full respect for its sovereignty and territorial integrity")),
    ("Kyiv has also demanded accountability for war crimes and international security guarantees.",
     "demanded accountability for war crimes and international security guarantees",
     cond("Kyiv", "accountability for war crimes and international security guarantees")),
])
def test_seed_article_conditions(engine, text, span, value):
    assert conditions(engine, text) == [(span, value)]


@pytest.mark.parametrize("text, party", [
    # The speaker of the quote the demand is in, named before it.
    ("Mr Blair told MPs: “Iran must comply with the resolution.”", "Blair"),
    # A speaker named after the claim.
    ("Russia must withdraw its troops, the UN secretary general said.", "UN"),
    # A pronoun standing for the previous sentence's named subject.
    ("Chancellor Olaf Scholz spoke to reporters. He said Iran must halt enrichment.", "Scholz"),
    # A common-noun subject.
    ("The union demanded a 5% pay rise.", "union"),
    # A titled person is named by the surname; an organisation keeps its whole name.
    ("Prime Minister Keir Starmer urged Russia to return the children.", "Starmer"),
    ("The UN Security Council called for an immediate ceasefire.", "UN Security Council"),
    # Nobody named: no party is guessed.
    ("Players must register by Friday.", None),
])
def test_party_is_who_sets_the_condition(engine, text, party):
    found = conditions(engine, text)
    assert len(found) == 1, found
    assert found[0][1]["party"] == party


@pytest.mark.parametrize("text, span", [
    ("Talks could begin only if Ukraine withdraws its troops.", "only if Ukraine withdraws its troops"),
    ("The funds flow on condition that Hungary reforms its courts.", "on condition that Hungary reforms its courts"),
    ("No deal is possible unless Russia pulls back.", "unless Russia pulls back"),
    ("Washington called for restraint.", "called for restraint"),
])
def test_preconditions_and_calls(engine, text, span):
    assert [t for t, _ in conditions(engine, text)] == [span]


def test_demanded_that_requires_the_clause(engine):
    found = conditions(engine, "Authorities demanded that all cafes get permits.")
    assert found == [("demanded that all cafes get permits", cond("Authorities", "all cafes get permits"))]


@pytest.mark.parametrize("text", [
    "It must have been a shock to the family.",
    "This must-see film opens on Friday.",
    "It must be said that the talks went well.",
    "“You must be joking,” he said.",
    "Kyiv's demands for security guarantees were rejected.",
    "Demand for oil fell.",
    "Prices are in euros unless otherwise stated.",
])
def test_epistemic_must_and_nouns_are_not_conditions(engine, text):
    assert conditions(engine, text) == []


def test_a_demand_whose_clause_has_must_is_one_claim(engine):
    found = conditions(engine, "Ukraine insisted that any deal must respect its borders.")
    assert found == [("any deal must respect its borders", cond("Ukraine", "any deal to respect its borders"))]
