"""Bad and hostile articles given to `factcheck extract`.

Each case asserts the exit code, the one-line message with its location where the
input has one, that no traceback is printed, and that a failing run prints no
claims. Large inputs are generated in tmp_path, never committed.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import sys

import pytest

from conftest import ROOT, SHARED

FIXTURES = ROOT / "tests" / "fixtures" / "bad"
BBC_LATIN1 = SHARED / "data" / "bbc" / "sport" / "199.txt"  # the corpus's one Latin-1 file

# A one-rule pack that scans fast, for inputs whose size is the point.
YEAR_PACK = """\
rules:
  - id: t.year
    kind: date
    description: A year.
    pattern: '\\b(?P<year>(?:19|20)\\d\\d)\\b'
    examples:
      match: [{text: 'in 2020', span: '2020'}]
"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Reading an article must never fetch anything (scripts, frames, images, styles)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _claims_are_spans_of(text: str, record: dict) -> None:
    for claim in record["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]


@pytest.fixture
def year_pack(tmp_path):
    pack = tmp_path / "yearpack"
    pack.mkdir()
    (pack / "years.yaml").write_text(YEAR_PACK, encoding="utf-8")
    config = tmp_path / "factcheck.toml"
    config.write_text("regex_timeout = 120\n", encoding="utf-8")
    return ["--no-default-rules", "--no-default-facts", "--rules", str(pack), "--config", str(config)]


# -- empty and non-text input ---------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\t\n  \n"], ids=["empty", "whitespace"])
def test_an_empty_article_has_no_claims(cli, tmp_path, content):
    path = tmp_path / "a.txt"
    path.write_text(content, encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, err) == (0, "")
    assert _lines(out) == [{"id": str(path), "published": None, "claims": []}]


def test_a_binary_file_is_refused(cli, tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err == f"factcheck: {path}: not a text file (it contains NUL bytes)\n"


def test_invalid_utf8_is_read_as_latin1_with_a_warning_naming_the_line(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("First line.\nThe caf\xe9 closed in February 2022.\n".encode("latin-1"))
    code, out, err = cli("extract", "--no-default-facts", path)
    assert code == 0
    assert err == f"factcheck: warning: {path}:2: not valid UTF-8; read as Latin-1\n"
    record = _lines(out)[0]
    _claims_are_spans_of("First line.\nThe café closed in February 2022.\n", record)
    assert [c["value"] for c in record["claims"] if c["kind"] == "date"] == ["2022-02"]


def test_the_latin1_file_of_the_bbc_corpus_is_read_with_its_pound_sign(cli):
    if not BBC_LATIN1.is_file():
        pytest.skip("../shared/data/bbc is not available")
    code, out, err = cli("extract", "--no-default-facts", BBC_LATIN1)
    assert code == 0
    assert err == f"factcheck: warning: {BBC_LATIN1}:5: not valid UTF-8; read as Latin-1\n"
    record = _lines(out)[0]
    _claims_are_spans_of(BBC_LATIN1.read_bytes().decode("latin-1"), record)
    assert any("£15.8m" in c["text"] for c in record["claims"])


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(cli, tmp_path, codec):
    path = tmp_path / "a.txt"
    text = "The war began in February 2022.\n"
    path.write_bytes((b"\xfe\xff" if codec == "utf-16-be" else b"") + text.encode(codec))
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, err) == (0, "")
    record = _lines(out)[0]
    _claims_are_spans_of(text, record)
    assert [c["text"] for c in record["claims"] if c["kind"] == "date"] == ["February 2022"]


# -- metadata --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["tomorrow-ish", "2025-02-30", "{a: 1}"])
def test_a_front_matter_date_that_is_not_a_date_points_at_its_line(cli, tmp_path, value):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\npublished: {value}\n---\nBody.\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"factcheck: {path}:3:12: 'published' is ")
    assert err.endswith(", not a date (YYYY-MM-DD)\n")


def test_broken_front_matter_yaml_points_at_the_file_line(cli, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\nauthors: [a, b\n---\nBody.\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"factcheck: {path}:4:1: invalid YAML: ")


def test_a_future_publication_date_is_kept_with_a_warning(cli, tmp_path):
    future = dt.date.today().replace(year=dt.date.today().year + 5, day=1)
    path = tmp_path / "a.md"
    path.write_text(f"---\npublished: {future.isoformat()}\n---\nThe talks ended yesterday.\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert code == 0
    assert err == f"factcheck: warning: {path}: publication date {future.isoformat()} is in the future\n"
    record = _lines(out)[0]
    assert record["published"] == future.isoformat()
    yesterday = (future - dt.timedelta(days=1)).isoformat()
    assert [c["value"] for c in record["claims"] if c["text"].lower() == "yesterday"] == [yesterday]


@pytest.mark.parametrize("record, where", [
    ('{"text": "Body.", "published": "never"}', 1),
    ('{"text": "Body.", "published": ["2020-01-01"]}', 1),
])
def test_a_jsonl_record_with_a_bad_date_names_its_line(cli, tmp_path, record, where):
    path = tmp_path / "a.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"factcheck: {path}:{where}: 'published' is ")


def test_invalid_json_in_a_jsonl_file_names_line_and_column(cli, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Body."}\n{"text": \n', encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert code == 2
    assert err.startswith(f"factcheck: {path}:2:10: invalid JSON: ")
    assert "Traceback" not in err


# -- paths -----------------------------------------------------------------------------


def test_a_nonexistent_path_is_an_error(cli, tmp_path):
    code, out, err = cli("extract", tmp_path / "nope.txt")
    assert (code, out) == (2, "")
    assert err == f"factcheck: {tmp_path / 'nope.txt'}: no such file or folder\n"


def test_a_folder_with_no_articles_is_an_error(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    code, out, err = cli("extract", "--no-default-facts", folder)
    assert (code, out) == (2, "")
    assert err == (f"factcheck: {folder}: no articles found "
                   "(looked for .txt, .md, .markdown, .html, .htm, .json, .jsonl)\n")


# -- HTML ------------------------------------------------------------------------------


def test_hostile_html_gives_only_its_visible_text_and_fetches_nothing(cli):
    from factcheck.readers import read_path

    page = FIXTURES / "hostile.html"
    article = next(read_path(page))
    for hidden in ("SCRIPTTEXT", "STYLETEXT", "IFRAMETEXT", "NOSCRIPTTEXT", "SVGTEXT", "TEMPLATETEXT", "ALTTEXT",
                   "passwd", "127.0.0.1"):
        assert hidden not in article.text
    code, out, err = cli("extract", "--no-default-facts", page)
    assert (code, err) == (0, "")
    record = _lines(out)[0]
    _claims_are_spans_of(article.text, record)
    dates = [c["value"] for c in record["claims"] if c["kind"] == "date"]
    assert dates == ["2021-03", "2022-06"]  # none of 2001-2008 from hidden elements


def test_a_hundred_thousand_nested_divs_are_read(cli, tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "<p>The talks began in March 2021.</p>"
                    + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, err) == (0, "")
    record = _lines(out)[0]
    assert [c["value"] for c in record["claims"] if c["kind"] == "date"] == ["2021-03"]


def test_unclosed_tags_do_not_lose_the_text(cli, tmp_path):
    path = tmp_path / "open.html"
    path.write_text("<div><p>The talks began in March 2021 <b>in Istanbul." + "<span>" * 50_000, encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, err) == (0, "")
    assert [c["value"] for c in _lines(out)[0]["claims"] if c["kind"] == "date"] == ["2021-03"]


# -- size ------------------------------------------------------------------------------


def test_fifty_megabytes_of_text_run_through(cli, tmp_path, year_pack):
    filler = "The committee discussed the budget at length. " * 200
    block = filler + "It happened in 2020.\n"
    count = 50 * 1024 * 1024 // len(block) + 1
    path = tmp_path / "big.txt"
    path.write_text(block * count, encoding="utf-8")
    assert path.stat().st_size >= 50 * 1024 * 1024
    code, out, err = cli("extract", *year_pack, path)
    assert (code, err) == (0, "")
    claims = _lines(out)[0]["claims"]
    assert len(claims) == count
    assert claims[-1]["start"] == (count - 1) * len(block) + len(filler) + len("It happened in ")


def test_a_five_megabyte_line_without_a_full_stop_is_cut_into_sentences(tmp_path):
    from factcheck.segment import MAX_SENTENCE, split_sentences

    text = "word " * (1024 * 1024) + "in 2020"
    sentences = split_sentences(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert [text[s.start:s.end] for s in sentences] == [s.text for s in sentences]
    assert sentences[-1].text.endswith("in 2020")


def test_a_five_megabyte_line_finds_its_claim_with_a_fast_pack(cli, tmp_path, year_pack):
    path = tmp_path / "line.txt"
    path.write_text("word " * (1024 * 1024) + "in 2020", encoding="utf-8")
    code, out, err = cli("extract", *year_pack, path)
    assert (code, err) == (0, "")
    assert [(c["start"], c["text"]) for c in _lines(out)[0]["claims"]] == [(5 * 1024 * 1024 + 3, "2020")]


def test_a_five_megabyte_line_with_the_default_pack_ends_in_results_or_a_named_timeout(tmp_path):
    """Either the rules are fast enough, or the time limit stops a rule and names it."""
    import subprocess

    path = tmp_path / "line.txt"
    path.write_text("word " * (1024 * 1024) + "in 2020", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factcheck", "extract", "--no-default-facts", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert "Traceback" not in run.stderr
    if run.returncode == 0:
        assert _lines(run.stdout)[0]["claims"]
    else:
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.startswith("factcheck: ") and f"on article '{path}'" in run.stderr
        assert ": rule '" in run.stderr and "timed out after" in run.stderr


# -- JSON records ----------------------------------------------------------------------


@pytest.mark.parametrize("name, content, where, message", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "", "invalid JSON: nested too deeply"),
    ("deep.jsonl", '{"text": "ok"}\n{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", ":2",
     "invalid JSON: nested too deeply"),
    ("long.jsonl", '{"text": "x", "n": ' + "9" * 5000 + "}\n", ":1", "invalid JSON: a number is too long"),
    ("list.json", "[1, 2]", "", "a record must be a JSON object with a 'text' field"),
    ("notext.json", '{"text": 5}', "", "the record has no 'text' string"),
])
def test_hostile_json_is_one_located_error(cli, tmp_path, name, content, where, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert code == 2
    assert err == f"factcheck: {path}{where}: {message}\n"


def test_a_lone_surrogate_in_a_json_record_is_replaced_in_place(cli, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a\\ud800b", "text": "\\udc00 In February 2022 it began."}\n', encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, err) == (0, "")
    record = _lines(out)[0]
    assert record["id"] == "a\ufffdb"
    _claims_are_spans_of("\ufffd In February 2022 it began.", record)
    assert [c["start"] for c in record["claims"] if c["kind"] == "date"] == [5]


def test_front_matter_larger_than_a_rule_file_is_refused(cli, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\nnote: '" + "x" * (5 * 1024 * 1024) + "'\n---\nBody.\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err == f"factcheck: {path}:1:1: front matter is 5,242,889 characters; the limit is 5,242,880\n"


def test_a_yaml_bomb_in_front_matter_is_refused(cli, tmp_path):
    from test_bad_rules import BILLION_LAUGHS

    path = tmp_path / "a.md"
    path.write_text("---\n" + BILLION_LAUGHS + "---\nBody.\n", encoding="utf-8")
    code, out, err = cli("extract", "--no-default-facts", path)
    assert (code, out) == (2, "")
    assert err == f"factcheck: {path}:2:1: the document expands to too many nodes (aliases nested too deep?)\n"
