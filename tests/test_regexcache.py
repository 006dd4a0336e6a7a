"""The machine-wide compile cache gives patterns that behave exactly like fresh ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from factcheck import regexcache

PATTERN = r"\b(?P<n>\d+)\s+(?P<unit>years?|months?)\b"
FLAGS = regex.IGNORECASE | regex.VERSION0 | regex.UNICODE


def _fresh_store(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("FACTCHECK_NO_REGEX_CACHE", raising=False)
    monkeypatch.delenv("FACTCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(regexcache, "_PENDING", {})


def _no_compiling(monkeypatch):
    """From here on, compiling with the regex parser fails the test: only the cache may answer."""
    monkeypatch.setattr(regexcache.regex, "compile", lambda *a, **k: pytest.fail("compiled again"))


def test_a_pattern_read_back_from_the_cache_matches_like_a_fresh_one(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    first = regexcache.compile(PATTERN, FLAGS)
    regexcache.save()
    with monkeypatch.context() as m:
        _no_compiling(m)
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


@pytest.mark.parametrize("damage", ["garbage", "truncated", "altered", "another-pattern"])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(monkeypatch, tmp_path, damage):
    _fresh_store(monkeypatch, tmp_path)
    regexcache.compile(PATTERN, FLAGS)
    regexcache.save()
    (entry,) = Path(regexcache._folder()).iterdir()
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\x00garbage")
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "altered":  # same length, still loads: only the checksum tells
        entry.write_bytes(data.replace(b"years?", b"yearz?"))
    else:  # a sound entry, but of another pattern, under this pattern's name
        regexcache.compile(r"\d+", FLAGS)
        regexcache.save()
        other = next(p for p in Path(regexcache._folder()).iterdir() if p != entry)
        entry.write_bytes(other.read_bytes())
    assert regexcache.compile(PATTERN, FLAGS).search("5 years").groupdict() == {"n": "5", "unit": "years"}
    regexcache.save()
    _no_compiling(monkeypatch)  # written again, whole
    assert regexcache.compile(PATTERN, FLAGS).search("5 months").group("n") == "5"


def test_nothing_is_written_when_the_cache_is_switched_off(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    monkeypatch.setenv("FACTCHECK_NO_REGEX_CACHE", "1")
    assert regexcache.compile(PATTERN, FLAGS).search("2 months")
    regexcache.save()
    assert not (tmp_path / "factcheck").exists()


def _clear_entries() -> None:
    """Remove the per-pattern files, leaving only bundles."""
    for entry in Path(regexcache._folder()).iterdir():
        entry.unlink()


def test_a_bundle_serves_the_patterns_of_its_last_load_and_follows_changes(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    with regexcache.bundle("pack"):
        regexcache.compile(PATTERN, FLAGS)
        regexcache.save()
    with regexcache.bundle("pack"):  # the pack gained a rule
        regexcache.compile(PATTERN, FLAGS)
        regexcache.compile(r"\b(?P<n>\d+)%", FLAGS)
        regexcache.save()
    _clear_entries()
    _no_compiling(monkeypatch)
    with regexcache.bundle("pack"):
        assert regexcache.compile(PATTERN, FLAGS).search("9 years").group("unit") == "years"
        assert regexcache.compile(r"\b(?P<n>\d+)%", FLAGS).search("up 12%").group("n") == "12"


def test_a_damaged_bundle_is_ignored(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    with regexcache.bundle("pack"):
        regexcache.compile(PATTERN, FLAGS)
        regexcache.save()
    (path,) = Path(regexcache._folder() + "-packs").iterdir()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"years?", b"yearz?"))  # loads, but the checksum differs
    _clear_entries()
    with regexcache.bundle("pack"):
        assert regexcache.compile(PATTERN, FLAGS).search("3 years").groupdict() == {"n": "3", "unit": "years"}
    _clear_entries()
    _no_compiling(monkeypatch)  # rewritten from the fresh compile
    with regexcache.bundle("pack"):
        assert regexcache.compile(PATTERN, FLAGS).search("4 months").group("n") == "4"


CALLS: list[str] = []


def _word_count(pattern: str, flags: int) -> dict:
    """A stand-in for a costly analysis of a pattern's text."""
    CALLS.append(pattern)
    return {"words": frozenset(regex.findall(r"[a-z]+", pattern)), "flags": flags, "none": None}


def test_a_derived_value_is_computed_once_and_read_back_equal(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    CALLS.clear()
    first = regexcache.derived(_word_count, r"\bten (years|months)\b", 2)
    regexcache.save()
    monkeypatch.setattr(regexcache, "_PENDING", {})  # a new process: only the files remain
    again = regexcache.derived(_word_count, r"\bten (years|months)\b", 2)
    other = regexcache.derived(_word_count, r"\bten (years|months)\b", 0)  # other flags: computed
    assert first == again == {"words": frozenset({"bten", "years", "months", "b"}), "flags": 2, "none": None}
    assert other["flags"] == 0
    assert CALLS == [r"\bten (years|months)\b"] * 2


def test_a_derived_value_is_computed_again_when_its_module_changes(monkeypatch, tmp_path):
    _fresh_store(monkeypatch, tmp_path)
    CALLS.clear()
    regexcache.derived(_word_count, "abc", 0)
    regexcache.save()
    monkeypatch.setattr(regexcache, "_PENDING", {})
    monkeypatch.setitem(regexcache._NAMESPACES, _word_count, "tests.test_regexcache._word_count@edited")
    regexcache.derived(_word_count, "abc", 0)
    assert CALLS == ["abc", "abc"]
