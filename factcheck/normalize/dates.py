"""Dates: TIMEX3 values resolved against the publication date (stub, to be completed)."""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext
from .timex import date_consistency as consistency  # noqa: F401  (the judge's hooks)
from .timex import date_interval as interval  # noqa: F401

MONTHS = None


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return the TIMEX3 value."""
    months = ctx.tables.get("months", {})
    month = months.get((groups.get("month") or "").lower().rstrip("."))
    year = groups.get("year")
    if year and month:
        return f"{int(year):04d}-{int(month):02d}"
    return year
