"""The PDF report: text, pages, paper sizes, determinism, and a fetcher that fetches nothing.

Text is extracted with poppler's pdftotext/pdfinfo; those tests are skipped where
poppler-utils is not installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.models import Article, Result
from factcheck.report import ReportOptions, build_report, write_reports
from factcheck.report.pdf import FONTS_CSS, allowed_path, fetcher_class, render_document, render_pdf
from factcheck.report.templating import default_templates_dir
from test_report_html import fixture_result, hostile_result

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                                   reason="poppler-utils (pdftotext, pdfinfo) not installed")


@pytest.fixture(scope="module")
def result() -> Result:
    return fixture_result()


@pytest.fixture(scope="module")
def pdf_a4(result, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a4")
    [path] = write_reports(result, out, ["pdf"])
    return path


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@needs_poppler
def test_pdf_shows_every_claim_with_its_number_and_verdict_word(result, pdf_a4):
    text = " ".join(pdftext(pdf_a4).split())  # lines wrap: compare with whitespace collapsed
    for claim in build_report(result).claims:
        words = re.escape(" ".join(claim.text.split()[:2]))
        assert re.search(rf"\b{claim.number}\s+{claim.verdict_label}\s+“{words}", text), claim.text
    for word in ("Contradicted", "Vague", "Verified", "Unsupported"):
        assert word in text
    assert "10 claims: 1 contradicted, 2 vague, 1 verified, 6 unsupported." in text


@needs_poppler
def test_pdf_has_a_summary_first_page_and_numbered_pages(pdf_a4):
    info = pdfinfo(pdf_a4)
    assert info["Pages"] == "3"  # summary page, article page, claims table (checked by looking at them)
    pages = pdftext(pdf_a4).split("\f")
    assert "Summary" in pages[0] and "Look at these first" in pages[0] and "Verdicts" in pages[0]
    assert "The article, with its claims marked" not in pages[0]
    assert "Page 1 of 3" in pages[0] and "Page 3 of 3" in pages[2]
    assert "Putin proposes direct peace talks with Ukraine" in pages[1].splitlines()[0]  # running header


@needs_poppler
def test_article_lines_are_filled_to_the_margin(pdf_a4):
    """Guards against WeasyPrint's early line breaks before highlighted claims (see segments.py)."""
    text = pdftext(pdf_a4).split("The article, with its claims marked")[1].split("Claims")[0]
    for block in (b for b in text.split("\n\n") if b.strip() and "Page " not in b):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        longest = max(len(line) for line in lines)
        assert all(len(line) > 0.6 * longest for line in lines[:-1]), block


@needs_poppler
def test_paper_option_sets_the_page_size(result, tmp_path, pdf_a4):
    [letter] = write_reports(result, tmp_path, ["pdf"], ReportOptions(paper="Letter"))
    assert "612 x 792 pts" in pdfinfo(letter)["Page size"]
    assert "595.276 x 841.89 pts" in pdfinfo(pdf_a4)["Page size"]


@needs_poppler
def test_pdf_has_no_dates_unless_checked_at_is_given(result, pdf_a4, tmp_path):
    assert "CreationDate" not in pdfinfo(pdf_a4) and "ModDate" not in pdfinfo(pdf_a4)
    [dated] = write_reports(result, tmp_path, ["pdf"], ReportOptions(checked_at="2025-05-12T12:00:00Z"))
    assert "May 12" in pdfinfo(dated)["ModDate"] and "2025" in pdfinfo(dated)["ModDate"]


def test_two_runs_give_byte_identical_pdfs(result, pdf_a4, tmp_path):
    [again] = write_reports(fixture_result(), tmp_path, ["pdf"])
    assert again.read_bytes() == pdf_a4.read_bytes()


def test_unknown_paper_is_a_clear_error(result):
    with pytest.raises(Exception, match="unknown paper 'A3'; use A4 or Letter"):
        render_pdf(build_report(result), paper="A3")


def test_fetcher_refuses_network_and_local_files_but_serves_the_templates_folder():
    root = default_templates_dir().resolve()
    assert allowed_path((root / "report.css").as_uri()) == root / "report.css"
    for url in ("file:///etc/passwd", "http://example.com/x.css", "https://example.com/f.woff",
                (root / ".." / "pyproject.toml").as_uri(), "data:text/css,body{}", "ftp://x/y",
                "file://otherhost" + str(root / "report.css")):
        assert allowed_path(url) is None, url
    fetcher = fetcher_class()()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.refused == ["file:///etc/passwd"]


def test_no_resource_named_by_a_template_is_fetched(result, tmp_path):
    """A hostile user template asks for a local file, a remote stylesheet and image: all refused."""
    (tmp_path / "report.pdf.j2").write_text(
        '<html><head><link rel="stylesheet" href="http://example.com/x.css"></head><body>'
        '<h1>{{ report.article.title }}</h1><img src="file:///etc/passwd">'
        '<img src="https://example.com/pixel.png"><p style="background: url(file:///etc/hostname)">x</p>'
        '</body></html>\n', encoding="utf-8")
    spy = fetcher_class()()
    pdf = render_pdf(build_report(result), templates=tmp_path, fetcher=spy)
    assert sorted(spy.refused) == ["file:///etc/hostname", "file:///etc/passwd", "http://example.com/x.css",
                                   "https://example.com/pixel.png"]
    assert b"root:" not in pdf


def test_hostile_article_text_fetches_nothing():
    spy = fetcher_class()()
    render_document(build_report(hostile_result()), fetcher=spy)
    assert spy.refused == []  # the <img> in the article text is escaped: never an element at all


def test_importing_the_report_package_does_not_import_weasyprint():
    code = "import sys, factcheck.report, factcheck.report.html; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def pdffonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:]]


@needs_poppler
def test_latin_text_is_set_only_in_the_shipped_fonts(pdf_a4):
    """No system font in the PDF: its bytes do not depend on the fonts a machine has."""
    assert sorted(pdffonts(pdf_a4)) == ["Factcheck-Sans", "Factcheck-Sans-Bold", "Factcheck-Serif"]


def test_same_bytes_whichever_subsetter_weasyprint_finds(result, pdf_a4, monkeypatch):
    """HarfBuzz and fontTools subset differently; the shipped fonts are embedded whole, unsubset."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a machine without it
    assert render_pdf(build_report(result)) == pdf_a4.read_bytes()


@needs_poppler
def test_text_outside_the_shipped_fonts_falls_back_to_a_subset_system_font(tmp_path):
    if not subprocess.run(["fc-list", ":lang=ru"], capture_output=True, text=True).stdout.strip():
        pytest.skip("no system font with Cyrillic")
    text = "Путин предложил прямые переговоры с Украиной. Putin proposed direct talks with Ukraine."
    article = Article("ru", text, title="Переговоры", published=dt.date(2025, 5, 11))
    [path] = write_reports(Result(article, ()), tmp_path, ["pdf"])
    assert "Путин предложил прямые переговоры" in pdftext(path)
    fonts = pdffonts(path)
    assert "Factcheck-Serif" in fonts and any(not name.startswith("Factcheck") for name in fonts)
    assert path.stat().st_size < 150_000  # a whole system font (DejaVu Sans: 740 KB) was not embedded


def test_shipped_fonts_are_files_the_fetcher_serves():
    root = default_templates_dir().resolve()
    css = (root / FONTS_CSS).read_text(encoding="utf-8")
    names = re.findall(r"url\(([^)]+)\)", css)
    assert len(names) == 6
    for name in names:
        assert allowed_path((root / FONTS_CSS).parent.joinpath(name).as_uri()) is not None, name


@needs_poppler
def test_a_user_stylesheet_naming_system_fonts_gets_them_subset_not_whole(result, tmp_path):
    (tmp_path / "pdf.css").write_text("body { font-family: 'DejaVu Sans', sans-serif; }\n", encoding="utf-8")
    [path] = write_reports(result, tmp_path / "out", ["pdf"], ReportOptions(templates=tmp_path))
    assert not any(name.startswith("Factcheck") for name in pdffonts(path))
    assert path.stat().st_size < 150_000  # a whole DejaVu Sans alone is 740 KB


def test_fast_parsing_gives_the_same_pdf_as_weasyprints_own_parser(result, pdf_a4, monkeypatch):
    """The shipped page is parsed as XML and styled on a small user-agent stylesheet, for speed;
    WeasyPrint's HTML5 parser and full user-agent stylesheet must give the very same PDF."""
    import factcheck.report.pdf

    monkeypatch.setattr(factcheck.report.pdf, "FAST_PARSE", False)
    assert render_pdf(build_report(result)) == pdf_a4.read_bytes()


@needs_poppler
def test_article_text_that_xml_forbids_still_gives_a_pdf(tmp_path):
    """A form feed or an escape character is not allowed in XML: the page goes through the HTML parser."""
    article = Article("ctl", "Prices rose\x0c by 5% in May.\nThe \x1bcentral bank said so.", title="Prices",
                      published=dt.date(2025, 5, 11))
    [path] = write_reports(Result(article, ()), tmp_path, ["pdf"])
    text = " ".join(pdftext(path).split())
    assert "by 5% in May." in text and "central bank said so." in text


def test_a_user_stylesheet_keeps_weasyprints_default_styles(result, tmp_path):
    """The small user-agent stylesheet goes with the shipped pdf.css only: a user's pdf.css that
    sets only a colour still gets WeasyPrint's defaults, such as a heading twice the text size."""
    (tmp_path / "pdf.css").write_text("body { color: #222; }\n", encoding="utf-8")
    document = render_document(build_report(result), templates=tmp_path)
    size = {getattr(box, "element_tag", None): box.style["font_size"]
            for box in document.pages[0]._page_box.descendants()}
    assert size["h1"] == 2 * size["body"]
