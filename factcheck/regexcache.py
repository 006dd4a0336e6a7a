"""Compile patterns once per machine, not once per process.

The `regex` module parses a pattern in Python; the default pack's few hundred patterns
(word lists expanded) take about 0.6 s of CPU to compile, more than everything else
`factcheck extract` does on an article. What the parser produces is plain data (lists
of ints, dicts, strings) handed to the C engine, so it is kept in a per-user cache
and fed straight to the engine on the next start.

One file per pattern ($XDG_CACHE_HOME/factcheck/regex-VERSION/), named by a digest of
the pattern and its flags, holding the pattern, the flags and the engine's arguments:
adding a pattern writes one small file, and a process reads only the patterns it
compiles (a single file of every pattern ever compiled on the machine grew past 4 MB,
a fifth of start-up just to read). A rule pack's load also keeps a *bundle*
(regex-VERSION-packs/), all the patterns it compiled in one file, since one read is
five times cheaper than a few hundred. Every entry carries a checksum and is used only
for its exact pattern and flags; a missing, corrupt or foreign entry falls back to a
normal compile. Files are written with `marshal` (plain data only, never code) and
replaced atomically. Set FACTCHECK_NO_REGEX_CACHE=1 (or FACTCHECK_NO_CACHE=1) to
bypass the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import regex
import regex._main as _main

from . import native, watchdog
from .atomic import cache_home, prune_oldest, write_atomic

_LOCK = threading.Lock()
# An entry's key: (pattern, flags) for the engine's arguments of a compiled pattern,
# (namespace, pattern, flags) for what `derived` computed from a pattern.
Key = tuple[Any, ...]
_PENDING: dict[Key, Any] = {}  # compiled or computed here, not yet written
_AT_EXIT: list[bool] = []  # save() registered to run at exit
MAX_ENTRIES = 5000  # past this many files, the oldest quarter is removed
MAX_BUNDLES = 200  # the same for bundles (one per rule pack and folder)
_SUM = 16  # bytes of blake2b checksum ahead of each entry


def _disabled() -> bool:
    return bool(os.environ.get("FACTCHECK_NO_REGEX_CACHE") or os.environ.get("FACTCHECK_NO_CACHE"))


_FOLDERS: dict[tuple[str | None, str | None], str] = {}


def _folder() -> str:
    """Return the cache folder of this regex version (memoized: it is asked once per pattern)."""
    where = (os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    if where not in _FOLDERS:
        # The engine's arguments are the regex parser's output: valid for this version only.
        name = f"regex-{regex.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
        _FOLDERS[where] = os.path.join(cache_home(), name)
    return _FOLDERS[where]


def _entry(key: Key) -> str:
    *namespace, pattern, flags = key
    head = f"{namespace[0]}\0{flags}:" if namespace else f"{flags}:"
    digest = hashlib.sha256(head.encode() + pattern.encode("utf-8", "surrogatepass"))
    return os.path.join(_folder(), digest.hexdigest()[:40])


def _read(key: Key) -> Any:
    """Return the value cached for `key`, or None."""
    try:
        with open(_entry(key), "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    payload = data[_SUM:]
    if hashlib.blake2b(payload, digest_size=_SUM).digest() != data[:_SUM]:
        return None
    try:
        stored_key, value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key and type(value) is tuple else None


def _lookup(key: Key) -> Any:
    """Return the value cached for `key` (this load's bundle first), or None."""
    if _disabled():
        return None
    current = getattr(_LOCAL, "bundle", None)
    found = current.stored.get(key) if current is not None else None
    return found if found is not None else _PENDING.get(key) or _read(key)


def _remember(key: Key, value: tuple[Any, ...], new: bool) -> None:
    """Note that this load used `value` for `key`; `new`: write its entry on save()."""
    if _disabled():
        return
    if new:
        _PENDING[key] = value
        if not _AT_EXIT:  # compiled after a load (on first use): written when the process ends
            import atexit

            atexit.register(save)
            _AT_EXIT.append(True)
    current = getattr(_LOCAL, "bundle", None)
    if current is not None:
        current.used[key] = value


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
    """Return `regex.compile(pattern, flags)`, using the per-user cache.

    Patterns compiled on first use, while an article is matched, are compiled outside
    the pattern's time limit (watchdog.paused).
    """
    with watchdog.paused():
        return _compile(pattern, flags)


def _compile(pattern: str, flags: int) -> Any:
    key = (pattern, int(flags))
    args = _lookup(key)
    if args is not None:
        try:
            compiled = _main._regex.compile(*args)
            _remember(key, args, new=False)
            return compiled
        except Exception:  # noqa: BLE001 - any engine disagreement: compile afresh
            pass
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
        _remember(key, args, new=True)
    return compiled


def derived(compute: Callable[[str, int], Any], pattern: str, flags: int) -> Any:
    """Return `compute(pattern, flags)`, cached per user like a compiled pattern.

    For what is read off a pattern's text at load time and costs more than reading it
    back (anchor plans). `compute` must be a module-level function of the pattern and
    flags alone, returning plain data that marshal stores (None, bool, int, float, str,
    bytes, tuple, list, dict, set, frozenset). Entries are keyed by the function's name
    and the source of its module, so editing the module recomputes them.
    """
    namespace = _namespace(compute)
    if namespace is None or _disabled():
        return compute(pattern, flags)
    key = (namespace, pattern, int(flags))
    found = _lookup(key)
    if found is not None:
        _remember(key, found, new=False)
        return found[0]
    value = compute(pattern, flags)
    if _marshallable((value,)):
        _remember(key, (value,), new=True)
    return value


_NAMESPACES: dict[Any, str | None] = {}


def _namespace(compute: Callable[..., Any]) -> str | None:
    """Name a computation by its function and a digest of its module's source (None: unknown)."""
    if compute not in _NAMESPACES:
        module = getattr(compute, "__module__", "")
        try:
            # A compiled module (native.py) computes what its source says, and its __file__
            # may be wrong (mypyc sets it from the group's library).
            path = native.source(module) if module in native.MODULES else sys.modules[module].__file__
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]  # type: ignore[arg-type]
            name = getattr(compute, "__qualname__", None) or compute.__name__  # compiled: no __qualname__
            _NAMESPACES[compute] = f"{module}.{name}@{digest}"
        except (AttributeError, KeyError, OSError, TypeError):
            _NAMESPACES[compute] = None
    return _NAMESPACES[compute]


def _marshallable(args: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(args)
        return True
    except ValueError:
        return False


class _Bundle:
    """The patterns one recurring load (a rule pack) compiled last time, and this time."""

    def __init__(self, name: str) -> None:
        self.path = os.path.join(_folder() + "-packs", name)
        self.stored: dict[Key, Any] = _read_bundle(self.path)
        self.used: dict[Key, Any] = {}


_LOCAL = threading.local()  # .bundle: the bundle of the load running in this thread


def _read_bundle(path: str) -> dict[Key, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        if hashlib.blake2b(data[_SUM:], digest_size=_SUM).digest() == data[:_SUM]:
            stored = marshal.loads(data[_SUM:])
            if type(stored) is dict:
                return stored
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


@contextlib.contextmanager
def bundle(name: str) -> Iterator[None]:
    """Read the patterns compiled inside from one file, `name`, kept up to date.

    Loading the default pack compiles a few hundred patterns; one file read for all of
    them costs a fifth of one read per pattern. Each pattern is still looked up by its
    own text and flags, so a bundle can only save time: a pattern missing from it comes
    from its own entry (or is compiled), and the bundle is rewritten, on a load that
    succeeds, when the set of patterns changed (rules edited, added or removed).
    """
    if _disabled():
        yield
        return
    current, outer = _Bundle(name), getattr(_LOCAL, "bundle", None)
    _LOCAL.bundle = current
    try:
        yield
    finally:
        _LOCAL.bundle = outer
    if current.used.keys() != current.stored.keys():
        payload = marshal.dumps(current.used)
        try:
            write_atomic(Path(current.path), hashlib.blake2b(payload, digest_size=_SUM).digest() + payload, mode=0o600)
            prune_oldest(os.path.dirname(current.path), MAX_BUNDLES)
        except OSError:
            pass


def save() -> None:
    """Write what was compiled or computed since the last save (atomically); errors only cost speed."""
    if not _PENDING or _disabled():
        _PENDING.clear()
        return
    written = 0
    for key in list(_PENDING):
        value = _PENDING.pop(key, None)
        if value is None:
            continue
        payload = marshal.dumps((key, value))
        try:
            write_atomic(Path(_entry(key)), hashlib.blake2b(payload, digest_size=_SUM).digest() + payload, mode=0o600)
            written += 1
        except OSError:
            return
    if written:
        prune_oldest(_folder(), MAX_ENTRIES)
        # Earlier versions kept every pattern in one file; it is not read any more.
        (cache_home() / f"regex-{regex.__version__}.marshal").unlink(missing_ok=True)


