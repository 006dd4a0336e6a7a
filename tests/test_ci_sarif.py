"""SARIF 2.1.0: valid against the OASIS schema, one result per flagged claim, file lines."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from test_corpus import pack_args, put

SCHEMA = Path(__file__).resolve().parent.parent / "factcheck" / "schema" / "sarif-2.1.0.json"


def _sarif(tmp_path, cli, *extra):
    cli("check", *extra, "--out", "out", "--format", "", "--jobs", "1", "--sarif", "out.sarif", *pack_args(tmp_path))
    return json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))


def test_sarif_validates_and_locates_claims_in_the_file(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", """
        ---
        title: T
        ---
        Intro.

        See the biggest horse and a unicorn.
        """)
    log = _sarif(tmp_path, cli, "a.md")
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("t.biggest", "note"), ("t.unicorn", "error")]
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    # line 6 of the file: "See the biggest horse and a unicorn." ; "unicorn" at column 29
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (6, 29, 36)
    assert results[1]["message"]["text"] == "Unicorns do not exist."
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.md"


def test_sarif_driver_lists_the_pack_rules(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.txt", "A unicorn.\n")
    driver = _sarif(tmp_path, cli, "a.txt")["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["t.unicorn", "t.many", "t.biggest"]


def test_sarif_marks_suppressed_results_and_errors(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.txt", "A unicorn. <!-- factcheck: ignore t.unicorn a toy -->\n")
    put(tmp_path, "b.json", "{oops")
    log = _sarif(tmp_path, cli, "a.txt", "b.json")
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
    run = log["runs"][0]
    assert run["results"][0]["suppressions"] == [{"kind": "inSource", "justification": "a toy"}]
    assert "b.json" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_html_article_results_name_the_file_without_a_region(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "p.html", "<html><body><p>A unicorn.</p></body></html>\n")
    log = _sarif(tmp_path, cli, "p.html")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "p.html", "uriBaseId": "SRCROOT"}}
