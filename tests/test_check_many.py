"""Engine.check_many: a batch of articles checked rule by rule gives each article what
Engine.check gives it alone, in order; a pattern that runs out of time on one article
stops that article only."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SHARED
from factcheck.api import load_engine
from factcheck.config import Config
from factcheck.errors import RegexTimeout
from factcheck.models import Article
from factcheck.readers import read_path
from test_redos import EVIL, HOSTILE

BBC = SHARED / "data" / "bbc"


def _claims(result):
    return [(c.rule, c.start, c.end, c.value, c.verdict) for c in result.claims]


@pytest.fixture(scope="module")
def engine():
    return load_engine(config=Config())


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/data/bbc")
def test_a_batch_gives_each_article_the_claims_it_has_alone(engine):
    # Two articles from each section: numbers, dates, sources, hedges of every kind.
    files = [f for section in sorted(BBC.iterdir()) if section.is_dir() for f in sorted(section.glob("*.txt"))[:2]]
    articles = [next(read_path(f)) for f in files]
    alone = [_claims(engine.check(a)) for a in articles]
    batch = engine.check_many(articles)
    assert [r.article.id for r in batch] == [a.id for a in articles]
    assert [_claims(r) for r in batch] == alone
    assert sum(map(len, alone)) > 50  # the articles do hold claims
    # The same articles in another order and batch size: nothing leaks from one to the next.
    assert [_claims(r) for r in engine.check_many(articles[::-1][:5])] == alone[::-1][:5]


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/data/bbc")
def test_a_thread_finds_the_claims_the_main_thread_finds(engine):
    # In a thread (a Dask worker, a server's pool) every regex call of the matcher and
    # of the drop conditions carries the time limit itself; in the main thread the
    # interval timer keeps it and the calls leave it out.
    import threading

    files = [f for section in sorted(BBC.iterdir()) if section.is_dir() for f in sorted(section.glob("*.txt"))[:2]]
    articles = [next(read_path(f)) for f in files]
    here = [_claims(engine.check(a)) for a in articles]
    there: list = []
    worker = threading.Thread(target=lambda: there.extend(_claims(engine.check(a)) for a in articles))
    worker.start()
    worker.join(timeout=120)
    assert there == here and sum(map(len, here)) > 50


def test_a_pattern_out_of_time_on_one_article_stops_only_that_one(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "evil.yaml").write_text(EVIL, encoding="utf-8")
    engine = load_engine(rules=[pack], config=Config(regex_timeout=0.2), default_rules=False, default_facts=False)
    texts = {"calm-1": "no letters to backtrack on: 123\naaa", "hostile": HOSTILE, "calm-2": "aaaa\n"}
    articles = [Article(id=k, text=v) for k, v in texts.items()]
    first, hostile, last = engine.check_many(articles)
    assert [c.text for c in first.claims] == ["aaa"] and [c.text for c in last.claims] == ["aaaa"]
    assert isinstance(hostile, RegexTimeout)
    assert hostile.subject == "rule 'evil.backtrack'" and "on article 'hostile'" in hostile.message


def test_an_empty_batch_is_no_work(engine):
    assert engine.check_many([]) == []


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/data/bbc")
def test_extract_on_a_folder_prints_each_article_as_checked_alone_in_order(cli, tmp_path, engine):
    # `factcheck extract` checks files in batches; its lines are those of one article at a time.
    import json
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted((BBC / "business").glob("*.txt"))[:20]:  # more than one batch
        shutil.copy(f, folder / f.name)
    code, out, _ = cli("extract", "--published", "2025-01-01", folder)
    lines = [json.loads(line) for line in out.splitlines()]
    alone = [next(read_path(p, published=dt.date(2025, 1, 1))) for p in sorted(folder.glob("*.txt"))]
    assert code == 0 and [line["id"] for line in lines] == [a.id for a in alone]
    for line, article in zip(lines, alone):
        assert [(c["rule"], c["start"], c["value"]) for c in line["claims"]] == [
            (c.rule, c.start, c.value) for c in engine.check(article).claims]
