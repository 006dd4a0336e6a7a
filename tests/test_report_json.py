"""The JSON and ClaimReview reports: saved expected output, schema, stability, mapping."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from factcheck.models import Article, Result
from factcheck.report import build_report, write_reports
from factcheck.report.claimreview import claimreview
from factcheck.report.jsonout import report_dict, report_json
from factcheck.validate import schema
from test_report_html import check_gold, fixture_result, hostile_result, scrub


@pytest.fixture(scope="module")
def result() -> Result:
    return fixture_result()


def validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(schema("report"), format_checker=jsonschema.FormatChecker()).validate(doc)


def test_json_report_matches_the_saved_expected_output(result):
    check_gold("report-putin.json", scrub(report_json(build_report(result))))


def test_the_shipped_report_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema("report"))


@pytest.mark.parametrize("make", [fixture_result, hostile_result,
                                  lambda: Result(Article("empty", "", published=None), ())])
def test_every_report_validates_against_the_shipped_schema(make):
    validate(report_dict(build_report(make())))
    validate(report_dict(build_report(make()), checked_at="2025-05-12T09:00:00Z"))


def test_json_has_a_format_version_no_timestamp_and_ends_with_a_newline(result):
    text = report_json(build_report(result))
    doc = json.loads(text)
    assert doc["format_version"] == 1
    assert "checked_at" not in doc
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "“more than three years”" in text  # UTF-8 as is, not \u escapes
    assert json.loads(report_json(build_report(result), "2025-05-12"))["checked_at"] == "2025-05-12"


def test_json_counts_agree_with_the_claims(result):
    doc = report_dict(build_report(result))
    verdicts = [c["verdict"] for c in doc["claims"]]
    assert doc["counts"]["verdicts"] == {v: verdicts.count(v) for v in ("contradicted", "vague", "verified",
                                                                        "unsupported")}
    assert doc["counts"]["total"] == len(doc["claims"]) == 10


def test_two_runs_give_byte_identical_json_and_claimreview(result, tmp_path):
    a = write_reports(result, tmp_path / "a", ["json", "claimreview"])
    b = write_reports(fixture_result(), tmp_path / "b", ["json", "claimreview"])
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.name for p in a] == ["putin-peace-talks.json", "putin-peace-talks.claimreview.json"]


@pytest.mark.parametrize("verdict, name, value", [("verified", "True", 5), ("contradicted", "False", 1),
                                                  ("unsupported", "Unproven", 3), ("vague", "Misleading", 2)])
def test_claimreview_maps_each_verdict_to_a_rating(result, verdict, name, value):
    report = build_report(result)
    graph = claimreview(report)["@graph"]
    reviews = [r for r, c in zip(graph, report.claims) if c.verdict == verdict]
    assert reviews
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["reviewRating"] == {"@type": "Rating", "ratingValue": value, "bestRating": 5,
                                          "worstRating": 1, "alternateName": name}


def test_claimreview_has_one_review_per_claim_with_its_text_and_reason(result):
    report = build_report(result)
    doc = claimreview(report)
    assert doc["@context"] == "https://schema.org"
    assert [r["claimReviewed"] for r in doc["@graph"]] == [c.text for c in report.claims]
    assert doc["@graph"][4]["reviewBody"].startswith("The full-scale war began on 24 February 2022")
    assert "datePublished" not in doc["@graph"][0]
    assert doc["@graph"][0]["itemReviewed"]["appearance"]["datePublished"] == "2025-05-11"


def test_claimreview_file_is_written_for_the_claimreview_format(result, tmp_path):
    [path] = write_reports(result, tmp_path, ["claimreview"])
    assert path.name == "putin-peace-talks.claimreview.json"
    assert len(json.loads(path.read_text(encoding="utf-8"))["@graph"]) == 10


def test_article_dates_are_iso_in_json():
    art = Article("x", "text", published=dt.date(2024, 2, 29))
    assert report_dict(build_report(Result(art, ())))["article"]["published"] == "2024-02-29"
