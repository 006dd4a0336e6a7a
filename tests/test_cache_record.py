"""The run record: a re-run over unchanged files reads none of them, and is never stale.

Files written by a test are seconds old at most, and a file changed less than
RACY_NS before a run is not recorded (a same-tick edit could keep its times); the
tests that need recorded files set RACY_NS to 0, as if the files were old.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

import pytest

from factcheck import corpus_inputs, runrecord
from test_cache import _run, news  # noqa: F401 - news is a fixture shared with test_cache
from test_corpus import put


@pytest.fixture
def reads(monkeypatch):
    """Count the article files a run reads, by name."""
    seen: list[str] = []
    real = corpus_inputs.read_file

    def counting(item, published):
        seen.append(Path(item).name)
        return real(item, published)
    monkeypatch.setattr(corpus_inputs, "read_file", counting)
    import factcheck.corpus as corpus_mod
    monkeypatch.setattr(corpus_mod, "read_file", counting)
    return seen


@pytest.fixture
def old_files(monkeypatch):
    monkeypatch.setattr(runrecord, "RACY_NS", 0)


def _record(root: Path) -> Path:
    (path,) = (root / "cache" / "runs").glob("*.run")
    return path


def _rewrite(path: Path, edit) -> None:
    """Change a record's parts (header, entries, files: a JSON line each) and give it a valid
    checksum, as a hostile or buggy writer could."""
    raw = path.read_bytes()
    _, _, body = raw.partition(b"\n")
    parts = [json.loads(line) for line in body.split(b"\n")]
    edit(*parts)
    body = b"\n".join(json.dumps(part).encode() for part in parts)
    path.write_bytes(runrecord._MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def _wait_for_a_new_ctime(path: Path) -> None:
    """Let the file system's clock (coarse: a few ms) move past the file's change time, so the next
    edit gets a change time of its own."""
    before = os.stat(path).st_ctime_ns
    probe = path.with_name(".probe")
    while True:
        probe.write_bytes(b"x")
        if os.stat(probe).st_ctime_ns != before:
            probe.unlink()
            return


def test_a_rerun_reads_no_unchanged_file_and_gives_the_same_entries(news, reads, old_files):
    first = _run(news)
    reads.clear()
    second = _run(news)
    assert reads == []
    assert (second.checked, second.cached) == (0, 2)
    assert second.entries == first.entries


def test_an_edited_file_is_read_and_checked_again(news, reads, old_files):
    _run(news)
    put(news, "news/b.txt", "Many dogs and a unicorn.\n")
    reads.clear()
    run = _run(news)
    assert reads == ["b.txt"]
    assert (run.checked, run.cached) == (1, 1)
    assert run.entries[1]["counts"]["contradicted"] == 1


def test_an_edit_keeping_size_and_modification_time_is_still_seen(news, old_files):
    # The change time cannot be set back: it tells the edit apart.
    _run(news)
    path = news / "news" / "b.txt"
    st = os.stat(path)
    _wait_for_a_new_ctime(path)
    path.write_text("A unicorn.\n")  # as many bytes as "Many cats.\n"
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    run = _run(news)
    assert run.checked == 1
    assert run.entries[1]["counts"] == {"contradicted": 1, "vague": 0, "verified": 0, "unsupported": 0}


def test_a_file_changed_just_before_the_run_is_read_again_next_time(news, reads):
    # Written seconds ago (RACY_NS left as it is): a same-tick edit could keep every time stamp.
    _run(news)
    reads.clear()
    run = _run(news)
    assert sorted(reads) == ["a.txt", "b.txt"]
    assert run.cached == 2


def test_another_date_option_reads_the_files_again(news, reads, old_files):
    import datetime as dt

    _run(news)
    reads.clear()
    run = _run(news, published=dt.date(2025, 1, 2))
    assert sorted(reads) == ["a.txt", "b.txt"]
    assert run.entries[0]["published"] == "2025-01-02"


def test_a_damaged_record_is_ignored_and_written_again(news, old_files):
    first = _run(news)
    path = _record(news)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated
    run = _run(news)
    assert (run.checked, run.cached) == (0, 2)  # from the cache entry files
    assert run.entries == first.entries
    assert path.read_bytes() == good
    path.write_bytes(good.replace(b'"contradicted":1', b'"contradicted":7'))  # edited: checksum fails
    assert _run(news).totals()["contradicted"] == 1


def test_a_damaged_entries_file_is_not_used_the_cache_entries_are(news, old_files):
    first = _run(news)
    entries = _record(news).with_suffix(".entries")
    entries.write_bytes(entries.read_bytes().replace(b'"contradicted"', b'"verified"'))  # its checksum fails
    (news / "out" / "index.json").unlink()  # the index must be written again: the claims are read
    run = _run(news)
    assert (run.checked, run.cached) == (0, 2)
    assert run.entries == first.entries
    entries.unlink()
    (news / "out" / "index.json").unlink()
    assert _run(news).entries == first.entries


def test_a_record_with_a_valid_checksum_but_wrong_types_is_not_trusted(news, old_files):
    _run(news)

    def bad_counts(head, entries, files):
        for rec in entries:
            rec[3]["counts"] = {"contradicted": "many"}
        for rec in files.values():
            rec[1][0] = 42  # an id that is no string
    _rewrite(_record(news), bad_counts)
    run = _run(news)
    assert (run.checked, run.cached) == (0, 2)
    assert run.totals()["contradicted"] == 1


def test_a_record_of_another_policy_gives_entries_whose_failures_are_computed_again(news, old_files):
    _run(news)
    run = _run(news, fail_on=["vague"])
    assert [e["failures"] for e in run.entries] == [[], ["1 vague > max_vague = 0"]]
    assert run.cached == 2


def test_a_missing_report_is_rendered_again_though_the_file_is_unchanged(news, reads, old_files):
    _run(news)
    (news / "out" / "a.json").unlink()
    reads.clear()
    run = _run(news)
    assert reads == ["a.txt"]  # read to render it again
    assert (run.checked, run.cached) == (1, 1) and (news / "out" / "a.json").is_file()


def _scrub(text: str) -> str:
    """Drop what differs between two runs of the same input: times and the output folder's name."""
    return re.sub(r'\d+\.\d+ s|time="[\d.]+"', "T", text).replace("fresh", "out")


def test_a_cached_rerun_writes_what_an_uncached_run_writes(news, old_files, cli):
    def check(out: str, *more: str) -> tuple[int, str, str]:
        return cli("check", "news", "--format", "json", "--jobs", "1", "--no-default-rules", "--rules", "pack",
                   "--no-default-facts", "--cache-dir", "cache", "--out", out, "--junit", f"{out}/junit.xml",
                   "--sarif", f"{out}/x.sarif", "--github", *more)
    check("out")
    cached, fresh = check("out"), check("fresh", "--no-cache")
    assert "0 checked, 2 cached" in cached[2] and "2 checked, 0 cached" in fresh[2]
    assert cached[0] == fresh[0] == 1  # the unicorn fails the default policy
    assert _scrub(cached[1]) == _scrub(fresh[1])  # GitHub annotations
    assert _scrub(cached[2]).replace("0 checked, 2 cached", "") == _scrub(fresh[2]).replace("2 checked, 0 cached", "")
    for name in ("index.json", "index.html", "a.json", "b.json", "junit.xml", "x.sarif"):
        assert _scrub((news / "out" / name).read_text()) == _scrub((news / "fresh" / name).read_text()), name


def test_the_cache_of_an_unchanged_run_is_not_written(news, old_files):
    _run(news)
    path = _record(news)
    before = path.read_bytes()

    def entry_stamps():  # the article entries' files (not the rule pack's summary, read every run)
        return sorted(p.stat().st_mtime_ns for p in (news / "cache").rglob("*.json") if not p.name.startswith("pack-"))
    stamps = entry_stamps()
    _run(news)
    assert path.read_bytes() == before
    assert entry_stamps() == stamps and len(stamps) == 2


def test_records_of_many_output_folders_are_bounded(news):
    _run(news)
    orphan = news / "cache" / "runs" / "0123456789abcdef.entries"  # its record deleted by hand
    orphan.write_bytes(b"{}")
    for i in range(runrecord.KEEP_RECORDS + 2):
        _run(news, out=news / f"out{i}")
    assert not orphan.exists()
    runs = news / "cache" / "runs"
    assert len(list(runs.glob("*.run"))) == runrecord.KEEP_RECORDS
    assert {p.stem for p in runs.glob("*.entries")} == {p.stem for p in runs.glob("*.run")}


def test_folder_files_come_in_path_order_with_their_labels(tmp_path):
    for name in ("a/b.txt", "a-c.txt", "a.txt", "a/a b.md", "B.txt"):
        put(tmp_path, f"in/{name}", "x\n")
    files = corpus_inputs.expand([str(tmp_path / "in")])
    expected = sorted((tmp_path / "in").rglob("*.*"))
    assert [Path(f) for f, _ in files] == expected
    assert [label for _, label in files] == ["B", "a/a b", "a/b", "a-c", "a"]  # folder "a" before "a-c.txt"


def test_a_folder_walk_reads_extensions_in_any_case_and_labels_drop_the_last_one(tmp_path):
    for name in ("Story.TXT", "notes.v2.md", "data.csv", "README.md", "Licence.Txt", "txt", "page.", ".hidden.txt"):
        put(tmp_path, f"in/{name}", "x\n")
    files = corpus_inputs.expand([str(tmp_path / "in")])
    assert [label for _, label in files] == ["Story", "notes.v2"]


def test_the_shipped_folders_hold_the_default_pack_facts_and_templates():
    # The digest of a cached run hashes these folders: they must be the ones loaded.
    from factcheck import rules, sources

    assert any(p.name == "dates.yaml" for p in rules.pack_files([sources.default_rules_dir()]))
    assert any(sources.default_facts_dir().glob("*.yaml"))
    assert (sources.default_templates_dir() / "report.html.j2").is_file()


def test_a_missing_rule_folder_fails_the_run_even_when_cached(news):
    from factcheck.errors import RuleError

    _run(news)
    with pytest.raises(RuleError, match="rule folder not found"):
        _run(news, rules=[str(news / "gone")])


# --- Replay: an unchanged run takes the previous run's entries wholesale ---------------------


@pytest.fixture
def scans(monkeypatch):
    """Count the runs that looked at their files one by one (did not replay)."""
    import factcheck.corpus as corpus_mod

    calls: list[int] = []
    real = corpus_mod.scan

    def counting(*args, **kw):
        calls.append(1)
        return real(*args, **kw)
    monkeypatch.setattr(corpus_mod, "scan", counting)
    return calls


def _many(root: Path, n: int = 12) -> None:
    """Articles whose cache keys sort in another order than their files: a replay that lost
    the run's order would show."""
    for i in range(n):
        put(root, f"news/{i:02d}.txt", "A unicorn.\n" if i % 3 == 0 else f"{i} cats.\n")


def test_an_unchanged_rerun_replays_the_entries_in_input_order(news, scans, reads, old_files):
    _many(news)
    first = _run(news)
    assert sorted(first.keys) != first.keys  # else the test could not see a lost order
    scans.clear()
    reads.clear()
    second = _run(news)
    assert (scans, reads) == ([], [])
    assert (second.checked, second.cached) == (0, 14)
    assert second.keys == first.keys
    assert second.entries == first.entries
    assert second.totals() == first.totals() and second.exit_code == first.exit_code == 1


def test_a_replayed_run_writes_the_index_of_a_fresh_run(news, old_files):
    _many(news)
    _run(news)
    _run(news)  # replayed
    (news / "out" / "index.json").unlink()  # written again from the replayed entries
    _run(news)
    _run(news, out=news / "fresh", cache=False)
    assert (news / "out" / "index.json").read_text() == (news / "fresh" / "index.json").read_text()


@pytest.mark.parametrize("change", ["add", "remove", "rename", "edit", "order"])
def test_a_changed_input_list_is_scanned_again(news, scans, reads, old_files, change):
    _run(news)
    inputs = ["news"]
    if change == "add":
        put(news, "news/c.txt", "A unicorn.\n")
    elif change == "remove":
        (news / "news" / "b.txt").unlink()
    elif change == "rename":  # same content, another label and report name
        (news / "news" / "b.txt").rename(news / "news" / "c.txt")
    elif change == "edit":
        _wait_for_a_new_ctime(news / "news" / "b.txt")
        put(news, "news/b.txt", "A unicorn.\n")
    else:
        inputs = ["news/b.txt", "news/a.txt"]
    scans.clear()
    reads.clear()
    run = check_corpus_like(news, inputs)
    assert scans == [1]
    expected = {"add": ["c.txt"], "remove": [], "rename": ["c.txt"], "edit": ["b.txt"], "order": []}[change]
    assert sorted(reads) == expected
    names = {"add": ["a", "b", "c"], "remove": ["a"], "rename": ["a", "c"], "edit": ["a", "b"],
             "order": ["b", "a"]}[change]
    assert [Path(e["path"]).stem for e in run.entries] == names


def check_corpus_like(root: Path, inputs: list[str]):
    """_run over other inputs."""
    from factcheck.corpus import check_corpus

    return check_corpus(inputs, out=root / "out", formats=["json"], jobs=1, rules=[str(root / "pack")],
                        default_rules=False, default_facts=False, cache_dir=root / "cache", progress=False)


def test_a_run_with_an_unreadable_article_is_not_replayed(news, scans, old_files):
    put(news, "news/bad.txt", "a\0b")  # not text: an error entry, never cached
    _run(news)
    scans.clear()
    run = _run(news)
    assert scans == [1] and len(run.errors) == 1


def test_a_run_whose_reports_are_gone_or_under_another_policy_is_not_replayed(news, scans, old_files):
    _run(news)
    scans.clear()
    _run(news, fail_on=["vague"])
    assert scans == [1]
    _run(news, fail_on=["vague"])  # the record is now that policy's
    assert scans == [1]
    (news / "out" / "b.json").unlink()
    run = _run(news, fail_on=["vague"])
    assert scans == [1, 1] and run.checked == 1 and (news / "out" / "b.json").is_file()


def test_a_rerun_with_a_baseline_or_a_callback_sees_every_entry_afresh(news, scans, old_files):
    first = _run(news)
    _run(news)
    scans.clear()
    seen = []
    run = _run(news, on_entry=lambda entry: seen.append(entry["id"]))
    assert scans == [1] and seen == [e["id"] for e in first.entries]
    (news / "base.json").write_text((news / "out" / "index.json").read_text())
    put(news, "news/c.txt", "A unicorn.\n")  # a claim the baseline does not have
    _run(news)
    run = _run(news, baseline=news / "base.json")
    assert scans == [1, 1, 1]
    assert [e["failures"] for e in run.entries] == [[], [], ["1 contradicted > max_contradicted = 0"]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_run_records_its_entries_without_reading_the_cache_back(news, old_files, monkeypatch, jobs):
    # The executor hands each entry's cached JSON to the run, and the record is made of those
    # bytes: reading 2,225 entries back from the cache at the end of a run took 0.2 s.
    from factcheck.cache import Cache

    saving, read_back = [], []
    real_payload, real_save = Cache.payload, runrecord.RunRecord.save

    def payload(self, key):
        if saving:
            read_back.append(key)
        return real_payload(self, key)

    def save(self, *args, **kwargs):
        saving.append(True)
        try:
            return real_save(self, *args, **kwargs)
        finally:
            saving.clear()
    monkeypatch.setattr(Cache, "payload", payload)
    monkeypatch.setattr(runrecord.RunRecord, "save", save)
    _many(news)
    first = _run(news, jobs=jobs)
    assert first.checked == 14
    assert read_back == []
    second = _run(news, jobs=jobs)
    assert (second.checked, second.cached) == (0, 14)
    assert second.entries == first.entries  # read from the record's bytes


def test_a_user_index_template_that_does_not_compile_is_reported_once_the_run_is_written(news):
    # The index template is loaded while the workers run (ci.index.prepare_html); its fault is
    # still the run's last word, after every report and index.json are in place.
    from factcheck.errors import TemplateError

    (news / "tpl").mkdir()
    (news / "tpl" / "index.html.j2").write_text("<html>\n{% for r in rows %}\n{{ r.id }\n{% endfor %}\n")
    with pytest.raises(TemplateError) as err:
        _run(news, templates=str(news / "tpl"))
    assert "index.html.j2" in str(err.value) and ":3" in str(err.value)
    doc = json.loads((news / "out" / "index.json").read_text())
    assert [a["id"] for a in doc["articles"]] == ["news/a.txt", "news/b.txt"] and doc["complete"]
    assert not (news / "out" / "index.html").exists()


def test_a_spool_gives_back_what_was_added_and_nothing_past_its_end(tmp_path):
    spool = runrecord.Spool(tmp_path / "runs", lambda key: b"from the cache")
    assert spool.read(0, 1) is None  # nothing written yet: no file made
    a, b = spool.add(b'{"id": "a"}'), spool.add("é line".encode())
    assert (a, b) == ((0, 11), (11, 18))
    assert spool.read(*b) == "é line".encode() and spool.read(*a) == b'{"id": "a"}'
    assert spool.read(11, 40) is None
    if sys.platform.startswith("linux"):  # the file has no name: a run that stops leaves nothing behind
        assert list((tmp_path / "runs").iterdir()) == []
