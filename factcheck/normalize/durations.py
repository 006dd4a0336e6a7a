"""Durations: {iso, mod}, a TIMEX3 duration value and its modifier.

Named groups a rule may give: `number` (digits or words: "three", "a", "twenty
four"), `half` ("and a half"), `frac` ("1 1/2"), `halfof` ("half an hour"), `vague` ("several", "a few": a
count from the table vague_counts), `unit` (a key of the table duration_units) and
`mod` (a key of duration_mods: "more than" -> MORE_THAN).

Without a number ("years", "several months", "the next few days") the count is
TIMEX3's X: PXY, PXM, PTXH, so the judge compares nothing and the claim stays vague.
Units in the list `vague_lower_bound_units` keep a lower bound instead: CLAIMS.md
writes "decades" as P2DE, at least two (EQUAL_OR_MORE; "several decades" is P3DE).
A fractional count moves to a smaller unit: "a year and a half" is P18M.
"""

from __future__ import annotations

from typing import Any, Mapping


from .. import regexcache
from . import NormContext, Skip
from .dates import _table, number
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
    """Return the count and the mod it implies (None when the count is exact, VAGUE without a number)."""
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
    return float(vague or 2), VAGUE


VAGUE = "vague"  # _count's mark for a count the text does not give


def unspecified(unit: str) -> str:
    """TIMEX3's duration of an unknown number of units: "years" -> PXY, "hours" -> PTXH."""
    return f"PTX{unit[1]}" if unit.startswith("T") else f"PX{unit}"


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
    mod = _table(ctx, "duration_mods", groups.get("mod")) or ctx.params.get("mod")
    if implied == VAGUE:
        if unit not in ctx.lists.get("vague_lower_bound_units", ()):
            return {"iso": unspecified(unit), "mod": mod or "EQUAL"}
        implied = "EQUAL_OR_MORE"
    return {"iso": iso(n, unit), "mod": mod or implied or "EQUAL"}


def describe(value: Any) -> str:
    """Say a duration as a person would: "more than 3 years", "about 18 months", "24 hours"."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    text = str(value.get("iso") or "")
    m = _ISO.match(text)
    name = UNIT_NAMES.get((m["t"] + m["unit"]) if m else "")
    if m is None or name is None:
        return text
    mod = MOD_WORDS.get(value.get("mod") or "EQUAL", "")
    plurals = PLURALS.get(name, name + "s")
    if m["count"] == "X":
        return f"{mod}an unspecified number of {plurals}"
    return f"{mod}{m['count']} {name if m['count'] == '1' else plurals}"


_ISO = regexcache.compile(r"^P(?P<t>T?)(?P<count>\d+(?:\.\d+)?|X)(?P<unit>DE|CE|ML|[YMWDQHS])$")
PLURALS = {"century": "centuries", "millennium": "millennia"}


# The `normalize:` parameters rules may give (checked when the pack loads).
PARAMS = {"number": (str, int), "mod": ("EQUAL", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS", "APPROX",
                                        "START", "MID", "END")}
