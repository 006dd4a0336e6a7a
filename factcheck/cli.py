"""The command line: a thin layer over the API.

Exit codes: 0 clean, 1 findings over the threshold, 2 error. A user's mistake is
printed as one line (`path:line:col: ...`) with no traceback. Each subcommand lives
in `factcheck/commands/` and is imported only when run, so `extract` and `rules`
never import WeasyPrint.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from typing import Sequence

from . import __version__
from .errors import FactcheckError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# name -> (module in factcheck.commands, one-line help)
COMMANDS = {
    "check": ("check", "check articles and write reports (HTML, PDF, JSON, ...)"),
    "extract": ("extract", "print the claims of articles (JSONL or a table), no report"),
    "rules": ("rulescmd", "validate, test, list, explain rules; print the rule schema"),
    "facts": ("factscmd", "validate and list reference facts"),
    "schema": ("schemacmd", "print a JSON Schema shipped with factcheck (rules, facts, report)"),
    "eval": ("evalcmd", "measure extraction against gold data (TimeML, gold JSONL, sentences)"),
}


class _Parser(argparse.ArgumentParser):
    # argparse makes a help formatter for every option declared (to check its metavar), and
    # a formatter asks shutil for the terminal's width: importing shutil (with bz2, lzma and
    # fnmatch) was 5 ms of a cached re-run. While options are declared the width is unused.
    declaring = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if _Parser.declaring:
            return self.formatter_class(prog=self.prog, width=80)
        return super()._get_formatter()

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"factcheck: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def add_common(p: argparse.ArgumentParser) -> None:
    """Options every command that loads rules shares."""
    p.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a rule pack folder (repeatable)")
    p.add_argument("--facts", action="append", default=[], metavar="DIR", help="add a facts folder (repeatable)")
    p.add_argument("--no-default-rules", action="store_true", help="do not load the default rule pack")
    p.add_argument("--no-default-facts", action="store_true", help="do not load the default facts")
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest factcheck.toml or pyproject.toml)")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; each command module adds its own arguments.

    With `command`, only that command's module is imported and its options declared
    (the others are listed, for `--help` and for the "invalid choice" error, but left
    empty): declaring every command's options was a twentieth of `extract`'s start-up.
    """
    _Parser.declaring = True
    try:
        parser = _Parser(prog="factcheck", description="Rule-based fact-check reports for news articles.")
        parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        for name, (module, help_) in COMMANDS.items():
            p = sub.add_parser(name, help=help_, description=help_)
            p.set_defaults(_module=module)
            if command is None or name == command:
                importlib.import_module(f".commands.{module}", __package__).add_arguments(p)
    finally:
        _Parser.declaring = False
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """Return the command named on the command line (the first word not an option), if any."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        module = importlib.import_module(f".commands.{args._module}", __package__)
        return int(module.run(args) or 0)
    except FactcheckError as exc:
        print(f"factcheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("factcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def entry() -> None:
    """Console-script entry point."""
    code = main()
    # What the run built is freed at exit all the same; frozen, it is spared the interpreter's
    # last collections over every object (20 ms, a tenth of a cached re-run of 2,225 articles).
    gc.freeze()
    sys.exit(code)
