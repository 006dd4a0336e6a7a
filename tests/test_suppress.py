"""Suppressions: inline comments and config entries silence findings, with a reason."""

from __future__ import annotations

import json

from factcheck.suppress import inline_suppressions
from test_corpus import pack_args, put


def _claims(root, name="a.md"):
    doc = json.loads((root / "out" / "index.json").read_text(encoding="utf-8"))
    return {c["text"]: c for a in doc["articles"] if a["id"] == name for c in a["claims"]}, doc


def test_comment_on_its_own_line_silences_the_next_paragraph_only(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", """
        <!-- factcheck: ignore t.unicorn the author means a toy -->
        A unicorn was sold.
        Another unicorn, same paragraph.

        A unicorn in the next paragraph counts.
        """)
    code, _, _ = cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    doc = json.loads((tmp_path / "out" / "index.json").read_text())["articles"][0]
    suppressed = [c["suppressed"] for c in doc["claims"]]
    assert suppressed == ["the author means a toy", "the author means a toy", None]
    assert doc["suppressed"] == 2 and doc["counts"]["contradicted"] == 1
    assert code == 1


def test_comment_sharing_a_line_silences_that_line(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", """
        A unicorn here. <!-- factcheck: ignore t.* quoted from a fairy tale -->
        A unicorn there.
        """)
    cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    doc = json.loads((tmp_path / "out" / "index.json").read_text())["articles"][0]
    assert [c["suppressed"] for c in doc["claims"]] == ["quoted from a fairy tale", None]


def test_suppressed_findings_do_not_fail_the_policy(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "<!-- factcheck: ignore t.unicorn satire column -->\nA unicorn won.\n")
    code, _, _ = cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    assert code == 0


def test_suppression_without_reason_exits_2_with_file_and_line(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", """
        ---
        title: T
        ---
        Fine text.

        <!-- factcheck: ignore t.unicorn -->
        A unicorn.
        """)
    code, _, err = cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    assert code == 2
    assert "a.md:6: a suppression needs a rule id and a reason" in err  # line 6 of the file, front matter counted


def test_config_suppression_by_rule_and_article_glob(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.toml").write_text(
        'suppress = [{rule = "t.unicorn", article = "satire/*", reason = "satire is exempt"}]\n')
    put(tmp_path, "satire/a.txt", "A unicorn.\n")
    put(tmp_path, "news/b.txt", "A unicorn.\n")
    code, _, err = cli("check", "satire", "news", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    doc = json.loads((tmp_path / "out" / "index.json").read_text())["articles"]
    assert [a["claims"][0]["suppressed"] for a in doc] == ["satire is exempt", None]
    assert code == 1 and "news/b.txt" in err and "satire/a.txt" not in err


def test_config_suppression_without_reason_is_a_config_error(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.toml").write_text('suppress = [{rule = "t.unicorn"}]\n')
    put(tmp_path, "a.txt", "A unicorn.\n")
    code, _, err = cli("check", "a.txt", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    assert code == 2 and "suppress entry 1" in err and "'reason'" in err


def test_several_rules_in_one_comment():
    marks = inline_suppressions("x <!-- factcheck: ignore a.one,b.* both fine -->\n", "f.md")
    assert marks[0].rules == ("a.one", "b.*") and marks[0].reason == "both fine"
    assert marks[0].covers("b.two", 0) and not marks[0].covers("c.three", 0)
