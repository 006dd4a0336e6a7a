"""Dates: TIMEX3 values resolved against the publication date.

A rule names its form in `normalize: {form: ...}` and gives named groups; the form's
resolver computes the value from them, keeping the granularity the text gives
("February 2022" -> "2022-02", never a day). Relative forms need the publication
date: without it the value is None (the rule's `verdict.when` makes it vague).

Forms: `absolute` (year, month, day, season, weekday in any combination; a missing
year is resolved by tense), `numeric` ("24/02/2022"), `weekday`, `relative` ("last
week", "next May", "the weekend"), `ago` ("two years ago"), `day` ("yesterday"),
`reference` ("now" -> PRESENT_REF), `quarter`, `half`, `decade`, `century`, `time`
("9 a.m. Tuesday"), `holiday` ("Thanksgiving"). The regexes resolve everything, so dateparser is not needed.
Word data (month names, weekdays, parts of the day...) comes from ctx.tables
(rules/words-time.yaml). How the text around a date points it (the tense of its
clause, the quarter a business report speaks of) is in dates_context.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable, Mapping


from .. import regexcache
from . import NormContext, Skip
from .timex import date_consistency as consistency  # noqa: F401  (the judge's hooks)
from .timex import date_interval as interval  # noqa: F401
from .dates_context import FUTURE, PAST, pick_year, reported_quarter, tense
from .timex import describe_date, holiday_date, iso_week, month_last, quarter_of, shift_month, shift_unit



# -- word lookups ----------------------------------------------------------------

def _key(word: str | None) -> str:
    return " ".join((word or "").lower().replace("-", " ").split()).rstrip(".")


def _table(ctx: NormContext, name: str, word: str | None) -> Any:
    return ctx.tables.get(name, {}).get(_key(word))


def number(word: str | None, ctx: NormContext) -> float | None:
    """Read a count in digits or words ("24", "twenty four", "a dozen"), or None."""
    text = _key(word).replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    words = {**ctx.tables.get("number_words", {}), **ctx.tables.get("time_numbers", {})}
    if text in words:
        return float(words[text])
    total, current = 0.0, 0.0
    for part in text.replace(" and ", " ").split():
        value = words.get(part)
        if value is None:
            return None
        if value in (100, 1000):
            current = (current or 1) * value
            if value == 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Skip() from None


# -- forms -------------------------------------------------------------------------

def _year(groups: Mapping[str, str], ctx: NormContext) -> int | None:
    raw = groups.get("year")
    if raw:
        digits = raw.strip("'’ ")
        if digits.isdigit():
            year = int(digits)
            return year if len(digits) == 4 else (1900 + year if year > 30 else 2000 + year)
        value = number(raw, ctx)
        return int(value) if value else None
    if "yearword" in groups:  # "nineteen ninety-six": a century and a two-digit year
        hi, lo = number(groups["yearword"], ctx), number(groups.get("yearlow"), ctx)
        if hi is None or lo is None:
            raise Skip()
        return int(hi * 100 + lo)
    return None


def _part(groups: Mapping[str, str], ctx: NormContext) -> str:
    code = _table(ctx, "day_parts", groups.get("part"))
    return f"T{code}" if code else ""


def _month(word: str | None, ctx: NormContext) -> int | None:
    if word and word.isdigit():
        if not 1 <= int(word) <= 12:
            raise Skip()
        return int(word)
    return _table(ctx, "months", word)


def absolute(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """Year, month, day and season as given; a missing year resolved by tense."""
    year = _year(groups, ctx)
    month = _month(groups.get("month"), ctx)
    season = _table(ctx, "seasons", groups.get("season"))
    day = int(groups["day"]) if groups.get("day", "").isdigit() else None
    if day is None and groups.get("dayword"):
        day = _table(ctx, "ordinals", groups["dayword"])
    if month and day:
        if year is None:
            if ctx.published is None:
                return None
            _safe_date(2000, month, day)  # 29 February exists in a leap year
            year = pick_year(ctx, lambda y: _safe_date(y, month, min(day, calendar.monthrange(y, month)[1])),
                              lambda y: _safe_date(y, month, min(day, calendar.monthrange(y, month)[1])))
        if groups.get("weekof"):  # "the week of March 6": the ISO week holding that day
            return iso_week(_safe_date(year, month, day))
        return _safe_date(year, month, day).isoformat() + _part(groups, ctx)
    if month:
        if year is None:
            if ctx.published is None:
                return None
            year = pick_year(ctx, lambda y: dt.date(y, month, 1), lambda y: month_last(y, month))
        return f"{year:04d}-{month:02d}"
    if season:
        if year is None:
            if ctx.published is None:
                return None
            first, last = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[season]
            year = pick_year(ctx, lambda y: dt.date(y, first, 1),
                              lambda y: month_last(*shift_month(y, last, 0)))  # winter ends in February
        return f"{year:04d}-{season}"
    if year is None:
        raise Skip()
    return f"{year:04d}"


def numeric(groups: Mapping[str, str], ctx: NormContext) -> str:
    """"24/02/2022" or "2/24/2022": only when one number cannot be a month."""
    first, second, year = int(groups["first"]), int(groups["second"]), int(groups["year"])
    if first > 12 >= second:
        return _safe_date(year, second, first).isoformat()
    if second > 12 >= first:
        return _safe_date(year, first, second).isoformat()
    raise Skip()  # 3/4/2022: 3 April or 4 March, so not a checkable claim


def weekday(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """A weekday: on or before publication in the past tense, on or after in the future."""
    wd = _table(ctx, "weekdays", groups.get("weekday"))
    if wd is None:
        raise Skip()
    if ctx.published is None:
        return None
    pub = ctx.published
    way = _table(ctx, "relative_words", groups.get("rel"))
    if way is None:
        way = tense(ctx) or PAST
        back, ahead = (pub.isoweekday() - wd) % 7, (wd - pub.isoweekday()) % 7
    else:  # "last Friday" is before today, "next Friday" after it
        back, ahead = (pub.isoweekday() - wd - 1) % 7 + 1, (wd - pub.isoweekday() - 1) % 7 + 1
        if way == 0:
            way = tense(ctx) or PAST
            back, ahead = (pub.isoweekday() - wd) % 7, (wd - pub.isoweekday()) % 7
    day = pub - dt.timedelta(days=back) if way < 0 else pub + dt.timedelta(days=ahead)
    return day.isoformat() + _part(groups, ctx)


def relative(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"last week", "this year", "next month", "last May", "this summer"; a rule may give
    `rel` and `unit` as params ("the year" in a company report is this year)."""
    groups = {**groups, **{k: str(v) for k, v in ctx.params.items() if k in ("rel", "unit") and not groups.get(k)}}
    if not groups.get("rel") and _key(groups.get("unit")) == "weekend":
        return _weekend(ctx)
    way = _table(ctx, "relative_words", groups.get("rel"))
    if way is None:
        raise Skip()
    if groups.get("weekday"):
        return weekday(groups, ctx)
    if ctx.published is None:
        return None
    pub = ctx.published
    if groups.get("month") and groups.get("ofyear"):  # "June last year"
        return f"{pub.year + way:04d}-{_table(ctx, 'months', groups['month']):02d}"
    if groups.get("month"):
        month = _table(ctx, "months", groups["month"])
        year = pub.year + way
        if way < 0 and month < pub.month or way > 0 and month > pub.month:
            year = pub.year
        return f"{year:04d}-{month:02d}"
    if groups.get("season"):
        season = _table(ctx, "seasons", groups["season"])
        start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        year = pub.year + way
        if way < 0 and start + 3 <= pub.month or way > 0 and start > pub.month:
            year = pub.year
        return f"{year:04d}-{season}"
    return shift_unit(pub, _table(ctx, "date_units", groups.get("unit")), way)


def _weekend(ctx: NormContext) -> str | None:
    """"the weekend": the one just past, or the coming one in the future tense."""
    if ctx.published is None:
        return None
    pub = ctx.published
    if tense(ctx) == FUTURE:
        saturday = pub + dt.timedelta(days=(6 - pub.isoweekday()) % 7) if pub.isoweekday() <= 6 else pub
    else:
        saturday = pub - dt.timedelta(days=(pub.isoweekday() - 6) % 7)
    return iso_week(saturday) + "-WE"


def ago(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"two years ago", "a year earlier", "three days from now": the unit that far away."""
    unit = _table(ctx, "date_units", groups.get("unit"))
    if unit is None:
        raise Skip()
    way = -1 if _key(groups.get("dir")) in ("ago", "earlier", "before", "back", "previously") else 1
    if ctx.published is None:
        return None
    n = number(groups.get("number") or "1", ctx)
    if n is None or groups.get("vague"):
        return "PAST_REF" if way < 0 else "FUTURE_REF"
    pub = ctx.published
    if unit == "DE":
        return f"{pub.year + way * int(n * 10):04d}"
    if unit == "CE":
        return f"{pub.year + way * int(n * 100):04d}"
    if not float(n).is_integer():
        raise Skip()
    if unit == "Y" and n == 1 and (q := reported_quarter(ctx)):
        return f"{q[0] + way:04d}-Q{q[1]}"
    return shift_unit(pub, unit, way * int(n))


def day(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"today", "yesterday", "tomorrow morning", "tonight", "last night"."""
    offset = _table(ctx, "day_words", groups.get("dayword")) if groups.get("dayword") else 0  # "this morning"
    if offset is None:
        raise Skip()
    if ctx.published is None:
        return None
    code = _table(ctx, "day_word_parts", groups.get("dayword"))
    part = _part(groups, ctx) or (f"T{code}" if code else "")
    return (ctx.published + dt.timedelta(days=int(offset))).isoformat() + part


def reference(groups: Mapping[str, str], ctx: NormContext) -> str:
    """"now" -> PRESENT_REF, "the past" -> PAST_REF, "the future" -> FUTURE_REF."""
    value = _table(ctx, "reference_words", groups.get("ref")) or ctx.params.get("value")
    if value is None:
        raise Skip()
    return str(value)


def quarter(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"the third quarter (of 1998)", "third-quarter", "the latest quarter", "the year-ago quarter"."""
    year = _year(groups, ctx)
    q = _table(ctx, "ordinals", groups.get("ordinal")) or (int(groups["qnum"]) if groups.get("qnum") else None)
    if q is not None and not 1 <= q <= 4:
        raise Skip()
    if year is not None and q is not None:
        return f"{year:04d}-Q{q}"
    if ctx.published is None:
        return None
    pub_year, pub_q = quarter_of(ctx.published)
    if groups.get("rel"):
        year = pub_year + (_table(ctx, "relative_words", groups["rel"]) or 0)
    if q is None:  # "the latest quarter": the last one reported, the one before publication's
        y, q0 = divmod(pub_year * 4 + pub_q - 2, 4)
        year, q = (year if year is not None else y), q0 + 1
    elif year is None:
        year = pub_year if q <= pub_q or tense(ctx) == FUTURE else pub_year - 1
    if groups.get("ago"):
        year -= 1
    return f"{year:04d}-Q{q}"


def half(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"the first half of 1989" -> 1989-H1, "the last half of 1989" -> 1989-H2."""
    h = _table(ctx, "halves", groups.get("ordinal"))
    if h not in (1, 2):
        raise Skip()
    year = _year(groups, ctx)
    if year is None:
        if ctx.published is None:
            return None
        year = ctx.published.year if h == 1 or ctx.published.month > 6 else ctx.published.year - 1
    return f"{year:04d}-H{h}"


def decade(groups: Mapping[str, str], ctx: NormContext) -> str:
    """"the 1990s" -> "199"; "the '80s" -> "198"."""
    digits = (groups.get("decade") or "").strip("'’")
    if len(digits) == 2:
        digits = ("19" if int(digits) > 20 else "20") + digits
    if len(digits) != 4 or not digits.endswith("0"):
        raise Skip()
    return digits[:3]


def century(groups: Mapping[str, str], ctx: NormContext) -> str:
    """"the 20th century" -> "19"."""
    n = _table(ctx, "ordinals", groups.get("ordinal")) or int((groups.get("nth") or "0").rstrip("stndrh") or 0)
    if not 1 <= n <= 30:
        raise Skip()
    return f"{n - 1:02d}"


def holiday(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """"Christmas", "last Thanksgiving", "New Year's Day 2020": the day, its year resolved like a month's."""
    spec = _table(ctx, "holidays", groups.get("holiday"))
    if spec is None:
        raise Skip()
    weekdays = ctx.tables.get("weekdays", {})
    year = _year(groups, ctx)
    if year is not None:
        return holiday_date(spec, year, weekdays).isoformat()
    if ctx.published is None:
        return None
    pub = ctx.published
    way = _table(ctx, "relative_words", groups.get("rel"))
    days = [holiday_date(spec, y, weekdays) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if way == -1:
        return max(d for d in days if d < pub).isoformat()
    if way == 1:
        return min(d for d in days if d > pub).isoformat()
    on = lambda y: holiday_date(spec, y, weekdays)  # noqa: E731
    return on(pick_year(ctx, on, on)).isoformat()


def time(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """A clock time on a day: "9 a.m. Tuesday", "10:35 a.m.", "noon"."""
    hour = 12 if groups.get("noon") else 24 if groups.get("midnight") else int(groups.get("hour") or 0)
    minute = int(groups.get("minute") or 0)
    ampm = _key(groups.get("ampm")).replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        raise Skip()
    if groups.get("weekday"):
        base = weekday(groups, ctx)
    elif groups.get("month"):
        base = absolute(groups, ctx)
    elif groups.get("dayword"):
        base = day(groups, ctx)
    else:
        base = ctx.published.isoformat() if ctx.published else None
    return None if base is None else f"{base[:10]}T{hour:02d}:{minute:02d}"


FORMS: dict[str, Callable[[Mapping[str, str], NormContext], Any]] = {
    "absolute": absolute, "numeric": numeric, "weekday": weekday, "relative": relative, "ago": ago, "day": day,
    "reference": reference, "quarter": quarter, "half": half, "decade": decade, "century": century, "time": time,
    "holiday": holiday,
}


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return the TIMEX3 value of a date match (None when it needs a missing anchor)."""
    form = FORMS.get(str(ctx.params.get("form") or "absolute"))
    if form is None:
        raise Skip()
    try:
        value = form(groups, ctx)
    except (OverflowError, ValueError):  # "99999999 days ago" leaves the calendar
        raise Skip() from None
    if isinstance(value, str) and not _VALUE.match(value):
        raise Skip()
    return value


# What a resolver may return: a year (or decade, century) of 2-4 digits with more parts after it, or a reference.
_VALUE = regexcache.compile(r"^(?:\d{2,4}(?:-[\w-]+)?(?:T[\w:]+)?|PRESENT_REF|PAST_REF|FUTURE_REF)$")


# -- describe ------------------------------------------------------------------------

def describe(value: Any) -> str:
    """Say a TIMEX3 date as a person would: "February 2022", "11 May 2025", "week 19 of 2025"."""
    return describe_date(value)


# The `normalize:` parameters rules may give (checked when the pack loads): which
# resolver reads the groups, a fixed value, and defaults for the `rel`/`unit` groups.
PARAMS = {"form": tuple(FORMS), "value": str, "rel": str, "unit": str}
