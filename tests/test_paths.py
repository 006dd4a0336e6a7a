"""Report file names from untrusted article ids never leave the output folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

report = pytest.importorskip("factcheck.report")
report_filename = report.report_filename

HOSTILE_IDS = [
    "../../etc/x",
    "..\\..\\windows\\system32\\x",
    "/abs/path",
    "/etc/passwd",
    "C:\\Users\\x",
    "a\x00b",
    "x" * 10_000,
    "..",
    ".",
    "...",
    "",
    " ",
    "-rf",
    ".hidden",
    "con",
    "NUL.txt",
    "a/../../b",
    "ümlaut/日本語の記事",
    "\u202egnp.exe",  # right-to-left override
    "a:b*c?d\"e<f>g|h",
    "line\nbreak",
    "\ud800",  # a lone surrogate, as a JSON id may carry
]
SUFFIXES = [".html", ".pdf", ".json", ".claimreview.json"]


def _assert_safe(stem: str, out) -> None:
    assert stem and stem not in (".", "..")
    assert not stem.startswith((".", "-"))
    assert not any(ch in stem for ch in "/\\\x00:\n")
    for suffix in SUFFIXES:
        name = stem + suffix
        assert len(name.encode("utf-8")) <= 255  # the common file-name limit
        assert (out / name).resolve().parent == out.resolve()


@pytest.mark.parametrize("article_id", HOSTILE_IDS, ids=range(len(HOSTILE_IDS)))
def test_a_hostile_id_gives_a_name_inside_the_output_folder(tmp_path, article_id):
    stem = report_filename(article_id)
    _assert_safe(stem, tmp_path)
    assert report_filename(article_id) == stem  # stable across runs


def test_hostile_ids_do_not_collide():
    odd = [i for i in HOSTILE_IDS if i not in ("/abs/path",)]
    stems = [report_filename(i) for i in odd]
    assert len(set(stems)) == len(stems)


def test_a_climbing_id_does_not_take_the_name_of_a_plain_file():
    assert report_filename("../../etc/x") != report_filename("x")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=300))
def test_any_text_id_gives_a_safe_name(tmp_path, article_id):
    _assert_safe(report_filename(article_id), tmp_path)


def test_written_reports_stay_in_the_output_folder(tmp_path):
    from factcheck.models import Article, Result

    out = tmp_path / "out"
    for article_id in ("../../etc/x", "/abs/path", "a\x00b", "x" * 10_000):
        result = Result(Article(id=article_id, text="Body."), ())
        for path in report.write_reports(result, out, ["json"]):
            assert path.resolve().parent == out.resolve()
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert len(os.listdir(out)) == 4
