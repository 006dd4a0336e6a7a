"""The inputs of a corpus run: files, folders, globs and JSONL exports, read as a stream.

`expand` lists the files with their labels (which name their reports), `read_inputs`
yields their articles (or an error entry for what cannot be read), and `scan` does
the same with a run record: a file unchanged since the last run is not read again,
its recorded identity stands for it (see runrecord).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .cache import article_identity, digest
from .corpus_task import error_entry
from .errors import ArticleError, FactcheckError, Location
from .names import report_filename  # not from .report: a cached run renders nothing
from .runrecord import RunRecord, stat_key

if TYPE_CHECKING:  # a cached run reads no article: the pipeline's data classes are not imported
    import datetime as dt  # (nor datetime: dates are parsed where articles are read)

    from .models import Article


def expand(inputs: Iterable[str], skip: Iterable[Path] = ()) -> list[tuple[Path | str, str | None]]:
    """List the files of the inputs with their labels; '-' stays '-'.

    Folders are walked recursively (by extension) and a file found there is labelled
    by its path inside the folder ("business/001"), which names its reports; globs
    and files are labelled by their own name. Hidden files, README/LICENSE-like files
    and the folders in `skip` (our own output and cache) are not articles there.
    Raise ArticleError for an input that names nothing: a mistake in the command,
    found before any work starts.
    """
    return expand_with_stats(inputs, skip)[0]


def expand_with_stats(inputs: Iterable[str], skip: Iterable[Path] = ()) -> tuple[list[tuple[Path | str, str | None]],
                                                                                  dict[str, tuple[int, os.stat_result]]]:
    """Return expand's list, and the stats the folder walk found of its files, each with a time
    (ns) taken before it (see scan)."""
    from .commands._common import expand_inputs

    skipped = [Path(p).resolve() for p in skip]
    files: list[tuple[Path | str, str | None]] = []
    stats: dict[str, tuple[int, os.stat_result]] = {}
    for raw in inputs:
        if raw != "-" and os.path.isdir(raw):
            files += _folder_files(str(Path(raw)), skipped, stats)
        else:
            files += [(item, None) for item in expand_inputs([raw])]
    return files, stats


def _folder_files(folder: str, skipped: list[Path],
                  stats: dict[str, tuple[int, os.stat_result]]) -> list[tuple[Path | str, str | None]]:
    """List a folder's article files (as strings: pathlib's parsing was a quarter of a cached
    re-run) in sorted Path order, each with its label, the skipped folders left out; note their stats."""
    from .commands._common import walk_entries
    from .names import EXTENSIONS

    inside = [list(parts) for parts in _inside(Path(folder), skipped)]
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    files: list[tuple[Path | str, str | None]] = []
    before = time.time_ns()
    for entry in walk_entries(folder, EXTENSIONS):
        path = entry.path
        rel = path[len(prefix):]
        if inside and any(rel.split(os.sep)[: len(parts)] == parts for parts in inside):
            continue
        # The label drops the extension: the walk only gives names with one, after their last dot.
        files.append((path, (rel if os.sep == "/" else rel.replace(os.sep, "/")).rpartition(".")[0]))
        try:  # (a link's target was stat'ed by the walk already)
            stats[path] = (before, entry.stat())
        except OSError:
            pass
    if os.name != "posix":  # the walk gives POSIX path order; Windows folds case when sorting paths
        files.sort(key=lambda f: Path(f[0]))
    return files


def _inside(folder: Path, skipped: list[Path]) -> list[tuple[str, ...]]:
    """Return the skipped folders that lie inside `folder`, as relative parts."""
    root = folder.resolve()
    return [s.relative_to(root).parts for s in skipped if s == root or root in s.parents]


def read_inputs(files: Iterable[tuple[Path | str, str | None]],
                published: dt.date | None) -> Iterator[tuple[Article | dict[str, Any], str | None]]:
    """Yield (article, label) as they are read, or an error entry for what cannot be read; never raise."""
    for item, label in files:
        for article in read_file(item, published):
            yield article, label


def read_file(item: Path | str, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    """Yield the articles of one input ('-' is stdin), or an error entry for what cannot be read."""
    from .readers import read_path

    if item == "-":
        yield from _jsonl_lines(sys.stdin, "<stdin>", published)
    elif str(item).lower().endswith(".jsonl"):
        yield from _jsonl_file(Path(item), published)
    else:
        try:
            yield from read_path(Path(item), published)
        except FactcheckError as exc:
            yield error_entry(str(item), str(item), exc)


def _jsonl_file(path: Path, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    from .readers import decode, normalize_newlines

    try:
        text, _warnings = decode(path.read_bytes(), str(path))
    except (OSError, FactcheckError) as exc:
        yield error_entry(str(path), str(path), exc if isinstance(exc, FactcheckError) else
                          ArticleError(f"cannot read file: {exc.strerror}", Location(str(path))))
        return
    yield from _jsonl_lines(normalize_newlines(text).split("\n"), str(path), published)


def _jsonl_lines(lines: Iterable[str], shown: str, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    """One article per line; a bad line is an error entry and the rest of the file goes on."""
    from .readers import read_jsonl

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            article = next(read_jsonl([line], shown, published))
        except FactcheckError as exc:
            yield error_entry(f"{shown}:{n}", shown, ArticleError(exc.message, Location(shown, n)))
            continue
        if article.id == f"{shown}:1" and n != 1:  # the record has no id: name it by its real line
            from dataclasses import replace  # articles are dataclasses; a cached run reads none

            article = replace(article, id=f"{shown}:{n}")
        yield article


class Stems:
    """Give each article of a run its own report file stem, stable for the same inputs."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}

    def __call__(self, article: Article, label: str | None) -> str:
        own_file = label is not None and article.id == article.path
        stem = report_filename(label.replace("/", "-") if own_file else article.id)
        if self.used.setdefault(stem, article.id) != article.id:  # taken by another article: add a hash of the id
            stem = f"{stem}-{digest(article.id)[:8]}"
            self.used[stem] = article.id
        return stem


def count_articles(files: list[tuple[Path | str, str | None]]) -> int | None:
    """Return the number of articles when it is one per file (else None: the bar shows no ETA)."""
    multi = any(f == "-" or str(f).lower().endswith((".jsonl", ".json")) for f, _ in files)
    return None if multi else len(files)


def scan(files: list[tuple[Path | str, str | None]], published: dt.date | None, record: RunRecord | None,
         stats: dict[str, tuple[int, os.stat_result]] | None = None
         ) -> Iterator[tuple[Any, str | None, list[Any] | None, str | None]]:
    """Yield (article, label, identity, recorded file) in input order; an article file unchanged
    since the run record was written is not read: its Known stands for it. Never raise (see read_inputs).

    A file's stats are taken before it is read (the walk's, from `stats`, else now), each with
    the time just before, which decides whether they are old enough to record.
    """
    for item, label in files:
        taken = _stat(item, stats or {}) if record is not None else None
        st = taken[1] if taken else None
        known = record.known(str(item), st) if record is not None and st is not None else None
        if known is not None:
            yield known, label, known.identity, known.file
            continue
        if st is None:  # stdin, JSONL, no record: stream it, record nothing
            yield from ((article, label, None, None) for article in read_file(item, published))
            continue
        articles = read_file(item, published)
        head = list(itertools.islice(articles, 2))  # a file of one article is recorded; others are streamed
        if len(head) == 1 and not isinstance(head[0], dict) and record is not None:  # (a dict: an error entry)
            identity = article_identity(head[0])
            record.note(str(item), st, taken[0], identity)
            yield head[0], label, identity, str(item)
            continue
        for article in itertools.chain(head, articles):
            yield article, label, None, None


def input_stats(files: list[tuple[Path | str, str | None]],
                stats: dict[str, tuple[int, os.stat_result]]) -> list[tuple[str, str | None, list[int]]] | None:
    """Return [path, label, stats] of each input file, for RunRecord.replay; None when an input
    is not a file of its own (stdin, JSONL) or cannot be stat'ed: such a run is scanned."""
    found = []
    for item, label in files:
        taken = _stat(item, stats)
        if taken is None:
            return None
        found.append((str(item), label, stat_key(taken[1])))
    return found


def _stat(item: Path | str, stats: dict[str, tuple[int, os.stat_result]]) -> tuple[int, os.stat_result] | None:
    """Return the stats of an input file that holds articles of its own (not stdin, not JSONL),
    with the time just before they were taken: the walk's, else taken now."""
    if item == "-" or str(item).lower().endswith(".jsonl"):
        return None
    if str(item) in stats:
        return stats[str(item)]
    before = time.time_ns()
    try:
        return before, os.stat(item)
    except OSError:
        return None
