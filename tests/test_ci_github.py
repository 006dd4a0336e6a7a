"""GitHub Actions annotations: right file, line and column; escaped per the runner's rules."""

from __future__ import annotations

from factcheck.ci.github import escape_data, escape_property
from test_corpus import pack_args, put

ARTICLE = """
---
title: Front matter moves the body down
published: 2025-01-02
---
First line of the body.

Second paragraph: a unicorn,
and on the next line many cats.
"""


def test_annotations_point_at_file_lines_past_the_front_matter(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", ARTICLE)
    code, out, _ = cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", "--github", *pack_args(tmp_path))
    lines = out.splitlines()
    # line 7 of the file is "Second paragraph: a unicorn," ; "unicorn" is at column 21
    assert lines[0] == ('::error file=a.md,line=7,col=21,endColumn=28,title=factcheck t.unicorn'
                        '::contradicted: "unicorn": Unicorns do not exist.')
    # line 8: "and on the next line many cats." ; "many cats" is at column 22
    assert lines[1].startswith("::warning file=a.md,line=8,col=22,endColumn=31,")
    assert code == 1


def test_jsonl_records_are_annotated_on_the_file_without_a_line(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "x.jsonl", '{"id": "r1", "text": "A unicorn."}\n')
    _, out, _ = cli("check", "x.jsonl", "--out", "out", "--format", "", "--jobs", "1", "--github", *pack_args(tmp_path))
    assert out.startswith("::error file=x.jsonl,title=factcheck t.unicorn::")


def test_suppressed_and_verified_claims_are_not_annotated(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "A unicorn. <!-- factcheck: ignore t.unicorn allowed here -->\n")
    _, out, _ = cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", "--github", *pack_args(tmp_path))
    assert out == ""


def test_escaping_follows_the_runner():
    assert escape_data("50% up\r\nnext") == "50%25 up%0D%0Anext"
    assert escape_property("dir,with:colon%") == "dir%2Cwith%3Acolon%25"


def test_a_path_with_a_comma_cannot_inject_properties(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a,line=99.md", "A unicorn.\n")
    _, out, _ = cli("check", "a,line=99.md", "--out", "out", "--format", "", "--jobs", "1", "--github",
                    *pack_args(tmp_path))
    assert out.startswith("::error file=a%2Cline=99.md,line=1,col=3,")
