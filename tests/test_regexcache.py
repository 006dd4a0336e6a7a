"""The machine-wide compile cache gives patterns that behave exactly like fresh ones."""

from __future__ import annotations

import regex

from factcheck import regexcache

PATTERN = r"\b(?P<n>\d+)\s+(?P<unit>years?|months?)\b"
FLAGS = regex.IGNORECASE | regex.VERSION0 | regex.UNICODE


def _fresh_store(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("FACTCHECK_NO_REGEX_CACHE", raising=False)
    monkeypatch.setattr(regexcache, "_STORE", None)
    monkeypatch.setattr(regexcache, "_DIRTY", False)


def test_a_pattern_read_back_from_the_cache_matches_like_a_fresh_one(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    first = regexcache.compile(PATTERN, FLAGS)
    regexcache.save()
    assert regexcache._path().is_file()
    monkeypatch.setattr(regexcache, "_STORE", None)  # a new process: only the file remains
    again = regexcache.compile(PATTERN, FLAGS)
    text = "It took 3 Years and 18 months."
    assert [m.groupdict() for m in again.finditer(text)] == [m.groupdict() for m in first.finditer(text)] == [
        {"n": "3", "unit": "Years"}, {"n": "18", "unit": "months"}]
    assert again.groupindex == first.groupindex
    slow = regexcache.compile(r"(\w+\s?)+$", FLAGS)
    try:
        slow.search("word " * 40 + "!", timeout=0.05)
    except TimeoutError:
        pass  # the time limit still applies to cached patterns


def test_a_corrupt_cache_file_is_ignored_and_rewritten(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    path = regexcache._path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage")
    assert regexcache.compile(PATTERN, FLAGS).search("5 months").group("n") == "5"
    regexcache.save()
    monkeypatch.setattr(regexcache, "_STORE", None)
    assert (PATTERN, int(FLAGS)) in regexcache._load()
