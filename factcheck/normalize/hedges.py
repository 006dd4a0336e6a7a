"""Hedges: wording that makes a statement impossible to pin down.

A hedge carries no value (CLAIMS.md): the wording itself is the finding, and the
rule's verdict (`vague`) says why. What counts as a hedge, and the context rules
that keep look-alikes out ("May 5", "military might", "as soon as possible"), are
data in rules/hedges.yaml and rules/words-hedges.yaml.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import NormContext


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return None: a hedge has no value to check."""
    return None


def describe(value: Any) -> str:
    """Return the empty string: a hedge is shown by its own words."""
    return ""

# Hedges take no `normalize:` parameters.
PARAMS: dict = {}
