"""`factcheck rules validate | test | list | explain ID | schema`."""

from __future__ import annotations

import argparse
import json
import sys

from ..cli import add_common


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("action", choices=("validate", "test", "list", "explain", "schema"))
    p.add_argument("rule_id", nargs="?", metavar="ID", help="the rule to explain")
    add_common(p)


def run(args: argparse.Namespace) -> int:
    """Carry out the action."""
    if args.action == "schema":
        from ..validate import schema

        print(json.dumps(schema("rules"), indent=2))
        return 0
    from ._common import load_engine_from

    engine = load_engine_from(args)
    pack = engine.pack
    if args.action == "validate":
        print(f"ok: {len(pack.rules)} rules in {len(pack.files)} files; {len(engine.facts.facts)} facts")
        return 0
    if args.action == "list":
        for r in pack.rules:
            print(f"{r.id:<36} {r.kind:<12} {r.description}")
        return 0
    if args.action == "explain":
        return _explain(pack, args.rule_id)
    return _test(engine)


def _explain(pack, rule_id: str | None) -> int:
    from ..errors import ConfigError

    if not rule_id:
        raise ConfigError("'rules explain' needs a rule id (see 'factcheck rules list')")
    rule = pack.rule(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id or "", [r.id for r in pack.rules], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"no rule '{rule_id}'{hint}")
    print(f"{rule.id} ({rule.kind}) — {rule.location}\n\n{rule.description}\n")
    for p in rule.patterns:
        print(f"pattern: {p}")
    print(f"default verdict: {rule.default_verdict} — {rule.default_reason}")
    for w in rule.when:
        print(f"when …: {w.verdict} — {w.reason}")
    for ex in rule.examples.get("match", []):
        print(f"matches: {ex['text']!r}" + (f" -> {json.dumps(ex['value'])}" if "value" in ex else ""))
    for text in rule.examples.get("no_match", []):
        print(f"does not match: {text!r}")
    return 0


def _test(engine) -> int:
    from ..ruletest import check_rule

    failures = []
    count = 0
    for rule in engine.pack.rules:
        count += len(rule.examples.get("match", [])) + len(rule.examples.get("no_match", []))
        failures.extend(check_rule(rule, engine))
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    print(f"{count - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0
