"""Duration claims: {iso, mod} from digits and words, units and qualifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import load_engine
from factcheck.models import Article
from factcheck.normalize import durations


@pytest.fixture(scope="module")
def engine():
    return load_engine(default_facts=False)


def duration_claims(engine, text: str) -> list:
    result = engine.check(Article(id="t", text=text, published=dt.date(2025, 5, 11), file_offset=None))
    return [c for c in result.claims if c.kind == "duration"]


def d(iso: str, mod: str = "EQUAL") -> dict:
    return {"iso": iso, "mod": mod}


@pytest.mark.parametrize("text, span, value", [
    ("after more than three years of conflict", "more than three years", d("P3Y", "MORE_THAN")),
    ("the first proposal between the two sides in over a year.", "in over a year", d("P1Y", "MORE_THAN")),
    ("The siege lasted 18 months.", "18 months", d("P18M")),
    ("The siege lasted three years.", "three years", d("P3Y")),
    ("The ceasefire held for 24 hours.", "24 hours", d("PT24H")),
    ("In the last twenty four hours, stocks fell.", "the last twenty four hours", d("PT24H")),
    ("The truce lasted twenty-four hours.", "twenty-four hours", d("PT24H")),
    ("The speech lasted 90 minutes.", "90 minutes", d("PT90M")),
    ("It took a year and a half.", "a year and a half", d("P18M")),
    ("It took one and a half years.", "one and a half years", d("P18M")),
    ("It took two and a half years.", "two and a half years", d("P30M")),
    ("It took 1 1/2 hours.", "1 1/2 hours", d("PT90M")),
    ("It took a dozen years.", "a dozen years", d("P12Y")),
    ("It took a couple of years.", "a couple of years", d("P2Y")),
    ("stocks hit a five-year low", "five-year", d("P5Y")),
    ("Prices rose in the past two months.", "the past two months", d("P2M")),
    ("Profit rose in the first nine months.", "the first nine months", d("P9M")),
    ("Sales fell over the next three quarters.", "the next three quarters", d("P9M")),
    ("Prices doubled over the past year.", "the past year", d("P1Y")),
    ("It lasted less than a month.", "less than a month", d("P1M", "LESS_THAN")),
    ("It lasted under two weeks.", "under two weeks", d("P2W", "LESS_THAN")),
    ("It lasted about 18 months.", "about 18 months", d("P18M", "APPROX")),
    ("It lasted around a decade.", "around a decade", d("P1DE", "APPROX")),
    ("The talks took nearly three days.", "nearly three days", d("P3D", "APPROX")),
    ("They waited at least 48 hours.", "at least 48 hours", d("PT48H", "EQUAL_OR_MORE")),
    ("It will take up to two weeks.", "up to two weeks", d("P2W", "EQUAL_OR_LESS")),
    ("It will take at most five days.", "at most five days", d("P5D", "EQUAL_OR_LESS")),
])
def test_durations_read_number_unit_and_qualifier(engine, text, span, value):
    found = {c.text: c.value for c in duration_claims(engine, text)}
    assert found.get(span) == value, found


@pytest.mark.parametrize("text, span, value", [
    ("a conflict that has lasted decades", "decades", d("P2DE", "EQUAL_OR_MORE")),
    ("It lasted several decades.", "several decades", d("P3DE", "EQUAL_OR_MORE")),
    # TimeML writes a count the text does not give as X: "years" is PXY, "a few minutes" PTXM
    ("It took several years.", "several years", d("PXY")),
    ("They have waited for years.", "years", d("PXY")),
    ("Talks continue over the next few days.", "the next few days", d("PXD")),
    ("Prices rose in recent months.", "recent months", d("PXM")),
    ("It was over in a few minutes.", "a few minutes", d("PTXM")),
    ("It has lost money for several quarters.", "several quarters", d("PXQ")),
])
def test_durations_without_a_number_are_vague(engine, text, span, value):
    (claim,) = duration_claims(engine, text)
    assert (claim.text, claim.value, claim.verdict) == (span, value, "vague")


def test_an_unspecified_duration_is_not_judged_against_facts():
    from factcheck.normalize.timex import duration_interval
    assert duration_interval(d("PXY")) is None
    assert duration_interval(d("P2DE", "EQUAL_OR_MORE")) is not None


def test_a_count_of_trading_days_is_a_duration(engine):
    found = {c.text: c.value for c in duration_claims(engine, "The index fell for eight trading days.")}
    assert found == {"eight trading days": d("P8D")}


def test_ordinal_quarters_are_not_a_vague_duration(engine):
    assert duration_claims(engine, "Most sales come in the second and fourth quarters.") == []


def test_a_rate_is_not_a_duration(engine):
    assert [c.text for c in duration_claims(engine, "They guard it 24 hours a day.")] == ["24 hours"]


@pytest.mark.parametrize("text", [
    "It began two years ago.", "a five-year-old boy", "It costs $5 billion a year.", "They meet twice a week.",
    "Sales in the 1988 second quarter fell.", "About three-quarters of them left.", "A second man was hurt.",
    "in recent years", "We", "2,014 people", "€50",
])
def test_what_is_not_a_duration_is_not_claimed(engine, text):
    assert duration_claims(engine, text) == []


@pytest.mark.parametrize("value, said", [
    (d("P3Y", "MORE_THAN"), "more than 3 years"),
    (d("P18M"), "18 months"),
    (d("P1Y"), "1 year"),
    (d("PT24H", "APPROX"), "about 24 hours"),
    (d("P2DE", "EQUAL_OR_MORE"), "at least 2 decades"),
    (d("P1CE", "LESS_THAN"), "less than 1 century"),
    (d("P2W", "EQUAL_OR_LESS"), "at most 2 weeks"),
    (d("PXY"), "an unspecified number of years"),
    (d("PTXH"), "an unspecified number of hours"),
    (d("PXCE"), "an unspecified number of centuries"),
])
def test_describe_says_a_duration_as_a_person_would(value, said):
    assert durations.describe(value) == said


@pytest.mark.parametrize("n, unit, iso", [(1.5, "Y", "P18M"), (0.5, "D", "PT12H"), (2, "Q", "P6M"), (3, "TH", "PT3H"),
                                          (2.5, "DE", "P25Y")])
def test_fractions_move_to_a_smaller_unit(n, unit, iso):
    assert durations.iso(n, unit) == iso


@pytest.mark.parametrize("text, span, value", [
    ("Net income for the year ended June 30 rose.", "the year", d("P1Y")),  # a reporting year
    ("In the fiscal year ended Jan. 31, sales rose.", "the fiscal year", d("P1Y")),
    ("They left their third day-long meeting.", "day-long", d("P1D")),
    ("The loan may be extended for an additional year.", "an additional year", d("P1Y")),
    ("Funds may have to sell in the weeks ahead.", "the weeks ahead", d("PXW")),
    ("Over the years, many patients died.", "the years", d("PXY")),
    ("It followed a several-year tenure.", "several-year", d("PXY")),
])
def test_report_years_and_stretches_of_time_are_durations(engine, text, span, value):
    found = {c.text: c.value for c in duration_claims(engine, text)}
    assert found.get(span) == value, found


@pytest.mark.parametrize("text", ["Gonzalez said on CBS's \"60 Minutes\" that he would go.",
                                  "Inspectors were kept out of such quarters.", "over the years of war"])
def test_titles_and_other_senses_are_not_durations(engine, text):
    assert duration_claims(engine, text) == []
