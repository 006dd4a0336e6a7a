"""Rule and fact files read back from the per-user cache behave exactly like parsed ones.

An unchanged file is not parsed again; an edited one is; errors found after the
schema still point at `path:line:col` of the file as named now; a damaged cache entry
is ignored and rewritten. Each test gets its own cache folder (XDG_CACHE_HOME).
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

import pytest

from factcheck import doccache
from factcheck.errors import RuleError
from factcheck.rules import load_pack

RULE = (
    "rules:\n"                                          # 1
    "  - id: t.year\n"                                  # 2
    "    kind: date\n"                                  # 3
    "    description: A year.\n"                        # 4
    "    pattern: '\\b(?P<year>20\\d\\d)\\b'\n"         # 5  value at col 14
    "    examples:\n"                                   # 6
    "      match: [{text: 'in 2020', span: '2020'}]\n"  # 7
)


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    """A fresh, empty per-user cache folder; return where parsed documents go."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FACTCHECK_NO_CACHE", raising=False)
    monkeypatch.delenv("FACTCHECK_NO_REGEX_CACHE", raising=False)
    return tmp_path / "cache" / "factcheck" / "docs"


def _refuse_parsing(monkeypatch) -> None:
    """From here on, parsing a YAML file fails the test: only the cache may answer."""
    monkeypatch.setattr(doccache, "parse_bytes", lambda *a, **k: pytest.fail("the file was parsed again"))


def _pack(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_unchanged_rule_file_is_read_back_with_the_same_rules(cache, tmp_path, monkeypatch):
    folder = _pack(tmp_path, RULE)
    first = load_pack([folder])
    assert len(list(cache.iterdir())) == 1
    _refuse_parsing(monkeypatch)
    again = load_pack([folder])
    rule = again.rules[0]
    assert (rule.id, rule.kind, rule.patterns) == ("t.year", "date", (r"\b(?P<year>20\d\d)\b",))
    assert rule.examples == {"match": [{"text": "in 2020", "span": "2020"}]}
    assert rule.location.line == 2 and rule.location.col == 5  # the "- id:" item of line 2
    assert again.version == first.version


def test_an_edited_rule_file_is_parsed_again(cache, tmp_path):
    folder = _pack(tmp_path, RULE)
    assert load_pack([folder]).rules[0].patterns == (r"\b(?P<year>20\d\d)\b",)
    (folder / "rules.yaml").write_text(RULE.replace("20\\d\\d", "19\\d\\d"), encoding="utf-8")
    assert load_pack([folder]).rules[0].patterns == (r"\b(?P<year>19\d\d)\b",)


def test_an_edit_that_breaks_the_schema_is_reported_not_hidden_by_the_cache(cache, tmp_path):
    folder = _pack(tmp_path, RULE)
    load_pack([folder])
    (folder / "rules.yaml").write_text(RULE.replace("pattern:", "patern:"), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_pack([folder])
    assert str(err.value).startswith(f"{folder / 'rules.yaml'}:5:5: rule 't.year': unknown key 'patern'")


def test_an_error_after_the_schema_keeps_its_line_and_column_from_the_cache(cache, tmp_path, monkeypatch):
    bad = RULE.replace("'\\b(?P<year>20\\d\\d)\\b'", "'{{nope}}'")
    folder = _pack(tmp_path, bad)
    with pytest.raises(RuleError) as first:
        load_pack([folder])
    _refuse_parsing(monkeypatch)
    with pytest.raises(RuleError) as again:
        load_pack([folder])
    expected = f"{folder / 'rules.yaml'}:5:14: rule 't.year': unknown list or fragment '{{{{nope}}}}'"
    assert str(first.value) == str(again.value) == expected


def test_the_same_bytes_under_another_name_report_errors_at_that_name(cache, tmp_path, monkeypatch):
    bad = RULE.replace("kind: date", "kind: dat")
    with pytest.raises(RuleError):
        load_pack([_pack(tmp_path, bad, "one.yaml")])
    other = tmp_path / "other"
    other.mkdir()
    (other / "two.yaml").write_text(bad, encoding="utf-8")
    _refuse_parsing(monkeypatch)
    with pytest.raises(RuleError) as err:
        load_pack([other])
    assert str(err.value).startswith(f"{other / 'two.yaml'}:3:11: rule 't.year': unknown kind 'dat'")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped-byte", "empty", "altered-text", "wrong-shape"])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(cache, tmp_path, monkeypatch, damage):
    folder = _pack(tmp_path, RULE)
    load_pack([folder])
    (entry,) = cache.iterdir()
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\x00not a cache entry")
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flipped-byte":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "altered-text":  # still a valid document, but not the one stored
        assert data.count(b"20\\d\\d") == 1
        entry.write_bytes(data.replace(b"20\\d\\d", b"21\\d\\d"))
    else:  # a well-formed entry whose document is not what the loader builds
        payload = marshal.dumps((entry.name, (0, 1, 1, [1, 2], {}, {})))
        entry.write_bytes(doccache._MAGIC + hashlib.blake2b(payload, digest_size=doccache._SUM).digest() + payload)
    assert load_pack([folder]).rules[0].patterns == (r"\b(?P<year>20\d\d)\b",)
    _refuse_parsing(monkeypatch)  # the entry was written again, whole
    assert load_pack([folder]).rules[0].patterns == (r"\b(?P<year>20\d\d)\b",)


def test_a_document_with_shared_aliases_loads_the_same_every_time(cache, tmp_path):
    text = ("lists:\n  base: &words [alpha, beta]\n  same: *words\n" + RULE.replace("'\\b(?P<year>20\\d\\d)\\b'",
                                                                                 "'{{same}} (?P<year>20\\d\\d)'"))
    text = text.replace("{text: 'in 2020', span: '2020'}", "{text: 'beta 2020', span: 'beta 2020'}")
    folder = _pack(tmp_path, text)
    first, again = load_pack([folder]), load_pack([folder])
    assert first.lists["same"] == again.lists["same"] == ("alpha", "beta")
    assert not cache.exists() or not list(cache.iterdir())  # aliases are parsed each time, not cached


def test_facts_files_are_cached_and_an_edit_is_picked_up(cache, tmp_path):
    from factcheck.facts import load_facts

    fact = ("facts:\n  - id: f.start\n    statement: It began.\n    kind: date\n    about: ['began']\n"
            "    value: '2022-02-24'\n    source: {title: Test, url: 'https://example.org'}\n    as_of: '2022-03-01'\n")
    path = tmp_path / "facts.yaml"
    path.write_text(fact, encoding="utf-8")
    assert load_facts([path]).facts[0].value == "2022-02-24"
    assert load_facts([path]).facts[0].value == "2022-02-24"
    path.write_text(fact.replace("2022-02-24", "2022-02-25"), encoding="utf-8")
    assert load_facts([path]).facts[0].value == "2022-02-25"


def test_no_cache_is_written_when_switched_off(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_NO_CACHE", "1")
    load_pack([_pack(tmp_path, RULE)])
    assert not cache.parent.exists()  # neither documents nor compiled patterns


def test_extract_in_a_new_process_sees_an_edited_rule_file(tmp_path):
    import json
    import os
    import subprocess
    import sys

    folder = _pack(tmp_path, RULE)
    article = tmp_path / "a.txt"
    article.write_text("Elections were held in 1999 and again in 2024.", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("FACTCHECK_NO_CACHE", None)

    def claims() -> list[str]:
        run = subprocess.run([sys.executable, "-m", "factcheck", "extract", "--no-default-rules", "--no-default-facts",
                              "--rules", str(folder), "--published", "2025-01-01", str(article)],
                             capture_output=True, text=True, env=env, timeout=120)
        assert run.returncode == 0, run.stderr
        return [c["text"] for c in json.loads(run.stdout)["claims"]]

    assert claims() == ["2024"]
    assert claims() == ["2024"]  # read back from the cache
    (folder / "rules.yaml").write_text(RULE.replace("20\\d\\d", "(?:19|20)\\d\\d"), encoding="utf-8")
    assert claims() == ["1999", "2024"]
