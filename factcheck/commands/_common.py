"""What several subcommands share: loading the engine, reading inputs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import ArticleError, ConfigError, Location

if TYPE_CHECKING:
    import datetime as dt  # imported where a date is parsed: a cached re-run parses none


def load_engine_from(args: argparse.Namespace) -> Any:
    """Load config, rule pack and facts as the options say."""
    from ..api import load_engine
    from ..config import load_config

    config = load_config(Path(args.config) if getattr(args, "config", None) else None)
    return load_engine(
        rules=[Path(r) for r in getattr(args, "rules", [])],
        facts=[Path(f) for f in getattr(args, "facts", [])],
        config=config,
        default_rules=False if getattr(args, "no_default_rules", False) else None,
        default_facts=False if getattr(args, "no_default_facts", False) else None,
    )


def published_arg(value: str | None) -> dt.date | None:
    """Parse --published, or raise a ConfigError naming the option."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--published is {value!r}, not a date (YYYY-MM-DD)") from None


# Documentation that sits beside articles in a folder: read only when named explicitly.
NOT_ARTICLES = {"readme", "license", "licence", "changelog", "contributing", "authors", "notice"}


def walk_articles(folder: str, extensions: Any) -> Iterator[str]:
    """Article files under `folder` (recursively) whose extension is one of `extensions`.

    Hidden files and folders and README/LICENSE-like files are not articles there
    (named on the command line, they are). os.scandir, not Path.rglob: on a corpus of
    thousands of files the walk was a quarter of a cached re-run's time. Links to
    files count; links to folders are not followed (rglob's behaviour).
    """
    return (entry.path for entry in walk_entries(folder, extensions))


def walk_entries(folder: str, extensions: Any) -> Iterator[os.DirEntry[str]]:
    """The directory entries of walk_articles, each folder's in name order, so that on POSIX
    they come in the order of their sorted paths (their stat() is a link's target's, as
    os.stat's)."""
    try:
        entries = sorted(os.scandir(folder), key=_name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk_entries(entry.path, extensions)
            continue
        # os.path.splitext's split (the name is not hidden), without its calls: a walk looks at
        # every name of a corpus. The name first: is_file() of a link costs a stat of its target.
        stem, dot, ext = name.lower().rpartition(".")
        if dot and dot + ext in extensions and stem not in NOT_ARTICLES and entry.is_file():
            yield entry


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def expand_inputs(paths: list[str]) -> Iterator[Path | str]:
    """Yield files from files, folders (recursively, by extension) and globs; '-' is stdin."""
    from ..names import EXTENSIONS

    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(Path(p) for p in walk_articles(str(path), EXTENSIONS))
        elif path.exists():
            yield path
        elif any(c in raw for c in "*?["):
            matches = sorted(Path().glob(raw)) if not path.is_absolute() else sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            if not matches:
                raise ArticleError("no file matches this pattern", Location(raw))
            yield from (m for m in matches if m.is_file())
        else:
            raise ArticleError("no such file or folder", Location(raw))


def iter_articles(paths: list[str], published: dt.date | None) -> Iterator[Any]:
    """Yield the articles of the inputs, in order."""
    from ..readers import read_jsonl, read_path

    for item in expand_inputs(paths):
        if item == "-":
            yield from read_jsonl(sys.stdin, "<stdin>", published)
        else:
            yield from read_path(item, published)
