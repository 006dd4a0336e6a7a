"""The worker pool of `check_corpus(jobs=N)`: same outputs, cache written by workers, crashes, Ctrl-C."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from test_corpus import make_pack, put

pytest.importorskip("factcheck.report")
fork_only = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="workers see patches only when forked")


@pytest.fixture
def news(tmp_path, monkeypatch):
    """Twelve small articles: enough for several rounds of two workers."""
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path)
    for i in range(12):
        put(tmp_path, f"news/{i:02d}.txt", f"Story {i}: a unicorn and many cats{'.' * i}\n")
    return tmp_path


def _run(root, out="out", **kw):
    from factcheck.corpus import check_corpus

    options = dict(formats=["json"], jobs=2, rules=[str(root / "pack")], default_rules=False, default_facts=False,
                   cache_dir=root / "cache", progress=False)
    options.update(kw)
    return check_corpus(["news"], out=root / out, **options)


def _files(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def test_workers_replaced_after_every_article_give_the_same_outputs_as_one_process(news):
    _run(news, out="one", jobs=1, cache=False)
    run = _run(news, out="two", recycle=1, cache=False)
    assert [e["id"] for e in run.entries] == [f"news/{i:02d}.txt" for i in range(12)]
    assert _files(news / "one") == _files(news / "two")


def test_entries_cached_by_workers_make_the_next_run_check_nothing(news):
    first = _run(news)
    again = _run(news)
    assert (first.checked, again.checked, again.cached) == (12, 0, 12)
    assert again.entries == first.entries


@fork_only
def test_a_worker_does_not_cache_an_article_that_failed(news, monkeypatch):
    import factcheck.corpus_task as task

    real = task.check_article

    def fail_on_05(article, *args):
        if article.id.endswith("05.txt"):
            raise ValueError("boom")
        return real(article, *args)

    monkeypatch.setattr(task, "check_article", fail_on_05)
    first = _run(news)
    assert [(e["id"], e["error"]) for e in first.errors] == [("news/05.txt", "ValueError: boom")]
    monkeypatch.setattr(task, "check_article", real)
    again = _run(news)
    assert (again.checked, again.cached, again.errors) == (1, 11, [])


@fork_only
def test_a_worker_that_dies_turns_its_article_into_an_error_and_the_run_goes_on(news, monkeypatch):
    import factcheck.corpus_task as task

    real = task.run_task

    def crash_on_07(article, *args, **kwargs):
        if article.id.endswith("07.txt"):
            os._exit(3)  # as a segfault or the out-of-memory killer would end it
        return real(article, *args, **kwargs)

    monkeypatch.setattr(task, "run_task", crash_on_07)
    run = _run(news, cache=False)
    assert [e["id"] for e in run.entries] == [f"news/{i:02d}.txt" for i in range(12)]
    assert [e["id"] for e in run.errors] == ["news/07.txt"]
    assert "worker process" in run.errors[0]["error"] and "exit code 3" in run.errors[0]["error"]
    assert all(e["counts"]["contradicted"] == 1 for e in run.entries if not e["error"])


@fork_only
def test_a_worker_that_dies_on_a_batch_has_its_articles_checked_alone_and_only_the_culprit_fails(news, monkeypatch):
    # Workers extract the articles waiting in their pipe together: a crash there could be
    # any of them. They go back one by one, and the one that kills a worker alone gets the error.
    import factcheck.api as api
    import factcheck.matcher as matcher

    real = matcher.find_candidates_many

    def crash_with_07(articles, *args):
        if any(article_id.endswith("07.txt") for *_, article_id in articles):
            os._exit(3)
        return real(articles, *args)

    monkeypatch.setattr(matcher, "find_candidates_many", crash_with_07)  # one article alone
    monkeypatch.setattr(api, "find_candidates_many", crash_with_07)  # a batch
    run = _run(news, cache=False)
    assert [e["id"] for e in run.entries] == [f"news/{i:02d}.txt" for i in range(12)]
    assert [e["id"] for e in run.errors] == ["news/07.txt"]
    assert all(e["counts"]["contradicted"] == 1 for e in run.entries if not e["error"])


def test_a_fault_in_a_batch_is_the_error_of_its_own_article_only(news, monkeypatch):
    # jobs=1 batches too; a bug met on one article of a batch makes each article be checked
    # alone, so that only that article's entry holds the error.
    import factcheck.api as api
    import factcheck.matcher as matcher

    real = matcher.find_candidates_many

    def fail_with_05(articles, *args):
        if any(article_id.endswith("05.txt") for *_, article_id in articles):
            raise ValueError("boom")
        return real(articles, *args)

    monkeypatch.setattr(matcher, "find_candidates_many", fail_with_05)
    monkeypatch.setattr(api, "find_candidates_many", fail_with_05)
    run = _run(news, jobs=1, cache=False)
    assert [e["id"] for e in run.entries] == [f"news/{i:02d}.txt" for i in range(12)]
    assert [(e["id"], e["error"]) for e in run.errors] == [("news/05.txt", "ValueError: boom")]


def test_interrupt_stops_the_workers_and_writes_an_incomplete_index(news):
    import json

    seen = []

    def interrupt_after_three(entry):
        seen.append(entry["id"])
        if len(seen) == 3:
            raise KeyboardInterrupt

    run = _run(news, on_entry=interrupt_after_three, cache=False)
    assert run.interrupted and run.exit_code == 130
    assert mp.active_children() == []
    index = json.loads((news / "out" / "index.json").read_text(encoding="utf-8"))
    assert index["complete"] is False and [a["id"] for a in index["articles"]] == seen
    assert not list((news / "out").glob(".*.tmp"))


def test_stopping_sweeps_only_the_temporary_files_of_the_articles_in_flight(tmp_path):
    from factcheck.workers import _sweep

    for name in (".a.json.k3j2.tmp", ".a.html.x9.tmp", ".ab.json.zz.tmp", "a.json", ".b.json.q1.tmp"):
        (tmp_path / name).write_text("x")
    _sweep([tmp_path / "a.json", tmp_path / "a.html"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ab.json.zz.tmp", ".b.json.q1.tmp", "a.json"]


def test_the_index_of_a_run_with_cached_and_new_articles_is_that_of_a_fresh_run(news):
    # index.json lines are written as articles are checked; cached ones at the end.
    _run(news)
    put(news, "news/05.txt", "Story 5: a unicorn and many cats, told again.\n")
    again = _run(news)
    assert (again.checked, again.cached) == (1, 11)
    _run(news, out="fresh", cache=False)
    assert (news / "out" / "index.json").read_bytes() == (news / "fresh" / "index.json").read_bytes()


def test_the_pool_waits_on_its_pipes_without_select_poll_too(news, monkeypatch):
    # Where select.poll is missing (Windows), the pool waits through multiprocessing's own wait.
    import multiprocessing.connection as connection

    import factcheck.workers as workers

    real, waited = connection.wait, []

    def wait(objects, timeout=None):
        waited.append(len(objects))
        return real(objects, timeout)

    monkeypatch.setattr(workers, "_poll", None)
    monkeypatch.setattr(connection, "wait", wait)
    run = _run(news, cache=False)
    assert [e["id"] for e in run.entries] == [f"news/{i:02d}.txt" for i in range(12)]
    assert all(e["counts"]["contradicted"] == 1 for e in run.entries)
    assert waited  # the pool did wait the other way


@pytest.mark.parametrize("jobs", [1, 2])
def test_checked_entries_are_kept_out_of_memory_and_read_back_as_they_were(news, jobs):
    # With the cache on, the main process keeps only a summary of each checked entry (the
    # rest waits in a spool file), so its memory does not grow with the corpus.
    from factcheck.runrecord import Cached

    kept = _run(news, out="kept", jobs=jobs)
    whole = _run(news, out="whole", jobs=jobs, cache=False)
    assert all(isinstance(row, Cached) for row in kept.rows)
    assert not any(isinstance(row, Cached) for row in whole.rows)
    assert kept.totals() == whole.totals() and [e["failures"] for e in kept.failing] == [["1 contradicted > "
                                                                                         "max_contradicted = 0"]] * 12
    assert kept.entries == whole.entries
    assert _files(news / "kept") == _files(news / "whole")  # reports, index.json, index.html
    again = _run(news, out="kept", jobs=jobs)  # the run record, written from the spool, replays
    assert (again.checked, again.cached) == (0, 12) and again.entries == whole.entries


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_spool_that_cannot_be_written_keeps_the_entries_in_memory(news, monkeypatch, jobs):
    from factcheck.runrecord import Spool

    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    whole = _run(news, out="whole", jobs=jobs, cache=False)
    monkeypatch.setattr(Spool, "add", full_disk)
    run = _run(news, out="kept", jobs=jobs)
    assert run.entries == whole.entries
    assert _files(news / "kept") == _files(news / "whole")


def test_an_interrupted_run_writes_the_spooled_lines_of_what_it_checked(news, monkeypatch):
    import json

    from factcheck.progress import Progress

    real, seen = Progress.advance, []

    def interrupt_after_five(self, n=1):
        seen.append(n)
        if len(seen) == 5:
            raise KeyboardInterrupt
        return real(self, n)

    monkeypatch.setattr(Progress, "advance", interrupt_after_five)
    run = _run(news)
    assert run.interrupted and run.exit_code == 130 and mp.active_children() == []
    index = json.loads((news / "out" / "index.json").read_text(encoding="utf-8"))
    assert index["complete"] is False
    assert [a["id"] for a in index["articles"]] == [f"news/{i:02d}.txt" for i in range(5)]
    assert all(a["claims"] and a["failures"] for a in index["articles"])


def test_entries_read_from_the_cache_are_kept_out_of_memory_too(news):
    # Without the output folder's run record (pruned, damaged), a re-run finds its entries
    # in the cache files, and keeps them out of memory as it does the ones it checks.
    import shutil

    from factcheck.runrecord import Cached

    first = _run(news)
    shutil.rmtree(news / "cache" / "runs")
    other = _run(news)
    assert (other.checked, other.cached) == (0, 12)
    assert all(isinstance(row, Cached) for row in other.rows)
    assert other.entries == first.entries
    again = _run(news)  # the record it wrote from the spool replays
    assert (again.checked, again.cached) == (0, 12) and again.entries == first.entries
