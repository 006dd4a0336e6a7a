"""The command line: exit codes, one-line errors, rule tooling."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_a_misspelt_key_in_a_user_rule_names_file_line_col_and_suggests(cli, write, tmp_path):
    path = write("pack/mine.yaml", """
        rules:
          - id: mine.x
            kind: hedge
            description: A rule with a typo.
            patern: '\\bperhaps\\b'
            examples: {match: [{text: perhaps}]}
    """)
    code, out, err = cli("extract", "--rules", tmp_path / "pack", write("a.txt", "perhaps\n"))
    assert code == 2 and out == ""
    assert err == f"factcheck: {path}:5:5: rule 'mine.x': unknown key 'patern' (did you mean 'pattern'?)\n"


def test_a_user_mistake_prints_one_line_and_no_traceback():
    bad = subprocess.run([sys.executable, "-m", "factcheck", "extract", "--published", "yesterday", "x.txt"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert bad.stderr == "factcheck: --published is 'yesterday', not a date (YYYY-MM-DD)\n"


def test_a_missing_article_is_an_error(cli, tmp_path):
    code, _, err = cli("extract", tmp_path / "nope.txt")
    assert code == 2 and err == f"factcheck: {tmp_path / 'nope.txt'}: no such file or folder\n"


def test_unknown_options_exit_2(cli, capsys):
    try:
        cli("extract", "--bogus", "x")
    except SystemExit as exc:
        assert exc.code == 2


def test_extract_jsonl_has_one_line_per_article_with_documented_fields(cli, write):
    a = write("a.txt", "The war began in February 2022.\n")
    b = write("b.jsonl", json.dumps({"id": "rec-1", "text": "Nothing here.", "published": "2025-05-11"}) + "\n")
    code, out, _ = cli("extract", "--published", "2025-05-11", a, b)
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [x["id"] for x in lines] == [str(a), "rec-1"]
    claim = next(c for c in lines[0]["claims"] if c["kind"] == "date")
    assert {"start", "end", "text", "kind", "value", "verdict", "reason", "rule"} <= set(claim)
    assert (claim["start"], claim["end"], claim["text"], claim["value"]) == (17, 30, "February 2022", "2022-02")


def test_rules_list_explain_and_schema(cli):
    code, out, _ = cli("rules", "list")
    assert code == 0 and "date." in out
    rule_id = out.split()[0]
    code, out, _ = cli("rules", "explain", rule_id)
    assert code == 0 and out.startswith(rule_id) and "pattern:" in out
    code, _, err = cli("rules", "explain", rule_id + "x")
    assert code == 2 and f"did you mean '{rule_id}'" in err
    code, out, _ = cli("rules", "schema")
    assert code == 0 and json.loads(out)["title"] == "factcheck rule file"


def test_a_config_file_sets_rule_folders_and_disables_rules(cli, write, tmp_path, monkeypatch):
    write("pack/mine.yaml", """
        rules:
          - id: mine.perhaps
            kind: hedge
            description: Perhaps.
            pattern: '\\bperhaps\\b'
            examples: {match: [{text: perhaps}], no_match: [no]}
    """)
    write("factcheck.toml", 'rules = ["pack"]\ndefault_rules = false\n')
    article = write("a.txt", "It will perhaps rain.\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("extract", article)
    assert [c["rule"] for c in json.loads(out)["claims"]] == ["mine.perhaps"]
    write("factcheck.toml", 'rules = ["pack"]\ndefault_rules = false\ndisable = ["mine.perhaps"]\n')
    code, out, _ = cli("extract", article)
    assert json.loads(out)["claims"] == []
    write("factcheck.toml", 'rulez = ["pack"]\n')
    code, _, err = cli("extract", article)
    assert code == 2 and "unknown key 'rulez' (did you mean 'rules'?)" in err


def test_extract_on_a_folder_skips_readme_and_hidden_files_but_reads_them_when_named(cli, tmp_path):
    folder = tmp_path / "news"
    (folder / "world").mkdir(parents=True)
    (folder / "world" / "a.txt").write_text("Talks resumed on 3 May 2025.\n", encoding="utf-8")
    (folder / "README.md").write_text("This folder holds news since 2001.\n", encoding="utf-8")
    (folder / ".draft.txt").write_text("A draft from 1999.\n", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "notes.txt").write_text("Written in 1998.\n", encoding="utf-8")
    code, out, err = cli("extract", "--published", "2025-05-11", folder)
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [str(folder / "world" / "a.txt")]
    code, out, _ = cli("extract", "--published", "2025-05-11", folder / "README.md")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [str(folder / "README.md")]
