"""Attributions: {source, kind, quoted}."""

from __future__ import annotations

import re
from typing import Any, Mapping

from . import NormContext


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {source, kind, quoted}; `kind` comes from the rule (named/anonymous/vague)."""
    source = ctx.params.get("source") or groups.get("source") or ""
    quoted = "“" in ctx.sentence or '"' in ctx.sentence
    return {"source": re.sub(r"\s+", " ", source).strip(), "kind": ctx.params.get("kind", "named"), "quoted": quoted}


def describe(value: Any) -> str:
    """Say who is credited and how."""
    quoted = ", quoted" if value.get("quoted") else ""
    return f"{value['source']} ({value['kind']}{quoted})"
