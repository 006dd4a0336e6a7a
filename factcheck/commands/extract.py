"""`factcheck extract`: claims only, as JSONL (one line per article) or a table."""

from __future__ import annotations

import argparse
import json
import sys

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
    engine = load_engine_from(args)
    published = published_arg(args.published)
    out = sys.stdout
    count = 0
    for article in iter_articles(args.paths, published):
        count += 1
        for warning in article.warnings:  # e.g. read as Latin-1, a date in the future
            print(f"factcheck: warning: {warning}", file=sys.stderr)
        result = engine.check(article)
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


def _claim(c) -> dict:
    d = c.to_json()
    d.pop("id", None)
    return d
