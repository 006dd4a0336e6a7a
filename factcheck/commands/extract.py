"""`factcheck extract`: claims only, as JSONL (one line per article) or a table."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from typing import Any, Iterator

from ..cli import add_common
from ._common import iter_articles, load_engine_from, published_arg


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, globs, or - for JSONL on stdin")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    p.add_argument("--published", metavar="DATE", help="publication date for every article (overrides metadata)")
    add_common(p)


def _table(result) -> str:
    rows = [f"# {result.article.id}  (published {result.article.published or 'unknown'})"]
    for c in result.claims:
        value = json.dumps(c.value, ensure_ascii=False)
        rows.append(f"{c.start:>6}-{c.end:<6} {c.kind:<12} {c.verdict:<13} {c.text!r}  {value}")
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    """Print the claims of every article."""
    from ..matcher import BATCH

    engine = load_engine_from(args)
    published = published_arg(args.published)
    out = sys.stdout
    count = 0
    # Files are checked BATCH articles at a time (Engine.check_many: a fifth faster); what
    # comes on standard input one at a time, as a program feeding it may wait for each line.
    articles = iter_articles(args.paths, published)
    for batch in _batches(articles, 1 if "-" in args.paths else BATCH):
        count += len(batch)
        for article, result in zip(batch, engine.check_many(batch)):
            for warning in article.warnings:  # e.g. read as Latin-1, a date in the future
                print(f"factcheck: warning: {warning}", file=sys.stderr)
            if isinstance(result, BaseException):  # a pattern ran out of time: stop here, as one at a time
                raise result
            if args.format == "table":
                print(_table(result), file=out)
                continue
            line = {"id": article.id, "published": article.published.isoformat() if article.published else None,
                    "claims": [_claim(c) for c in result.claims]}
            print(json.dumps(line, ensure_ascii=False, sort_keys=False), file=out)
    if count == 0 and "-" not in args.paths:  # an empty stream on stdin is not an error
        from ..errors import ArticleError, Location
        from ..readers import EXTENSIONS

        raise ArticleError(f"no articles found (looked for {', '.join(EXTENSIONS)})", Location(", ".join(args.paths)))
    return 0


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """The items in lists of `size` (the last one shorter)."""
    while batch := list(itertools.islice(items, size)):
        yield batch


def _claim(c) -> dict:
    d = c.to_json()
    d.pop("id", None)
    return d
