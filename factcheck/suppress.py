"""Suppressions: silence a finding on purpose, with a reason a reviewer can read.

Two sources:

* In the article: `<!-- factcheck: ignore RULE_ID reason -->`. RULE_ID is a rule id
  or a glob (`quantity.*`, `*`); several may be joined by commas. A comment that
  shares its line with text silences that line; a comment alone on its line
  silences the next paragraph (up to the next blank line).
* In the config: `suppress = [{rule = "superlative.*", article = "politics/*", reason = "..."}]`.
  `article` is a glob matched against the article's id and path (default: every article).

A suppression without a reason is an error. Text inside a suppression comment
(`t.unicorn` in `ignore t.unicorn`) is never a claim. Suppressed claims stay in the reports
with `suppressed` set to the reason; they do not count for the policy.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any, Iterable, NamedTuple

from .errors import ConfigError, FactcheckError, Location

_COMMENT = re.compile(r"<!--\s*factcheck\s*:\s*ignore\b(?P<body>.*?)-->", re.S | re.I)
_CONFIG_KEYS = {"rule", "article", "reason"}


class SuppressionError(FactcheckError):
    """A suppression comment or config entry is malformed (e.g. it has no reason)."""


class Suppression(NamedTuple):  # not a dataclass: see errors.Location
    """Rule globs silenced over [start, end) of the article text (None: everywhere)."""

    rules: tuple[str, ...]
    reason: str
    start: int | None = None
    end: int | None = None

    def covers(self, rule_id: str, offset: int) -> bool:
        """Tell whether this suppression silences a claim of `rule_id` at `offset`."""
        if self.start is not None and not (self.start <= offset < (self.end or 0)):
            return False
        return any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in self.rules)


def line_of(text: str, offset: int) -> int:
    """Return the 1-based line of an offset in text."""
    return text.count("\n", 0, offset) + 1


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _next_paragraph(text: str, offset: int) -> tuple[int, int]:
    """Return the span of the paragraph after `offset`, skipping blank lines first."""
    m = re.compile(r"\s*").match(text, offset)
    start = m.end() if m else offset
    blank = re.compile(r"\n[ \t]*\n").search(text, start)
    return start, blank.start() if blank else len(text)


def inline_suppressions(text: str, where: str, base_line: int = 1) -> list[Suppression]:
    """Parse the suppression comments of an article; `base_line` is the body's first line in its file."""
    found = []
    for m in _COMMENT.finditer(text):
        body = m.group("body").strip()
        rule, _, reason = body.partition(" ")
        reason = " ".join(reason.split())
        if not rule or not reason:
            line = base_line + line_of(text, m.start()) - 1
            raise SuppressionError("a suppression needs a rule id and a reason: "
                                   "<!-- factcheck: ignore RULE_ID reason -->", Location(where, line))
        line_start, line_end = _line_bounds(text, m.start())
        alone = not (text[line_start:m.start()] + text[m.end():line_end]).strip()
        start, end = _next_paragraph(text, line_end) if alone else (line_start, line_end)
        found.append(Suppression(tuple(r for r in rule.split(",") if r), reason, start, end))
    return found


def config_suppressions(entries: Iterable[Any], where: str) -> list[dict[str, str]]:
    """Validate the config's `suppress` list; raise ConfigError naming the bad entry."""
    checked = []
    for i, entry in enumerate(entries, 1):
        subject = f"suppress entry {i}"
        if not isinstance(entry, dict):
            raise ConfigError("must be a table: {rule = \"...\", reason = \"...\"}", Location(where), subject)
        unknown = set(entry) - _CONFIG_KEYS
        if unknown:
            raise ConfigError(f"unknown key '{sorted(unknown)[0]}'; allowed: article, reason, rule", Location(where), subject)
        for key in ("rule", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ConfigError(f"'{key}' must be a non-empty string", Location(where), subject)
        if not isinstance(entry.get("article", "*"), str):
            raise ConfigError("'article' must be a glob string", Location(where), subject)
        checked.append({"rule": entry["rule"], "article": entry.get("article", "*"), "reason": entry["reason"].strip()})
    return checked


def for_article(config_entries: Iterable[dict[str, str]], article_id: str, path: str | None) -> list[Suppression]:
    """Return the config suppressions whose article glob matches this article."""
    names = [n for n in (article_id, path) if n]
    return [Suppression((e["rule"],), e["reason"]) for e in config_entries
            if any(fnmatch.fnmatchcase(n, e["article"]) for n in names)]


def directive_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of the suppression comments themselves: no claim is read inside them."""
    return [m.span() for m in _COMMENT.finditer(text)]


def apply(claims: Iterable[Any], suppressions: list[Suppression]) -> tuple[Any, ...]:
    """Return the claims with `suppressed` set to the reason of the first suppression covering each."""
    from dataclasses import replace  # claims are dataclasses (models); a cached run applies none

    out = []
    for claim in claims:
        hit = next((s for s in suppressions if s.covers(claim.rule, claim.start)), None)
        out.append(replace(claim, suppressed=hit.reason) if hit and claim.suppressed is None else claim)
    return tuple(out)
