"""Hedges carry no value: the wording itself is the finding."""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return None: a hedge has no value to check (CLAIMS.md)."""
    return None
