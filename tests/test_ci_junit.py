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


def test_ci_files_read_the_claims_back_one_article_at_a_time(tmp_path, monkeypatch):
    # A corpus run keeps its checked articles' claims out of memory; writing the CI files
    # reads each back in turn and keeps none, so they stay out of memory afterwards.
    import io

    from factcheck.ci.github import write_annotations
    from factcheck.ci.junit import write_junit
    from factcheck.ci.sarif import write_sarif
    from factcheck.corpus import check_corpus
    from factcheck.runrecord import Cached

    monkeypatch.chdir(tmp_path)
    for i in range(4):
        put(tmp_path, f"news/{i}.txt", f"Story {i}: a unicorn.\n")
    args = pack_args(tmp_path)
    run = check_corpus(["news"], out=tmp_path / "out", formats=[], jobs=1, rules=[args[2]], default_rules=False,
                       default_facts=False, cache_dir=tmp_path / "cache", progress=False)
    assert all(isinstance(row, Cached) for row in run.rows)
    write_junit(run, tmp_path / "j.xml")
    write_sarif(run, tmp_path / "s.sarif")
    stream = io.StringIO()
    write_annotations(run, stream)
    assert all(isinstance(row, Cached) for row in run.rows)
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "4", "0")
    assert stream.getvalue().count("::error ") == 4 and "unicorn" in (tmp_path / "s.sarif").read_text()
