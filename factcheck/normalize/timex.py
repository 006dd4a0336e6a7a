"""TIMEX3 values as ranges of days, so dates and durations can be compared.

A date value covers the days it names ("2022-02" is 1-28 February 2022); a
duration with its `mod` covers a range of lengths in days ("P3Y" MORE_THAN is more
than 3 x 365.2425 days). The judge compares such ranges without knowing the kind.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

INF = math.inf
YEAR_DAYS = 365.2425
UNIT_DAYS = {"Y": YEAR_DAYS, "M": YEAR_DAYS / 12, "W": 7.0, "D": 1.0, "DE": 10 * YEAR_DAYS,
             "CE": 100 * YEAR_DAYS, "ML": 1000 * YEAR_DAYS, "Q": YEAR_DAYS / 4}
TIME_UNIT_DAYS = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}
SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # WI runs into the next year
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")


def _ordinal(year: int, month: int, day: int) -> float:
    return float(dt.date(year, month, day).toordinal())


def _month_range(year: int, first: int, last: int) -> tuple[float, float]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    end_day = calendar.monthrange(end_year, end_month)[1]
    return _ordinal(year, first, 1), _ordinal(end_year, end_month, end_day)


def date_interval(value: Any) -> tuple[float, float] | None:
    """Return the first and last day (ordinals) a TIMEX3 date value covers, or None."""
    if not isinstance(value, str):
        return None
    try:
        return _date_interval(value)
    except ValueError:
        return None


def _date_interval(v: str) -> tuple[float, float] | None:
    m = _DATE.match(v)
    if m:
        year, month, day = int(m[1]), m[2], m[3]
        if day:
            d = _ordinal(year, int(month), int(day))
            return d, d
        if month:
            return _month_range(year, int(month), int(month))
        return _month_range(year, 1, 12)
    if m := re.match(r"^(\d{4})-W(\d{2})", v):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
        return float(monday), float(monday + 6)
    if m := re.match(r"^(\d{4})-(SP|SU|FA|WI)", v):
        first, last = SEASONS[m[2]]
        return _month_range(int(m[1]), first, last)
    if m := re.match(r"^(\d{4})-Q([1-4])", v):
        q = int(m[2])
        return _month_range(int(m[1]), 3 * q - 2, 3 * q)
    if m := re.match(r"^(\d{4})-H([12])", v):
        h = int(m[2])
        return _month_range(int(m[1]), 6 * h - 5, 6 * h)
    if m := re.match(r"^(\d{3})X?$", v):  # a decade: "199" is the 1990s
        return _month_range(int(m[1]) * 10, 1, 12)[0], _month_range(int(m[1]) * 10 + 9, 1, 12)[1]
    if m := re.match(r"^(\d{2})X{0,2}$", v):  # a century: "19" is 1900-1999
        return _month_range(int(m[1]) * 100, 1, 12)[0], _month_range(int(m[1]) * 100 + 99, 1, 12)[1]
    return None


_DURATION = re.compile(r"^P(?:(?P<n>\d+(?:\.\d+)?|X)(?P<u>DE|CE|ML|Y|M|W|D|Q))?(?:T(?P<tn>\d+(?:\.\d+)?|X)(?P<tu>[HMS]))?$")


_MONTHS_PER = {"Y": 12, "M": 1, "Q": 3, "DE": 120, "CE": 1200, "ML": 12000}


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    year, month = shift_month(day.year, day.month, months)
    if not 1 <= year <= 9999:
        raise OverflowError
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def duration_days(iso: str, anchor: float | None = None) -> float | None:
    """Return the length of an ISO 8601 duration in days ('P3Y' -> 1095.7), or None.

    With `anchor` (a day ordinal) whole months and years are counted on the calendar
    from that day, so "three years" from 24 February 2022 ends on 24 February 2025.
    """
    m = _DURATION.match(iso or "")
    if not m or (m["n"] is None and m["tn"] is None) or "X" in (m["n"] or "", m["tn"] or ""):
        return None
    days = 0.0
    if m["n"]:
        n = float(m["n"])
        months = _MONTHS_PER.get(m["u"])
        if anchor is not None and months and (n * months).is_integer():
            try:
                start = dt.date.fromordinal(int(anchor))
                days = float(_add_months(start, int(n * months)).toordinal()) - anchor
            except (OverflowError, ValueError):
                days = n * UNIT_DAYS[m["u"]]
        else:
            days = n * UNIT_DAYS[m["u"]]
    if m["tn"]:
        days += float(m["tn"]) * TIME_UNIT_DAYS[m["tu"]]
    return days


def _unit_iso(iso: str) -> str:
    """The duration of one of the iso's smallest unit ('P3Y' -> 'P1Y')."""
    m = _DURATION.match(iso or "")
    if m and m["tu"]:
        return f"PT1{m['tu']}"
    return f"P1{m['u']}" if m and m["u"] else "P1D"


def _bump(iso: str) -> str:
    """The duration one smallest unit longer ('P3Y' -> 'P4Y', 'PT24H' -> 'PT25H')."""
    m = _DURATION.match(iso or "")
    if not m:
        return iso
    if m["tn"] and m["tn"] != "X":
        return iso[: m.start("tn")] + _plus_one(m["tn"]) + iso[m.end("tn"):]
    if m["n"] and m["n"] != "X":
        return iso[: m.start("n")] + _plus_one(m["n"]) + iso[m.end("n"):]
    return iso


def _plus_one(number: str) -> str:
    value = float(number) + 1
    return str(int(value)) if value.is_integer() else str(value)


def duration_interval(value: Any, anchor: float | None = None) -> tuple[float, float] | None:
    """Return the range of lengths in days a {iso, mod} duration admits, or None.

    "three years" (EQUAL) admits anything that rounds down to three years: [3, 4)
    years, since people say "three years" until the fourth is complete. "more than
    three years" admits (3 years, inf); "almost three years" admits [2, 3] years.
    With `anchor`, years and months are counted on the calendar from that day.
    """
    if not isinstance(value, dict):
        return None
    iso = value.get("iso", "")
    days = duration_days(iso, anchor)
    if days is None:
        return None
    unit = duration_days(_unit_iso(iso), None) or 1.0
    upper = duration_days(_bump(iso), anchor)  # "three years" lasts until four are complete
    mod = value.get("mod") or "EQUAL"
    tiny = 1e-6  # open ends: "more than three years" is false at exactly three years
    ranges = {
        "MORE_THAN": (days + tiny, INF),
        "EQUAL_OR_MORE": (days, INF),
        "LESS_THAN": (0.0, days - tiny),
        "EQUAL_OR_LESS": (0.0, days),
        "APPROX": (days * 0.9 - unit / 2, days * 1.1 + unit / 2),
    }
    return ranges.get(mod, (days, (upper if upper is not None else days + unit) - tiny))


# -- consistency: the article's own anchored claims judge each other ---------------

def _calendar_span(start: dt.date, end: dt.date) -> str:
    """Say the time from start to end in years, months and days."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    years, months = divmod(months, 12)
    anchor = _add_months(start, years * 12 + months)
    days = (end - anchor).days
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((years, "year"), (months, "month"), (days, "day")) if n]
    return ", ".join(parts) or "0 days"


def _near(ctx: Any, cand: Any, list_name: str, before: int = 60, after: int = 0) -> bool:
    pat = ctx.pack.words(list_name)
    if pat is None:
        return False
    text = ctx.article.text
    return bool(pat.search(text[max(0, cand.match.start - before):cand.match.end + after]))


def duration_consistency(cand: Any, ctx: Any) -> list[Any]:
    """Judge an elapsed-time duration by a start date the article itself gives.

    "The war that began in February 2022" (a date after a word of the pack list
    `start_words`, on a topic of `settings.topics`) and "more than three years of
    conflict" (a duration on the same topic) in an article published 2025-05-11:
    the time from the start to publication decides the duration.
    """
    from ..judge import Finding
    from ..models import Evidence

    published = ctx.article.published
    topics = ctx.topics(cand.match.sentence)
    if published is None or not topics:
        return []
    out = []
    pub = float(published.toordinal())
    for other in ctx.candidates:
        if other.match.kind == cand.match.kind or not _near(ctx, other, "start_words", before=40):
            continue
        rng = date_interval(other.value)
        # The start's topic is what stands just before it ("the war that began in ..."),
        # not whatever else its sentence mentions.
        if rng is None or rng[1] >= pub or not (topics & ctx.topics_near(other.match.start, other.match.end)):
            continue
        verdicts = set()
        for start in rng:
            admits = duration_interval(cand.value, start)
            if admits is None:
                break
            verdicts.add(admits[0] <= pub - start <= admits[1])
        if len(verdicts) != 1:
            continue  # the start is too loose to decide either way
        longest = _calendar_span(dt.date.fromordinal(int(rng[0])), published)
        shortest = _calendar_span(dt.date.fromordinal(int(rng[1])), published)
        span = f"between {shortest} and {longest}" if shortest != longest else longest
        end = f"the publication date ({published.isoformat()})"
        if verdicts == {True}:
            reason = f"From “{other.match.text}” to {end} is {span}, which fits “{cand.match.text}”."
            out.append(Finding("verified", reason, (Evidence("claim", ctx.ids[id(other)], other.match.text),)))
        else:
            reason = f"From “{other.match.text}” to {end} is {span}, which does not fit “{cand.match.text}”."
            out.append(Finding("contradicted", reason, (Evidence("claim", ctx.ids[id(other)], other.match.text),)))
    return out


def date_consistency(cand: Any, ctx: Any) -> list[Any]:
    """A date after the publication date, told in the past tense, contradicts the article."""
    from ..judge import Finding

    published = ctx.article.published
    rng = date_interval(cand.value)
    if published is None or rng is None or rng[0] <= published.toordinal():
        return []
    if _near(ctx, cand, "future_words", before=60, after=30) or not _near(ctx, cand, "past_words", before=60, after=30):
        return []
    reason = (f"“{cand.match.text}” ({cand.value}) is after the publication date ({published.isoformat()}), "
              "yet the sentence tells it in the past tense.")
    return [Finding("contradicted", reason)]


# -- helpers for the date normalizer: calendar units and how to say a date ----------

REFERENCES = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PART_NAMES = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """Shift a (year, month) by a number of months."""
    y, m = divmod(year * 12 + month - 1 + months, 12)
    return y, m + 1


def iso_week(day: dt.date) -> str:
    """Return the ISO week of a day ("2025-W19"); the week's year may differ from the day's."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: dt.date) -> tuple[int, int]:
    """Return (year, quarter) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def month_last(year: int, month: int) -> dt.date:
    """Return the last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def shift_unit(pub: dt.date, unit: str | None, n: int) -> str:
    """The calendar unit containing publication, moved n units ("W", -1 -> last week)."""
    if unit == "D":
        return (pub + dt.timedelta(days=n)).isoformat()
    if unit in ("W", "WE"):
        return iso_week(pub + dt.timedelta(weeks=n)) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return "%04d-%02d" % shift_month(pub.year, pub.month, n)
    if unit == "Q":
        year, q = quarter_of(pub)
        y, q0 = divmod(year * 4 + q - 1 + n, 4)
        return f"{y:04d}-Q{q0 + 1}"
    if unit == "Y":
        return f"{pub.year + n:04d}"
    if unit == "DE":
        return f"{pub.year // 10 + n:03d}"
    if unit == "CE":
        return f"{pub.year // 100 + n:02d}"
    raise ValueError(f"no calendar unit {unit!r}")


def holiday_date(spec: str, year: int, weekdays: Any) -> dt.date:
    """The day of a holiday in a year: "12-25", or "11-4-thursday" (the 4th Thursday of November).

    `weekdays` maps weekday names to ISO numbers (the pack's table); "last" picks the last one.
    """
    month, nth, *weekday_name = spec.split("-")
    if not weekday_name:
        return dt.date(year, int(month), int(nth))
    wd = int(weekdays[weekday_name[0]])
    if nth == "last":
        end = month_last(year, int(month))
        return end - dt.timedelta(days=(end.isoweekday() - wd) % 7)
    first = dt.date(year, int(month), 1)
    return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (int(nth) - 1))


def describe_date(value: Any) -> str:
    """Say a TIMEX3 date as a person would: "February 2022", "11 May 2025", "week 19 of 2025"."""
    if not isinstance(value, str):
        return "an unknown date" if value is None else str(value)
    if value in REFERENCES:
        return REFERENCES[value]
    day_part = ""
    if "T" in value[4:]:
        value, _, clock = value.partition("T")
        day_part = " " + PART_NAMES.get(clock, clock)
    return _describe_date(value) + day_part


def _describe_date(value: str) -> str:
    try:
        return _say_date(value)
    except (ValueError, IndexError):
        return value


def _say_date(value: str) -> str:
    parts = value.split("-")
    try:
        if len(parts) == 3 and parts[1].isdigit():
            d = dt.date.fromisoformat(value)
            return f"{d.day} {calendar.month_name[d.month]} {d.year}"
        if len(parts) == 2 and parts[1].isdigit():
            return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    except ValueError:
        return value
    if len(parts) == 2 and parts[1] in SEASON_NAMES:
        return f"{SEASON_NAMES[parts[1]]} {parts[0]}"
    if len(parts) >= 2 and parts[1][:1] == "W" and parts[1][1:].isdigit():
        what = "the weekend of week" if parts[-1] == "WE" else "week"
        return f"{what} {int(parts[1][1:])} of {parts[0]}"
    if len(parts) == 2 and parts[1][:1] in "QH" and parts[1][1:].isdigit():
        which = ("first", "second", "third", "fourth")[int(parts[1][1:]) - 1]
        return f"the {which} {'quarter' if parts[1][0] == 'Q' else 'half'} of {parts[0]}"
    if value.isdigit() and len(value) == 3:
        return f"the {value}0s"
    if value.isdigit() and len(value) == 2:
        n = int(value) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"the {n}{suffix} century"
    return value
