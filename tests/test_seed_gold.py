"""End to end: the seed article's hand-annotated claims (../shared/gold/seed.jsonl).

Each gold claim must be found (an overlapping span of the same kind), read right, and
judged with one of the verdicts the annotators accept, with a reason and, for verified
and contradicted claims, evidence.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import SHARED
from factcheck.api import check_text, load_engine
from factcheck.config import Config

GOLD = SHARED / "gold" / "seed.jsonl"
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is not beside the repo")

# Values compared exactly; condition requirements are paraphrased by the annotators, so
# only the party is compared for them.
EXACT = {"date", "duration", "quantity", "attribution", "hedge", "superlative"}


def _cases():
    if not GOLD.exists():
        return []
    doc = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    text = (SHARED / "seed" / doc["file"]).read_text(encoding="utf-8")
    result = check_text(text, dt.date.fromisoformat(doc["published"]), engine=load_engine(config=Config()))
    return [pytest.param(gold, result, id=f"{gold['kind']}:{gold['text'][:30]}") for gold in doc["claims"]]


@pytest.mark.parametrize("gold, result", _cases())
def test_gold_claim_is_found_read_and_judged(gold, result):
    hits = [c for c in result.claims if c.kind == gold["kind"] and c.start < gold["end"] and gold["start"] < c.end]
    assert hits, f"not found: {gold['text']!r}"
    claim = min(hits, key=lambda c: abs(c.start - gold["start"]) + abs(c.end - gold["end"]))
    if gold["kind"] in EXACT:
        assert claim.value == gold["value"]
    else:
        assert claim.value["party"] == gold["value"]["party"]
    assert claim.verdict in gold["verdicts"], claim.reason
    assert claim.reason
    if claim.verdict in ("verified", "contradicted"):
        assert claim.evidence
