"""`factcheck check`: one report per article (HTML, PDF, JSON)."""

from __future__ import annotations

import argparse

from ..cli import add_common


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, globs, or - for JSONL on stdin")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    p.add_argument("--format", default="html,pdf,json", help="comma-separated: html, pdf, json")
    p.add_argument("--published", metavar="DATE", help="publication date for every article (overrides metadata)")
    add_common(p)


def run(args: argparse.Namespace) -> int:
    """Check the articles and write their reports."""
    from ..report import write_reports
    from ._common import iter_articles, load_engine_from, published_arg

    engine = load_engine_from(args)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for article in iter_articles(args.paths, published_arg(args.published)):
        result = engine.check(article)
        for path in write_reports(result, args.out, formats):
            print(path)
    return 0
