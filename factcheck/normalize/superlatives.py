"""Superlatives, records and firsts: {comparison}."""

from __future__ import annotations

import re
from typing import Any, Mapping

from . import NormContext


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {comparison}: the `comparison` group (or the match) with spaces folded."""
    text = ctx.params.get("comparison") or groups.get("comparison") or ctx.match_text
    return {"comparison": re.sub(r"\s+", " ", text).strip()}


def describe(value: Any) -> str:
    """Say what is compared."""
    return value["comparison"] if value else ""
