"""The HTML report: report.html.j2 with the stylesheet and ClaimReview inlined.

The page fetches nothing: the CSS is inlined, fonts are the system's, there is no
JavaScript, and the only script element is inert JSON-LD.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .. import __version__
from ..errors import TemplateError
from .claimreview import claimreview_script
from .model import ReportModel
from .templating import STYLESHEET, render, stylesheet

TEMPLATE = "report.html.j2"
GENERATOR = f"factcheck {__version__}"


def inline_css(css: str) -> Markup:
    """Return CSS safe to put in a <style> element (it must not close the element)."""
    if "</" in css:
        raise TemplateError("the stylesheet must not contain '</' (it is inlined in a <style> element)",
                            subject=STYLESHEET)
    return Markup(css)


def render_page(report: ReportModel, templates: Path | None, checked_at: str | None, medium: str,
                css: str | None, jsonld: bool) -> str:
    """Render the report page for a medium ("html" or "pdf")."""
    return render(templates, TEMPLATE, report=report, checked_at=checked_at, medium=medium,
                  inline_css=inline_css(css) if css else "", generator=GENERATOR,
                  claimreview_jsonld=Markup(claimreview_script(report, checked_at)) if jsonld else "")


def render_html(report: ReportModel, templates: Path | None = None, checked_at: str | None = None) -> str:
    """Return the standalone HTML report (CSS and ClaimReview JSON-LD inlined)."""
    return render_page(report, templates, checked_at, "html", stylesheet(templates), jsonld=True)
