"""Broken reference-facts files: one line `path:line:col: fact 'id': ...`, exit 2.

Lines and columns were counted by hand in the texts below.
"""

from __future__ import annotations

import pytest

GOOD = (
    "facts:\n"                                      # 1
    "  - id: t.start\n"                             # 2  id value at col 9
    "    statement: It began on 24 February 2022\n"  # 3  key at col 5
    "    about: ['\\bwar\\b']\n"                     # 4  first pattern at col 13
    "    kind: date\n"                              # 5  value at col 11
    '    value: "2022-02-24"\n'                     # 6  value at col 12
    "    source:\n"                                 # 7
    "      title: A source\n"                       # 8  key at col 7
    '    as_of: "2022-03-02"\n'                     # 9  value at col 12
)

# name -> (file text, line, col, the message after the location)
CASES: dict[str, tuple[str, int, int, str]] = {
    "impossible-date": (GOOD.replace('"2022-02-24"', '"2022-02-30"'), 6, 12,
                        "fact 't.start': value '2022-02-30' is not a valid date value"),
    "as-of-not-a-date": (GOOD.replace('as_of: "2022-03-02"', "as_of: last week"), 9, 12,
                         "fact 't.start': as_of is 'last week', not a date (YYYY-MM-DD)"),
    "unquoted-impossible-as-of": (GOOD.replace('as_of: "2022-03-02"', "as_of: 2022-13-02"), 9, 12,
                                  "fact 't.start': as_of is '2022-13-02', not a date (YYYY-MM-DD)"),
    "unknown-kind": (GOOD.replace("kind: date", "kind: dat"), 5, 11,
                     "fact 't.start': unknown kind 'dat' (did you mean 'date'?)"),
    "bad-pattern": (GOOD.replace("'\\bwar\\b'", "'(war'"), 4, 13,
                    "fact 't.start': pattern '(war' does not compile: missing ) at position 4"),
    "missing-source": (GOOD.replace("    source:\n      title: A source\n", ""), 2, 5,
                       "fact 't.start': missing required key 'source' in facts.0"),
    "source-without-title": (GOOD.replace("      title: A source\n", "      url: https://x.org\n"), 8, 7,
                             "fact 't.start': missing required key 'title' in facts.0.source"),
    "misspelt-key": (GOOD.replace("statement:", "statment:"), 3, 5,
                     "fact 't.start': unknown key 'statment' (did you mean 'statement'?)"),
    "range-backwards": (GOOD.replace('value: "2022-02-24"', 'range: {from: "2022-03-01", to: "2022-02-01"}'), 6, 37,
                        "fact 't.start': range.to is before range.from"),
    "span-not-a-date": (GOOD.replace('value: "2022-02-24"', "span: {from: yesterday}"), 6, 18,
                        "fact 't.start': span.from is 'yesterday', not a date (YYYY-MM-DD)"),
    "tolerance-not-a-number": (GOOD.replace("    source:", "    tolerance: '1.2.3%'\n    source:"), 7, 16,
                               "fact 't.start': tolerance is '1.2.3%'; give a number or a percentage such as '10%'"),
    "two-value-forms": (GOOD.replace('    value: "2022-02-24"\n',
                                     '    value: "2022-02-24"\n    range: {from: "2022-01-01", to: "2022-02-01"}\n'),
                        2, 5, "fact 't.start': give only one of value, range"),
    "no-facts-key": ("version: '1'\n", 1, 1, "missing required key 'facts' in the file"),
    "empty-file": ("", 1, 1, "a facts file must be a mapping with a 'facts' list"),
}


def _write(tmp_path, text: str):
    folder = tmp_path / "facts"
    folder.mkdir()
    path = folder / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return folder, path


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_facts_file_is_one_located_error_and_exit_2(cli, tmp_path, case):
    text, line, col, message = CASES[case]
    folder, path = _write(tmp_path, text)
    code, out, err = cli("facts", "validate", "--no-default-facts", "--facts", folder)
    assert (code, out) == (2, "")
    assert err == f"factcheck: {path}:{line}:{col}: {message}\n"


def test_a_duplicate_fact_id_names_both_places(cli, tmp_path):
    folder, path = _write(tmp_path, GOOD + GOOD.replace("facts:\n", ""))
    code, out, err = cli("facts", "validate", "--no-default-facts", "--facts", folder)
    assert (code, out) == (2, "")
    assert err == f"factcheck: {path}:10:9: fact 't.start': duplicate fact id; first defined at {path}:2:9\n"


def test_the_good_facts_file_validates(cli, tmp_path):
    folder, _ = _write(tmp_path, GOOD)
    assert cli("facts", "validate", "--no-default-facts", "--facts", folder) == (0, "ok: 1 facts in 1 files\n", "")


def test_broken_facts_stop_extraction_before_any_output(cli, tmp_path):
    folder, path = _write(tmp_path, GOOD.replace("kind: date", "kind: dat"))
    article = tmp_path / "a.txt"
    article.write_text("The war began in February 2022.\n", encoding="utf-8")
    code, out, err = cli("extract", "--facts", folder, article)
    assert (code, out) == (2, "")
    assert err.startswith(f"factcheck: {path}:5:11: fact 't.start': unknown kind 'dat'")
    assert "Traceback" not in err
