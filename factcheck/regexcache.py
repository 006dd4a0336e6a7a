"""Compile patterns once per machine, not once per process.

The `regex` module parses a pattern in Python; the default pack's ~80 patterns (word
lists expanded) take about 0.6 s of CPU to compile, more than everything else
`factcheck extract` does on an article. What the parser produces is plain data (lists
of ints, dicts, strings) handed to the C engine, so it is kept in a cache file, keyed
by the regex version, the pattern and its flags, and fed straight to the engine on the
next start. Any mismatch or error falls back to a normal compile. The file is written
with `marshal` (plain data only, never code) and replaced atomically.
"""

from __future__ import annotations

import marshal
import os
import threading
from pathlib import Path
from typing import Any

import regex
import regex._main as _main

from .atomic import cache_home, write_atomic

_LOCK = threading.Lock()
_STORE: dict[tuple[str, int], tuple[Any, ...]] | None = None
_DIRTY = False
MAX_ENTRIES = 5000


def _path() -> Path:
    return cache_home() / f"regex-{regex.__version__}.marshal"


def _load() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _STORE
    if _STORE is None:
        _STORE = {}
        if os.environ.get("FACTCHECK_NO_REGEX_CACHE"):
            return _STORE
        try:
            data = marshal.loads(_path().read_bytes())
            if isinstance(data, dict):
                _STORE = data
        except (OSError, EOFError, ValueError, TypeError):
            pass  # no cache yet, or a corrupt one: compile normally and rewrite it
    return _STORE


class _Spy:
    """Stands in for the C module during one compile to catch the engine's input."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.args: tuple[Any, ...] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def compile(self, *args: Any) -> Any:
        self.args = args
        return self._real.compile(*args)


def compile(pattern: str, flags: int = 0) -> Any:
    """Return `regex.compile(pattern, flags)`, using the machine-wide cache."""
    global _DIRTY
    store = _load()
    key = (pattern, int(flags))
    args = store.get(key)
    if args is not None:
        try:
            return _main._regex.compile(*args)
        except Exception:  # noqa: BLE001 - any engine disagreement: compile afresh
            store.pop(key, None)
    with _LOCK:
        real = _main._regex
        spy = _Spy(real)
        _main._regex = spy
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)  # so the engine is called
        finally:
            _main._regex = real
    # Flags arrive as RegexFlag enums, which marshal cannot store; the engine takes ints.
    args = tuple(int(a) if isinstance(a, int) else a for a in spy.args) if spy.args is not None else None
    if args is not None and _marshallable(args):
        store[key] = args
        _DIRTY = True
    return compiled


def _marshallable(args: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(args)
        return True
    except ValueError:
        return False


def save() -> None:
    """Write new entries to the cache file (atomically); errors only cost speed."""
    global _DIRTY
    if not _DIRTY or _STORE is None or os.environ.get("FACTCHECK_NO_REGEX_CACHE"):
        return
    store = _STORE if len(_STORE) <= MAX_ENTRIES else dict(list(_STORE.items())[-MAX_ENTRIES:])
    try:
        write_atomic(_path(), marshal.dumps(store), mode=0o600)
        _DIRTY = False
    except (OSError, ValueError):
        pass
