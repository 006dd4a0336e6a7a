"""Which modules may run compiled (factcheck/compiled.py builds them), and the guard that
uses them only while they match their sources.

A build leaves each module's extension next to its source, the group's shared library
(`factcheck/_native__mypyc.*`) and a stamp (`factcheck/.compiled`) holding a digest of
the sources it compiled. The compiled modules call each other directly, in C, so they
are used all or none: `install()` (run by `import factcheck`) puts a finder first on
`sys.meta_path` which, at the first import of one of them, compares the stamp with the
sources; when a source changed since the build, the stamp is missing, or
FACTCHECK_PURE_PYTHON=1 is set, every one of them is loaded from its source. An edited
module is never hidden by a stale compiled one.
"""

from __future__ import annotations

import os
import sys
from typing import Any

MODULES = (
    "factcheck.matcher", "factcheck.anchor", "factcheck.conditions", "factcheck.segment",
    "factcheck.normalize.attributions", "factcheck.normalize.conditions", "factcheck.normalize.dates",
    "factcheck.normalize.dates_context", "factcheck.normalize.durations", "factcheck.normalize.hedges",
    "factcheck.normalize.quantities", "factcheck.normalize.superlatives", "factcheck.normalize.timex",
)
# The group's shared library, inside the package: a top-level one would be left behind by
# anything that copies the package (a snapshot, a vendored copy). Package __init__ modules
# stay Python: mypyc gives a compiled package a wrong __path__ when the group has a dotted name.
GROUP = "factcheck._native"
_LIBRARY = GROUP.rpartition(".")[2] + "__mypyc"
STAMP = ".compiled"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def source(name: str, package: str = _PACKAGE) -> str:
    """The source file of a module of MODULES."""
    return os.path.join(package, *name.split(".")[1:]) + ".py"


def stems(package: str = _PACKAGE) -> list[str]:
    """Where a build's extensions are, without their suffix: each module's, then the library's."""
    return [source(name, package)[:-3] for name in MODULES] + [os.path.join(package, _LIBRARY)]


def digest(package: str = _PACKAGE) -> str:
    """Digest the sources of MODULES and the Python they are built for.

    CRC-32 and length of each file: enough to tell an edited source from the one
    compiled. No defence against a forger, who could as well edit the compiled module.
    Other modules are not digested: compiled code reaches them by name, as Python does.
    """
    import zlib

    parts = [sys.implementation.cache_tag or "", sys.version]
    for name in MODULES:
        with open(source(name, package), "rb") as f:
            data = f.read()
        parts.append(f"{name} {len(data)} {zlib.crc32(data):08x}")
    return "\n".join(parts) + "\n"


def state(package: str = _PACKAGE) -> tuple[bool, str]:
    """Return (whether the compiled modules are used, why)."""
    if os.environ.get("FACTCHECK_PURE_PYTHON"):
        return False, "FACTCHECK_PURE_PYTHON is set"
    try:
        with open(os.path.join(package, STAMP), encoding="utf-8") as f:
            stamp = f.read()
    except OSError:
        return False, "not built (python -m factcheck.compiled build)"
    try:
        current = digest(package)
    except OSError as exc:
        return False, f"a source cannot be read: {exc}"
    if stamp != current:
        return False, "stale: a source changed since the build (python -m factcheck.compiled build)"
    from importlib.machinery import EXTENSION_SUFFIXES

    for stem in stems(package):
        if not any(os.path.exists(stem + suffix) for suffix in EXTENSION_SUFFIXES):
            return False, f"incomplete build: no {os.path.basename(stem)} for this Python"
    return True, "compiled with mypyc"


class _Finder:
    """A meta path finder: the compiled modules when fresh (by declining, so that the usual
    finder picks each module's extension over its source), else every one from its source."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.fresh: bool | None = None  # decided at the first import of one of MODULES

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _NAMES:
            return None
        if self.fresh is None:
            self.fresh = state(self.package)[0]
        if self.fresh:
            return None
        import importlib.util

        return importlib.util.spec_from_file_location(name, source(name, self.package))


_NAMES = frozenset(MODULES)


def install() -> None:
    """Put the finder first on sys.meta_path, once (factcheck/__init__.py calls this)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(_PACKAGE))  # type: ignore[arg-type]


def in_use() -> bool:
    """Tell whether this process runs the compiled modules (imports the matcher)."""
    from . import matcher

    return not matcher.__file__.endswith(".py")
