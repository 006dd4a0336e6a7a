"""Conditions in rule files: compiled once at load time, tested on each claim.

A condition is a YAML mapping whose keys must all hold (see docs/rules.md):
`group`, `no_group`, `value`, `text`, `sentence`, `before`, `after`, `window`,
`published`, `claim`, `any`, `not`. Verdict logic (`verdict.when`) and context rules
(`drop`) are both written with them, so no verdict is decided in Python by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import regex

Compile = Callable[[str, Any], "regex.Pattern[str]"]
WINDOW = 40  # characters a `before:`/`after:` condition looks at, unless it says `window:`
# Patterns are called with positional arguments (string, pos, endpos, concurrent,
# partial, timeout): the engine parses keywords slowly, and conditions run for every
# match of every rule. concurrent=False keeps the GIL: by default `regex` lets it go and
# takes it back around every match of a str, 0.3 us a call, a third of a short match.
# Nothing else runs in our threads meanwhile, and a runaway match is stopped the same
# way (the timer's signal, or `timeout`). The last two are left out when there is no
# `timeout` (the timer keeps the limit): each argument costs the engine's parser about
# 75 ns, a quarter of a short call.


@dataclass(slots=True)
class Subject:
    """What a condition looks at: one match in its article, with its value.

    Not frozen: the matcher tests a match's value-free `drop` conditions before its
    normalizer runs, then sets `value` for the others (most matches a pack drops are
    dropped by their context, and normalizing them was wasted).
    """

    text: str
    start: int
    end: int
    groups: dict[str, str]
    value: Any
    sentence_start: int
    sentence_end: int
    published: Any
    # Seconds each condition pattern may run (the pack's regex_timeout); None: no limit.
    # A TimeoutError escapes to the caller, which knows the rule and the article.
    timeout: float | None = None
    # (kind, value) of the other claims of the same sentence; known when judging, not
    # when a match is tested against `drop` (claims are not settled yet).
    neighbours: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Condition:
    """A compiled condition: a tuple of tests that must all pass."""

    tests: tuple[Callable[[Subject], bool], ...]
    needs_value: bool = False  # whether a test reads the match's normalized value

    def holds(self, subject: Subject) -> bool:
        """Return True when every test holds for `subject`."""
        for test in self.tests:  # a loop, not all(genexpr): conditions run for every match
            if not test(subject):
                return False
        return True


def _field(value: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _value_test(spec: Any) -> Callable[[Subject], bool]:
    if spec is None:
        return lambda s: s.value is None
    wanted = {k: (list(v) if isinstance(v, list) else [v]) for k, v in spec.items()}
    return lambda s: all(_field(s.value, k) in vs for k, vs in wanted.items())


def _claim_test(spec: dict[str, Any]) -> Callable[[Subject], bool]:
    """Another claim of the sentence has this kind (and value fields)."""
    kinds = spec["kind"] if isinstance(spec["kind"], list) else [spec["kind"]]
    wanted = {k: (list(v) if isinstance(v, list) else [v]) for k, v in (spec.get("value") or {}).items()}

    def test(s: Subject) -> bool:
        return any(kind in kinds and all(_field(value, k) in vs for k, vs in wanted.items())
                   for kind, value in s.neighbours)

    return test


def _group_test(spec: Any, compile_: Compile, where: Any) -> Callable[[Subject], bool]:
    if isinstance(spec, str):
        return lambda s: bool(s.groups.get(spec))
    pats = {name: compile_(pat, (where, name)) for name, pat in spec.items()}
    if len(pats) == 1:  # the usual case, without a generator: conditions run for every match
        ((name, pat),) = pats.items()

        def one(s: Subject) -> bool:
            value = s.groups.get(name)
            if value is None:
                return False
            if s.timeout is None:
                return pat.fullmatch(value, None, None, False) is not None
            return pat.fullmatch(value, None, None, False, False, s.timeout) is not None

        return one
    return lambda s: all(s.groups.get(n) is not None and p.fullmatch(s.groups[n], None, None, False, False, s.timeout) for n, p in pats.items())


def _around(spec: dict[str, Any], compile_: Compile, where: Any) -> list[Callable[[Subject], bool]]:
    window = int(spec.get("window", WINDOW))
    tests: list[Callable[[Subject], bool]] = []
    if "before" in spec:
        # Matched backwards ((?r)): the only place it can match is the window's end,
        # which a backward search tries first (forwards, every position was tried).
        before = compile_(rf"(?r)(?:{spec['before']})\s*$", (where, "before"))
        find = _anchored(before)

        def before_test(s: Subject) -> bool:
            text = s.text[max(0, s.start - window):s.start]
            if s.timeout is None:
                return find(text, None, None, False) is not None
            return find(text, None, None, False, False, s.timeout) is not None

        tests.append(before_test)
    if "after" in spec:
        after = compile_(rf"^\s*(?:{spec['after']})", (where, "after"))
        find_after = _anchored(after)

        def after_test(s: Subject) -> bool:
            text = s.text[s.end:s.end + window]
            if s.timeout is None:
                return find_after(text, None, None, False) is not None
            return find_after(text, None, None, False, False, s.timeout) is not None

        tests.append(after_test)
    return tests


def _anchored(pattern: Any) -> Callable[..., Any]:
    """The call that finds a `before`/`after` pattern in its window: `match`, unless `^`/`$`
    can also match at a line break inside it (MULTILINE), where it must be `search`.

    Without MULTILINE, `^...` can only match at the window's start and `(?r)...$` at its
    end (or before a final line break, which `\\s*` at the end already reaches), the
    first place `match` tries; a `search` would go on to try every other position of
    the window, for twice the time on the most common conditions.
    """
    return pattern.search if pattern.flags & regex.MULTILINE else pattern.match


def compile_condition(spec: dict[str, Any], compile_: Compile, where: Any = None) -> Condition:
    """Compile a condition mapping; `compile_(pattern, where)` expands and compiles patterns."""
    tests: list[Callable[[Subject], bool]] = []
    needs_value = "value" in spec
    if "group" in spec:
        tests.append(_group_test(spec["group"], compile_, where))
    if "no_group" in spec:
        name = spec["no_group"]
        tests.append(lambda s: not s.groups.get(name))
    if "value" in spec:
        tests.append(_value_test(spec["value"]))
    if "text" in spec:
        pat = compile_(spec["text"], (where, "text"))
        search = pat.search

        def text_test(s: Subject) -> bool:
            if s.timeout is None:
                return search(s.text[s.start:s.end], None, None, False) is not None
            return search(s.text[s.start:s.end], None, None, False, False, s.timeout) is not None

        tests.append(text_test)
    if "sentence" in spec:
        pat = compile_(spec["sentence"], (where, "sentence"))
        tests.append(lambda s: bool(pat.search(s.text, s.sentence_start, s.sentence_end, False, False, s.timeout)))
    tests.extend(_around(spec, compile_, where))
    if "published" in spec:
        present = spec["published"] == "present"
        tests.append(lambda s: (s.published is not None) == present)
    if "claim" in spec:
        tests.append(_claim_test(spec["claim"]))
    if "any" in spec:
        alts = [compile_condition(c, compile_, where) for c in spec["any"]]
        needs_value = needs_value or any(c.needs_value for c in alts)
        tests.append(lambda s: any(c.holds(s) for c in alts))
    if "not" in spec:
        inner = compile_condition(spec["not"], compile_, where)
        needs_value = needs_value or inner.needs_value
        tests.append(lambda s: not inner.holds(s))
    return Condition(tuple(tests), needs_value)
