"""Where the shipped rules and templates live, and a digest of what a run's results depend on.

Light on purpose: a fully cached corpus run needs these digests and nothing else
of the engine, so this module imports no YAML, regex or template library. The
sources digest hashes every file under each rule and fact folder, a superset of
what the rule and fact loaders read (they pick the YAML files): a file the loaders
read can never change unnoticed, and an unrelated file there only costs a recompute.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """Return a shipped data folder: in the wheel (factcheck/_data), or the checkout's top level."""
    shipped = _PACKAGE / "_data" / name
    return shipped if shipped.is_dir() else _PACKAGE.parent / name


def default_rules_dir() -> Path:
    """Return the default rule pack (what `factcheck.rules.default_rules_dir` returns)."""
    return _shipped("rules")


def default_facts_dir() -> Path:
    """Return the default facts folder: the rule pack's facts/."""
    return default_rules_dir() / "facts"


def default_templates_dir() -> Path:
    """Return the shipped report templates."""
    return _shipped("templates")


def tree_digest(folder: Path | None) -> str:
    """Hash the names and contents of the files under a folder ('' when there is none)."""
    if folder is None or not folder.is_dir():
        return ""
    h = hashlib.sha256()
    for rel, path in _files(str(folder)):
        with open(path, "rb") as f:
            data = f.read()  # lengths hashed too: no two different trees give the same stream
        h.update(f"{rel}\0{len(data)}\0".encode() + data)
    return h.hexdigest()


def code_digest() -> str:
    """Hash factcheck's own Python sources, so a changed normalizer invalidates results even
    when the version number stays (an editable install during development)."""
    h = hashlib.sha256()
    for rel, path in _files(str(_PACKAGE), ".py"):
        with open(path, "rb") as f:
            h.update(rel.encode() + b"\0" + f.read())
    return h.hexdigest()


def _files(folder: str, suffix: str = "") -> list[tuple[str, str]]:
    """(path relative to `folder`, path) of the files under it whose name ends with `suffix`,
    sorted by relative path; links to files count, links to folders are not followed.

    os.scandir, not pathlib's rglob: every cached run digests the code, the templates and
    the rules, and pathlib's per-path objects were most of the 9 ms that took."""
    found: list[tuple[str, str]] = []
    stack = [(folder, "")]
    while stack:
        top, prefix = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + os.sep))
            elif entry.name.endswith(suffix) and entry.is_file():
                found.append((rel, entry.path))
    return sorted(found)


def sources_digest(rules: list[Path], facts: list[Path], config: Any, code: str | None = None) -> str:
    """Hash the rule and fact folders (every file's name and content), the config and the code.

    A folder that does not exist is reported as the loaders report it (RuleError,
    FactError), so a cached run fails on it exactly as an uncached one does. `code`
    is code_digest(), when the caller has it already.
    """
    h = hashlib.sha256((code or code_digest()).encode())
    for kind, folders in (("rules", rules), ("facts", facts)):
        for folder in folders:
            h.update(f"{kind}\0{folder}\0".encode())
            if folder.is_file():
                h.update(folder.read_bytes() + b"\0")
            elif folder.is_dir():
                h.update(tree_digest(folder).encode() + b"\0")
            else:
                _missing(kind, folder)
    h.update(repr(config).encode())
    return h.hexdigest()


def _missing(kind: str, folder: Path) -> None:
    """Raise the loaders' own error for a folder that is not there."""
    if kind == "rules":
        from .rules import pack_files

        pack_files([folder])
    else:
        from .facts import fact_files

        fact_files([folder])
