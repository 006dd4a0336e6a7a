"""`factcheck eval timeml`: TimeML parsing and TempEval-3 style scores, computed by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from factcheck.evaluate import timeml
from factcheck.evaluate.timeml import Tally, Timex

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>tiny</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2025-05-11T09:30" functionInDocument="CREATION_TIME">20250511</TIMEX3></DCT>
<TEXT>
Talks began <TIMEX3 tid="t1" type="DATE" value="2022-02">in February 2022</TIMEX3> &amp; <EVENT eid="e1">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3>. They met <TIMEX3 tid="t3" type="DATE" value="2025-05-09">Friday</TIMEX3> and meet <TIMEX3 tid="t4" type="SET" value="P1W">weekly</TIMEX3>.
</TEXT>
</TimeML>
"""


def sys_timex(doc, text: str, type_: str, value: str) -> Timex:
    start = doc.text.index(text)
    return Timex(start, start + len(text), type_, value, text)


def test_parse_strips_tags_decodes_entities_and_keeps_offsets():
    doc = timeml.parse_tml(TML, "tiny")
    assert str(doc.dct) == "2025-05-11"
    assert "&amp;" not in doc.text and "<" not in doc.text and " & lasted " in doc.text
    assert [(doc.text[g.start:g.end], g.type, g.value) for g in doc.gold] == [
        ("in February 2022", "DATE", "2022-02"), ("three years", "DURATION", "P3Y"),
        ("Friday", "DATE", "2025-05-09"), ("weekly", "SET", "P1W")]


def test_scores_by_hand():
    doc = timeml.parse_tml(TML, "tiny")
    system = [
        sys_timex(doc, "February 2022", "DATE", "2022-02"),  # relaxed only; type and value right
        sys_timex(doc, "three years", "DURATION", "P3Y"),  # strict; all right
        sys_timex(doc, "Friday", "DATE", "2025-05-02"),  # strict; value wrong
        sys_timex(doc, "Talks", "DATE", "PRESENT_REF"),  # a false hit
    ]  # and "weekly" (SET) is missed
    tallies = {name: Tally() for name in timeml.TYPES + ("ALL",)}
    timeml.score_doc(list(doc.gold), system, tallies)
    every = tallies["ALL"]
    assert timeml.prf(every.strict_system, every.strict_gold, every.system, every.gold) == (0.5, 0.5, 0.5)
    assert timeml.prf(every.relaxed_system, every.relaxed_gold, every.system, every.gold) == (0.75, 0.75, 0.75)
    assert timeml.f1(every.type_hits, every.system, every.gold) == 0.75  # 3 right types: 2*3/(4+4)
    assert timeml.f1(every.value_hits, every.system, every.gold) == 0.5  # 2 right values: 2*2/(4+4)
    date = tallies["DATE"]  # gold: 2 DATEs; claims: 3 DATEs
    assert timeml.prf(date.strict_system, date.strict_gold, date.system, date.gold)[:2] == (1 / 3, 1 / 2)
    assert timeml.prf(date.relaxed_system, date.relaxed_gold, date.system, date.gold)[:2] == (2 / 3, 1.0)
    assert tallies["SET"].gold == 1 and tallies["SET"].relaxed_gold == 0


def test_alignment_is_one_to_one_largest_overlap_first():
    gold = [Timex(0, 10, "DATE", "x", ""), Timex(12, 20, "DATE", "y", "")]
    system = [Timex(5, 15, "DATE", "x", ""), Timex(14, 20, "DATE", "y", "")]
    pairs = timeml.align(gold, system)
    assert [(g.value, s.start) for g, s in pairs] == [("y", 14), ("x", 5)]


@pytest.mark.parametrize("kind, value, expected", [
    ("date", "2025-05-06TMO", ("TIME", "2025-05-06TMO")),
    ("date", "2025-05", ("DATE", "2025-05")),
    ("date", "PRESENT_REF", ("DATE", "PRESENT_REF")),
    ("duration", {"iso": "P3Y", "mod": "MORE_THAN"}, ("DURATION", "P3Y")),
    ("set", {"unit": "weekly"}, ("SET", "P1W")),
    ("set", {"unit": "months", "number": "two"}, ("SET", "P2M")),
    ("set", {"unit": "hourly"}, ("SET", "PT1H")),
])
def test_claims_map_to_timex3_types_and_values(kind, value, expected):
    tables = {"set_units": {"weekly": "W", "months": "M", "hourly": "TH"}, "number_words": {"two": 2}}
    claim = SimpleNamespace(kind=kind, value=value, start=0, end=1, text="x")
    t = timeml.claim_timex(claim, tables)
    assert (t.type, t.value) == expected


def test_other_kinds_are_ignored():
    claim = SimpleNamespace(kind="quantity", value={}, start=0, end=1, text="x")
    assert timeml.claim_timex(claim, {}) is None


def test_the_command_prints_the_table(cli, tmp_path):
    (tmp_path / "tiny.tml").write_text(TML, encoding="utf-8")
    code, out, err = cli("eval", "timeml", tmp_path, "--no-default-facts")
    assert code == 0, err
    assert "1 documents, 4 gold TIMEX3s" in out
    assert [line.split()[0] for line in out.splitlines()[3:]] == ["DATE", "TIME", "DURATION", "SET", "ALL"]


def test_a_missing_folder_is_an_error(cli, tmp_path):
    code, _, err = cli("eval", "timeml", tmp_path / "nope")
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("value, same", [
    ("2000-W7", "2000-W07"),  # ISO weeks have two digits; TimeBank writes both
    ("2000-W7-WE", "2000-W07-WE"),
    ("1989-11-06T17", "1989-11-06T17:00"),  # an hour with or without its minutes
    ("P2Y6M", "P30M"),  # "2 1/2 years" in two units or in months
    ("PT5H30M", "PT330M"),
    ("PT1M30S", "PT90S"),
])
def test_equal_values_in_other_spellings_score_as_equal(value, same):
    assert timeml.canonical(value) == timeml.canonical(same)


@pytest.mark.parametrize("value, other", [
    ("2000-W17", "2000-W07"), ("P1Y", "P12M"), ("PXY", "P2Y"), ("1989-WXX", "1989-W43"), ("199", "199X"),
])
def test_different_values_stay_different(value, other):
    assert timeml.canonical(value) != timeml.canonical(other)


@pytest.mark.parametrize("groups, expected", [
    ({"month": "July"}, "XXXX-07"),
    ({"weekday": "Thursday"}, "XXXX-WXX-4"),
    ({"weekday": "Tuesday", "part": "night"}, "XXXX-WXX-2TNI"),
])
def test_recurring_months_and_weekdays_map_to_calendar_sets(groups, expected):
    tables = {"months": {"july": 7}, "weekdays": {"thursday": 4, "tuesday": 2}, "day_parts": {"night": "NI"}}
    assert timeml.set_value(groups, tables) == expected
