"""The Dask backend writes the same outputs as the local pool, byte for byte."""

from __future__ import annotations

import pickle

import pytest

from test_corpus import make_pack, put

distributed = pytest.importorskip("distributed")
pytest.importorskip("factcheck.report")


def test_dask_cluster_gives_byte_identical_reports_and_index(tmp_path, monkeypatch):
    from factcheck.corpus import check_corpus

    monkeypatch.chdir(tmp_path)
    pack = make_pack(tmp_path)
    put(tmp_path, "news/a.md", "---\ntitle: A\npublished: 2025-01-02\n---\nA unicorn and many cats.\n")
    put(tmp_path, "news/b.txt", "The biggest horse.\n")
    put(tmp_path, "news/sub/a.txt", "Nothing here.\n")
    for i in range(17):  # more than a batch: one full batch, then the rest
        put(tmp_path, f"news/more/{i:02d}.txt", f"{i} cats and the biggest horse.\n")
    common = dict(formats=["json", "html"], rules=[str(pack)], default_rules=False, default_facts=False, cache=False,
                  progress=False)
    local = check_corpus(["news"], out=tmp_path / "local", jobs=2, **common)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = check_corpus(["news"], out=tmp_path / "dask", scheduler=cluster.scheduler_address, **common)
    assert remote.entries == local.entries
    names = sorted(p.name for p in (tmp_path / "local").iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in (tmp_path / "dask").iterdir() if not p.name.startswith("."))
    assert "sub-a.json" in names
    for name in names:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


class _Future:
    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def result(self):
        return self.fn(*self.args)


class _Client:
    """A cluster of one thread that runs a task when its result is asked for, and records
    what it was sent."""

    sent: list = []

    def __init__(self, scheduler, timeout=None):
        _Client.sent = []

    def scheduler_info(self):
        return {"workers": {"w": {"nthreads": 1}}}

    def submit(self, fn, *args, pure=True):
        batch = fn.__name__ == "remote_batch"
        _Client.sent.append((fn.__name__, [t[0] for t in pickle.loads(args[0])] if batch else [args[0]]))
        return _Future(fn, args)

    def close(self):
        pass


@pytest.fixture
def fake_cluster(monkeypatch):
    from factcheck import corpus_task

    monkeypatch.setattr(distributed, "Client", _Client)
    failing: set = set()  # articles whose batch fails as a whole (as if its worker died)

    def run_tasks(tasks):
        if failing & {t[0] for t in tasks}:
            raise distributed.KilledWorker("batch", "worker")
        return [f"entry of {t[0]}" for t in tasks]

    def run_task(article, *args):
        return f"entry of {article} alone"

    monkeypatch.setattr(corpus_task, "run_tasks", run_tasks)
    monkeypatch.setattr(corpus_task, "run_task", run_task)
    return failing


def test_articles_go_to_the_cluster_in_batches_and_come_back_in_order(fake_cluster):
    from factcheck.dask_backend import DaskExecutor

    executor = DaskExecutor("tcp://fake:8786")
    assert executor.window == 32  # two batches of 16 for the cluster's one thread
    handles = [executor.submit(f"a{i}", None, "spec") for i in range(40)]
    assert [len(arts) for _, arts in _Client.sent] == [16, 16]  # full batches go at once
    assert [h.result() for h in handles] == [f"entry of a{i}" for i in range(40)]
    assert [(fn, len(arts)) for fn, arts in _Client.sent] == [("remote_batch", 16)] * 2 + [("remote_batch", 8)]


def test_a_batch_that_fails_as_a_whole_is_sent_again_one_article_at_a_time(fake_cluster):
    from factcheck.dask_backend import DaskExecutor

    fake_cluster.add("a20")
    executor = DaskExecutor("tcp://fake:8786")
    handles = [executor.submit(f"a{i}", None, "spec") for i in range(20)]
    results = [h.result() for h in handles]
    assert results[:16] == [f"entry of a{i}" for i in range(16)]
    assert results[16:] == [f"entry of a{i}" for i in range(16, 20)]  # a20 is not in this run
    fake_cluster.add("a17")
    handles = [executor.submit(f"b{i}", None, "spec") for i in range(3)] + [executor.submit("a17", None, "spec")]
    assert [h.result() for h in handles] == ["entry of b0 alone", "entry of b1 alone", "entry of b2 alone",
                                             "entry of a17 alone"]
    assert [arts for fn, arts in _Client.sent if fn == "run_task"] == [["b0"], ["b1"], ["b2"], ["a17"]]
