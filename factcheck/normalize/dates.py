"""Dates: TIMEX3 values resolved against the publication date.

A rule names its form in `normalize: {form: ...}` and gives named groups; the form's
resolver computes the value from them, keeping the granularity the text gives
("February 2022" -> "2022-02", never a day). Relative forms need the publication
date: without it the value is None (the rule's `verdict.when` makes it vague).

Forms: `absolute` (year, month, day, season, weekday in any combination; a missing
year is resolved by tense), `weekday`, `relative` ("last week", "next May"), `ago`
("two years ago"), `day` ("yesterday"), `reference` ("now" -> PRESENT_REF),
`quarter`, `half`, `decade`, `century`, `time` ("9 a.m. Tuesday").
Word data (month names, weekdays, parts of the day...) comes from ctx.tables
(rules/words-time.yaml).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable, Mapping

import regex

from . import NormContext, Skip
from .timex import date_consistency as consistency  # noqa: F401  (the judge's hooks)
from .timex import date_interval as interval  # noqa: F401

PAST, NEUTRAL, FUTURE = -1, 0, 1
REFERENCES = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PART_NAMES = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}


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


# -- calendar arithmetic ----------------------------------------------------------

def add_months(year: int, month: int, months: int) -> tuple[int, int]:
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


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Skip() from None


# -- tense: which way an unanchored weekday or month points ------------------------

_MARKERS: dict[tuple[str, tuple[str, ...]], Any] = {}


def _marker(ctx: NormContext, name: str, tail: str = "") -> Any:
    words = ctx.lists.get(name, ())
    key = (name + tail, words)
    if key not in _MARKERS:
        alt = "|".join(sorted((regex.escape(w) for w in words), key=len, reverse=True)) or "(?!)"
        _MARKERS[key] = regex.compile(rf"(?<!\w)(?:{alt})(?!\w){tail}", regex.IGNORECASE)
    return _MARKERS[key]


def tense(ctx: NormContext) -> int:
    """Guess whether the match's clause tells the past or the future (or neither).

    A deadline word just before the match ("by", "until") means the future. Else
    the cue nearest before the match decides: a future marker ("will", "planned",
    "would") or a past one ("said", "was", a past participle in -ed); with none
    before, the first cue just after the match. A possessive ("Friday's vote") is
    the past.
    """
    if ctx.text.startswith(("'s", "’s"), ctx.end):
        return PAST
    before = ctx.text[max(ctx.sentence_start, ctx.start - 80):ctx.start]
    after = ctx.text[ctx.end:min(ctx.sentence_end, ctx.end + 40)]
    if _marker(ctx, "deadline_markers", r"\s*$").search(before):  # "by February", "until March 6"
        return FUTURE
    future, past = _marker(ctx, "future_markers"), _marker(ctx, "past_markers")
    f_end = max((m.end() for m in future.finditer(before)), default=-1)
    p_start = max([m.start() for m in past.finditer(before)] + [-1])
    near_ed = [m.start() for m in _ED.finditer(before, max(0, len(before) - ED_WINDOW))]
    p_start = max([p_start] + near_ed)
    if f_end >= 0 or p_start >= 0:
        # "will be held Friday": a participle right after a future marker is future
        near = f_end >= 0 and _FEW_WORDS.match(before, f_end, max(f_end, p_start)) is not None
        return FUTURE if f_end > p_start or near else PAST
    f_start = min((m.start() for m in future.finditer(after)), default=10**6)
    p_start = min([m.start() for m in past.finditer(after)] + [m.start() for m in _ED.finditer(after)] + [10**6])
    if f_start == p_start:
        return NEUTRAL
    return FUTURE if f_start < p_start else PAST


_FEW_WORDS = regex.compile(r"(?:\s*\w+){0,2}\s*$")
_ED = regex.compile(r"\b\w{3,}ed\b", regex.IGNORECASE)
ED_WINDOW = 25  # a past participle counts only this close before the match ("announced Sunday")
OVERRIDE_DAYS = 45  # how far the nearest reading may lie against the tense before the tense wins


def _pick_year(ctx: NormContext, first: Callable[[int], dt.date], last: Callable[[int], dt.date]) -> int:
    """Choose the year (around publication) of a date that gives no year.

    The nearest reading wins ("Nov. 16" in late October is this November), unless it
    starts more than OVERRIDE_DAYS days against the clause's tense: "In January, the
    company hired..." in October is the past January.
    """
    pub = ctx.published
    assert pub is not None
    years = (pub.year - 1, pub.year, pub.year + 1)

    def distance(y: int) -> int:
        return 0 if first(y) <= pub <= last(y) else min(abs((first(y) - pub).days), abs((last(y) - pub).days))
    year = min(years, key=distance)
    way = tense(ctx)
    if way != FUTURE and (first(year) - pub).days > OVERRIDE_DAYS:  # news tells the past unless it says otherwise
        return year - 1
    if way == FUTURE and (pub - first(year)).days > OVERRIDE_DAYS and last(year) < pub:
        return year + 1
    return year


def _month_last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


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
            year = _pick_year(ctx, lambda y: _safe_date(y, month, min(day, calendar.monthrange(y, month)[1])),
                              lambda y: _safe_date(y, month, min(day, calendar.monthrange(y, month)[1])))
        return _safe_date(year, month, day).isoformat() + _part(groups, ctx)
    if month:
        if year is None:
            if ctx.published is None:
                return None
            year = _pick_year(ctx, lambda y: dt.date(y, month, 1), lambda y: _month_last(y, month))
        return f"{year:04d}-{month:02d}"
    if season:
        if year is None:
            if ctx.published is None:
                return None
            first, last = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[season]
            year = _pick_year(ctx, lambda y: dt.date(y, first, 1),
                              lambda y: _month_last(*add_months(y, last, 0)) if last <= 12 else _month_last(y + 1, 2))
        return f"{year:04d}-{season}"
    if year is None:
        raise Skip()
    return f"{year:04d}"


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
    """"last week", "this year", "next month", "last May", "this summer"."""
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
    return shift(pub, _table(ctx, "date_units", groups.get("unit")), way)


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


def shift(pub: dt.date, unit: str | None, n: int) -> str:
    """The calendar unit containing publication, moved n units ("W", -1 -> last week)."""
    if unit == "D":
        return (pub + dt.timedelta(days=n)).isoformat()
    if unit in ("W", "WE"):
        return iso_week(pub + dt.timedelta(weeks=n)) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return "%04d-%02d" % add_months(pub.year, pub.month, n)
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
    raise Skip()


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
    if unit == "Y" and n == 1 and (q := _sentence_quarter(ctx)):
        return f"{q[0] + way:04d}-Q{q[1]}"
    return shift(pub, unit, way * int(n))


_QUARTER = regex.compile(r"\b(?:(first|second|third|fourth)[-\s]+(?:fiscal\s+)?)?quarter\b", regex.IGNORECASE)


QUARTER_WINDOW = 300  # characters before the match where a reported quarter still counts


def _sentence_quarter(ctx: NormContext) -> tuple[int, int] | None:
    """The quarter the text around a match reports on, if it names one: business news
    compares "third-quarter profit" with "a year earlier", the same quarter a year before."""
    m = _QUARTER.search(ctx.text, max(0, min(ctx.sentence_start, ctx.start - QUARTER_WINDOW)), ctx.sentence_end)
    if m is None or ctx.published is None:
        return None
    year, q = quarter_of(ctx.published)
    latest_year, latest = divmod(year * 4 + q - 2, 4)
    if m[1]:
        number = _table(ctx, "ordinals", m[1])
        return (year if number <= q else year - 1), number
    return latest_year, latest + 1


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
    """"the first half of 1989" -> 1989-H1."""
    h = _table(ctx, "ordinals", groups.get("ordinal"))
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
    "absolute": absolute, "weekday": weekday, "relative": relative, "ago": ago, "day": day,
    "reference": reference, "quarter": quarter, "half": half, "decade": decade, "century": century, "time": time,
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
_VALUE = regex.compile(r"^(?:\d{2,4}(?:-[\w-]+)?(?:T[\w:]+)?|PRESENT_REF|PAST_REF|FUTURE_REF)$")


# -- describe ------------------------------------------------------------------------

def describe(value: Any) -> str:
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
