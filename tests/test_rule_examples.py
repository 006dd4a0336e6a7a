"""Every example of every rule in the default pack runs as a test named after its rule."""

from __future__ import annotations

import pytest

from factcheck.api import load_engine
from factcheck.config import Config
from factcheck.ruletest import check_rule

ENGINE = load_engine(config=Config())


@pytest.mark.parametrize("rule", ENGINE.pack.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    failures = [str(f) for f in check_rule(rule, ENGINE)]
    assert not failures, "\n".join(failures)


def test_every_rule_has_match_and_no_match_examples():
    lacking = [r.id for r in ENGINE.pack.rules if not r.examples.get("match") or not r.examples.get("no_match")]
    assert not lacking, f"rules without both kinds of examples: {lacking}"


def test_rules_test_command_fails_on_a_broken_example(cli, write, tmp_path):
    write("pack/broken.yaml", """
        rules:
          - id: demo.broken
            kind: hedge
            description: An example that cannot pass.
            pattern: '\\bperhaps\\b'
            examples:
              match:
                - text: "It will certainly rain."
                  span: "certainly"
              no_match: ["Perhaps not."]
    """)
    code, out, err = cli("rules", "test", "--no-default-rules", "--rules", tmp_path / "pack")
    assert code == 1
    assert "demo.broken" in err and "expected a match on 'certainly'" in err
    assert "0 passed, 2 failed" in out
