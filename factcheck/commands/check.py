"""`factcheck check`: check articles, write their reports and an index, apply the policy.

Exit codes: 0 every article passes the policy; 1 an article fails it (a finding
over a limit, or an article that could not be read or checked), or the run was
interrupted; 2 bad options, rules or config, a suppression without a reason, or
nothing at all could be checked. Option defaults come from the config's
`[defaults]` table (keys as the long options, with `_` for `-`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..cli import add_common

# option -> default when neither the command line nor [defaults] gives one
DEFAULTS: dict[str, Any] = {"out": "reports", "format": "html,pdf,json", "paper": "A4", "jobs": None,
                            "fail_on": "contradicted", "cache_dir": None, "templates": None, "published": None,
                            "scheduler": None, "junit": None, "sarif": None, "baseline": None}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options (defaults are filled in from the config at run time)."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, globs, JSONL exports, or - for JSONL on stdin")
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports)")
    p.add_argument("--format", metavar="LIST", help="comma-separated: html, pdf, json, claimreview (default: html,pdf,json)")
    p.add_argument("--published", metavar="DATE", help="publication date for every article (overrides metadata)")
    p.add_argument("--paper", choices=("A4", "Letter"), help="PDF paper size (default: A4)")
    p.add_argument("--templates", metavar="DIR", help="folder of templates overriding the shipped ones")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores; 1 = no workers)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no totals line (failing articles are still listed)")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one test case per article)")
    p.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 log of the flagged claims")
    p.add_argument("--github", action="store_true", help="print GitHub Actions annotations on stdout")
    p.add_argument("--fail-on", metavar="VERDICTS", help="verdicts that fail an article (default: contradicted; 'none' for none)")
    p.add_argument("--baseline", metavar="INDEX", help="a previous run's index.json: fail only on claims new since then")
    p.add_argument("--no-cache", action="store_true", help="analyse and render everything again")
    p.add_argument("--cache-dir", metavar="DIR", help="cache folder (default: .factcheck_cache)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on a Dask cluster (pip install 'factcheck[dask]')")
    add_common(p)


def _settle(args: argparse.Namespace, defaults: dict[str, Any]) -> None:
    """Fill options the command line left unset from [defaults], then from DEFAULTS."""
    from ..errors import ConfigError

    unknown = set(defaults) - _all_options() if defaults else set()
    if unknown:
        raise ConfigError(f"[defaults]: no command has an option '{sorted(unknown)[0]}'; check's are: "
                          f"{', '.join(sorted(DEFAULTS))}, github, no_cache, quiet")
    for key, fallback in DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, defaults.get(key, fallback))
    for flag in ("quiet", "github", "no_cache"):
        setattr(args, flag, getattr(args, flag) or bool(defaults.get(flag, False)))
    if isinstance(args.format, list):
        args.format = ",".join(args.format)
    if isinstance(args.fail_on, list):
        args.fail_on = ",".join(args.fail_on)
    if args.jobs is not None and (not isinstance(args.jobs, int) or args.jobs < 1):
        raise ConfigError(f"--jobs must be a whole number >= 1, not {args.jobs!r}")


def _all_options() -> set[str]:
    """Option names (dests) of every command: [defaults] is shared, a key may be for another command."""
    from ..cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return {a.dest for p in sub.choices.values() for a in p._actions if a.option_strings}  # noqa: SLF001


def run(args: argparse.Namespace) -> int:
    """Check the corpus, write reports, index and CI files; return the policy's exit code."""
    from ..config import load_config
    from ..corpus import check_corpus
    from ..policy import parse_fail_on
    from ._common import published_arg

    config = load_config(Path(args.config) if args.config else None)
    _settle(args, config.defaults)
    run_ = check_corpus(
        args.paths, out=args.out, formats=args.format.split(","), jobs=args.jobs, published=published_arg(args.published),
        rules=args.rules, facts=args.facts, config=config.path, default_rules=False if args.no_default_rules else None,
        default_facts=False if args.no_default_facts else None, paper=args.paper, templates=args.templates,
        cache=not args.no_cache, cache_dir=args.cache_dir, fail_on=parse_fail_on(args.fail_on),
        baseline=args.baseline, scheduler=args.scheduler, progress=False if args.quiet else None)
    _write_ci(run_, args)
    code = run_.exit_code  # once: each reading goes through every entry
    if not args.quiet or code:
        _summary(run_, Path(args.out), sys.stderr, full=not args.quiet)
    return code


def _write_ci(run_: Any, args: argparse.Namespace) -> None:
    if args.junit:
        from ..ci.junit import write_junit

        write_junit(run_, Path(args.junit))
    if args.sarif:
        from ..ci.sarif import write_sarif

        write_sarif(run_, Path(args.sarif), baseline=bool(args.baseline))
    if args.github:
        from ..ci.github import write_annotations

        write_annotations(run_, sys.stdout)


def _summary(run_: Any, out: Path, stream: Any, full: bool = True, shown: int = 20) -> None:
    """Say what the run did, and which article failed which limit (the first `shown` of them)."""
    t = run_.totals()
    if full:
        counts = ", ".join(f"{t[v]} {v}" for v in ("contradicted", "vague", "verified", "unsupported"))
        print(f"factcheck: {t['articles']} articles ({run_.checked} checked, {run_.cached} cached) in "
              f"{run_.seconds:.1f} s: {counts}; {t['suppressed']} suppressed, {t['errors']} errors; "
              f"index: {out / 'index.html'}", file=stream)
    failed = run_.failing
    for entry in failed[:shown]:
        where = entry.get("path") or entry["id"]
        name = where if where == entry["id"] else f"{where} ({entry['id']})"
        print(f"factcheck: FAIL {name}: {'; '.join(entry['failures'])}", file=stream)
    if len(failed) > shown:
        print(f"factcheck: ... and {len(failed) - shown} more articles fail (see {out / 'index.json'})", file=stream)
    if run_.interrupted:
        print(f"factcheck: interrupted after {len(run_.rows)} articles; the index lists those only", file=stream)
    elif failed:
        print(f"factcheck: {len(failed)} of {t['articles']} articles fail the policy", file=stream)
