"""The cache: a second run over an unchanged corpus analyses and renders nothing."""

from __future__ import annotations

import os

import pytest

from factcheck.cache import Cache
from test_corpus import make_pack, put


def _run(root, **kw):
    from factcheck.corpus import check_corpus

    options = dict(out=root / "out", formats=["json"], jobs=1, rules=[str(root / "pack")], default_rules=False,
                   default_facts=False, cache_dir=root / "cache", progress=False)
    options.update(kw)
    return check_corpus(["news"], **options)


@pytest.fixture
def news(tmp_path, monkeypatch):
    pytest.importorskip("factcheck.report")
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path)
    put(tmp_path, "news/a.txt", "A unicorn.\n")
    put(tmp_path, "news/b.txt", "Many cats.\n")
    return tmp_path


def _stamps(out):
    return {p.name: os.stat(p).st_mtime_ns for p in out.glob("[!.]*.json") if p.name != "index.json"}


def test_second_run_analyses_and_renders_nothing(news):
    first = _run(news)
    stamps = _stamps(news / "out")
    second = _run(news)
    assert (first.checked, first.rendered) == (2, 2)
    assert (second.checked, second.rendered, second.cached) == (0, 0, 2)
    assert _stamps(news / "out") == stamps  # report files untouched
    assert second.entries == first.entries


def test_only_the_changed_article_is_checked_again(news):
    _run(news)
    put(news, "news/b.txt", "Many dogs.\n")
    run = _run(news)
    assert (run.checked, run.cached) == (1, 1)


def test_a_missing_report_is_rendered_again(news):
    _run(news)
    (news / "out" / "a.json").unlink()
    run = _run(news)
    assert (run.checked, run.cached) == (1, 1)
    assert (news / "out" / "a.json").is_file()


def test_a_changed_rule_invalidates_every_entry(news):
    _run(news)
    pack = news / "pack" / "t.yaml"
    pack.write_text(pack.read_text().replace("Unicorns do not exist.", "No unicorns here."))
    run = _run(news)
    assert run.checked == 2
    assert run.entries[0]["claims"][0]["reason"] == "No unicorns here."


def test_other_formats_are_a_different_key(news):
    _run(news)
    run = _run(news, formats=["json", "claimreview"])
    assert run.checked == 2 and (news / "out" / "a.claimreview.json").is_file()


def test_corrupt_entry_is_detected_and_recomputed(news):
    _run(news)
    entries = [p for p in (news / "cache").rglob("*.json") if not p.name.startswith("pack-")]
    assert len(entries) == 2
    for p in entries:  # still valid JSON, but not what was written
        p.write_bytes(p.read_bytes().replace(b'"verdict": "', b'"verdict": "not-'))
    for p in (news / "cache" / "runs").iterdir():  # without the run record, the entry files are read
        p.unlink()
    run = _run(news)
    assert run.checked == 2
    assert run.entries[0]["claims"][0]["verdict"] == "contradicted"


def test_no_cache_checks_everything(news):
    _run(news)
    assert _run(news, cache=False).checked == 2


def test_cache_get_rejects_a_truncated_file(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ab" * 32, {"x": 1})
    path = next(tmp_path.rglob("*.json"))
    path.write_bytes(path.read_bytes()[:-3])
    assert cache.get("ab" * 32) is None and cache.corrupt == 1


def test_unchanged_run_leaves_the_index_files_untouched(news):
    _run(news)
    stamps = {n: os.stat(news / "out" / n).st_mtime_ns for n in ("index.json", "index.html")}
    _run(news)
    assert {n: os.stat(news / "out" / n).st_mtime_ns for n in stamps} == stamps


def test_a_different_policy_rewrites_the_index(news):
    import json

    _run(news)
    _run(news, fail_on=["vague"])
    doc = json.loads((news / "out" / "index.json").read_text())
    assert [a["failures"] for a in doc["articles"]] == [[], ["1 vague > max_vague = 0"]]


def test_an_edited_index_is_written_again(news):
    _run(news)
    (news / "out" / "index.html").write_text("edited")
    _run(news)
    assert "edited" not in (news / "out" / "index.html").read_text()


def test_pruning_removes_the_least_recently_used_entries_and_keeps_those_just_read(tmp_path):
    # Entries of rules and articles since changed are never read again: without pruning
    # the cache folder only grows. An old entry that a run still reads must survive.
    store = Cache(tmp_path / "cache")
    keys = [f"{i:02x}" * 32 for i in range(10)]
    for age, key in enumerate(keys):
        store.put(key, {"n": age})
        os.utime(store.entry_path(key), (1_000_000 + age, 1_000_000 + age))  # keys[0] is the oldest
    assert store.get(keys[0]) == {"n": 0}  # read now: the most recently used
    assert store.prune(keep=4) == 7  # down to three quarters of 4
    left = {k for k in keys if store.entry_path(k).is_file()}
    assert left == {keys[0], keys[8], keys[9]}
    assert store.prune(keep=4) == 0  # under the limit: nothing to do


def test_a_run_that_checks_articles_prunes_the_cache_and_a_cached_run_does_not(tmp_path, monkeypatch):
    from factcheck import corpus

    calls = []
    monkeypatch.setattr(corpus.Cache, "prune", lambda self, keep: calls.append(keep) or 0)
    put(tmp_path, "in/a.txt", "Talks resumed on 3 May 2025.\n")
    args = dict(out=tmp_path / "out", formats=("json",), jobs=1, cache_dir=tmp_path / "cache", progress=False)
    corpus.check_corpus([str(tmp_path / "in")], **args)
    corpus.check_corpus([str(tmp_path / "in")], **args)
    assert calls == [corpus.KEEP_ENTRIES]
