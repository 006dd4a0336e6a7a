"""`factcheck eval gold`: pairing, per-kind scores and value comparison, checked by hand."""

from __future__ import annotations

import json

import pytest

from factcheck.evaluate import gold
from factcheck.models import Claim

from conftest import SHARED


def claim(start: int, end: int, kind: str, value=None, verdict: str = "unsupported") -> Claim:
    return Claim(id="c", start=start, end=end, text="x", kind=kind, value=value, rule="r", sentence=0,
                 verdict=verdict)


def g(start: int, end: int, kind: str, value=None, verdicts=("unsupported",)) -> dict:
    return {"start": start, "end": end, "text": "x", "kind": kind, "value": value, "verdicts": list(verdicts)}


def test_pairs_are_one_to_one_same_kind_largest_overlap_first():
    golds = [g(0, 10, "quantity"), g(20, 30, "quantity")]
    claims = [claim(5, 25, "quantity"), claim(22, 30, "quantity"), claim(0, 4, "date")]
    pairing = gold.align(golds, claims)
    # (20,30)~(22,30) overlaps 8 and (0,10)~(5,25) overlaps 5; the date overlaps but is another kind.
    assert [(p[0]["start"], p[1].start) for p in pairing.pairs] == [(0, 5), (20, 22)]
    assert pairing.missed == ()
    assert [c.kind for c in pairing.extra] == ["date"]


def test_tally_counts_precision_recall_value_and_verdict():
    golds = [g(0, 5, "quantity", {"low": 1, "high": 1}), g(10, 15, "quantity", {"low": 2, "high": 2}, ["vague"]),
             g(20, 25, "quantity")]
    claims = [claim(0, 5, "quantity", {"low": 1.0, "high": 1}), claim(10, 15, "quantity", {"low": 3, "high": 3}),
              claim(40, 45, "quantity"), claim(50, 55, "quantity")]
    tallies: dict[str, gold.Tally] = {}
    gold.tally(gold.align(golds, claims), tallies)
    t = tallies["quantity"]
    # 2 hits of 4 claims and 3 gold: P 1/2, R 2/3, F1 2*2/7; values 1/2 (1.0 == 1); verdicts 1/2.
    assert (t.gold, t.claims, t.hits) == (3, 4, 2)
    assert t.precision == pytest.approx(0.5)
    assert t.recall == pytest.approx(2 / 3)
    assert t.f1 == pytest.approx(4 / 7)
    assert t.value_accuracy == pytest.approx(0.5)
    assert t.verdict_accuracy == pytest.approx(0.5)


@pytest.mark.parametrize("gold_value, value, same", [
    ({"party": "Zelensky", "requirement": "Moscow stops the attacks"},
     {"party": "Zelensky", "requirement": "Moscow to stop the attacks"}, True),
    ({"party": "Kyiv", "requirement": "accountability for war crimes and international security guarantees"},
     {"party": "Kyiv", "requirement": "accountability for war crimes"}, True),
    ({"party": "Kyiv", "requirement": "accountability for war crimes"},
     {"party": "Moscow", "requirement": "accountability for war crimes"}, False),
    ({"party": "Zelensky", "requirement": "an immediate Russian ceasefire"},
     {"party": "Zelensky", "requirement": "the return of occupied territories"}, False),
    ({"party": None, "requirement": "a ceasefire"}, {"party": "Zelensky", "requirement": "a ceasefire"}, False),
])
def test_condition_values_compare_party_and_requirement_words(gold_value, value, same):
    assert gold.same_value("condition", gold_value, value) is same


def test_superlatives_compare_words_and_other_kinds_compare_exactly():
    assert gold.same_value("superlative", {"comparison": "first formal proposal of talks in over a year"},
                           {"comparison": "first formal proposal of talks between the sides in over a year"})
    assert not gold.same_value("superlative", {"comparison": "largest refugee crisis"},
                               {"comparison": "deadliest attack"})
    assert gold.same_value("quantity", {"low": 200000, "high": None}, {"low": 200000.0, "high": None})
    assert not gold.same_value("duration", {"iso": "P1Y", "mod": "MORE_THAN"}, {"iso": "P1Y", "mod": "EQUAL"})


@pytest.fixture
def gold_setup(write):
    """A one-rule pack (a 'fruit' kind), an article in a sibling folder, and its gold file."""
    rules = write("rules/fruit.yaml", """
        kinds: {fruit: {description: a fruit}}
        rules:
          - id: fruit.word
            kind: fruit
            description: A fruit.
            pattern: '\\b(?P<name>apple|pear)\\b'
            examples: {match: [{text: "an apple"}]}
        """)
    text = "I ate an apple and a pear and a plum."
    article = write("seed/fruit.txt", text)
    claims = [
        g(9, 14, "fruit", {"name": "apple"}),  # hit, right value, right verdict
        g(21, 25, "fruit", {"name": "PEAR"}, ["vague"]),  # hit, wrong value, wrong verdict
        g(32, 36, "fruit", {"name": "plum"}),  # missed
    ]
    path = write("gold/fruit.jsonl", json.dumps({"id": "fruit", "file": "fruit.txt", "published": "2025-05-11",
                                                  "claims": claims}) + "\n")
    return rules.parent, article, path


def test_cli_scores_a_hand_made_gold_file(cli, gold_setup):
    rules, _, path = gold_setup
    code, out, err = cli("eval", "gold", path, "--rules", rules, "--no-default-rules", "--no-default-facts",
                         "--errors", "5")
    assert code == 0, err
    row = next(line.split() for line in out.splitlines() if line.startswith("fruit "))
    # gold 3, claims 2, hits 2: P 100, R 66.7, F1 2*2/5 = 80; value 1/2, verdict 1/2.
    assert row == ["fruit", "3", "2", "2", "100.0", "66.7", "80.0", "50.0", "50.0"]
    assert "missed fruit 'x'" in out
    assert "value fruit 'pear'" in out


def test_articles_option_and_missing_article(cli, gold_setup, tmp_path):
    rules, article, path = gold_setup
    elsewhere = tmp_path / "elsewhere" / "deep"
    elsewhere.mkdir(parents=True)
    moved = elsewhere / "fruit.txt"
    article.rename(moved)
    code, _, err = cli("eval", "gold", path, "--rules", rules, "--no-default-rules", "--no-default-facts")
    assert code == 2 and "article 'fruit.txt' not found" in err
    code, out, _ = cli("eval", "gold", path, "--rules", rules, "--no-default-rules", "--no-default-facts",
                       "--articles", elsewhere)
    assert code == 0 and "fruit " in out


@pytest.mark.skipif(not (SHARED / "gold" / "seed.jsonl").is_file(), reason="shared gold data not present")
def test_seed_gold_quantity_superlative_condition_all_found(cli):
    code, out, _ = cli("eval", "gold", SHARED / "gold" / "seed.jsonl", "--no-default-facts")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    for kind, gold_count in (("quantity", "1"), ("superlative", "2"), ("condition", "4")):
        assert rows[kind][1] == gold_count
        assert rows[kind][3] == gold_count, out  # every gold claim of the kind is hit
        assert rows[kind][7] == "100.0", out  # with the right value
