"""Conditions (demands, preconditions): {party, requirement}."""

from __future__ import annotations

import re
from typing import Any, Mapping

from . import NormContext


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {party, requirement} from the rule's groups or parameters."""
    party = ctx.params.get("party") or groups.get("party")
    requirement = ctx.params.get("requirement") or groups.get("requirement") or ctx.match_text
    return {"party": party, "requirement": re.sub(r"\s+", " ", requirement).strip()}


def describe(value: Any) -> str:
    """Say who requires what."""
    party = value.get("party") or "someone"
    return f"{party} requires {value['requirement']}"
