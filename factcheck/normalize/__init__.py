"""Normalizers: one module per claim kind, found through a registry.

A kind's module exposes:

- `normalize(groups, ctx) -> value` (required): read the rule's named groups (and
  `ctx.params`, the rule's `normalize:` mapping) into the kind's JSON value
  (CLAIMS.md). Raise `Skip` to drop a match that is not a claim after all.
- `interval(value) -> (low, high) | None` (optional): the value as a closed range on
  a line (days for dates and durations, the count for quantities), which is how the
  judge compares a claim with a fact or another claim without knowing the kind.
- `describe(value) -> str` (optional): the value as a person would say it.
- `consistency(claim, claims, ctx) -> list[Finding]` (optional): judge a claim
  against the article's own anchored claims.

Kinds a rule pack declares under `kinds:` use the generic normalizer: the value is
the rule's named groups (or null when there are none).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping

BUILTIN_KINDS: dict[str, str] = {
    "date": "dates",
    "duration": "durations",
    "quantity": "quantities",
    "condition": "conditions",
    "attribution": "attributions",
    "hedge": "hedges",
    "superlative": "superlatives",
}


def per_table(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Memoize `fn(entries, *rest)` by the identity of `entries`: a list or table of the
    pack, which does not change once loaded.

    What normalizers build from a word list (a set, a compiled alternation) was keyed
    by the list itself in an lru_cache, and hashing a tuple of a few hundred words,
    redone on every call, cost more than the rest of normalizing a match. The list is
    kept with its result, so its id cannot be reused while the entry stands.
    """
    cache: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def memoized(entries: Any, *rest: Any) -> Any:
        key = (id(entries), *rest)
        hit = cache.get(key)
        if hit is not None and hit[0] is entries:
            return hit[1]
        if len(cache) >= 256:  # packs loaded one after another in a long-lived process
            cache.clear()
        value = fn(entries, *rest)
        cache[key] = (entries, value)
        return value

    memoized.__doc__ = fn.__doc__
    return memoized


class Skip(Exception):
    """Raised by a normalizer: this match is not a claim of its kind after all."""


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and one of
# these is built for every match normalized (2.8 us against 0.6). Normalizers only read it.
@dataclass(slots=True)
class NormContext:
    """What a normalizer may read besides the named groups."""

    published: dt.date | None
    text: str  # the article text
    start: int  # the match's offsets into `text`
    end: int
    sentence_start: int
    sentence_end: int
    params: Mapping[str, Any]  # the rule's `normalize:` mapping, '{group}' filled in
    tables: Mapping[str, Mapping[str, Any]]  # the pack's tables (month names, scale words, ...)
    lists: Mapping[str, tuple[str, ...]]

    @property
    def sentence(self) -> str:
        """Return the text of the match's sentence."""
        return self.text[self.sentence_start:self.sentence_end]

    @property
    def match_text(self) -> str:
        """Return the matched text."""
        return self.text[self.start:self.end]


def _generic(groups: Mapping[str, str], ctx: NormContext) -> Any:
    return dict(groups) or None


_MODULES: dict[str, ModuleType | None] = {}


def module(kind: str) -> ModuleType | None:
    """Return the normalizer module of a built-in kind (imported on first use)."""
    if kind not in _MODULES:
        name = BUILTIN_KINDS.get(kind)
        _MODULES[kind] = importlib.import_module(f"{__name__}.{name}") if name else None
    return _MODULES[kind]


def hook(kind: str, name: str) -> Callable[..., Any] | None:
    """Return a kind's optional function `name` ('interval', 'describe', ...), if any."""
    mod = module(kind)
    return getattr(mod, name, None) if mod else None


def normalizer(kind: str) -> Callable[[Mapping[str, str], NormContext], Any]:
    """Return the function that normalizes matches of `kind`."""
    return hook(kind, "normalize") or _generic


def describe(kind: str, value: Any) -> str:
    """Return a value as a person would say it (falls back to compact JSON)."""
    fn = hook(kind, "describe")
    if fn is not None:
        return fn(value)
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    return str(value)
