"""Property tests: random and adversarial text never breaks extraction.

Texts are built from the rule pack's own example sentences (so every normalizer
runs on real matches) glued to hostile pieces: random Unicode, long digit runs,
nested and unbalanced quotes, dates and numbers run together, right-to-left marks,
combining characters. Whatever the text, extraction raises nothing, offsets index
the text, sentences cover it in order, and values have the shape CLAIMS.md gives.
Random bytes, front matter and rule files are read or refused with one located error.

The CI budget is about 10,000 examples in all; for a long run set
FACTCHECK_FUZZ_EXAMPLES, e.g. `FACTCHECK_FUZZ_EXAMPLES=200000 .venv/bin/pytest tests/test_fuzz.py`
(the number is the total, shared out in the same proportions).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.models import VERDICTS

TOTAL = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "10000"))


def _budget(share: float) -> settings:
    return settings(max_examples=max(1, int(TOTAL * share)), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


_ENGINE = []


def _engine():
    """The default pack and facts, loaded once (not a fixture: Hypothesis would print it)."""
    if not _ENGINE:
        from factcheck.api import load_engine
        from factcheck.config import Config

        _ENGINE.append(load_engine(config=Config()))
    return _ENGINE[0]


def _example_texts() -> list[str]:
    from factcheck.api import load_engine
    from factcheck.config import Config

    pack = load_engine(config=Config(), default_facts=False).pack
    return sorted({ex["text"] for rule in pack.rules for ex in rule.examples.get("match", [])})


EXAMPLES = _example_texts()

ADVERSARIAL = [
    "9" * 40, "1,000,000,000,000,000,000,000", "$99999999999999999999bn", "£1e308m", "0.000000001",
    "February 2022February 2022", "2022-02-242022-02-24", "24/02/2022/03/04", "3.5.2022", "12:00:00:00",
    "more than more than more than", "hundreds of thousands of millions of billions", "-5 years ago",
    "the 99999th century", "in the year 0", "in 10000 years", "31 February 2023", "Sunday Monday Tuesday",
    "“", "”", "‘", "’", '"', "'", "«", "»", "“““”””", '"""', "(((", ")))", "[[[", "—", "…",
    "\u200f", "\u200e", "\u202e", "\u2066", "\u0301", "\u0301\u0301\u0301", "e\u0301", "\u200b", "\ufeff",
    "\u00a0", "\t", "\n", "\n\n", "\r", "...", "?!", ". ", "Mr.", "U.S.", "e.g.", "No.",
    "ٱلْعَرَبِيَّة", "עברית", "日本語", "🙂", "\U0001F3F4\U000E0067\U000E0062\U000E007F", "\x00", "\x7f",
]

pieces = st.one_of(
    st.sampled_from(EXAMPLES),
    st.sampled_from(ADVERSARIAL),
    st.text(max_size=12),
    st.from_regex(r"[0-9.,$£€%-]{1,20}", fullmatch=True),
)
joiners = st.sampled_from(["", " ", "  ", "\n", ", ", ". ", " and ", "\u200f", "“", "”"])


@st.composite
def articles(draw) -> str:
    parts = draw(st.lists(pieces, max_size=6))
    out = ""
    for part in parts:
        out += draw(joiners) + part
    return out


published_dates = st.one_of(
    st.none(),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29), dt.date(2025, 5, 11)]),
    st.dates(),
)

MODS = {"EQUAL", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS", "APPROX", "START", "MID", "END"}
ISO_DURATION = re.compile(r"P(?:\d+(?:\.\d+)?[YMWD]|\d+DE|\d+CE)*(?:T(?:\d+(?:\.\d+)?[HMS])*)?|PX[YMWDH]?|P\w+")


def _check_value(kind: str, value) -> None:
    """The shape of a claim's value, as CLAIMS.md sets it out."""
    json.dumps(value)  # JSON-shaped: dict, list, str, numbers, None
    if kind == "date":
        assert value is None or isinstance(value, str)
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            dt.date.fromisoformat(value)  # a full date is a real day
    elif kind == "duration":
        assert set(value) >= {"iso", "mod"}
        assert isinstance(value["iso"], str) and value["iso"].startswith("P")
        assert ISO_DURATION.fullmatch(value["iso"]), value
        assert value["mod"] in MODS, value
    elif kind == "quantity":
        assert set(value) == {"low", "high", "unit", "entity"}
        for end in ("low", "high"):
            assert value[end] is None or isinstance(value[end], (int, float))
            assert value[end] is None or value[end] == value[end]  # not NaN
        if value["low"] is not None and value["high"] is not None:
            assert value["low"] <= value["high"], value
        assert value["unit"] is None or isinstance(value["unit"], str)
        assert value["entity"] is None or isinstance(value["entity"], str)
    elif kind == "condition":
        assert set(value) >= {"party", "requirement"}
        assert value["party"] is None or isinstance(value["party"], str)
        assert isinstance(value["requirement"], str)
    elif kind == "attribution":
        assert value["source"] is None or (isinstance(value["source"], str) and value["source"])  # None: agentless
        assert value["kind"] in ("named", "anonymous", "vague")
        assert isinstance(value["quoted"], bool)
    elif kind == "hedge":
        assert value is None
    elif kind == "superlative":
        assert isinstance(value["comparison"], str)


def _check_result(text: str, result) -> None:
    from factcheck import normalize

    last = -1
    for claim in result.claims:
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start:claim.end] == claim.text
        assert claim.start >= last
        last = claim.start
        assert claim.verdict in VERDICTS
        assert 0 <= claim.sentence < max(1, len(result.sentences))
        _check_value(claim.kind, claim.value)
        assert isinstance(normalize.describe(claim.kind, claim.value), str)
        interval = normalize.hook(claim.kind, "interval")
        if interval is not None:
            rng = interval(claim.value)
            assert rng is None or rng[0] <= rng[1], (claim.kind, claim.value, rng)
    _check_sentences(text, result.sentences)


def _check_sentences(text: str, sentences) -> None:
    end = 0
    covered = 0
    for i, s in enumerate(sentences):
        assert s.index == i
        assert end <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()
        covered += sum(1 for ch in text[end:s.start] if not ch.isspace())
        end = s.end
    covered += sum(1 for ch in text[end:] if not ch.isspace())
    assert covered == 0, "every visible character lies in a sentence"


@_budget(0.22)
@given(text=articles(), published=published_dates)
def test_extraction_of_mixed_hostile_text_keeps_its_promises(text, published):
    from factcheck.api import check_text

    _check_result(text, check_text(text, published, engine=_engine()))


@_budget(0.08)
@given(text=st.text(max_size=120), published=published_dates)
def test_extraction_of_random_unicode_keeps_its_promises(text, published):
    from factcheck.api import check_text

    _check_result(text, check_text(text, published, engine=_engine()))


@_budget(0.25)
@given(text=st.one_of(articles(), st.text(max_size=300)))
def test_sentences_cover_any_text_in_order(text):
    from factcheck.segment import split_sentences

    _check_sentences(text, split_sentences(text))


@_budget(0.24)
@given(raw=st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused_cleanly(raw):
    from factcheck.errors import ArticleError
    from factcheck.readers import decode

    try:
        text, warnings = decode(raw, "a.txt")
    except ArticleError as exc:
        assert str(exc).startswith("a.txt")
        return
    assert isinstance(text, str)
    assert all(w.startswith("a.txt:") for w in warnings)


@_budget(0.2)
@given(front=st.text(max_size=200), body=st.text(max_size=50))
def test_any_front_matter_reads_or_is_one_located_error(tmp_path_factory, front, body):
    from factcheck.errors import ArticleError
    from factcheck.readers import read_path

    path = tmp_path_factory.mktemp("fm") / "a.md"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    try:
        articles_read = list(read_path(path))
    except ArticleError as exc:
        assert str(exc).startswith(str(path))
        return
    assert len(articles_read) == 1


RULE_KEYS = ["id", "kind", "description", "message", "pattern", "patterns", "normalize", "priority", "drop",
             "verdict", "examples", "enabled", "case_sensitive"]
INNER_KEYS = RULE_KEYS + ["if", "group", "no_group", "text", "match", "no_match", "span", "value", "default", "when",
                          "reason", "check", "words", "extends", "regex", "sentence", "before", "after", "window",
                          "any", "not", "published", "regex_timeout", "topics"]
yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=6),
                         st.sampled_from(["date", "hedge", "(", "{{l}}", "{{nope}}", r"\b(?P<y>\d+)\b", "{y}",
                                          "unsupported", "2020-02-30", "present"]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(INNER_KEYS), inner, max_size=4)), max_leaves=10)
rule_docs = st.fixed_dictionaries({}, optional={
    "rules": st.lists(st.fixed_dictionaries(
        {"id": st.sampled_from(["a.b", "c"]), "kind": st.sampled_from(["date", "hedge", "quantity", "nope"]),
         "description": st.just("d"), "examples": yaml_values,
         "pattern": st.sampled_from([r"\b(?P<y>\d+)\b", "perhaps", "{{l}}", "(?P<y>a)?", "(", "{{nope}}"])},
        optional={k: yaml_values for k in RULE_KEYS if k not in ("id", "kind", "description", "pattern", "examples")}),
        max_size=3),
    "lists": st.dictionaries(st.sampled_from(["l", "m"]), yaml_values, max_size=2),
    "fragments": yaml_values, "tables": yaml_values, "settings": yaml_values, "kinds": yaml_values})


@_budget(0.01)
@given(doc=rule_docs)
def test_any_rule_file_loads_or_is_one_rule_error(tmp_path_factory, doc):
    import yaml

    from factcheck.errors import RuleError
    from factcheck.rules import load_pack

    folder = tmp_path_factory.mktemp("pack")
    (folder / "x.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        load_pack([folder])
    except RuleError as exc:
        assert str(exc).startswith(str(folder))
