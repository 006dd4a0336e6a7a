"""`factcheck eval timeml DIR | gold FILE.jsonl | sentences FILE.csv`."""

from __future__ import annotations

import argparse
import importlib

from ..cli import add_common

SCORERS = {"timeml": "timeml", "gold": "gold", "sentences": "sentences"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("dataset", choices=sorted(SCORERS), help="what kind of gold data")
    p.add_argument("path", help="the gold folder or file")
    p.add_argument("--limit", type=int, help="score only the first N documents")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N misses and false hits")
    p.add_argument("--articles", metavar="DIR", help="gold: folder of the articles the gold file names")
    add_common(p)


def run(args: argparse.Namespace) -> int:
    """Score extraction on the gold data and print the table."""
    from ._common import load_engine_from

    engine = load_engine_from(args)
    module = importlib.import_module(f"..evaluate.{SCORERS[args.dataset]}", __package__)
    return int(module.run(args, engine) or 0)
