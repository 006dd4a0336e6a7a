"""Broken and hostile rule files: one line `path:line:col: ...`, exit 2, nothing written.

Every case is run through `factcheck rules validate` and `factcheck extract`; the
expected line and column were counted by hand in the file text written here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

# A valid one-rule file; the line/column comments are what the cases below rely on.
GOOD = (
    "rules:\n"                                          # 1
    "  - id: t.year\n"                                  # 2  id value at col 9
    "    kind: date\n"                                  # 3  kind value at col 11
    "    description: A year.\n"                        # 4
    "    pattern: '\\b(?P<year>20\\d\\d)\\b'\n"         # 5  key at col 5, value at col 14
    "    examples:\n"                                   # 6
    "      match: [{text: 'in 2020', span: '2020'}]\n"  # 7
)
PATTERN = "'\\b(?P<year>20\\d\\d)\\b'"

# "Billion laughs": nine levels of nine aliases each, 9**9 strings once expanded.
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi"))

# name -> (file text or bytes, line, col, what the message must say)
CASES: dict[str, tuple[str | bytes, int, int, str]] = {
    "malformed-yaml": ("rules:\n  - id: t.x\n    kind: [date\n", 4, 1, "invalid YAML: "),
    "tab-indentation": ("rules:\n\t- id: t.x\n", 2, 1, "invalid YAML: "),
    "wrong-type": (GOOD.replace("kind: date", "kind: 5"), 3, 11, "rule 't.year': 'rules.0.kind' must be"),
    "misspelt-key": (GOOD.replace("pattern:", "patern:"), 5, 5,
                     "rule 't.year': unknown key 'patern' (did you mean 'pattern'?)"),
    "pattern-does-not-compile": (GOOD.replace(PATTERN, "'(?P<year>20[0-9'"), 5, 14,
                                 "rule 't.year': pattern does not compile"),
    "missing-word-list": (GOOD.replace(PATTERN, "'{{nope}}'"), 5, 14,
                          "rule 't.year': unknown list or fragment '{{nope}}'"),
    "misspelt-word-list": ("lists: {months: [May, June]}\n" + GOOD.replace(PATTERN, "'{{month}}'"), 6, 14,
                           "rule 't.year': unknown list or fragment '{{month}}' (did you mean 'months'?)"),
    "fragment-refers-to-itself": ("fragments: {a: 'x{{a}}'}\n" + GOOD.replace(PATTERN, "'{{a}}'"), 6, 14,
                                  "rule 't.year': fragment 'a' refers to itself"),
    "unknown-group-in-normalize": (GOOD.replace("    examples:", "    normalize: {x: '{nope}'}\n    examples:"),
                                   6, 20, "rule 't.year': normalize.x refers to group 'nope'"),
    "unknown-group-in-condition": (GOOD.replace("    examples:", "    drop: [{group: nope}]\n    examples:"),
                                   6, 20, "rule 't.year': condition refers to group 'nope'"),
    "example-date-not-a-day": (GOOD.replace("span: '2020'}", "published: '2020-02-30'}"), 7, 44,
                               "rule 't.year': example 'published' is '2020-02-30', not a date (YYYY-MM-DD)"),
    "unknown-kind": (GOOD.replace("kind: date", "kind: dat"), 3, 11,
                     "rule 't.year': unknown kind 'dat' (did you mean 'date'?)"),
    "duplicate-key": (GOOD.replace("    kind: date\n", "    kind: date\n    kind: date\n"), 4, 5,
                      "duplicate key 'kind'"),
    "bad-verdict": (GOOD + "    verdict: {default: maybe}\n", 8, 24,
                    "rule 't.year': 'rules.0.verdict.default' is 'maybe'; allowed: contradicted"),
    "negative-timeout": ("settings: {regex_timeout: -1}\n" + GOOD, 1, 27, "settings.regex_timeout"),
    "empty-file": ("", 1, 1, "the file is empty"),
    "comments-only": ("# nothing here\n", 1, 1, "the file is empty"),
    "not-a-mapping": ("- a\n- b\n", 1, 1, "a rule file must be a mapping"),
    "binary": (bytes(range(256)) * 8, 1, 1, "not a text file (it contains NUL bytes)"),
    "latin-1": (GOOD.replace("A year.", "Caf\xe9 year.").encode("latin-1"), 4, 21, "not UTF-8 text"),
    "control-character": (GOOD.replace("A year.", "A\x1f year."), 4, 19, "invalid YAML: character 0x001f is not allowed"),
    "python-tag": ("rules: !!python/object/apply:os.system ['echo pwned']\n", 1, 8,
                   "could not determine a constructor"),
    "billion-laughs": (BILLION_LAUGHS, 1, 1, "the document expands to too many nodes"),
    "nested-too-deep": ("a: " + "[" * 300 + "]" * 300 + "\n", 1, 103, "nested more than 100 levels deep"),
    "huge": ("# " + "x" * (5 * 1024 * 1024) + "\n", 1, 1, "the limit is 5,242,880"),
}


def _write_pack(tmp_path, content: str | bytes):
    pack = tmp_path / "pack"
    pack.mkdir()
    path = pack / "mine.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return pack, path


@pytest.mark.parametrize("command", ["validate", "extract"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_rule_file_is_one_located_error_and_exit_2(cli, tmp_path, case, command):
    content, line, col, says = CASES[case]
    pack, path = _write_pack(tmp_path, content)
    article = tmp_path / "a.txt"
    article.write_text("In 2020 it rained.\n", encoding="utf-8")
    if command == "validate":
        code, out, err = cli("rules", "validate", "--rules", pack)
    else:
        code, out, err = cli("extract", "--rules", pack, article)
    assert code == 2
    assert out == ""
    assert err.startswith(f"factcheck: {path}:{line}:{col}: "), err
    assert says in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_first_duplicate_id_is_named_where_the_second_stands(cli, tmp_path):
    pack, path = _write_pack(tmp_path, GOOD + GOOD.replace("rules:\n", ""))
    code, out, err = cli("rules", "validate", "--rules", pack)
    assert (code, out) == (2, "")
    assert err == (f"factcheck: {path}:8:9: rule 't.year': duplicate rule id; "
                   f"first defined at {path}:2:9\n")


def test_a_user_rule_reusing_a_default_rule_id_is_a_duplicate(cli, tmp_path):
    from factcheck.rules import default_rules_dir, load_pack

    taken = load_pack([default_rules_dir()]).rules[0]
    pack, path = _write_pack(tmp_path, GOOD.replace("id: t.year", f"id: {taken.id}"))
    code, out, err = cli("rules", "validate", "--rules", pack)
    assert (code, out) == (2, "")
    assert err.startswith(f"factcheck: {path}:2:9: rule '{taken.id}': duplicate rule id; first defined at ")


def test_a_folder_without_rule_files_is_an_error(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = cli("rules", "validate", "--no-default-rules", "--rules", tmp_path / "empty")
    assert (code, out) == (2, "")
    assert err == f"factcheck: {tmp_path / 'empty'}: no rule files (*.yaml) found\n"


def test_a_missing_rule_folder_is_an_error(cli, tmp_path):
    code, out, err = cli("rules", "validate", "--rules", tmp_path / "nope")
    assert (code, out) == (2, "")
    assert err == f"factcheck: {tmp_path / 'nope'}: rule folder not found\n"


def test_the_yaml_bomb_is_refused_at_once_by_a_real_process(tmp_path):
    """A subprocess, so a bomb that slipped through would show as memory or time, not a hang of pytest."""
    pack, path = _write_pack(tmp_path, BILLION_LAUGHS)
    run = subprocess.run([sys.executable, "-m", "factcheck", "rules", "validate", "--rules", str(pack)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == (f"factcheck: {path}:1:1: the document expands to too many nodes "
                          "(aliases nested too deep?)\n")


def test_a_broken_rule_pack_writes_no_report(tmp_path):
    pack, path = _write_pack(tmp_path, GOOD.replace("pattern:", "patern:"))
    article = tmp_path / "a.txt"
    article.write_text("In 2020 it rained.\n", encoding="utf-8")
    out_dir = tmp_path / "reports"
    run = subprocess.run([sys.executable, "-m", "factcheck", "check", str(article), "--rules", str(pack),
                          "--out", str(out_dir), "--format", "json", "--no-cache", "-q"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{path}:5:5: rule 't.year': unknown key 'patern'" in run.stderr
    assert not out_dir.exists() or not any(out_dir.iterdir())
