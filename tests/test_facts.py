"""Reference facts are data: editing a value in YAML changes the verdict, errors point at the line."""

from __future__ import annotations

import json
import shutil

from conftest import EXAMPLE, ROOT

FACTS = ROOT / "rules" / "facts"


def _claim(out: str, text: str) -> dict:
    return next(c for c in json.loads(out)["claims"] if c["text"] == text)


def test_the_example_war_start_is_verified_by_the_shipped_fact(cli):
    code, out, _ = cli("extract", EXAMPLE)
    claim = _claim(out, "February 2022")
    assert code == 0 and claim["verdict"] == "verified"
    assert claim["evidence"][0]["id"] == "ukraine.invasion-start"
    assert claim["evidence"][0]["url"].startswith("https://")


def test_changing_a_facts_value_in_yaml_turns_verified_into_contradicted(cli, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    path = facts / "ukraine-war.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'value: "2022-02-24"' in text
    path.write_text(text.replace('value: "2022-02-24"', 'value: "2022-03-24"', 1), encoding="utf-8")
    code, out, _ = cli("extract", "--no-default-facts", "--facts", facts, EXAMPLE)
    claim = _claim(out, "February 2022")
    assert code == 0 and claim["verdict"] == "contradicted"
    assert "ukraine.invasion-start" in [e["id"] for e in claim["evidence"]]


def test_a_fact_file_error_names_file_line_and_exits_2(cli, write, tmp_path):
    path = write("facts/bad.yaml", """
        facts:
          - id: x.one
            statement: Something
            about: ['x']
            kind: date
            value: "2022-02-30"
            source: {title: T}
            as_of: "2022-01-01"
    """)
    code, out, err = cli("facts", "validate", "--facts", tmp_path / "facts")
    assert code == 2 and out == ""
    assert err.strip() == f"factcheck: {path}:6:12: fact 'x.one': value '2022-02-30' is not a valid date value"


def test_an_unknown_fact_key_gets_a_suggestion(cli, write, tmp_path):
    path = write("facts/bad.yaml", """
        facts:
          - id: x.one
            statement: Something
            about: ['x']
            kind: date
            value: "2022-02-20"
            sources: {title: T}
            as_of: "2022-01-01"
    """)
    code, _, err = cli("facts", "validate", "--facts", tmp_path / "facts")
    assert code == 2
    assert f"{path}:7:5: fact 'x.one': unknown key 'sources' (did you mean 'source'?)" in err
