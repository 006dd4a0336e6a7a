"""Durations: {iso, mod} (stub, to be completed)."""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext, Skip
from .timex import duration_consistency as consistency  # noqa: F401  (the judge's hooks)
from .timex import duration_interval as interval  # noqa: F401


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {iso, mod}."""
    words = ctx.tables.get("number_words", {})
    raw = (groups.get("number") or "1").lower()
    n = words.get(raw) if raw in words else (int(raw) if raw.isdigit() else None)
    if n is None:
        raise Skip()
    unit = ctx.tables.get("duration_units", {}).get((groups.get("unit") or "").lower())
    if unit is None:
        raise Skip()
    prefix = "PT" if unit in ("H", "MIN", "S") else "P"
    return {"iso": f"{prefix}{n}{unit[0] if unit == 'MIN' else unit}", "mod": ctx.params.get("mod", "EQUAL")}
