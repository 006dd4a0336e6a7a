"""`factcheck eval sentences`: hedge and weasel detection scored per sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.evaluate import sentences
from factcheck.models import Claim

# Six sentences whose outcome is known by hand:
#   1 vague crowd ("Some critics say")        label 1 -> predicted 1: TP
#   2 a month, not a modal                    label 0 -> predicted 0: TN
#   3 agentless "It is believed" (two lines)  label 1 -> predicted 1: TP
#   4 a named source only                     label 1 -> predicted 0: FN
#   5 epistemic "may have been signed"        label 0 -> predicted 1: FP
#   6 a plain measurement                     label 0 -> predicted 0: TN
# TP 2, FP 1, FN 1, TN 2: precision 2/3, recall 2/3, F1 2/3.
TINY = '''text,label
Some critics say the plan failed.,1
The bridge opened in May 2020.,0
"It is believed that the tomb was
looted in antiquity.",1
Zelensky said the talks would resume.,1
The treaty may have been signed in secret.,0
The river is 300 km long.,0
'''


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_the_scores_of_a_hand_checked_file(cli, tiny):
    code, out, err = cli("eval", "sentences", tiny)
    assert code == 0, err
    assert "sentences 6  gold positive 3  predicted positive 3" in out
    assert "TP 2  FP 1  FN 1  TN 2" in out
    assert "precision 0.667  recall 0.667  F1 0.667" in out


def test_a_sentence_may_span_lines_inside_quotes(tiny):
    read = list(sentences.read_sentences(tiny))
    assert len(read) == 6
    assert read[2].text == "It is believed that the tomb was\nlooted in antiquity."
    assert read[2].label is True and read[2].line == 3


def test_limit_scores_only_the_first_sentences(cli, tiny):
    code, out, _ = cli("eval", "sentences", tiny, "--limit", "2")
    assert code == 0
    # sentence 1 is a TP, sentence 2 a TN: precision and recall 1.
    assert "TP 1  FP 0  FN 0  TN 1" in out
    assert "precision 1.000  recall 1.000  F1 1.000" in out


def test_errors_lists_the_false_hits_with_their_claims_and_the_misses(cli, tiny):
    code, out, _ = cli("eval", "sentences", tiny, "--errors", "5")
    assert code == 0
    hits = out.split("false hits")[1].split("misses")[0]
    misses = out.split("misses")[1]
    assert "#5" in hits and "hedge.modal" in hits and "may have been signed" in hits
    assert "#4" in misses and "Zelensky said" in misses


@pytest.mark.parametrize("content, message", [
    ("text,label\nA sentence.,yes\n", "label is 'yes', not 0 or 1"),
    ("sentence,gold\nA sentence.,1\n", "needs the columns text,label"),
])
def test_a_malformed_file_is_an_error_naming_the_problem(cli, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, _, err = cli("eval", "sentences", path)
    assert code == 2
    assert message in err


def test_a_file_that_is_not_utf8_is_an_error(cli, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("text,label\nCaf\xe9 owners say it is busy.,1\n".encode("latin-1"))
    code, _, err = cli("eval", "sentences", path)
    assert code == 2
    assert "not a readable UTF-8 CSV" in err


def test_a_missing_file_is_an_error(cli, tmp_path):
    code, _, err = cli("eval", "sentences", tmp_path / "nope.csv")
    assert code == 2
    assert "cannot read" in err


def _claim(kind: str, value: object) -> Claim:
    return Claim("c1", 0, 1, "x", kind, value, "r", 0)


def test_only_hedges_and_vague_or_anonymous_attributions_make_a_weasel():
    claims = [
        _claim("hedge", None),
        _claim("attribution", {"source": "critics", "kind": "vague", "quoted": False}),
        _claim("attribution", {"source": "sources", "kind": "anonymous", "quoted": False}),
        _claim("attribution", {"source": "Zelensky", "kind": "named", "quoted": True}),
        _claim("quantity", {"low": 1, "high": 1, "unit": None, "entity": None}),
    ]
    assert [c.value for c in sentences.weasel_claims(claims)] == [
        None,
        {"source": "critics", "kind": "vague", "quoted": False},
        {"source": "sources", "kind": "anonymous", "quoted": False},
    ]


def test_scores_with_nothing_predicted_or_nothing_positive_are_zero():
    empty = sentences.Scores(tp=0, fp=0, fn=3, tn=4)
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert sentences.Scores(tp=0, fp=2, fn=0, tn=1).recall == 0.0


def test_f1_is_the_harmonic_mean_of_precision_and_recall():
    s = sentences.Scores(tp=3, fp=1, fn=3, tn=0)  # P 3/4, R 1/2
    assert s.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)  # 0.6
