"""Load, validate and compile rule packs (folders of YAML files).

A pack file may define `lists`, `tables`, `fragments`, `kinds`, `settings` and
`rules` (docs/rules.md). Everything is checked once, at load time: the JSON Schema
first, then what a schema cannot say (patterns compile, `{{name}}` references and
named groups exist, ids are unique, kinds are known). Every error points at
`path:line:col` and names the rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

import regex

from . import anchor, normalize, regexcache
from .conditions import WINDOW, Condition, compile_condition
from .doccache import load_document
from .errors import Location, RuleError
from .sources import default_rules_dir  # noqa: F401 - re-exported: it was defined here
from .yamlsafe import LocDict

DEFAULT_TIMEOUT = 1.0  # seconds one pattern may run on one article (a scan, or its attempts from anchors)
_REF = regex.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")
_GROUP = regex.compile(r"\{([A-Za-z_]\w*)\}")
_FLAGS = regex.VERSION0 | regex.UNICODE


@dataclass(frozen=True)
class When:
    """One verdict condition of a rule."""

    condition: Condition
    verdict: str
    reason: str


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    id: str
    kind: str
    description: str
    message: str
    patterns: tuple[str, ...]
    compiled: tuple[Any, ...]
    groups: frozenset[str]
    priority: int
    normalize: dict[str, Any]
    drop: tuple[Condition, ...]
    default_verdict: str
    default_reason: str
    checks: tuple[str, ...]
    when: tuple[When, ...]
    examples: dict[str, Any]
    location: Location
    order: int
    trigger: Any = None  # compiled `trigger:`; None: the patterns scan the whole text
    # Each pattern (and the trigger) split at its anchor for word look-up (anchor.py);
    # None where the pattern has no anchor we can read: it is scanned.
    plans: tuple[Any, ...] = ()
    # How the trigger is tested on a sentence: its plan; or, for a trigger whose
    # alternatives have anchors though it has none as a whole, one part per alternative
    # (its plan, else the alternative compiled, searched); empty: the trigger is searched.
    trigger_parts: tuple[Any, ...] = ()

    @cached_property
    def drop_stages(self) -> tuple[tuple[Condition, ...], tuple[Condition, ...]]:
        """The `drop` conditions that do not read the value, and those that do: the
        matcher tests the first before normalizing a match, the others after."""
        return tuple(c for c in self.drop if not c.needs_value), tuple(c for c in self.drop if c.needs_value)

    @cached_property
    def normalizer(self) -> Any:
        """The kind's normalizer function (normalize.normalizer), looked up once."""
        return normalize.normalizer(self.kind)

    @cached_property
    def templated(self) -> bool:
        """Whether a `normalize:` parameter refers to a group ('{source}')."""
        return any(isinstance(v, str) and "{" in v for v in self.normalize.values())


@dataclass(frozen=True)
class Pack:
    """Every loaded rule file merged: rules in load order plus shared data."""

    rules: tuple[Rule, ...]
    lists: dict[str, tuple[str, ...]]
    tables: dict[str, dict[str, Any]]
    fragments: dict[str, str]
    kinds: dict[str, str]
    settings: dict[str, Any]
    topics: dict[str, Any] = field(default_factory=dict)
    version: str = ""
    files: tuple[str, ...] = ()

    regex_lists: frozenset[str] = frozenset()  # lists whose entries are regex fragments
    _words: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _anchors: list[Any] = field(default_factory=list, compare=False, repr=False)
    _steps: list[Any] = field(default_factory=list, compare=False, repr=False)

    def warm(self) -> None:
        """Compile now what is otherwise compiled on first use (the anchor plans' patterns):
        before forking workers that would each compile them, or before timing."""
        for plan in self.anchors().plans:
            plan.pattern, plan.whole  # noqa: B018 - compiled on first access

    def anchors(self) -> Any:
        """The look-up table of every rule's anchors (anchor.Index), built on first use."""
        if not self._anchors:
            plans = [p for r in self.rules for p in (*r.plans, *r.trigger_parts) if isinstance(p, anchor.Plan)]
            self._anchors.append(anchor.Index(list(dict.fromkeys(plans))))
        return self._anchors[0]

    def steps(self) -> list[tuple[Rule, Any, Any, int | None]]:
        """Every rule's patterns in load order, as (rule, pattern, its plan or None, the
        plan's row in `anchors().hits()` or None): what the matcher runs, worked out once."""
        if not self._steps:
            rows = self.anchors().ids
            self._steps.extend((rule, pattern, plan, None if plan is None else rows[id(plan)])
                               for rule in self.rules
                               for pattern, plan in zip(rule.compiled, rule.plans or (None,) * len(rule.compiled)))
        return self._steps

    @property
    def regex_timeout(self) -> float:
        """Seconds of CPU one pattern may take on one article (matching, or judging a claim):
        the config's regex_timeout, or a pack file's `settings`."""
        return float(self.settings.get("regex_timeout", DEFAULT_TIMEOUT))

    def rule(self, rule_id: str) -> Rule | None:
        """Return the rule with this id, if loaded."""
        return next((r for r in self.rules if r.id == rule_id), None)

    def words(self, name: str) -> Any:
        """Return a pattern matching any word of list `name` as a whole word (None if empty).

        Normalizers and consistency checks use it to look for a list's words around a
        claim; it is compiled on first use and kept with the pack.
        """
        if name not in self._words:
            words = self.lists.get(name, ())
            self._words[name] = regexcache.compile(rf"\b{alternation(words, name in self.regex_lists)}\b",
                                                   _FLAGS | regex.IGNORECASE) if words else None
        return self._words[name]


def alternation(words: Iterable[str], is_regex: bool = False) -> str:
    """Return a non-capturing alternation of a word list, longest entry first.

    Entries are escaped unless the list holds regex fragments; a multi-word entry
    matches any run of white space between its words. Longest first, so "tens of
    thousands" wins over "tens".
    """
    parts = list(words) if is_regex else [r"\s+".join(regex.escape(w) for w in word.split()) for word in words]
    parts.sort(key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")"




def pack_files(dirs: Iterable[Path]) -> list[Path]:
    """List the rule files of the given packs in load order (facts/ excluded)."""
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
            continue
        if not d.is_dir():
            raise RuleError("rule folder not found", Location(str(d)))
        found = [p for p in d.rglob("*") if p.suffix in (".yaml", ".yml") and "facts" not in p.relative_to(d).parts]
        files.extend(sorted(found))
    return files


def _check_rule_file_shape(doc: Any, path: str) -> None:
    if doc is None:
        raise RuleError("the file is empty", Location(path, 1, 1))
    if not isinstance(doc, dict):
        raise RuleError("a rule file must be a mapping with keys such as 'rules' and 'lists'", Location(path, 1, 1))


class _Builder:
    """Accumulates pack data across files, then compiles the rules."""

    def __init__(self, timeout: float) -> None:
        self.lists: dict[str, tuple[str, ...]] = {}
        self.list_is_regex: dict[str, bool] = {}
        self.tables: dict[str, dict[str, Any]] = {}
        self.fragments: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.settings: dict[str, Any] = {"regex_timeout": timeout}
        self.raw_rules: list[LocDict] = []
        self.cache: dict[tuple[str, bool], Any] = {}
        self.plans: dict[Any, Any] = {}
        self.alternations: dict[tuple[Any, ...], str] = {}
        self.hash = hashlib.sha256()

    def add_file(self, path: Path, overrides: dict[str, dict[str, Any]]) -> None:
        # Parsed and schema-checked, or read back from the cache of files that already passed.
        doc, raw = load_document(path, "rules", "rule", RuleError, _check_rule_file_shape)
        self.hash.update(str(path.name).encode() + raw)
        for name, spec in (doc.get("lists") or {}).items():
            self._add_list(name, spec, doc["lists"].loc(name))
        for name, table in (doc.get("tables") or {}).items():
            self.tables[name] = {str(k).lower(): v for k, v in table.items()}
        self.fragments.update(doc.get("fragments") or {})
        for name, spec in (doc.get("kinds") or {}).items():
            self.kinds[name] = spec.get("description", "")
        settings = doc.get("settings") or {}
        for key, value in settings.items():
            if key == "topics":
                self.settings.setdefault("topics", {}).update(value)
            else:
                self.settings[key] = value
        for rule in doc.get("rules") or []:
            rule_id = rule["id"]
            if rule_id in overrides:
                rule.update(overrides[rule_id])
            self.raw_rules.append(rule)

    def _add_list(self, name: str, spec: Any, loc: Location) -> None:
        if isinstance(spec, list):
            words, base, is_regex = list(spec), None, False
        else:
            words, base, is_regex = list(spec["words"]), spec.get("extends"), bool(spec.get("regex"))
        if base is not None:
            if base not in self.lists:
                raise RuleError(f"list '{name}' extends unknown list '{base}'", loc)
            words = list(self.lists[base]) + words
            is_regex = is_regex or self.list_is_regex.get(base, False)
        self.lists[name] = tuple(dict.fromkeys(words))
        self.list_is_regex[name] = is_regex

    # -- pattern expansion -------------------------------------------------------
    def expand(self, pattern: str, loc: Location, subject: str | None, seen: tuple[str, ...] = ()) -> str:
        """Replace {{name}} references by list alternations or fragments."""

        def sub(m: Any) -> str:
            name = m.group(1)
            if name in seen:
                raise RuleError(f"fragment '{name}' refers to itself", loc, subject)
            if name in self.fragments:
                return "(?:" + self.expand(self.fragments[name], loc, subject, seen + (name,)) + ")"
            if name in self.lists or name in self.tables:
                return self._alternation(name)
            known = sorted(set(self.lists) | set(self.tables) | set(self.fragments))
            import difflib

            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise RuleError(f"unknown list or fragment '{{{{{name}}}}}'{hint}", loc, subject)

        return _REF.sub(sub, pattern)

    def _alternation(self, name: str) -> str:
        # Lists are final once every file is read; escaping a long list again for each
        # of the ~180 references was a fifth of the pack's load time.
        key = (name, self.lists.get(name), tuple(self.tables.get(name, {})))
        if key not in self.alternations:
            self.alternations[key] = self._build_alternation(name)
        return self.alternations[key]

    def plan(self, compiled: Any) -> Any:
        """Split a compiled pattern at its anchor (None without one, or when switched off)."""
        if compiled is None or not self.settings.get("anchored_matching", True):
            return None
        key = (compiled.pattern, compiled.flags)
        if key not in self.plans:
            self.plans[key] = anchor.plan(compiled)
        return self.plans[key]

    def condition(self, pattern: str, loc: Location, subject: str | None, case_sensitive: bool = False) -> Any:
        """Compile a condition's pattern, its word lists written as trees (anchor.factor_lists):
        conditions run for every match of their rule, and are never split at an anchor."""
        return anchor.factor_lists(self.compile(pattern, loc, subject, case_sensitive))

    def trigger_parts(self, trigger: Any) -> tuple[Any, ...]:
        """How a trigger is tested (Rule.trigger_parts): (its plan,), one part per
        alternative when some of them have a plan, or () to search it whole."""
        whole = self.plan(trigger)
        if whole is not None or trigger is None:
            return () if whole is None else (whole,)
        alts = anchor.alternatives(trigger)
        if alts is None:
            return ()
        try:
            compiled = [regexcache.compile(alt, trigger.flags) for alt in alts]
        except regex.error:
            return ()
        parts = tuple(self.plan(c) or c for c in compiled)
        return parts if any(isinstance(p, anchor.Plan) for p in parts) else ()

    def _build_alternation(self, name: str) -> str:
        words = self.lists.get(name) or tuple(self.tables.get(name, {}))
        return alternation(words, self.list_is_regex.get(name, False))

    def compile(self, pattern: str, loc: Location, subject: str | None, case_sensitive: bool = False) -> Any:
        key = (pattern, case_sensitive)
        if key in self.cache:
            return self.cache[key]
        expanded = self.expand(pattern, loc, subject)
        flags = _FLAGS | (0 if case_sensitive else regex.IGNORECASE)
        try:
            compiled = regexcache.compile(expanded, flags)
        except regex.error as exc:
            raise RuleError(f"pattern does not compile: {exc.msg if hasattr(exc, 'msg') else exc}", loc, subject) from None
        self.cache[key] = compiled
        return compiled


def _compile_rule(b: _Builder, raw: LocDict, order: int, known_kinds: set[str]) -> Rule:
    rule_id = raw["id"]
    subject = f"rule '{rule_id}'"
    if raw["kind"] not in known_kinds:
        import difflib

        close = difflib.get_close_matches(raw["kind"], sorted(known_kinds), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; known kinds: {', '.join(sorted(known_kinds))}"
        raise RuleError(f"unknown kind '{raw['kind']}'{hint}", raw.loc("kind", value=True), subject)
    if ("pattern" in raw) == ("patterns" in raw):
        what = "give either 'pattern' or 'patterns', not both" if "pattern" in raw else "missing required key 'pattern' (or 'patterns')"
        raise RuleError(what, raw.loc("patterns" if "patterns" in raw else None), subject)
    pats = [raw["pattern"]] if "pattern" in raw else list(raw["patterns"])
    locs = [raw.loc("pattern", value=True)] if "pattern" in raw else [raw["patterns"].loc(i) for i in range(len(pats))]
    case = bool(raw.get("case_sensitive", False))
    compiled = tuple(b.compile(p, loc, subject, case) for p, loc in zip(pats, locs))
    groups = frozenset(name for c in compiled for name in c.groupindex)

    _check_group_refs(raw, groups, subject)
    _check_params(raw, subject)
    _check_example_dates(raw, subject)
    verdict = raw.get("verdict") or LocDict()
    whens = tuple(
        When(compile_condition(w["if"], lambda p, wh, w=w: b.condition(p, w.loc("if", value=True), subject, case)),
             w["verdict"], w["reason"])
        for w in verdict.get("when") or []
    )

    def drop(spec: Any, i: int) -> Condition:  # the i-th drop condition, or a merge at its place
        return compile_condition(spec, lambda p, wh: b.condition(p, raw["drop"].loc(i), subject, case))

    specs = list(raw.get("drop") or [])
    drops = _merge_edges(tuple(drop(d, i) for i, d in enumerate(specs)), specs, drop,
                         lambda text, i: b.expand(text, raw["drop"].loc(i), subject))
    trigger = b.compile(raw["trigger"], raw.loc("trigger", value=True), subject, case) if "trigger" in raw else None
    return Rule(
        id=rule_id, kind=raw["kind"], description=raw["description"],
        message=raw.get("message", raw["description"]), patterns=tuple(pats), compiled=compiled,
        groups=groups, priority=int(raw.get("priority", 0)), normalize=dict(raw.get("normalize") or {}),
        drop=drops, default_verdict=verdict.get("default", "unsupported"),
        default_reason=verdict.get("reason", "Nothing in the reference facts or the article backs this claim."),
        checks=tuple(verdict.get("check", ("facts", "consistency"))), when=whens,
        examples=dict(raw["examples"]), location=raw.loc(), order=order,
        trigger=trigger, plans=tuple(b.plan(c) for c in compiled), trigger_parts=b.trigger_parts(trigger),
    )


def _merge_edges(drops: tuple[Condition, ...], specs: list[Any], compile_: Any,
                 expand: Any) -> tuple[Condition, ...]:
    """The rule's `drop:` conditions, those that are only a `before:` (or only an
    `after:`) with the same window tested as one pattern, `(?:A)|(?:B)`.

    A match is dropped when any condition holds, and "A or B ends the window" is one
    match of A|B: one call of the regex engine instead of several (a condition costs
    3-6 us, a third of it the engine's fixed cost). Each condition was compiled on
    its own first, so a mistake is still reported at its own line. Patterns whose
    expansion has a back-reference or an inline flag (which in VERSION0 would set it
    for the others too) keep their own test.
    """
    groups: dict[tuple[str, Any], list[int]] = {}
    for i, spec in enumerate(specs):
        if isinstance(spec, dict) and len(set(spec) - {"window"}) == 1:
            (edge,) = set(spec) - {"window"}
            text = spec[edge]
            if edge in ("before", "after") and isinstance(text, str) and anchor.standalone(expand(text, i)):
                groups.setdefault((edge, spec.get("window", WINDOW)), []).append(i)
    merged: dict[int, Condition] = {}  # at the first member's place
    folded: set[int] = set()  # the other members
    for (edge, window), members in groups.items():
        if len(members) > 1:
            either = "|".join(f"(?:{specs[i][edge]})" for i in members)
            merged[members[0]] = compile_({edge: either, "window": window}, members[0])
            folded.update(members[1:])
    return tuple(merged.get(i, c) for i, c in enumerate(drops) if i not in folded)


def _check_example_dates(raw: LocDict, subject: str) -> None:
    """An example's `published` must be a real day: `rules test` anchors relative dates on it."""
    import datetime as dt

    for example in (raw.get("examples") or {}).get("match") or []:
        value = example.get("published") if isinstance(example, dict) else None
        if value is None:
            continue
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            loc = example.loc("published", value=True) if isinstance(example, LocDict) else raw.loc("examples")
            raise RuleError(f"example 'published' is {value!r}, not a date (YYYY-MM-DD)", loc, subject) from None


def _check_params(raw: LocDict, subject: str) -> None:
    """Check `normalize:` against the parameters the kind's normalizer declares (PARAMS).

    PARAMS maps each parameter to a tuple of allowed values, a type, or a tuple of types; a value with a
    '{group}' reference is checked when the article is read, so only its type here.
    """
    declared = normalize.hook(raw["kind"], "PARAMS")
    if declared is None:
        return
    for key, value in (raw.get("normalize") or {}).items():
        where = raw["normalize"].loc(key)
        if key not in declared:
            import difflib  # only an error needs it

            close = difflib.get_close_matches(key, sorted(declared), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(sorted(declared)) or 'none'}"
            raise RuleError(f"unknown normalize parameter '{key}' for kind '{raw['kind']}'{hint}", where, subject)
        allowed = declared[key]
        if isinstance(allowed, tuple) and allowed and all(isinstance(a, type) for a in allowed):
            if not isinstance(value, allowed):
                names = " or ".join(a.__name__ for a in allowed)
                raise RuleError(f"normalize.{key} must be {names}, not {value!r}",
                                raw["normalize"].loc(key, value=True), subject)
            continue
        templated = isinstance(value, str) and "{" in value
        if isinstance(allowed, tuple) and not templated and value not in allowed:
            raise RuleError(f"normalize.{key} is {value!r}; allowed: {', '.join(map(str, allowed))}",
                            raw["normalize"].loc(key, value=True), subject)
        if isinstance(allowed, type) and not isinstance(value, allowed) and not (allowed is float and isinstance(value, int)):
            raise RuleError(f"normalize.{key} must be {allowed.__name__}, not {value!r}",
                            raw["normalize"].loc(key, value=True), subject)


def _check_group_refs(raw: LocDict, groups: frozenset[str], subject: str) -> None:
    """Every '{group}' in `normalize` and every condition's group must exist."""
    for key, value in (raw.get("normalize") or {}).items():
        for name in _GROUP.findall(value) if isinstance(value, str) else []:
            if name not in groups:
                raise RuleError(f"normalize.{key} refers to group '{name}', which no pattern defines",
                                raw["normalize"].loc(key, value=True), subject)
    conds = list(raw.get("drop") or []) + [w["if"] for w in (raw.get("verdict") or {}).get("when") or []]
    while conds:
        cond = conds.pop()
        for key in ("group", "no_group"):
            names = [cond[key]] if isinstance(cond.get(key), str) else list(cond.get(key) or [])
            for name in names:
                if name not in groups:
                    raise RuleError(f"condition refers to group '{name}', which no pattern defines",
                                    cond.loc(key, value=True), subject)
        conds.extend(cond.get("any") or [])
        if "not" in cond:
            conds.append(cond["not"])


def load_pack(dirs: Iterable[Path], *, disable: Iterable[str] = (), overrides: dict[str, dict[str, Any]] | None = None,
              timeout: float = DEFAULT_TIMEOUT) -> Pack:
    """Load and compile rule packs; raise RuleError at the first problem."""
    files = pack_files(dirs)
    if not files:
        raise RuleError("no rule files (*.yaml) found", Location(", ".join(map(str, dirs)) or "."))
    # The patterns this set of files compiled last time are read back from one file.
    with regexcache.bundle(hashlib.sha256("\0".join(str(p.resolve()) for p in files).encode()).hexdigest()[:32]):
        return _load_files(files, disable, overrides or {}, timeout)


def _load_files(files: list[Path], disable: Iterable[str], overrides: dict[str, dict[str, Any]],
                timeout: float) -> Pack:
    b = _Builder(timeout)
    for path in files:
        b.add_file(path, overrides)
    known = set(normalize.BUILTIN_KINDS) | set(b.kinds)
    seen: dict[str, Location] = {}
    rules = []
    disabled = set(disable)
    for order, raw in enumerate(b.raw_rules):
        if raw["id"] in seen:
            raise RuleError(f"duplicate rule id; first defined at {seen[raw['id']]}", raw.loc("id", value=True),
                            f"rule '{raw['id']}'")
        seen[raw["id"]] = raw.loc("id", value=True)
        rule = _compile_rule(b, raw, order, known)
        if raw.get("enabled", True) and rule.id not in disabled:
            rules.append(rule)
    topics = {name: b.compile(p, Location("settings.topics"), f"topic '{name}'")
              for name, p in (b.settings.get("topics") or {}).items()}
    regexcache.save()
    return Pack(tuple(rules), b.lists, b.tables, b.fragments, b.kinds, b.settings, topics,
                b.hash.hexdigest()[:12], tuple(map(str, files)),
                frozenset(name for name, is_regex in b.list_is_regex.items() if is_regex))
