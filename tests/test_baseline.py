"""Fingerprints survive edits elsewhere; --baseline fails only on new findings."""

from __future__ import annotations

import shutil

from test_corpus import pack_args, put


def _prints(root, out):
    import json

    doc = json.loads((root / out / "index.json").read_text(encoding="utf-8"))
    return [c["fingerprint"] for c in doc["articles"][0]["claims"]]


def test_fingerprint_survives_lines_added_above_and_edits_elsewhere(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "A unicorn was seen.\n\nMany cats too.\n")
    cli("check", "a.md", "--out", "one", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    put(tmp_path, "a.md", "New intro paragraph.\n\nA unicorn was seen.\n\nMany dogs too.\n")
    cli("check", "a.md", "--out", "two", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    one, two = _prints(tmp_path, "one"), _prints(tmp_path, "two")
    assert one[0] == two[0]  # the unicorn's sentence is unchanged, only moved
    assert one[1] != two[1]  # "many cats" became "many dogs": a new claim


def test_identical_claims_are_told_apart_by_occurrence(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "A unicorn.\n\nA unicorn.\n")
    cli("check", "a.md", "--out", "out", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    first, second = _prints(tmp_path, "out")
    assert first != second


def test_baseline_fails_only_on_new_claims(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "A unicorn was seen.\n")
    code, _, _ = cli("check", "a.md", "--out", "base", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    assert code == 1
    shutil.copy(tmp_path / "base" / "index.json", tmp_path / "baseline.json")
    put(tmp_path, "a.md", "Intro.\n\nA unicorn was seen.\n")
    code, _, _ = cli("check", "a.md", "--out", "now", "--format", "", "--jobs", "1", "--baseline", "baseline.json",
                     *pack_args(tmp_path))
    assert code == 0  # the old unicorn is known
    put(tmp_path, "a.md", "Intro.\n\nA unicorn was seen.\n\nA second unicorn appeared.\n")
    code, _, err = cli("check", "a.md", "--out", "now", "--format", "", "--jobs", "1", "--baseline", "baseline.json",
                       *pack_args(tmp_path))
    assert code == 1 and "1 contradicted > max_contradicted = 0" in err


def test_unreadable_baseline_exits_2(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.md", "Text.\n")
    (tmp_path / "b.json").write_text("[1, 2]")
    code, _, err = cli("check", "a.md", "--out", "o", "--format", "", "--jobs", "1", "--baseline", "b.json",
                       *pack_args(tmp_path))
    assert code == 2 and "not a factcheck index.json" in err


def test_a_baseline_marks_the_same_new_claims_with_two_workers_as_with_one(tmp_path, cli, monkeypatch):
    # Workers judge their entries under the policy themselves, but not against a baseline:
    # the new claims are marked where the baseline was read, and only they fail an article.
    import json

    monkeypatch.chdir(tmp_path)
    for i in range(6):
        put(tmp_path, f"news/{i}.md", f"Story {i}: a unicorn was seen.\n")
    cli("check", "news", "--out", "base", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    shutil.copy(tmp_path / "base" / "index.json", tmp_path / "baseline.json")
    put(tmp_path, "news/3.md", "Story 3: a unicorn was seen.\n\nA second unicorn appeared.\n")
    outs = {}
    for jobs in ("1", "2"):
        code, _, err = cli("check", "news", "--out", f"jobs{jobs}", "--format", "", "--jobs", jobs, "--no-cache",
                           "--baseline", "baseline.json", *pack_args(tmp_path))
        assert code == 1 and "news/3.md: 1 contradicted > max_contradicted = 0" in err
        outs[jobs] = (tmp_path / f"jobs{jobs}" / "index.json").read_bytes()
    assert outs["1"] == outs["2"]
    articles = json.loads(outs["2"])["articles"]
    assert [bool(a["failures"]) for a in articles] == [False, False, False, True, False, False]
    assert [c["new"] for c in articles[3]["claims"]] == [False, True]
