"""JUnit XML: one test case per article; policy failures and errors as JUnit expects them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from test_corpus import pack_args, put


def test_junit_has_a_testcase_per_article_failing_where_the_policy_fails(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "news/a.txt", "A unicorn.\n")
    put(tmp_path, "news/b.txt", "Many cats.\n")
    put(tmp_path, "news/c.json", "{broken")
    cli("check", "news", "--out", "out", "--format", "", "--jobs", "1", "--junit", "junit.xml", *pack_args(tmp_path))
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"news/a.txt", "news/b.txt", "news/c.json"}
    failure = cases["news/a.txt"].find("failure")
    assert failure.get("message") == "1 contradicted > max_contradicted = 0"
    assert 'news/a.txt:1:3: contradicted [t.unicorn] "unicorn": Unicorns do not exist.' in failure.text
    assert list(cases["news/b.txt"]) == []  # passes: vague is not in the default policy
    assert cases["news/c.json"].find("error") is not None


def test_control_characters_in_an_article_keep_the_xml_valid(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "x.jsonl", '{"id": "bad\\u0001id", "text": "A unicorn \\u000b here."}\n')
    cli("check", "x.jsonl", "--out", "out", "--format", "", "--jobs", "1", "--junit", "j.xml", *pack_args(tmp_path))
    case = ET.parse(tmp_path / "j.xml").getroot().find("testsuite/testcase")
    assert case.get("name") == "bad\ufffdid"
