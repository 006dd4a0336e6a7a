"""Quantities: {low, high, unit, entity} (stub, to be completed)."""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext, Skip


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {low, high, unit, entity}."""
    scale = groups.get("scale")
    if scale:
        rng = ctx.tables.get("scale_words", {}).get(scale.lower())
        if rng is None:
            raise Skip()
        low, high = rng
    else:
        try:
            low = high = float(groups.get("number", "").replace(",", ""))
        except ValueError:
            raise Skip() from None
    return {"low": low, "high": high, "unit": ctx.params.get("unit"), "entity": ctx.params.get("entity") or groups.get("entity")}


def interval(value: Any) -> tuple[float, float] | None:
    """Return the quantity's range, an open end as infinity."""
    low = value.get("low")
    high = value.get("high")
    return (float("-inf") if low is None else low, float("inf") if high is None else high)
