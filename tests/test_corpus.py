"""`factcheck check` over a corpus: inputs, order, errors, index, exit codes, parallel runs."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

# A fixed rule pack, so expected counts do not move when the default rules do.
PACK = """
kinds:
  thing: {description: "A test kind."}
rules:
  - id: t.unicorn
    kind: thing
    description: "Unicorns."
    pattern: '\\b(?P<what>unicorns?)\\b'
    verdict: {default: contradicted, reason: "Unicorns do not exist."}
    examples: {match: [{text: "a unicorn", span: "unicorn"}]}
  - id: t.many
    kind: thing
    description: "Many things."
    pattern: '\\bmany (?P<what>\\w+)'
    verdict: {default: vague, reason: "How many?"}
    examples: {match: [{text: "many cats", span: "many cats"}]}
  - id: t.biggest
    kind: thing
    description: "A superlative."
    pattern: '\\bthe (?P<what>biggest \\w+)'
    verdict: {default: unsupported, reason: "Says who?"}
    examples: {match: [{text: "the biggest horse", span: "the biggest horse"}]}
"""


def make_pack(root: Path) -> Path:
    """Write the fixed pack into root/pack and return the folder."""
    folder = root / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.yaml").write_text(PACK, encoding="utf-8")
    return folder


def put(root: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a dedented article under root and return its path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def pack_args(root: Path) -> list[str]:
    """Options that load only the fixed pack, no facts, and a private cache."""
    return ["--no-default-rules", "--rules", str(make_pack(root)), "--no-default-facts",
            "--cache-dir", str(root / "cache")]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A small corpus: two folders with same-named files, a Latin-1 file, a README, a JSONL export."""
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "news/politics/001.txt", "Politicians saw a unicorn and many cats.\n")
    put(tmp_path, "news/sport/001.txt", "The biggest match of the year.\n")
    put(tmp_path, "news/sport/002.txt", "Caf\xe9 owners met many fans.\n", encoding="latin-1")
    put(tmp_path, "news/README.TXT", "This folder holds news. A unicorn here is no article.\n")
    put(tmp_path, "export.jsonl", """
        {"id": "rec-1", "title": "First", "published": "2025-03-01", "text": "Nothing to see."}
        not json at all
        {"title": "Third", "text": "A unicorn, again."}
        """)
    return tmp_path


def index(out: Path) -> dict:
    return json.loads((out / "index.json").read_text(encoding="utf-8"))


def test_folder_and_jsonl_inputs_are_indexed_in_input_order(corpus, cli):
    code, _, err = cli("check", "news", "export.jsonl", "--out", "out", "--format", "json", "--jobs", "1",
                       *pack_args(corpus))
    ids = [a["id"] for a in index(corpus / "out")["articles"]]
    assert ids == ["news/politics/001.txt", "news/sport/001.txt", "news/sport/002.txt",
                   "rec-1", "export.jsonl:2", "export.jsonl:3"]
    assert code == 1  # unicorns are contradicted: the default policy fails those articles
    assert "FAIL news/politics/001.txt" in err


def test_unreadable_record_is_an_error_entry_and_the_run_goes_on(corpus, cli):
    cli("check", "export.jsonl", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    doc = index(corpus / "out")
    bad = doc["articles"][1]
    assert bad["path"] == "export.jsonl" and bad["error"].startswith("export.jsonl:2: invalid JSON")
    assert doc["articles"][2]["counts"]["contradicted"] == 1
    assert doc["totals"]["errors"] == 1 and doc["totals"]["failed"] == 2  # the error and the unicorn


def test_counts_and_claim_positions_in_the_index(corpus, cli):
    cli("check", "news", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    first = index(corpus / "out")["articles"][0]
    assert first["counts"] == {"contradicted": 1, "vague": 1, "verified": 0, "unsupported": 0}
    unicorn = next(c for c in first["claims"] if c["rule"] == "t.unicorn")
    # "Politicians saw a unicorn and many cats.": "unicorn" starts at column 19 of line 1
    assert (unicorn["line"], unicorn["col"], unicorn["text"]) == (1, 19, "unicorn")


def test_latin1_article_is_checked_with_a_warning(corpus, cli):
    cli("check", "news/sport/002.txt", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    entry = index(corpus / "out")["articles"][0]
    assert entry["error"] is None and entry["counts"]["vague"] == 1
    assert any("Latin-1" in w for w in entry["warnings"])


def test_readme_in_a_folder_is_not_an_article_but_is_when_named(corpus, cli):
    cli("check", "news", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    assert all("README" not in a["id"] for a in index(corpus / "out")["articles"])
    cli("check", "news/README.TXT", "--out", "out2", "--format", "", "--jobs", "1", *pack_args(corpus))
    assert index(corpus / "out2")["articles"][0]["id"] == "news/README.TXT"


def test_same_named_files_in_two_folders_get_separate_reports(corpus, cli):
    pytest.importorskip("factcheck.report")
    cli("check", "news", "--out", "out", "--format", "json", "--jobs", "1", *pack_args(corpus))
    reports = [a["reports"] for a in index(corpus / "out")["articles"]]
    assert reports == [["politics-001.json"], ["sport-001.json"], ["sport-002.json"]]
    assert json.loads((corpus / "out" / "sport-001.json").read_text())["article"]["id"] == "news/sport/001.txt"


def test_stdin_reads_jsonl(corpus, cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "s1", "text": "many dogs"}\n'))
    code, _, _ = cli("check", "-", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    assert code == 0
    assert index(corpus / "out")["articles"][0]["counts"]["vague"] == 1


def test_nothing_checkable_exits_2(corpus, cli):
    put(corpus, "broken.json", "{not json")
    code, _, _ = cli("check", "broken.json", "--out", "out", "--format", "", "--jobs", "1", *pack_args(corpus))
    assert code == 2


def test_missing_input_is_an_error_before_any_work(corpus, cli):
    code, _, err = cli("check", "nope/", "--out", "out", "--jobs", "1", *pack_args(corpus))
    assert code == 2 and "no such file" in err
    assert not (corpus / "out" / "index.json").exists()


def test_unknown_format_exits_2(corpus, cli):
    code, _, err = cli("check", "news", "--out", "out", "--format", "docx", "--jobs", "1", *pack_args(corpus))
    assert code == 2 and "docx" in err


def test_two_workers_give_the_same_index_and_reports_as_one(corpus, cli):
    pytest.importorskip("factcheck.report")
    for jobs in ("1", "2"):
        cli("check", "news", "export.jsonl", "--out", f"out{jobs}", "--format", "json", "--jobs", jobs, "--no-cache",
            *pack_args(corpus))
    one, two = corpus / "out1", corpus / "out2"
    assert (one / "index.json").read_bytes() == (two / "index.json").read_bytes()
    for name in ("politics-001.json", "sport-001.json", "rec-1.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_index_html_lists_articles_with_links_and_escapes_titles(corpus, cli):
    put(corpus, "titled.md", """
        ---
        title: "Cats <script>alert(1)</script>"
        published: 2025-01-02
        ---
        There are many cats.
        """)
    cli("check", "titled.md", "news/sport", "--out", "out", "--format", "html", "--jobs", "1", *pack_args(corpus))
    html = (corpus / "out" / "index.html").read_text(encoding="utf-8")
    assert '<a href="titled.html">Cats &lt;script&gt;alert(1)&lt;/script&gt;</a>' in html
    assert '<a href="001.html">' in html and "<script>alert(1)" not in html
    assert (corpus / "out" / "titled.html").is_file()


def test_check_corpus_python_api_returns_the_run(corpus):
    from factcheck import check_corpus

    run = check_corpus(["news"], out=corpus / "out", formats=[], jobs=1, rules=[str(make_pack(corpus))],
                       default_rules=False, default_facts=False, cache=False, progress=False)
    assert [e["id"] for e in run.failed] == ["news/politics/001.txt"]
    assert run.totals()["vague"] == 2 and run.exit_code == 1


def test_fail_on_none_passes_everything(corpus, cli):
    code, _, _ = cli("check", "news", "--out", "out", "--format", "", "--jobs", "1", "--fail-on", "none",
                     *pack_args(corpus))
    assert code == 0


def test_config_defaults_supply_options(corpus, cli):
    (corpus / "factcheck.toml").write_text('[defaults]\nfail_on = "vague"\nformat = "json"\nout = "fromconfig"\n')
    code, _, err = cli("check", "news/sport", "--jobs", "1", *pack_args(corpus))
    assert code == 1 and "FAIL news/sport/002.txt: 1 vague > max_vague = 0" in err
    assert (corpus / "fromconfig" / "index.json").is_file()


def test_config_defaults_with_an_option_no_command_has_exit_2(corpus, cli):
    (corpus / "factcheck.toml").write_text('[defaults]\nfromat = "json"\n')
    code, _, err = cli("check", "news", "--jobs", "1", *pack_args(corpus))
    assert code == 2 and "no command has an option 'fromat'" in err
