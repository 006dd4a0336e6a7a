"""Load and validate the reference-facts base (folders of YAML files).

A fact links to claims by its `about` patterns and kind, and compares by its
value: a date, a date range, a span between two days, a quantity range, or a
statement's keywords. Validation mirrors rule packs: schema, then semantics, with
every error at `path:line:col`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import regex

from . import normalize, regexcache
from .doccache import load_document
from .errors import FactError, Location
from .sources import default_facts_dir  # noqa: F401 - re-exported: it was defined here
from .yamlsafe import LocDict

_FLAGS = regex.VERSION0 | regex.UNICODE | regex.IGNORECASE


@dataclass(frozen=True)
class Fact:
    """A compiled reference fact."""

    id: str
    statement: str
    about: tuple[Any, ...]
    kind: str
    value: Any
    span: tuple[str, str] | None  # (from, to) ISO days; to may be "published"
    keywords: tuple[Any, ...]
    tolerance: float
    relative_tolerance: bool
    source: dict[str, str]
    as_of: dt.date
    location: Location
    within: int | None = None  # about-words must stand this close to the claim (characters)

    def applies_to(self, published: dt.date | None) -> bool:
        """A fact judges only articles published on or after its as-of date."""
        return published is None or self.as_of <= published


@dataclass(frozen=True)
class FactBase:
    """All loaded facts."""

    facts: tuple[Fact, ...]
    version: str = ""
    files: tuple[str, ...] = ()

    def for_kind(self, kind: str) -> tuple[Fact, ...]:
        """Return the facts that judge claims of `kind`."""
        return self._by_kind.get(kind, ())

    @functools.cached_property
    def _by_kind(self) -> dict[str, tuple[Fact, ...]]:
        # Built once: asked for every claim of every article.
        return {kind: tuple(f for f in self.facts if f.kind == kind) for kind in dict.fromkeys(f.kind for f in self.facts)}


EMPTY = FactBase(())


def _date(value: Any, loc: Location, subject: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FactError(f"{what} is {value!r}, not a date (YYYY-MM-DD)", loc, subject) from None


def _pattern(p: str, loc: Location, subject: str) -> Any:
    try:
        return regexcache.compile(p, _FLAGS)
    except regex.error as exc:
        raise FactError(f"pattern {p!r} does not compile: {exc}", loc, subject) from None


def _value(raw: LocDict, subject: str) -> Any:
    """Check the value against its kind: the kind's interval hook must read it."""
    if "range" in raw:
        r = raw["range"]
        start = _date(r["from"], r.loc("from", value=True), subject, "range.from")
        end = _date(r["to"], r.loc("to", value=True), subject, "range.to")
        if end < start:
            raise FactError("range.to is before range.from", r.loc("to", value=True), subject)
        return {"from": start.isoformat(), "to": end.isoformat()}
    value = raw.get("value")
    fn = normalize.hook(raw["kind"], "interval")
    if value is not None and fn is not None and fn(value) is None:
        raise FactError(f"value {value!r} is not a valid {raw['kind']} value", raw.loc("value", value=True), subject)
    return value


def _tolerance(raw: LocDict, subject: str) -> tuple[float, bool]:
    """Read `tolerance`: a number, or 'N%' (relative); the schema lets '1.2.3%' through."""
    tol = raw.get("tolerance", 0)
    if not isinstance(tol, str):
        return float(tol), False
    try:
        return float(tol.rstrip("%")) / 100, True
    except ValueError:
        raise FactError(f"tolerance is {tol!r}; give a number or a percentage such as '10%'",
                        raw.loc("tolerance", value=True), subject) from None


def _compile(raw: LocDict, known_kinds: set[str]) -> Fact:
    subject = f"fact '{raw['id']}'"
    if raw["kind"] not in known_kinds:
        import difflib

        close = difflib.get_close_matches(raw["kind"], sorted(known_kinds), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; known kinds: {', '.join(sorted(known_kinds))}"
        raise FactError(f"unknown kind '{raw['kind']}'{hint}", raw.loc("kind", value=True), subject)
    forms = [k for k in ("value", "range", "span", "keywords") if k in raw]
    if len(forms) != 1:
        what = "one of value, range, span or keywords is required" if not forms else f"give only one of {', '.join(forms)}"
        raise FactError(what, raw.loc(), subject)
    span = None
    if "span" in raw:
        s = raw["span"]
        start = _date(s["from"], s.loc("from", value=True), subject, "span.from").isoformat()
        end = s.get("to", "published")
        if end != "published":
            end = _date(end, s.loc("to", value=True), subject, "span.to").isoformat()
        span = (start, end)
    tolerance, relative = _tolerance(raw, subject)
    about = tuple(_pattern(p, raw["about"].loc(i), subject) for i, p in enumerate(raw["about"]))
    keywords = tuple(_pattern(p, raw["keywords"].loc(i), subject) for i, p in enumerate(raw.get("keywords") or []))
    return Fact(raw["id"], raw["statement"], about, raw["kind"], _value(raw, subject), span, keywords,
                tolerance, relative, dict(raw["source"]),
                _date(raw["as_of"], raw.loc("as_of", value=True), subject, "as_of"), raw.loc(), raw.get("within"))


def fact_files(dirs: Iterable[Path]) -> list[Path]:
    """List the facts files of the given folders (or files) in load order."""
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
        elif d.is_dir():
            files.extend(sorted(p for p in d.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            raise FactError("facts folder not found", Location(str(d)))
    return files


def _check_facts_file_shape(doc: Any, path: str) -> None:
    if not isinstance(doc, dict):
        raise FactError("a facts file must be a mapping with a 'facts' list", Location(path, 1, 1))


def load_facts(dirs: Iterable[Path], extra_kinds: Iterable[str] = ()) -> FactBase:
    """Load and validate facts files; raise FactError at the first problem."""
    known = set(normalize.BUILTIN_KINDS) | set(extra_kinds)
    facts: list[Fact] = []
    seen: dict[str, Location] = {}
    digest = hashlib.sha256()
    files = fact_files(dirs)
    for path in files:
        doc, raw = load_document(path, "facts", "fact", FactError, _check_facts_file_shape)
        digest.update(path.name.encode() + raw)
        for raw in doc["facts"]:
            if raw["id"] in seen:
                raise FactError(f"duplicate fact id; first defined at {seen[raw['id']]}",
                                raw.loc("id", value=True), f"fact '{raw['id']}'")
            seen[raw["id"]] = raw.loc("id", value=True)
            facts.append(_compile(raw, known))
    regexcache.save()
    return FactBase(tuple(facts), digest.hexdigest()[:12], tuple(map(str, files)))
