"""Load user YAML safely, keeping the line and column of every key and item.

Rule and fact files come from users, so loading must never run code (SafeLoader
only), never expand a YAML bomb, and must let every later error point at
`path:line:col`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FactcheckError, Location

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
# Aliases are shared references when loaded, but anything that walks the data (schema
# validation, compilation) expands them; cap the expanded size so a "billion laughs"
# file fails at once instead of eating the machine.
MAX_EXPANDED_NODES = 200_000
# Rule files nest a dozen levels; constructing a deeper document ("[[[[...") recursively
# would hit Python's recursion limit, with no line to show.
MAX_DEPTH = 100


class LocDict(dict):
    """A dict that remembers where it and each of its keys stand in the file."""

    path: str = ""
    line: int | None = None
    col: int | None = None
    key_locs: dict[str, tuple[int, int]]
    value_locs: dict[str, tuple[int, int]]

    def loc(self, key: str | None = None, *, value: bool = False) -> Location:
        """Return the location of `key` (or of its value), or of the mapping itself."""
        locs = self.value_locs if value else self.key_locs
        if key is not None and key in locs:
            line, col = locs[key]
            return Location(self.path, line, col)
        return Location(self.path, self.line, self.col)


class LocList(list):
    """A list that remembers where it and each of its items stand in the file."""

    path: str = ""
    line: int | None = None
    col: int | None = None
    item_locs: list[tuple[int, int]]

    def loc(self, index: int | None = None) -> Location:
        """Return the location of item `index`, or of the list itself."""
        if index is not None and 0 <= index < len(self.item_locs):
            line, col = self.item_locs[index]
            return Location(self.path, line, col)
        return Location(self.path, self.line, self.col)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@functools.cache
def _loaders() -> tuple[type, type]:
    """Return (fast loader, pure-Python loader), built on first use.

    PyYAML is imported here, not at module level: when every rule file comes from the
    parsed-document cache (doccache), `factcheck extract` never needs it.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        """Safe loader that builds LocDict/LocList and keeps dates as ISO strings."""

        path = ""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocDict:  # type: ignore[override]
            self.flatten_mapping(node)
            out = LocDict()
            out.path, (out.line, out.col) = self.path, _mark(node)
            out.key_locs, out.value_locs = {}, {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    line, col = _mark(key_node)
                    raise FactcheckError("a mapping key must be a plain value", Location(self.path, line, col))
                key = str(key) if not isinstance(key, str) else key
                if key in out:
                    line, col = _mark(key_node)
                    raise FactcheckError(f"duplicate key '{key}'", Location(self.path, line, col))
                out[key] = self.construct_object(value_node, deep=True)
                out.key_locs[key] = _mark(key_node)
                out.value_locs[key] = _mark(value_node)
            return out

        def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocList:  # type: ignore[override]
            out = LocList(self.construct_object(child, deep=True) for child in node.value)
            out.path, (out.line, out.col) = self.path, _mark(node)
            out.item_locs = [_mark(child) for child in node.value]
            return out

        def construct_yaml_timestamp(self, node: yaml.Node) -> str:  # type: ignore[override]
            # Dates stay strings so rule and fact values keep the granularity written.
            return self.construct_scalar(node)  # type: ignore[return-value]

    # YAML 1.1 reads yes/no/on/off as booleans, which turns the word "no" in a word list
    # into False; like YAML 1.2, only true and false are booleans here.
    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))
    _Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
    _Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

    if not hasattr(yaml, "CSafeLoader"):
        return _Loader, _Loader

    class _FastLoader(yaml.CSafeLoader, _Loader):  # type: ignore[misc]
        """The same loader on libyaml's parser, ten times faster than the Python one.

        Construction stays in Python (the _Loader methods), so the data is the same; only
        libyaml's error messages are terser, so a file it rejects is parsed again by the
        Python parser to word the error.
        """

    return _FastLoader, _Loader


def _too_deep(node: yaml.Node) -> yaml.Node | None:
    """Return the first node nested deeper than MAX_DEPTH, walking without recursion."""
    import yaml

    stack, deepest = [(node, 1)], {}
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return current
        if deepest.get(id(current), 0) >= depth:
            continue  # an alias seen before at this depth or deeper
        deepest[id(current)] = depth
        if isinstance(current, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in current.value for child in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return None


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    import yaml

    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against recursive aliases while we count
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    memo[key] = size
    return size


def load_yaml(path: Path, error: type[FactcheckError] = FactcheckError) -> Any:
    """Load one YAML file with locations, or raise `error` pointing at the problem."""
    return read_yaml(path, error)[0]


def read_yaml(path: Path, error: type[FactcheckError] = FactcheckError) -> tuple[Any, bytes]:
    """Load one YAML file with locations; return the data and the file's bytes."""
    raw = read_bytes(path, error)
    return parse_bytes(raw, str(path), error), raw


def read_bytes(path: Path, error: type[FactcheckError] = FactcheckError) -> bytes:
    """Return a file's bytes, or raise `error` naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", Location(str(path))) from None


def parse_bytes(raw: bytes, path: str, error: type[FactcheckError] = FactcheckError) -> Any:
    """Parse a YAML file's bytes (size, NUL bytes and UTF-8 checked first), naming `path` in errors."""
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}", Location(path, 1, 1))
    if b"\x00" in raw:
        raise error("not a text file (it contains NUL bytes)", Location(path, 1, 1))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        raise error(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                    Location(path, line, col)) from None
    return parse_yaml(text, path, error)


def parse_yaml(text: str, path: str, error: type[FactcheckError] = FactcheckError) -> Any:
    """Parse YAML text, naming `path` in errors."""
    fast, slow = _loaders()
    try:
        return _parse(fast, text, path, error)
    except FactcheckError as exc:
        if fast is slow or not exc.message.startswith("invalid YAML"):
            raise
    return _parse(slow, text, path, error)


def _parse(cls: type, text: str, path: str, error: type[FactcheckError]) -> Any:
    import yaml

    try:
        loader = cls(text)  # the pure-Python reader refuses control characters here, at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise error(f"invalid YAML: character {exc.character:#06x} is not allowed (a control character?)",
                    Location(path, line, col)) from None
    except UnicodeEncodeError:  # lone surrogates: the C reader encodes the text to UTF-8 first
        raise error("invalid YAML: the text holds lone surrogate characters", Location(path, 1, 1)) from None
    loader.path = path
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        deep = _too_deep(node)
        if deep is not None:
            raise error(f"the document is nested more than {MAX_DEPTH} levels deep", Location(path, *_mark(deep)))
        # Without an anchor ('&') there is no alias, so the document is no bigger than its text.
        if "&" in text and _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            line, col = _mark(node)
            raise error("the document expands to too many nodes (aliases nested too deep?)",
                        Location(path, line, col))
        return loader.construct_document(node)
    except FactcheckError as exc:
        raise error(exc.message, exc.location) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        what = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {what}", loc) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", Location(path)) from None
    except RecursionError:
        raise error("the document is nested too deeply", Location(path, 1, 1)) from None
    finally:
        loader.dispose()


def iso_date(value: Any) -> str | None:
    """Return a YAML date value as an ISO string (dates stay strings when loaded)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return None if value is None else str(value)
