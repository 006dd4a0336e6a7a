"""Validate loaded YAML against a shipped JSON Schema, in plain sentences.

jsonschema's raw messages ("Additional properties are not allowed ('patern' was
unexpected)") are rewritten into one line that names the file, line, column, the
rule or fact, the bad key or value and what is allowed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from .atomic import cache_home
from .errors import FactcheckError, Location
from .yamlsafe import LocDict, LocList

SCHEMA_DIR = Path(__file__).parent / "schema"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """Return a shipped JSON Schema by name ('rules', 'facts', 'report')."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema  # imported late: only validation needs it

    cls = jsonschema.validators.validator_for(schema(name))
    return cls(schema(name))


def _walk(doc: Any, path: list[Any]) -> tuple[Any, Any]:
    """Return (parent container, last key) for a jsonschema error path."""
    parent, node = None, doc
    for key in path:
        parent, node = node, node[key]
    return parent, (path[-1] if path else None)


def _location(doc: Any, path: list[Any], key: str | None = None) -> Location | None:
    parent, last = _walk(doc, path)
    node = parent[last] if parent is not None else doc
    if key is not None and isinstance(node, LocDict):
        return node.loc(key)
    if isinstance(parent, LocDict):
        return parent.loc(last, value=True)
    if isinstance(parent, LocList):
        return parent.loc(last)
    if isinstance(node, (LocDict, LocList)):
        return node.loc()
    return None


def _subject(doc: Any, path: list[Any], noun: str) -> str | None:
    """Name the innermost rule or fact that holds the error, by its id."""
    subject, node = None, doc
    for key in path:
        node = node[key]
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            subject = f"{noun} '{node['id']}'"
    return subject


def _allowed_keys(error: Any) -> list[str]:
    return sorted(error.schema.get("properties", {}))


def _yaml_type(value: Any) -> str:
    """Name a loaded value's type as YAML users know it."""
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                       (dict, "object"), (list, "array")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def _a(type_name: str) -> str:
    """'array' -> 'a list', 'object' -> 'a mapping' (the words YAML users use)."""
    names = {"array": "a list", "object": "a mapping", "string": "a string", "integer": "an integer",
             "number": "a number", "boolean": "true or false", "null": "empty"}
    return " or ".join(names.get(t, t) for t in type_name.split(" or "))


def _explain(error: Any) -> tuple[str, str | None]:
    """Return (sentence, key to point at) for one jsonschema error."""
    where = ".".join(str(p) for p in error.absolute_path) or "the file"
    if error.validator == "additionalProperties":
        allowed = _allowed_keys(error)
        extra = [k for k in error.instance if k not in allowed]
        key = str(extra[0]) if extra else None
        import difflib

        close = difflib.get_close_matches(key or "", allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(allowed)}"
        return f"unknown key '{key}'{hint}", key
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required key '{missing}' in {where}", None
    if error.validator == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        return f"'{where}' must be {_a(want)}, not {_a(_yaml_type(error.instance))}", None
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"'{where}' is {error.instance!r}; allowed: {allowed}", None
    if error.validator == "pattern":
        return f"'{where}' is {error.instance!r}, which does not fit {error.validator_value}", None
    return f"'{where}': {error.message}", None


def _best(errors: list[Any]) -> Any:
    """Pick the most specific error; oneOf wrappers hide the useful ones."""
    import jsonschema

    return jsonschema.exceptions.best_match(errors)


def _stamp(schema_name: str, source: bytes) -> Path:
    """Where a file's passing validation is remembered: keyed by schema and content."""
    digest = hashlib.sha256((SCHEMA_DIR / f"{schema_name}.schema.json").read_bytes())
    digest.update(b"\0" + source)
    return cache_home() / "valid" / f"{schema_name}-{digest.hexdigest()[:32]}"


def validate(doc: Any, schema_name: str, path: str, noun: str, error: type[FactcheckError],
             source: bytes | None = None) -> None:
    """Raise `error` for the first schema violation in `doc`, with its location.

    Importing jsonschema costs about a third of a second, more than the rest of
    `factcheck extract` start-up; so a file whose exact bytes already passed (`source`)
    is not validated again. The semantic checks that follow always run.
    """
    stamp = _stamp(schema_name, source) if source is not None else None
    if stamp is not None and stamp.exists():
        return
    errors = list(_validator(schema_name).iter_errors(doc))
    if not errors:
        if stamp is not None:
            try:
                stamp.parent.mkdir(parents=True, exist_ok=True)
                stamp.touch()
            except OSError:
                pass  # a read-only home only costs the next run the validation
        return
    errors.sort(key=lambda e: list(map(str, e.absolute_path)))
    first = errors[0]
    while first.validator in ("oneOf", "anyOf") and first.context:
        # The deepest error is the most specific: an item of the list, not the list.
        first = max(first.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    message, key = _explain(first)
    loc = _location(doc, list(first.absolute_path), key) or Location(path)
    raise error(message, loc, _subject(doc, list(first.absolute_path), noun))
