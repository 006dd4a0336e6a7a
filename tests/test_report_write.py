"""write_reports: formats, file names, atomic writes, errors."""

from __future__ import annotations

import dataclasses
import os

import pytest

from factcheck.errors import ConfigError
from factcheck.report import ReportOptions, write_reports
from test_report_html import fixture_result


def test_writes_the_asked_formats_under_a_safe_stem(tmp_path):
    result = fixture_result()
    hostile = dataclasses.replace(result, article=dataclasses.replace(result.article, id="../../etc/evil"))
    paths = write_reports(hostile, tmp_path / "out", ["json", "html", "json"])
    assert [p.parent for p in paths] == [tmp_path / "out"] * 2  # duplicates written once, inside the folder
    assert [p.suffix for p in paths] == [".json", ".html"]
    assert paths[0].name.startswith("evil-")


def test_leaves_no_temporary_files_and_gives_normal_permissions(tmp_path):
    write_reports(fixture_result(), tmp_path, ["html", "json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["putin-peace-talks.html", "putin-peace-talks.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "putin-peace-talks.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_render_keeps_the_previous_report(tmp_path):
    result = fixture_result()
    [old] = write_reports(result, tmp_path, ["html"])
    before = old.read_bytes()
    bad = tmp_path / "tpl"
    bad.mkdir()
    (bad / "_legend.html.j2").write_text("{{ nope }}", encoding="utf-8")
    with pytest.raises(Exception, match="nope"):
        write_reports(result, tmp_path, ["html"], ReportOptions(templates=bad))
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["putin-peace-talks.html"]


def test_an_unknown_format_is_a_config_error_naming_the_choices(tmp_path):
    with pytest.raises(ConfigError, match="unknown report format 'docx'; choose from html, pdf, json, claimreview"):
        write_reports(fixture_result(), tmp_path, ["docx"])


def test_a_given_stem_names_the_files_and_render_reports_returns_the_same_bytes(tmp_path):
    from factcheck.api import check_text
    from factcheck.report import render_reports, write_reports

    result = check_text("The war began in February 2022.", "2025-05-11", id="sport/001.txt")
    paths = write_reports(result, tmp_path, ["json", "html"], stem="sport-001")
    assert sorted(p.name for p in paths) == ["sport-001.html", "sport-001.json"]
    rendered = render_reports(result, ["json", "html"])
    assert rendered[".json"] == (tmp_path / "sport-001.json").read_bytes()
    assert rendered[".html"] == (tmp_path / "sport-001.html").read_bytes()
