"""The Dask backend writes the same outputs as the local pool, byte for byte."""

from __future__ import annotations

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
