"""`factcheck facts validate | list`."""

from __future__ import annotations

import argparse

from ..cli import add_common


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("action", choices=("validate", "list"))
    add_common(p)


def run(args: argparse.Namespace) -> int:
    """Carry out the action."""
    from ._common import load_engine_from

    facts = load_engine_from(args).facts
    if args.action == "validate":
        print(f"ok: {len(facts.facts)} facts in {len(facts.files)} files")
        return 0
    for f in facts.facts:
        print(f"{f.id:<32} {f.kind:<12} as of {f.as_of}  {f.statement}")
    return 0
