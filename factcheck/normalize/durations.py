"""Durations: {iso, mod}, a TIMEX3 duration value and its modifier.

Named groups a rule may give: `number` (digits or words: "three", "a", "twenty
four"), `half` ("and a half"), `frac` ("1 1/2"), `halfof` ("half an hour"), `vague` ("several", "a few": a
count from the table vague_counts, at least that many), `unit` (a key of the table
duration_units) and `mod` (a key of duration_mods: "more than" -> MORE_THAN). No
number and no vague word means a bare plural ("decades"): at least two units.
A fractional count moves to a smaller unit: "a year and a half" is P18M.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext, Skip
from .dates import _key, _table, number
from .timex import duration_consistency as consistency  # noqa: F401  (the judge's hooks)
from .timex import duration_interval as interval  # noqa: F401

# A fractional count of a unit, said in a smaller one: (smaller unit, how many per unit).
SMALLER = {"CE": ("Y", 100), "ML": ("Y", 1000), "DE": ("Y", 10), "Y": ("M", 12), "Q": ("M", 3), "W": ("D", 7),
           "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60)}
UNIT_NAMES = {"Y": "year", "M": "month", "W": "week", "D": "day", "DE": "decade", "CE": "century", "ML": "millennium",
              "Q": "quarter", "TH": "hour", "TM": "minute", "TS": "second"}
MOD_WORDS = {"EQUAL": "", "MORE_THAN": "more than ", "LESS_THAN": "less than ", "APPROX": "about ",
             "EQUAL_OR_MORE": "at least ", "EQUAL_OR_LESS": "at most "}


def _count(groups: Mapping[str, str], ctx: NormContext) -> tuple[float, str | None]:
    """Return the count and the mod it implies (None when the count is exact)."""
    if groups.get("frac"):
        whole, _, frac = groups["frac"].partition(" ")
        top, _, bottom = frac.strip().partition("/")
        if not (whole.isdigit() and top.isdigit() and bottom.isdigit()) or int(bottom) == 0:
            raise Skip()
        return int(whole) + int(top) / int(bottom), None
    if groups.get("halfof"):  # "half a century", "a half hour"
        return 0.5, None
    raw = groups.get("number") or ctx.params.get("number")
    if raw:
        n = number(str(raw), ctx)
        if n is None:
            raise Skip()
        return n + (0.5 if groups.get("half") else 0.0), None
    vague = _table(ctx, "vague_counts", groups.get("vague"))
    return float(vague or 2), "EQUAL_OR_MORE"


def iso(n: float, unit: str) -> str:
    """Write n units as an ISO 8601 duration, moving fractions to a smaller unit (1.5 Y -> P18M)."""
    while not float(n).is_integer() and unit in SMALLER:
        unit, factor = SMALLER[unit]
        n *= factor
    n = round(n, 3)
    count = str(int(n)) if float(n).is_integer() else str(n)
    if unit == "Q":  # TIMEX3 says quarters in months
        return f"P{int(n * 3)}M" if float(n * 3).is_integer() else f"P{count}Q"
    return f"PT{count}{unit[1]}" if unit.startswith("T") else f"P{count}{unit}"


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {iso, mod} for a duration match."""
    unit = _table(ctx, "duration_units", groups.get("unit"))
    if unit is None:
        raise Skip()
    n, implied = _count(groups, ctx)
    if n <= 0:
        raise Skip()
    mod = _table(ctx, "duration_mods", groups.get("mod")) or ctx.params.get("mod") or implied or "EQUAL"
    return {"iso": iso(n, unit), "mod": mod}


def describe(value: Any) -> str:
    """Say a duration as a person would: "more than 3 years", "about 18 months", "24 hours"."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    text = str(value.get("iso") or "")
    body = text[2:] if text.startswith("PT") else text[1:]
    unit = ("T" if text.startswith("PT") else "") + body.lstrip("0123456789.")
    count = body[: len(body) - len(unit.lstrip("T"))]
    name = UNIT_NAMES.get(unit)
    if not count or name is None:
        return text
    plural = "" if count == "1" else ("ies" if name.endswith("y") and name != "day" else "s")
    name = name[:-1] if plural == "ies" else name
    if name == "millennium" and plural:
        name, plural = "millenni", "a"
    return f"{MOD_WORDS.get(value.get('mod') or 'EQUAL', '')}{count} {name}{plural}"
