"""The pass/fail policy of a run: which findings fail an article, and how many are allowed.

`--fail-on contradicted,unsupported` (or `[defaults] fail_on`) names the verdicts that
fail an article when it has one; `[thresholds]` raises that limit, and may add limits
for other verdicts, per kind and per rule:

    [thresholds]
    max_unsupported = 3                      # per article, every kind
    [thresholds.kind.quantity]
    max_vague = 2                            # only quantity claims
    [thresholds.rule."superlative.*"]        # a rule id or a glob
    max_unsupported = 0

A limit counts claims that are not suppressed (and, with --baseline, only new ones).
An article fails when any limit is exceeded, or when it could not be checked.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Iterable, NamedTuple

from .errors import ConfigError, Location
from .verdicts import VERDICTS

_LIMIT_KEYS = {f"max_{v}": v for v in VERDICTS}


class Limit(NamedTuple):  # not a dataclass: see errors.Location
    """At most `limit` claims of `verdict`, restricted to one kind or rule glob when set."""

    verdict: str
    limit: int
    kind: str | None = None
    rule: str | None = None

    def applies(self, claims: Iterable[dict[str, Any]]) -> int:
        """Count the claims this limit applies to."""
        return sum(1 for c in claims if c["verdict"] == self.verdict
                   and (self.kind is None or c["kind"] == self.kind)
                   and (self.rule is None or fnmatch.fnmatchcase(c["rule"], self.rule)))

    def describe(self) -> str:
        """Say the limit as a person would: `max_vague = 2 for kind quantity`."""
        scope = f" for kind {self.kind}" if self.kind else f" for rule {self.rule}" if self.rule else ""
        return f"max_{self.verdict} = {self.limit}{scope}"


def parse_fail_on(value: str | Iterable[str]) -> tuple[str, ...]:
    """Parse `contradicted,unsupported` into verdicts; raise ConfigError on an unknown one."""
    items = value.split(",") if isinstance(value, str) else list(value)
    verdicts = tuple(v.strip() for v in items if v.strip())
    for v in verdicts:
        if v not in VERDICTS and v != "none":
            raise ConfigError(f"--fail-on: unknown verdict '{v}'; allowed: {', '.join(VERDICTS)}, none")
    return tuple(v for v in verdicts if v != "none")


def _limits(table: dict[str, Any], where: str, kind: str | None = None, rule: str | None = None) -> list[Limit]:
    out = []
    for key, value in table.items():
        if key not in _LIMIT_KEYS:
            import difflib  # only a mistake needs it

            close = difflib.get_close_matches(key, sorted(_LIMIT_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(sorted(_LIMIT_KEYS))}"
            raise ConfigError(f"thresholds: unknown key '{key}'{hint}", Location(where))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"thresholds: '{key}' must be a whole number >= 0, not {value!r}", Location(where))
        out.append(Limit(_LIMIT_KEYS[key], value, kind, rule))
    return out


class Policy(NamedTuple):
    """The limits every article is held to."""

    limits: tuple[Limit, ...]

    @classmethod
    def build(cls, fail_on: Iterable[str], thresholds: dict[str, Any] | None = None, where: str = "config") -> "Policy":
        """Combine --fail-on (limit 0 unless a threshold says more) with the config's thresholds."""
        thresholds = dict(thresholds or {})
        scoped = {"kind": thresholds.pop("kind", {}), "rule": thresholds.pop("rule", {})}
        limits = _limits(thresholds, where)
        overall = {lim.verdict for lim in limits}
        limits = [Limit(v, 0) for v in fail_on if v not in overall] + limits
        for scope, tables in scoped.items():
            if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
                raise ConfigError(f"thresholds.{scope} must be tables: [thresholds.{scope}.NAME]", Location(where))
            for name, table in tables.items():
                limits += _limits(table, where, **{scope: name})
        return cls(tuple(limits))

    def failures(self, entry: dict[str, Any]) -> list[str]:
        """Return why an index entry fails (empty when it passes)."""
        if entry.get("error"):
            return [f"could not be checked: {entry['error']}"]
        counted = [c for c in entry.get("claims", []) if c.get("suppressed") is None and c.get("new", True)]
        out = []
        for lim in self.limits:
            n = lim.applies(counted)
            if n > lim.limit:
                out.append(f"{n} {lim.verdict} > {lim.describe()}")
        return out
