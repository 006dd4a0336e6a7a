"""Attribution claims: who a statement is credited to, and how checkable that is."""

from __future__ import annotations

import pytest

from factcheck.api import load_engine
from factcheck.config import Config
from factcheck.models import Article
from factcheck.normalize import attributions

from conftest import EXAMPLE

ENGINE = load_engine(config=Config())
LISTS = ENGINE.pack.lists


def attributions_of(text: str) -> list:
    """Return the attribution claims of `text` checked as an undated article."""
    result = ENGINE.check(Article(id="t", text=text, file_offset=None))
    return [c for c in result.claims if c.kind == "attribution"]


@pytest.mark.parametrize("source, kind", [
    ("Zelensky", "named"),
    ("Russian President Vladimir Putin", "named"),
    ("president", "named"),
    ("UN", "named"),
    ("Kremlin sources", "anonymous"),
    ("Western diplomats", "anonymous"),
    ("officials", "anonymous"),
    ("a person familiar with the matter", "anonymous"),
    ("A senior official who asked not to be named", "anonymous"),
    ("sources close to the president", "anonymous"),
    ("global leaders", "vague"),
    ("critics", "vague"),
    ("Critics of the plan", "vague"),
    ("some officials", "vague"),
    ("many experts", "vague"),
    ("some", "vague"),
    (None, "vague"),
])
def test_sources_are_classed_from_the_word_lists(source, kind):
    assert attributions.classify(source, LISTS) == kind


def test_each_pack_classes_sources_with_its_own_word_lists():
    # What is built from a list is kept per list object (normalize.per_table): a pack
    # loaded later, with other words, must not get the first pack's answer.
    mine = {**LISTS, "attribution_vague_sources": ("pundits",)}
    other = {**LISTS, "attribution_vague_sources": ("bloggers",)}
    assert attributions.classify("the pundits", mine) == "vague"
    assert attributions.classify("the pundits", other) == "named"
    assert attributions.classify("the pundits", mine) == "vague"


def test_a_source_normalized_again_is_classed_with_its_own_packs_lists():
    # normalize remembers each source it has read, per pack: the memo of one pack must
    # not answer for another, nor for a rule that fixes the kind.
    from factcheck.normalize import NormContext

    def kind(lists, fixed=None):
        text = "the pundits said"
        ctx = NormContext(None, text, 0, len(text), 0, len(text), {"source": "the pundits", "kind": fixed}, {}, lists)
        return attributions.normalize({}, ctx)["kind"]

    mine = {**LISTS, "attribution_vague_sources": ("pundits",)}
    other = {**LISTS, "attribution_vague_sources": ("bloggers",)}
    assert [kind(mine), kind(other), kind(mine), kind(mine, "anonymous")] == ["vague", "named", "vague", "anonymous"]


@pytest.mark.parametrize("raw, cleaned", [
    ("The Kremlin", "Kremlin"),
    ("  the   president ", "president"),
    ("a person familiar with the matter", "a person familiar with the matter"),
    ("", None),
    (None, None),
])
def test_a_source_loses_its_leading_the_and_extra_space(raw, cleaned):
    assert attributions.clean_source(raw) == cleaned


@pytest.mark.parametrize("text, quoted", [
    ("“We are willing to talk,” Zelensky said", True),
    ('"We will not retreat," Zelensky said', True),
    ("`` It was a trap , '' Zelensky said", True),
    ("Zelensky said", False),
])
def test_a_quotation_closing_just_before_the_source_counts_as_quoted(text, quoted):
    start = text.index("Zelensky")
    assert attributions.is_quoted(text, start, len(text)) is quoted


def test_a_quotation_opening_just_after_the_verb_counts_as_quoted():
    text = "Officials said: “The road is closed.”"
    assert attributions.is_quoted(text, 0, text.index(":")) is True


@pytest.mark.parametrize("text, span, source, kind, quoted", [
    ("“We are willing to talk,” Zelensky said, “but Moscow must first stop.”",
     "Zelensky said", "Zelensky", "named", True),
    ("The president said talks would resume.", "The president said", "president", "named", False),
    ("The Kremlin has repeatedly denied the reports.", "The Kremlin has repeatedly denied", "Kremlin", "named",
     False),
    ("Kremlin sources say the offer is serious.", "Kremlin sources say", "Kremlin sources", "anonymous", False),
    ("Officials said the road was closed.", "Officials said", "Officials", "anonymous", False),
    ("A senior official who asked not to be named said the deal was close.",
     "A senior official who asked not to be named said", "A senior official who asked not to be named",
     "anonymous", False),
    ("Critics argue that the offer is a ploy.", "Critics argue", "Critics", "vague", False),
    ("Many believe the war will last years.", "Many believe", "Many", "vague", False),
    ("Some say it has more shipwrecks than any other lake.", "Some say", "Some", "vague", False),
    ("More than 6 million people have fled, according to the UN.", "according to the UN", "UN", "named", False),
    ("According to some, the war could have been avoided.", "According to some", "some", "vague", False),
    ("The plan is being viewed cautiously by global leaders.", "viewed cautiously by global leaders",
     "global leaders", "vague", False),
    ("“The offer is serious,” said Dmitry Peskov.", "said Dmitry Peskov", "Dmitry Peskov", "named", True),
    # A sentence's opening conjunction or preposition is no part of the source (nor of the span).
    ("But critics say the plan will fail.", "critics say", "critics", "vague", False),
    ("And Mr Smith said it was over.", "Mr Smith said", "Mr Smith", "named", False),
    ("As officials said, the road was closed.", "officials said", "officials", "anonymous", False),
    ("Andrew Smith said it was over.", "Andrew Smith said", "Andrew Smith", "named", False),
])
def test_attributions_are_found_with_source_kind_and_quotation(text, span, source, kind, quoted):
    claims = attributions_of(text)
    assert [c.text for c in claims] == [span]
    assert claims[0].value == {"source": source, "kind": kind, "quoted": quoted}


@pytest.mark.parametrize("text, span", [
    ("It is believed that the treasure was buried here.", "It is believed"),
    ("The terms were believed to be in the $150,000 range.", "were believed to be"),
    ("He is widely regarded as the finest player of his generation.", "is widely regarded as"),
    ("The plan has been described as a trap.", "has been described as"),
    ("Some say the lake is haunted.", "Some say"),
    ("There are reports that the bridge was damaged.", "There are reports"),
    ("It has been suggested that the APIs were the main complaint.", "It has been suggested"),
    ("The nature of the deal has also been questioned.", "has also been questioned"),
])
def test_agentless_and_crowd_attributions_are_vague_with_no_named_source(text, span):
    claims = attributions_of(text)
    assert [c.text for c in claims] == [span]
    assert claims[0].value["kind"] == "vague"


@pytest.mark.parametrize("text", [
    "The said company was dissolved in 1990.",
    "The insurance claims were paid late.",
    "Ukrainian claims were paid in full.",
    "The talks went according to plan in every respect",
    "The city was attacked by drones overnight.",
    "The bridge was built by engineers in 1932.",
    "He was considered for the role.",
    "She thought of her brother.",
    "The festival is known as the largest in Europe.",
    "Smith saw the film twice.",
    "The proposal was considered by the committee on Monday.",
])
def test_look_alikes_of_attributions_are_not_claims(text):
    assert attributions_of(text) == []


@pytest.mark.parametrize("text, verdict, reason_part", [
    ("Critics argue that the offer is a ploy.", "vague", "who exactly"),
    ("Kremlin sources say the offer is serious.", "unsupported", "Anonymous source"),
    ("Zelensky said the talks would resume.", "unsupported", "no reference fact"),
    ("It is believed that the treasure was buried here.", "vague", "credited to no one"),
])
def test_vague_sources_are_vague_and_anonymous_ones_unsupported(text, verdict, reason_part):
    claim = attributions_of(text)[0]
    assert claim.verdict == verdict
    assert reason_part in claim.reason


def test_the_seed_article_has_its_three_gold_attributions():
    from factcheck.readers import read_path

    article = next(iter(read_path(EXAMPLE)))
    found = {c.text: c.value for c in ENGINE.check(article).claims if c.kind == "attribution"}
    assert found["Zelensky said"] == {"source": "Zelensky", "kind": "named", "quoted": True}
    assert found["Kremlin sources say"] == {"source": "Kremlin sources", "kind": "anonymous", "quoted": False}
    assert found["viewed cautiously by global leaders"] == {"source": "global leaders", "kind": "vague",
                                                            "quoted": False}


def test_an_attribution_is_described_as_a_person_would_say_it():
    assert attributions.describe({"source": "Zelensky", "kind": "named", "quoted": True}) == "Zelensky (named, quoted)"
    assert attributions.describe({"source": None, "kind": "vague", "quoted": False}) == "no one named (vague)"


def test_other_claims_of_the_sentence_carry_the_attribution():
    result = ENGINE.check(Article(id="t", text="Kremlin sources say the talks began in February 2022.",
                                  file_offset=None))
    dated = [c for c in result.claims if c.kind == "date"]
    assert dated and dated[0].attribution == {"source": "Kremlin sources", "kind": "anonymous", "quoted": False}
