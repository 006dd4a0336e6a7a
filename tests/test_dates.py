"""Date claims: TIMEX3 values resolved against the publication date, at the granularity given."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import load_engine
from factcheck.models import Article
from factcheck.normalize import dates

SUNDAY = "2025-05-11"  # the seed article's publication date, a Sunday


@pytest.fixture(scope="module")
def engine():
    return load_engine(default_facts=False)


def date_claims(engine, text: str, published: str | None = SUNDAY) -> list:
    pub = dt.date.fromisoformat(published) if published else None
    result = engine.check(Article(id="t", text=text, published=pub, file_offset=None))
    return [c for c in result.claims if c.kind == "date"]


def value_of(engine, text: str, span: str, published: str | None = SUNDAY):
    found = {c.text: c.value for c in date_claims(engine, text, published)}
    assert span in found, f"{span!r} not among {found}"
    return found[span]


@pytest.mark.parametrize("text, span, value", [
    ("the war that began in February 2022", "February 2022", "2022-02"),
    ("The invasion began on 24 February 2022.", "24 February 2022", "2022-02-24"),
    ("Russia invaded on Feb. 24, 2022.", "Feb. 24, 2022", "2022-02-24"),
    ("The deadline was 2022-02-24.", "2022-02-24", "2022-02-24"),
    ("It was signed on 24/02/2022.", "24/02/2022", "2022-02-24"),
    ("It was signed on 2/24/2022.", "2/24/2022", "2022-02-24"),
    ("The peninsula was annexed in 2014.", "2014", "2014"),
    ("Profit rose in fiscal 1989.", "fiscal 1989", "1989"),
    ("It boomed in the 1990s.", "the 1990s", "199"),
    ("The offensive began in spring 2022.", "spring 2022", "2022-SP"),
    ("Sales in the third quarter of 1998 rose.", "the third quarter of 1998", "1998-Q3"),
    ("Stocks crashed on Monday, Oct. 19, 1987.", "Monday, Oct. 19, 1987", "1987-10-19"),
    ("Back in nineteen ninety-six, it rained.", "nineteen ninety-six", "1996"),
])
def test_absolute_dates_keep_the_granularity_the_text_gives(engine, text, span, value):
    assert value_of(engine, text, span) == value


@pytest.mark.parametrize("text", [
    "2,014 people were hurt.", "It costs $2014.", "He scored 1998 points.", "May I ask a question?",
    "We may talk.", "The EU pledged €50.", "Resolution 2334 passed.", "We are willing to talk.",
    "It was signed on 3/4/2022.",
])
def test_numbers_and_words_that_are_not_dates_are_not_claimed(engine, text):
    assert date_claims(engine, text) == []


@pytest.mark.parametrize("text, span, published, value", [
    # a weekday in the past tense is on or before publication, in the future on or after
    ("The overture, announced Sunday in Moscow", "Sunday", SUNDAY, "2025-05-11"),
    ("The talks will resume Sunday.", "Sunday", SUNDAY, "2025-05-11"),
    ("The talks were held Friday.", "Friday", SUNDAY, "2025-05-09"),
    ("The talks will be held Friday.", "Friday", SUNDAY, "2025-05-16"),
    ("It was announced Sunday.", "Sunday", "2025-05-10", "2025-05-04"),
    ("They met Tuesday morning.", "Tuesday morning", SUNDAY, "2025-05-06TMO"),
    ("It closed last Friday.", "last Friday", "2025-05-09", "2025-05-02"),
    # days, weeks, months and years relative to publication
    ("He spoke yesterday.", "yesterday", "2025-03-01", "2025-02-28"),
    ("He spoke yesterday.", "yesterday", "2024-03-01", "2024-02-29"),
    ("They meet tomorrow.", "tomorrow", "2025-12-31", "2026-01-01"),
    ("The talks resume today.", "today", SUNDAY, "2025-05-11"),
    ("Shelling resumed last night.", "last night", SUNDAY, "2025-05-10TNI"),
    ("Prices rose last week.", "last week", SUNDAY, "2025-W18"),
    ("Prices rose this week.", "this week", SUNDAY, "2025-W19"),
    ("Prices rise next week.", "next week", SUNDAY, "2025-W20"),
    ("Growth slowed last year.", "last year", SUNDAY, "2024"),
    ("Growth slowed this year.", "this year", SUNDAY, "2025"),
    ("Rates rise next month.", "next month", "2025-01-31", "2025-02"),
    ("Rates rose last month.", "last month", "2025-03-31", "2025-02"),
    ("Rates rose last month.", "last month", "2025-01-15", "2024-12"),
    ("Rates rise next month.", "next month", "2025-12-15", "2026-01"),
    ("He resigned earlier this month.", "earlier this month", SUNDAY, "2025-05"),
    ("It began two years ago.", "two years ago", SUNDAY, "2023"),
    ("He left three days ago.", "three days ago", SUNDAY, "2025-05-08"),
    ("It closed two months ago.", "two months ago", "2025-01-15", "2024-11"),
    ("It snowed last spring.", "last spring", SUNDAY, "2024-SP"),
    ("It closed last December.", "last December", SUNDAY, "2024-12"),
    ("In June last year, the leaders fell out.", "June last year", SUNDAY, "2024-06"),
    # a month or day without a year: the nearest one, unless the tense says otherwise
    ("The offer was extended to Nov. 16.", "Nov. 16", "1989-10-30", "1989-11-16"),
    ("Prices rose in December.", "December", "2025-02-10", "2024-12"),
    ("The summit will be held in December.", "December", "2025-02-10", "2025-12"),
    ("The deal, signed in January, was hailed.", "January", "2025-10-27", "2025-01"),
    # holidays: fixed days and nth weekdays
    ("The store reopened after Thanksgiving.", "Thanksgiving", "2000-01-07", "1999-11-25"),
    ("Prices fell last Thanksgiving.", "last Thanksgiving", SUNDAY, "2024-11-28"),
    ("Parades are held on Memorial Day.", "Memorial Day", SUNDAY, "2025-05-26"),
    ("The offensive began on Christmas Day.", "Christmas Day", "2025-01-10", "2024-12-25"),
    # quarters as business news says them
    ("Profit rose in the third quarter.", "the third quarter", "1998-10-15", "1998-Q3"),
    ("Profit rose in the third quarter.", "the third quarter", "1998-02-10", "1997-Q3"),
    ("Profit rose in the latest quarter.", "the latest quarter", "1998-01-20", "1997-Q4"),
    ("Third-quarter profit rose 5% from a year earlier.", "a year earlier", "1989-10-26", "1988-Q3"),
])
def test_relative_dates_resolve_against_the_publication_date(engine, text, span, published, value):
    assert value_of(engine, text, span, published) == value


@pytest.mark.parametrize("published, text, value", [
    ("2021-01-03", "Prices rose this week.", "2020-W53"),  # a Sunday in the last ISO week of 2020
    ("2021-01-03", "Prices rose last week.", "2020-W52"),
    ("2024-12-30", "Prices rose this week.", "2025-W01"),  # a Monday in the first ISO week of 2025
    ("2024-12-30", "Prices rose last week.", "2024-W52"),
])
def test_iso_weeks_cross_year_boundaries(engine, published, text, value):
    assert date_claims(engine, text, published)[0].value == value


@pytest.mark.parametrize("text, span, value", [
    ("Now the market has crashed.", "Now", "PRESENT_REF"),
    ("Prices are currently high.", "currently", "PRESENT_REF"),
    ("He recently resigned.", "recently", "PAST_REF"),
    ("It was tried in the past.", "the past", "PAST_REF"),
    ("We will talk about it in the future.", "the future", "FUTURE_REF"),
])
def test_references_to_present_past_and_future_are_vague(engine, text, span, value):
    claim = next(c for c in date_claims(engine, text) if c.text == span)
    assert (claim.value, claim.verdict) == (value, "vague")


@pytest.mark.parametrize("text", ["Prices rose last week.", "It was announced Sunday.", "He spoke yesterday.",
                                  "It began two years ago.", "Prices rose in December."])
def test_relative_dates_without_a_publication_date_are_vague(engine, text):
    (claim,) = date_claims(engine, text, published=None)
    assert claim.value is None
    assert claim.verdict == "vague"
    assert "no publication date" in claim.reason.lower()


@pytest.mark.parametrize("text", ["It began 99999999 days ago.", "It began 99999999999 years ago.", "on Feb. 30",
                                  "in the 99th century", "the 1995s", "in Q7"])
def test_dates_off_the_calendar_are_not_claimed(engine, text):
    assert date_claims(engine, text) == []


def test_absolute_dates_need_no_publication_date(engine):
    (claim,) = date_claims(engine, "The war began in February 2022.", published=None)
    assert (claim.value, claim.verdict) == ("2022-02", "unsupported")


def test_a_set_is_its_own_kind_with_unit_and_number(engine):
    result = engine.check(Article(id="t", text="Reports come out every two months and weekly.",
                                  published=dt.date(2025, 5, 11), file_offset=None))
    sets = [(c.text, c.value) for c in result.claims if c.kind == "set"]
    assert sets == [("every two months", {"number": "two", "unit": "months"}), ("weekly", {"unit": "weekly"})]


@pytest.mark.parametrize("value, said", [
    ("2022-02", "February 2022"),
    ("2025-05-11", "11 May 2025"),
    ("2014", "2014"),
    ("2025-W19", "week 19 of 2025"),
    ("2025-W19-WE", "the weekend of week 19 of 2025"),
    ("2022-SP", "spring 2022"),
    ("1998-Q3", "the third quarter of 1998"),
    ("199", "the 1990s"),
    ("19", "the 20th century"),
    ("PRESENT_REF", "now"),
    ("PAST_REF", "in the past"),
    ("2025-05-06TMO", "6 May 2025 morning"),
    (None, "an unknown date"),
    ("-1234-99", "-1234-99"),
    ("2025-13", "2025-13"),
])
def test_describe_says_a_date_as_a_person_would(value, said):
    assert dates.describe(value) == said


@pytest.mark.parametrize("text, span, published, value", [
    # "United" is no past participle: "would be traveling" tells the future (5 April 2000 is a Wednesday)
    ("He said the father would be traveling to the United States Thursday.", "Thursday", "2000-04-05",
     "2000-04-06"),
    # a plan in the past perfect is the past: "had been due to expire Friday", said on Monday 30 October 1989
    ("The offer had been due to expire Friday evening.", "Friday evening", "1989-10-30", "1989-10-27TEV"),
    ("The offer previously had been scheduled to expire at midnight Friday.", "midnight Friday", "1989-10-30",
     "1989-10-27T24:00"),
    # "planning to" points forward (7 January 2000 is a Friday)
    ("They were planning to drive around the airport on Monday.", "Monday", "2000-01-07", "2000-01-10"),
    # "a still unspecified date": an adjective in -ed tells no tense, "would be paid" does
    ("The split would be paid on a still unspecified date in January.", "January", "1989-10-26", "1990-01"),
])
def test_the_tense_of_the_clause_places_a_weekday_or_month(engine, text, span, published, value):
    assert value_of(engine, text, span, published) == value


@pytest.mark.parametrize("text, span, value", [
    # business news, 26 October 1989: the report's year and its quarters
    ("For the year, pet food volume was flat.", "the year", "1989"),
    ("It forecast higher earnings for the full year.", "the full year", "1989"),
    ("It hopes to close the deal by year-end.", "year-end", "1989"),
    ("Sales should rise in the current fiscal year.", "the current fiscal year", "1989"),
    ("Sales rose 5% last fiscal year.", "last fiscal year", "1988"),
    ("Sales were C$7.4 billion in the latest fiscal year.", "the latest fiscal year", "1988"),
    ("For the quarter a year ago, it earned $16 million.", "the quarter a year ago", "1988-Q3"),
    ("Earnings will fall in the last half of 1989.", "the last half of 1989", "1989-H2"),
    ("At mid-afternoon yesterday, shares were up.", "mid-afternoon yesterday", "1989-10-25TAF"),
])
def test_report_periods_resolve_against_the_publication_date(engine, text, span, value):
    assert value_of(engine, text, span, "1989-10-26") == value


def test_the_week_of_a_day_is_its_iso_week(engine):
    # 6 March 2000 is the Monday of ISO week 10
    assert value_of(engine, "A hearing is set for the week of March 6.", "the week of March 6", "2000-02-24") == \
        "2000-W10"


@pytest.mark.parametrize("text, span", [
    ("The company cited current market conditions.", "current"),
    ("Aqaba is Iraq's only outlet now that the noose has tightened.", "now"),
])
def test_current_and_now_that_refer_to_the_present(engine, text, span):
    claim = next(c for c in date_claims(engine, text) if c.text == span)
    assert (claim.value, claim.verdict) == ("PRESENT_REF", "vague")


@pytest.mark.parametrize("text", [
    "The case is for today's youth what the blockade was.",  # the present in general, not the day
    "Intel chips run many of today's personal computers.",
    "Baker spoke on ABC's \"This Week With David Brinkley\" about it.",  # a programme
    "He marched in the March for Life on Capitol Hill.",  # a march, not the month
    "He was arrested at this march.",
    "For the people of Poland, high noon comes.",
])
def test_names_and_generic_uses_are_not_dates(engine, text):
    assert date_claims(engine, text) == []


@pytest.mark.parametrize("text, sets", [
    ("Orangemen march each July through the town.", [("each July", {"month": "July"})]),
    ("Flights leave on Tuesday nights and each Thursday.",
     [("Tuesday nights", {"weekday": "Tuesday", "part": "night"}), ("each Thursday", {"weekday": "Thursday"})]),
    ("Sales fell to $1.2 billion from $1.4 billion a year ago.", []),
])
def test_recurring_months_and_weekdays_are_sets(engine, text, sets):
    result = engine.check(Article(id="t", text=text, published=dt.date(1998, 2, 13), file_offset=None))
    assert [(c.text, c.value) for c in result.claims if c.kind == "set"] == sets
    assert not [c for c in result.claims if c.kind == "date" and c.text in {s for s, _ in sets}]
