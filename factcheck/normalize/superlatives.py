"""Superlatives, records and firsts: {comparison} (CLAIMS.md).

The rules in rules/superlatives.yaml capture `sup` (the superlative word: "largest",
"most serious", "first", "record high"), `np` (what is compared), `frame` (where or
since when: "in Europe since World War II"), `between` (who is compared, left out of
the value), `poss` (a possessive frame: "the world's") and `one` ("one of the ...",
whose plural noun is made singular with the `plural_singular` table and the regular
English endings).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from . import NormContext

_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def singular(word: str, irregular: Mapping[str, Any]) -> str:
    """Return the singular of an English plural noun (irregular ones from the table)."""
    low = word.lower()
    if low in irregular:
        return str(irregular[low])
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return word[:-2]
    if low.endswith("s") and len(low) > 3 and not low.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _singular_np(np: str, irregular: Mapping[str, Any]) -> str:
    """Make the head of a noun phrase singular ("refugee crises" -> "refugee crisis")."""
    head, of, tail = np.partition(" of ")
    words = head.split()
    if words:
        words[-1] = singular(words[-1], irregular)
    return " ".join(words) + (of + tail if of else "")


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {comparison}: the superlative, what it compares and its frame."""
    if ctx.params.get("comparison"):
        return {"comparison": _fold(str(ctx.params["comparison"]))}
    sup = groups.get("sup")
    if not sup:
        return {"comparison": _fold(ctx.match_text)}
    np = _fold(groups.get("np") or "")
    if np and groups.get("one"):
        np = _singular_np(np, ctx.tables.get("plural_singular", {}))
    parts = [_fold(groups.get("poss") or ""), _fold(sup).lower(), np, _fold(groups.get("frame") or "")]
    return {"comparison": " ".join(p for p in parts if p)}


def describe(value: Any) -> str:
    """Say what is compared."""
    return str(value.get("comparison", "")) if isinstance(value, Mapping) else ""

# The `normalize:` parameters rules may give (checked when the pack loads).
PARAMS = {"comparison": str}
