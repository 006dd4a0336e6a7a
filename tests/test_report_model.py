"""The report model: numbering, counts, segments for overlapping claims, safe names."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.models import Article, Claim, Evidence, Result
from factcheck.report import build_report, report_filename
from factcheck.report.model import attribution_text, safe_url

TEXT = "It ended the longest war in over a year. Officials said more.\n\nSecond paragraph here."


def _claim(cid: str, text: str, kind: str, verdict: str, start: int | None = None, **kw) -> Claim:
    start = TEXT.index(text) if start is None else start
    return Claim(cid, start, start + len(text), text, kind, kw.pop("value", None), f"r.{kind}", 0, verdict,
                 kw.pop("reason", f"{verdict} because"), **kw)


def _result(*claims: Claim, text: str = TEXT) -> Result:
    art = Article("a1", text, title="T", published=dt.date(2025, 5, 11))
    return Result(art, tuple(claims), rules_version="r1", facts_version="f1")


def test_claims_are_numbered_in_reading_order_whatever_the_input_order():
    later = _claim("c1", "Officials said", "attribution", "vague")
    earlier = _claim("c2", "the longest war in over a year", "superlative", "unsupported")
    report = build_report(_result(later, earlier))
    assert [(c.number, c.text) for c in report.claims] == [(1, "the longest war in over a year"),
                                                         (2, "Officials said")]


def test_nested_claims_give_non_overlapping_segments_each_listing_its_claims():
    outer = _claim("c1", "the longest war in over a year", "superlative", "unsupported")
    inner = _claim("c2", "in over a year", "duration", "contradicted")
    report = build_report(_result(outer, inner))
    first = report.paragraphs[0]
    assert [(s.text, s.claims) for s in first.segments] == [
        ("It ended", ()),
        (" ", ()),
        ("the longest war ", (1,)),
        ("in over a year", (1, 2)),
        (". Officials said more.", ()),
    ]
    # The inner text takes the colour of the first verdict in precedence (contradicted).
    assert first.segments[3].verdict == "contradicted"
    assert first.segments[2].verdict == "unsupported"
    # Both claims end at the same place: both numbers follow that text, in order.
    assert [m.number for m in first.segments[3].ends] == [1, 2]
    assert first.segments[2].starts == (1,) and first.segments[3].starts == (2,)
    assert "[1] Unsupported: unsupported because" in first.segments[3].title
    assert "[2] Contradicted: contradicted because" in first.segments[3].title


def test_the_space_before_a_claim_is_a_segment_of_its_own():
    # WeasyPrint breaks lines too early when "text " is followed by an element that wraps.
    segs = build_report(_result(_claim("c1", "Officials said", "attribution", "vague"))).paragraphs[0].segments
    assert [(s.text, s.gap) for s in segs] == [("It ended the longest war in over a year.", False), (" ", True),
                                               ("Officials said", False), (" more.", False)]


def test_crossing_claims_are_cut_where_they_overlap():
    a = _claim("c1", "longest war in", "superlative", "verified")
    b = _claim("c2", "war in over", "duration", "vague")
    segs = build_report(_result(a, b)).paragraphs[0].segments
    assert [(s.text, s.claims) for s in segs if s.claims] == [("longest ", (1,)), ("war in", (1, 2)), (" over", (2,))]


def test_paragraph_segments_join_back_to_the_article_text():
    c = _claim("c1", "Second paragraph", "hedge", "vague")
    report = build_report(_result(c))
    assert ["".join(s.text for s in p.segments) for p in report.paragraphs] == [
        "It ended the longest war in over a year. Officials said more.", "Second paragraph here."]
    assert report.claims[0].paragraph == 2


def test_counts_cover_every_verdict_and_leave_out_suppressed_claims():
    claims = (_claim("c1", "longest", "superlative", "verified"),
              _claim("c2", "Officials said", "attribution", "vague"),
              _claim("c3", "Second", "hedge", "vague", suppressed="known"))
    report = build_report(_result(*claims))
    assert {v.verdict: v.count for v in report.verdicts} == {"contradicted": 0, "vague": 1, "verified": 1,
                                                           "unsupported": 0}
    assert [v.percent for v in report.verdicts] == [0, 50, 50, 0]
    assert report.total == 2 and report.suppressed == 1
    assert report.summary == "2 claims: 1 vague, 1 verified."


def test_value_is_said_as_a_person_would_say_it():
    c = _claim("c1", "Officials said", "attribution", "vague",
               value={"source": "Officials", "kind": "vague", "quoted": False})
    assert build_report(_result(c)).claims[0].value_said == "Officials (vague)"


def test_a_kind_hook_that_fails_on_a_bad_value_falls_back_to_json(monkeypatch):
    def broken(kind, value):
        raise KeyError("source")

    monkeypatch.setattr("factcheck.report.model.normalize.describe", broken)
    c = _claim("c1", "Officials said", "attribution", "vague", value=["not", "a", "dict"])
    assert build_report(_result(c)).claims[0].value_said == '["not", "a", "dict"]'


def test_evidence_keeps_fact_sources_and_numbers_claim_references():
    fact = Evidence("fact", "f.1", "The war began in 2022", "UN resolution", "UN", "https://un.org/x", "2022-03-02")
    ref = Evidence("claim", "c1")
    bad = Evidence("fact", "f.2", "x", "s", None, "javascript:alert(1)", None)
    claims = (_claim("c1", "longest", "superlative", "verified"),
              _claim("c2", "in over a year", "duration", "verified", evidence=(fact, ref, bad)))
    ev = build_report(_result(*claims)).claims[1].evidence
    assert ev[0].url == "https://un.org/x" and ev[0].as_of == "2022-03-02"
    assert (ev[1].claim_number, ev[1].text) == (1, "longest")
    assert ev[2].url is None  # a javascript: link is never kept
    assert not ev[0].restated


def test_a_fact_the_reason_already_quotes_is_marked_restated():
    fact = Evidence("fact", "f.1", "The war began in 2022", "UN resolution", "UN", None, "2022-03-02")
    claim = _claim("c1", "longest", "superlative", "verified", evidence=(fact,),
                   reason="The war began in 2022 (UN resolution), which agrees.")
    assert build_report(_result(claim)).claims[0].evidence[0].restated


def test_attribution_is_said_with_its_kind():
    assert attribution_text({"source": "Zelensky", "kind": "named", "quoted": True}) == \
        "attributed to Zelensky (named)"
    assert attribution_text(None) is None
    assert attribution_text({"source": ""}) is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "//evil", ""])
def test_only_http_urls_are_kept(url):
    assert safe_url(url) is None


def test_highlights_put_contradicted_then_vague_then_unsupported_and_verified_last():
    claims = (_claim("c1", "It ended", "date", "unsupported"), _claim("c2", "longest", "superlative", "verified"),
              _claim("c3", "Officials said", "attribution", "vague"),
              _claim("c4", "Second", "hedge", "contradicted"))
    assert [c.verdict for c in build_report(_result(*claims)).highlights] == [
        "contradicted", "vague", "unsupported", "verified"]


@pytest.mark.parametrize("article_id, expected", [
    ("putin-peace-talks", "putin-peace-talks"),
    ("examples/putin-peace-talks.md", "putin-peace-talks"),
    ("C:\\news\\story.html", "story"),
    ("v1.2-report", "v1.2-report"),
])
def test_plain_ids_give_their_own_file_stem(article_id, expected):
    assert report_filename(article_id) == expected


@pytest.mark.parametrize("article_id", ["../../etc/passwd", "/abs/../x", "a\x00b", "..", ".", "", "a b/c d",
                                        "x" * 300, "CON", "data.jsonl:3", "Ünïcode", "tail.", "-leading"])
def test_unsafe_ids_give_safe_hashed_stems(article_id):
    stem = report_filename(article_id)
    assert 0 < len(stem) <= 120
    assert "/" not in stem and "\\" not in stem and "\x00" not in stem and ".." not in stem
    assert not stem.startswith((".", "-"))
    assert stem.lower() != "con"
    assert report_filename(article_id) == stem  # stable


def test_ids_that_reduce_alike_get_different_stems():
    assert report_filename("a b") != report_filename("a?b")
    assert report_filename("x" * 200 + "1") != report_filename("x" * 200 + "2")
