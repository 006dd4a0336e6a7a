"""The PDF report: report.pdf.j2 laid out by WeasyPrint with pdf.css.

WeasyPrint is imported here only, inside functions, so `import factcheck.report`
(and every command but `check`) stays light.

The PDF has a template and a stylesheet of its own (the HTML report's content, laid
out for paper), because WeasyPrint's time goes on elements and on how they are laid
out: see "Speed" below and bench/bench_pdf.py.

Safety: a `SafeFetcher` refuses every URL except files inside the shipped
templates folder (the stylesheet's own resources, the fonts). Article text is
escaped by the templates anyway; this also stops a user template or CSS from
reading local files (`file:///etc/passwd`) or the network.

Fonts: the PDF uses small DejaVu subsets shipped in templates/fonts/ (built by
tools/make_fonts.py; Latin-1, Latin Extended-A, punctuation, currency signs),
declared by templates/fonts/fonts.css, which only this renderer loads. When every
character of the report is in them, they are embedded whole (`full_fonts`): no
subsetting at render time, and the same font bytes on every machine whatever
fonts it has and whichever subsetter WeasyPrint finds (HarfBuzz or fontTools
give different bytes). Other text (Cyrillic, say) falls back per glyph to the
system's fonts, which are then subset as usual; so are system fonts named by a
user's stylesheet (the PDF is then written twice: the fonts drawn are known only
after drawing).

Speed (bench/bench_pdf.py, where the time goes is measured there): the stylesheets
are compiled once per (CSS text, paper) into `CSS` objects and the
`FontConfiguration` (with the shipped fonts registered in it) is shared across
renders. The shipped PDF template is well-formed XML, so its page is parsed by the
standard library's XML parser (expat, in C) instead of WeasyPrint's pure-Python HTML5
parser, and styled on top of a small user-agent stylesheet covering the elements it
uses (`UA_CSS`) instead of WeasyPrint's full one, whose attribute and pseudo-class
selectors are tried on every element. The XML parser is used for the shipped
template only (a user's `report.pdf.j2` goes through WeasyPrint's own parser, and so
does a page the XML parser refuses, say article text with a form feed), the small
user-agent stylesheet with the shipped pdf.css only.

Determinism: no creation or modification date unless `checked_at` is given (the
template writes it as dcterms.modified), no file identifier, and subsets of
fallback fonts get a fixed `head.modified` time (fontTools, which WeasyPrint uses
when HarfBuzz-subset is missing, stamps the current time unless SOURCE_DATE_EPOCH
is set), so the same input gives the same bytes.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import html
import os
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from .html import GENERATOR
from .model import ReportModel
from .templating import default_templates_dir, render, stylesheet

PAPERS = {"A4": "A4", "LETTER": "letter"}
TEMPLATE = "report.pdf.j2"
STYLESHEET = "pdf.css"
FONTS_CSS = "fonts/fonts.css"  # under the shipped templates folder
CONTROLS = frozenset("\n\r\t\f")  # whitespace that never becomes a glyph
SHIPPED_FAMILIES = frozenset({"Factcheck Sans", "Factcheck Serif"})  # as named in fonts.css
FAST_PARSE = True  # False: every page through WeasyPrint's HTML parser and stylesheet (tests compare)
_LOCK = threading.Lock()  # WeasyPrint's caches are not documented as thread-safe
FONT_EPOCH = "0"  # SOURCE_DATE_EPOCH for font subsets when the user has not set one

# The user-agent stylesheet of the shipped template: WeasyPrint's (weasyprint/css/
# html5_ua.css) cut down to the elements report.pdf.j2 uses. pdf.css sets every
# margin, size and colour itself, so the page looks the same under either (a test
# renders it both ways and compares the bytes).
UA_CSS = """
head, meta, title, style, script, link { display: none }
html, body, section, div, p, h1, h2 { display: block }
h1 { bookmark-level: 1 }
h2 { bookmark-level: 2 }
h1, h2 { bookmark-label: content(text); font-weight: bold; hyphens: manual; break-after: avoid; break-inside: avoid }
sup { vertical-align: super; font-size: smaller }
br::before { content: "\\A"; white-space: pre-line }
@page {
  margin: 75px;
  @top-left { text-align: left; vertical-align: middle }
  @top-center { text-align: center; vertical-align: middle }
  @top-right { text-align: right; vertical-align: middle }
  @bottom-left { text-align: left; vertical-align: middle }
  @bottom-center { text-align: center; vertical-align: middle }
  @bottom-right { text-align: right; vertical-align: middle }
}
"""


class FetchRefused(ValueError):
    """A URL the report renderer will not fetch."""


def allowed_path(url: str, root: Path | None = None) -> Path | None:
    """Return the local file a URL names if it lies inside the shipped templates folder, else None."""
    root = (root or default_templates_dir()).resolve()
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


@functools.cache
def fetcher_class() -> type:
    """Return the SafeFetcher class (built on first use: it subclasses WeasyPrint's fetcher)."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """Fetch only the package's own files; refuse network, data and other local files."""

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = allowed_path(url)
            if path is None:
                self.refused.append(url)
                raise FetchRefused(f"factcheck reports fetch no external resources: {url[:200]}")
            return URLFetcherResponse(url, body=path.read_bytes())

    return SafeFetcher


@functools.cache
def _font_config() -> Any:
    """Return the process's FontConfiguration, removed with its font folder at exit."""
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    atexit.register(_remove_font_folder, config)
    return config


def _remove_font_folder(config: Any) -> None:
    """Delete the temporary folder where WeasyPrint copied the @font-face fonts.

    WeasyPrint does it in FontConfiguration.__del__, but a config cached for the
    whole process dies at interpreter shutdown, when that fails ("'NoneType' object
    is not callable") and leaves /tmp/weasyprint-* behind.
    """
    folder = getattr(config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None


@functools.lru_cache(maxsize=8)
def _stylesheets(css: str, paper: str) -> tuple[Any, ...]:
    """Compile the shipped fonts' @font-face rules, the report stylesheet and the paper size once.

    Compiling fonts.css registers the fonts in the shared FontConfiguration (read
    through the SafeFetcher), so every later render finds them already there.
    """
    from weasyprint import CSS

    root = default_templates_dir().resolve()
    kw = {"base_url": root.as_uri() + "/", "url_fetcher": fetcher_class()(), "font_config": _font_config()}
    fonts = CSS(string=(root / FONTS_CSS).read_text(encoding="utf-8"), base_url=(root / FONTS_CSS).as_uri(),
                url_fetcher=kw["url_fetcher"], font_config=kw["font_config"])
    return fonts, CSS(string=css, **kw), CSS(string=f"@page {{ size: {paper}; }}", **kw)


@functools.cache
def _user_agent_sheet() -> Any:
    """Compile UA_CSS once."""
    from weasyprint import CSS

    return CSS(string=UA_CSS)


@functools.cache
def _parsed_page_class() -> type:
    """Return the ParsedPage class (built on first use: it subclasses WeasyPrint's HTML)."""
    import cssselect2
    from weasyprint import HTML

    class ParsedPage(HTML):
        """A page already parsed into an ElementTree; styled on top of UA_CSS if `lean_ua`."""

        def __init__(self, root: ElementTree.Element, base_url: str, url_fetcher: Any, lean_ua: bool) -> None:
            # An empty page sets up everything else WeasyPrint keeps; then the tree is swapped in.
            super().__init__(string="<html></html>", base_url=base_url, url_fetcher=url_fetcher)
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element
            self.lean_ua = lean_ua

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [_user_agent_sheet()] if self.lean_ua else super()._ua_stylesheets(forms)

    return ParsedPage


def pdf_stylesheet(user_dir: Path | None) -> str:
    """Return the PDF stylesheet's text (a user's pdf.css wins)."""
    return stylesheet(user_dir, STYLESHEET)


def _shipped(user_dir: Path | None, name: str) -> bool:
    """Tell whether a template file comes from the shipped folder (the user's has none of that name)."""
    return user_dir is None or not (Path(user_dir) / name).is_file()


def _html_document(page: str, base_url: str, fetcher: Any, user_dir: Path | None) -> Any:
    """Return WeasyPrint's HTML for the page: parsed as XML when it is the shipped template's.

    The small user-agent stylesheet goes with the shipped stylesheet only: a user's
    pdf.css may count on WeasyPrint's defaults (heading sizes, paragraph margins).
    """
    from weasyprint import HTML

    if FAST_PARSE and _shipped(user_dir, TEMPLATE):
        try:
            root = ElementTree.fromstring(page)
        except (ElementTree.ParseError, ValueError):  # text XML forbids: a form feed, a lone surrogate...
            root = None
        if root is not None and root.tag == "html":
            return _parsed_page_class()(root, base_url, fetcher, _shipped(user_dir, STYLESHEET))
    return HTML(string=page, base_url=base_url, url_fetcher=fetcher)


@functools.cache
def shipped_characters() -> frozenset[str]:
    """Return the characters every shipped font covers (the intersection of their cmaps)."""
    from fontTools.ttLib import TTFont

    covered: set[int] | None = None
    for path in sorted((default_templates_dir() / "fonts").glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            cmap = set(font.getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return frozenset(chr(c) for c in covered or ())


def only_shipped_fonts(page: str, css: str) -> bool:
    """Tell whether the shipped fonts cover every character of a page and its stylesheet.

    The page (entities decoded, markup included) and the stylesheet hold all that
    is drawn (generated content comes from the stylesheet), so when this holds no
    fallback font is used. A CSS escape (`content: "\\2192"`) could name any
    character: then answer no.
    """
    glyphs = shipped_characters()
    return "\\" not in css and set(html.unescape(page)) - CONTROLS <= glyphs and set(css) - CONTROLS <= glyphs


@contextlib.contextmanager
def _reproducible() -> Any:
    """Set SOURCE_DATE_EPOCH while rendering, unless the user set it (reproducible-builds.org)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def paper_size(paper: str) -> str:
    """Return the CSS page size of a paper name ('A4' or 'Letter', any case)."""
    from ..errors import ConfigError

    size = PAPERS.get(paper.upper())
    if size is None:
        raise ConfigError(f"unknown paper {paper!r}; use A4 or Letter")
    return size


def render_document(report: ReportModel, templates: Path | None = None, checked_at: str | None = None,
                    paper: str = "A4", fetcher: Any = None) -> Any:
    """Lay out the PDF report; return WeasyPrint's Document (its `pages` can be counted)."""
    return _layout(report, templates, checked_at, paper, fetcher)[0]


def _layout(report: ReportModel, templates: Path | None, checked_at: str | None, paper: str,
            fetcher: Any) -> tuple[Any, bool]:
    """Lay out the report; return (Document, whether the shipped fonts cover all its text)."""
    size = paper_size(paper)
    page = render(templates, TEMPLATE, report=report, checked_at=checked_at, generator=GENERATOR)
    css = pdf_stylesheet(templates)
    base = default_templates_dir().resolve().as_uri() + "/"
    with _LOCK:
        sheets = _stylesheets(css, size)
        doc = _html_document(page, base, fetcher or fetcher_class()(), templates)
        return doc.render(stylesheets=list(sheets), font_config=_font_config()), only_shipped_fonts(page, css)


def render_pdf(report: ReportModel, templates: Path | None = None, checked_at: str | None = None,
               paper: str = "A4", fetcher: Any = None) -> bytes:
    """Return the PDF report's bytes; `fetcher` replaces the SafeFetcher (tests spy on it).

    Fonts are embedded whole when only the shipped ones are used (see the module
    docstring), else subset; hinting is dropped either way. Whether a user's
    stylesheet drew text in other fonts is known only after drawing: then the PDF
    is written a second time, with subsets.
    """
    document, whole = _layout(report, templates, checked_at, paper, fetcher)
    options = {"pdf_identifier": None, "uncompressed_pdf": False, "custom_metadata": False}
    with _LOCK, _reproducible():
        pdf = document.write_pdf(full_fonts=whole, **options)
        # A user's stylesheet may name system fonts: those are never embedded whole
        # (a system font can weigh megabytes). Which fonts were drawn is known only now.
        if whole and any(font.family not in SHIPPED_FAMILIES for font in document.fonts.values()):
            pdf = document.write_pdf(full_fonts=False, **options)
        return pdf
