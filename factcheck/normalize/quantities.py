"""Quantities: counts and amounts as {low, high, unit, entity} (CLAIMS.md).

The rules in rules/quantities.yaml capture the parts of a figure as named groups:
`approx` / `bound` (a qualifier), `cur` (a currency sign), `num` (digits or number
words), `mult` (million, bn, ...), `unit`, `entity` (the noun counted), `scale` (a
scale word), and `num2` / `mult2` / `cur2` / `unit2` for the high end of a range.
Every word is looked up in the pack's tables, so the vocabulary is data:

- `number_words`, `number_multipliers`, `fraction_words`, `scale_words` (words-numbers.yaml)
- `quantity_bounds`, `quantity_approx_words`, `currency_symbols`, `quantity_units`,
  `quantity_entities`, `quantity_frames_before`, `quantity_frames_after` (quantities.yaml)

What is counted is read as a phenomenon, not from the noun alone: a verb phrase just
before the figure ("claimed the lives of", "killed") or just after it ("were
wounded", "have fled") names what happened, and wins over the noun.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Mapping

import regex

from .. import regexcache
from ..anchor import factor_lists
from . import NormContext, Skip, per_table

DEFAULT_TOLERANCE = Decimal("0.1")
_SPLIT = regexcache.compile(r"\s+and\s+|[\s-]+")
_SPACES = regexcache.compile(r"\s+")
_AND = regexcache.compile(r"\s+and\s+")
Number = int | float


@lru_cache(maxsize=10_000)  # the same few units and words come back
def _key(text: str) -> str:
    """A word or phrase as the tables list it: lower case, single spaces."""
    return _SPACES.sub(" ", text.strip().lower())


def _word_number(text: str, tables: Mapping[str, Mapping[str, Any]]) -> Decimal:
    """Read number words: "forty-five" 45, "two hundred thousand" 200000, "half a million"."""
    words, mults = tables.get("number_words", {}), tables.get("number_multipliers", {})
    fractions = tables.get("fraction_words", {})
    key = _key(text)
    for phrase, value in fractions.items():
        if key.startswith(phrase + " ") and key[len(phrase) + 1:] in mults:
            return Decimal(str(value)) * Decimal(str(mults[key[len(phrase) + 1:]]))
    if key in words:  # "a couple of", "a dozen"
        return Decimal(str(words[key]))
    total, current = Decimal(0), Decimal(0)
    for token in (t for t in _SPLIT.split(key) if t):
        factor = Decimal(str(mults[token])) if token in mults else None
        if factor is not None and factor < 1000:  # "two hundred", "two dozen": multiply the group
            current = max(current, Decimal(1)) * factor
        elif factor is not None:  # "two hundred thousand": close the group
            total += max(current, Decimal(1)) * factor
            current = Decimal(0)
        elif token in words:
            current += Decimal(str(words[token]))
        else:
            raise Skip()
    return total + current


def _amount(num: str | None, mult: str | None, tables: Mapping[str, Mapping[str, Any]]) -> tuple[Decimal, int]:
    """Return a number's value and how many decimals it was written with."""
    if not num:
        raise Skip()
    raw = num.replace(",", "")
    try:
        value, decimals = Decimal(raw), len(raw.partition(".")[2])
    except InvalidOperation:
        value, decimals = _word_number(num, tables), 0
    if mult:
        factor = tables.get("number_multipliers", {}).get(_key(mult))
        if factor is None:
            raise Skip()
        value *= Decimal(str(factor))
    return value, decimals


@lru_cache(maxsize=64)
def _decimal(x: Any) -> Decimal:
    """A rule's parameter as a Decimal (built once: the same few come back)."""
    return Decimal(str(x))


def _plain(x: Decimal | None) -> Number | None:
    """Return an int when the value is whole (so JSON says 200000, not 200000.0)."""
    if x is None:
        return None
    return int(x) if x == x.to_integral_value() else float(x)


def _step(value: Decimal, decimals: int, unit: str | None) -> Decimal:
    """The smallest step beyond a bound: 1 for counts, finer for percentages and decimals."""
    if value == value.to_integral_value() and decimals == 0 and unit != "%":
        return Decimal(1)
    return Decimal(1).scaleb(-(decimals + 1))


def _bounded(value: Decimal, decimals: int, mod: str, unit: str | None,
             tolerance: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """Turn a number and its qualifier's modifier into [low, high] (None is open)."""
    step = _step(value, decimals, unit)
    if mod == "MORE_THAN":
        return value + step, None
    if mod == "LESS_THAN":
        return None, value - step
    if mod == "EQUAL_OR_MORE":
        return value, None
    if mod == "EQUAL_OR_LESS":
        return None, value
    if mod == "APPROX":
        return value * (1 - tolerance), value * (1 + tolerance)
    return value, value


def _unit(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    currencies, units = ctx.tables.get("currency_symbols", {}), ctx.tables.get("quantity_units", {})
    for name, table in (("cur", currencies), ("cur2", currencies), ("unit2", units), ("unit", units)):
        if groups.get(name):
            found = table.get(_key(groups[name]))
            if found is not None:
                return str(found)
    return None


@per_table
def _frame_pattern(phrases: Mapping[str, Any], before: bool) -> Any:
    alts = "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
    # The phrases as a tree of shared endings (backwards) or beginnings (anchor.factor_lists).
    if before:
        # Matched backwards from the figure: a forward search would try every phrase at
        # every character of the sentence. Longest first still finds the leftmost start.
        return factor_lists(regexcache.compile(rf"(?r)\b(?P<f>(?:{alts}))\s*$", regex.IGNORECASE))
    return factor_lists(regexcache.compile(rf"\s*(?P<f>(?:{alts}))\b", regex.IGNORECASE))


def _frame(ctx: NormContext, table: str, text: str, before: bool) -> str | None:
    frames = ctx.tables.get(table, {})
    if not frames:
        return None
    pattern = _frame_pattern(frames, before)
    # Both are matched in place: the "before" pattern backwards from the text's end,
    # where its `$` holds it (a search would try every other position too).
    m = pattern.match(text, None, None, False)  # concurrent=False: see conditions.py
    return str(frames[_key(m.group("f"))]) if m else None


def _entity(groups: Mapping[str, str], ctx: NormContext) -> str | None:
    """What is counted: a verb frame around the figure first, else the noun."""
    before = ctx.text[ctx.sentence_start:ctx.start]
    after = ctx.text[ctx.end:max(ctx.end, ctx.sentence_end)]
    found = _frame(ctx, "quantity_frames_before", before, True) or _frame(ctx, "quantity_frames_after", after, False)
    if found:
        return found
    noun = groups.get("entity")
    if not noun:
        return None
    nouns = ctx.tables.get("quantity_entities", {})
    parts = [p for p in _AND.split(noun.strip(), 0, False) if p]  # concurrent=False: see conditions.py
    names = [str(nouns.get(_key(p), nouns.get(_key(p.split()[-1]), p))) for p in parts]
    return " and ".join(dict.fromkeys(names))


def _range(groups: Mapping[str, str], ctx: NormContext, unit: str | None) -> tuple[Decimal, Decimal]:
    """Read "20-30", "between 2 and 3 million": a multiplier on the high end applies to both."""
    units = [groups.get(a) or groups.get(b) for a, b in (("cur", "unit"), ("cur2", "unit2"))]
    if all(units) and _key(units[0]) != _key(units[1]):
        raise Skip()  # "2% to $11.1bn" joins two figures, it is no range
    mult = groups.get("mult") or groups.get("mult2")
    low, _ = _amount(groups.get("num"), mult, ctx.tables)
    high, _ = _amount(groups.get("num2"), groups.get("mult2"), ctx.tables)
    if low >= high:
        raise Skip()  # "3-1" is a score, "2003-04" a season
    return low, high


def _modifier(groups: Mapping[str, str], ctx: NormContext) -> str:
    if groups.get("approx"):
        return "APPROX"
    if groups.get("bound"):
        return str(ctx.tables.get("quantity_bounds", {}).get(_key(groups["bound"]), "EQUAL"))
    return "EQUAL"


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {low, high, unit, entity}; raise Skip when the figure does not read."""
    unit = _unit(groups, ctx)
    low: Decimal | None
    high: Decimal | None
    if groups.get("scale"):
        rng = ctx.tables.get("scale_words", {}).get(_key(groups["scale"]))
        if not rng or len(rng) != 2:
            raise Skip()
        low, high = Decimal(str(rng[0])), Decimal(str(rng[1]))
    elif groups.get("num2"):
        low, high = _range(groups, ctx, unit)
    else:
        value, decimals = _amount(groups.get("num"), groups.get("mult"), ctx.tables)
        tolerance = _decimal(ctx.params.get("tolerance", DEFAULT_TOLERANCE))
        low, high = _bounded(value, decimals, _modifier(groups, ctx), unit, tolerance)
    return {"low": _plain(low), "high": _plain(high), "unit": unit, "entity": _entity(groups, ctx)}


def interval(value: Any, anchor: float | None = None) -> tuple[float, float] | None:
    """Return the quantity's range, an open end as infinity; None if it is no quantity value."""
    if not isinstance(value, Mapping):
        return None
    low, high = value.get("low"), value.get("high")
    if any(x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))) for x in (low, high)):
        return None
    if low is None and high is None:
        return None
    return (float("-inf") if low is None else float(low), float("inf") if high is None else float(high))


def _fmt(x: Number) -> str:
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.10f}".rstrip("0").rstrip(".")
    return f"{int(x):,}"


def _rounder(x: Number, direction: int) -> Number | None:
    """The rounder figure one step past x (low 6,000,001 -> 6,000,000; 3.51 -> 3.5), if any."""
    d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    exp = d.as_tuple().exponent
    if not isinstance(exp, int):  # infinity: no rounder figure
        return None
    y = d + direction * Decimal(1).scaleb(exp)
    if y.is_zero() or int(y.normalize().as_tuple().exponent) <= exp:  # y is finite: its exponent an int
        return None
    return _plain(y)


def _amount_text(x: Number, unit: str | None) -> str:
    return f"{_fmt(x)}%" if unit == "%" else _fmt(x)


def describe(value: Any) -> str:
    """Say the figure as a person would: "200,000–999,999 lives", "more than 6,000,000 refugees"."""
    if not isinstance(value, Mapping):
        return ""
    low, high, unit = value.get("low"), value.get("high"), value.get("unit")
    if low is not None and high is not None:
        said = _amount_text(low, unit) if low == high else f"{_amount_text(low, unit)}–{_amount_text(high, unit)}"
    elif low is not None:
        r = _rounder(low, -1)
        said = f"more than {_amount_text(r, unit)}" if r is not None else f"at least {_amount_text(low, unit)}"
    elif high is not None:
        r = _rounder(high, 1)
        said = f"fewer than {_amount_text(r, unit)}" if r is not None else f"up to {_amount_text(high, unit)}"
    else:
        said = "an unknown number"
    extra = [w for w in (unit if unit not in (None, "%") else None, value.get("entity")) if w]
    return " ".join([said, *extra])

# The `normalize:` parameters rules may give (checked when the pack loads).
PARAMS = {"tolerance": float}
