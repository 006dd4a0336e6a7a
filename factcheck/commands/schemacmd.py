"""`factcheck schema NAME`: print a shipped JSON Schema."""

from __future__ import annotations

import argparse
import json


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("name", choices=("rules", "facts", "report"), help="which schema")


def run(args: argparse.Namespace) -> int:
    """Print the schema as JSON."""
    from ..validate import schema

    print(json.dumps(schema(args.name), indent=2, ensure_ascii=False))
    return 0
