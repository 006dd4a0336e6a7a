"""The HTML report: saved expected output, escaping, no external resources, templates.

The saved output (tests/gold/report-putin.html) comes from the small fixed rule pack
in tests/fixtures/report_rules, so it changes only when the report changes. To
refresh it after an intended change: FACTCHECK_UPDATE_GOLD=1 pytest tests/test_report_html.py,
then read the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from factcheck.api import load_engine
from factcheck.config import Config
from factcheck.errors import TemplateError
from factcheck.models import Article, Claim, Evidence, Result
from factcheck.readers import read_path
from factcheck.report import ReportOptions, build_report, write_reports
from factcheck.report.html import render_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "report_rules"
GOLD = ROOT / "tests" / "gold"


def fixture_result() -> Result:
    """Check the example article with the fixed rule pack and facts of the report tests."""
    engine = load_engine(rules=[FIXTURE], facts=[FIXTURE / "facts"], config=Config(), default_rules=False,
                         default_facts=False)
    article = next(read_path(ROOT / "examples" / "putin-peace-talks.md"))
    return engine.check(dataclasses.replace(article, id="putin-peace-talks"))


def scrub(text: str) -> str:
    """Blank what changes without the report's content changing: tool and pack versions, and
    the stylesheet (checked by looking at the rendered pages, not byte for byte)."""
    text = re.sub(r"(<style>\n).*?(</style>)", r"\1/* report.css */\n\2", text, flags=re.S)
    text = re.sub(r"factcheck \d+\.\d+\.\d+[\w.+-]*", "factcheck X.Y.Z", text)
    text = re.sub(r'"softwareVersion":"[^"]*"', '"softwareVersion":"X"', text)
    return re.sub(r"\b[0-9a-f]{12}\b", "<version>", text)


def check_gold(name: str, text: str) -> None:
    path = GOLD / name
    if os.environ.get("FACTCHECK_UPDATE_GOLD"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; see the module docstring"


@pytest.fixture(scope="module")
def result() -> Result:
    return fixture_result()


def hostile_result() -> Result:
    text = 'He said <script>alert("x")</script> & "quoted" </script><img src="file:///etc/passwd"> ok.'
    claim_text = '<script>alert("x")</script>'
    start = text.index(claim_text)
    ev = Evidence("fact", "f1", 'Fact with </script> & "quotes"', "Src <b>", None, "javascript:alert(1)", "2024-01-01")
    claim = Claim("c1", start, start + len(claim_text), claim_text, "hedge", None, "r.x", 0, "vague",
                  'Reason with "quotes" & <tags> </script>', (ev,),
                  {"source": "<i>Officials</i>", "kind": "vague"})
    art = Article('id"<x>', text, title='Title </title><script>alert(1)</script>', published=dt.date(2025, 1, 1),
                  url="javascript:alert(1)", source="Src & <Co>")
    return Result(art, (claim,))


def test_html_report_matches_the_saved_expected_output(result):
    check_gold("report-putin.html", scrub(render_html(build_report(result))))


def test_every_claim_is_highlighted_numbered_and_linked_to_its_entry(result):
    html = render_html(build_report(result))
    for claim in build_report(result).claims:
        n = claim.number
        assert f'<tr id="claim-{n}">' in html
        assert f'<a id="ref-{n}" href="#claim-{n}" title="Claim {n}: {claim.verdict_label}">{n}</a>' in html
    assert html.count('<mark class="claim v-') >= len(build_report(result).claims)


def test_header_shows_versions_and_checked_time_only_when_given(result):
    plain = render_html(build_report(result))
    assert "Checked" not in plain
    assert result.rules_version in plain and result.facts_version in plain
    report = build_report(result)
    from factcheck.report.html import render_html as render
    assert "<dt>Checked</dt><dd>2025-05-12T09:00:00Z</dd>" in render(report, None, "2025-05-12T09:00:00Z")


def test_html_fetches_nothing_from_outside(result):
    html = render_html(build_report(result))
    assert "<link" not in html and "src=" not in html and "@import" not in html and "url(" not in html
    assert "<script>" not in html  # the only script is inert JSON-LD
    assert html.count("<script") == 1 and '<script type="application/ld+json">' in html


def test_hostile_article_text_is_escaped_everywhere():
    html = render_html(build_report(hostile_result()))
    assert "<script>alert" not in html
    assert "<img" not in html and "<b>" not in html and "<i>Officials" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Src &amp; &lt;Co&gt;" in html


def test_json_ld_cannot_close_its_script_element():
    html = render_html(build_report(hostile_result()))
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = html[start:html.index("</script>", start)]
    assert "<" not in body and ">" not in body
    data = json.loads(body)  # still valid JSON, the same data
    assert data["@graph"][0]["claimReviewed"] == '<script>alert("x")</script>'


def test_two_runs_give_byte_identical_html(result, tmp_path):
    first = write_reports(result, tmp_path / "a", ["html"])[0].read_bytes()
    second = write_reports(fixture_result(), tmp_path / "b", ["html"])[0].read_bytes()
    assert first == second


def test_a_user_template_overrides_the_shipped_one(result, tmp_path):
    (tmp_path / "_legend.html.j2").write_text("<p>OUR LEGEND {{ report.total }}</p>\n", encoding="utf-8")
    (tmp_path / "report.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    html = render_html(build_report(result), tmp_path)
    assert "<p>OUR LEGEND 10</p>" in html
    assert "#123456" in html and "Okabe-Ito" not in html
    assert "The article, with its claims marked" in html  # the other shipped templates still apply


def test_a_missing_variable_in_a_user_template_names_the_file_and_line(result, tmp_path):
    (tmp_path / "_legend.html.j2").write_text("<p>fine</p>\n<p>{{ report.totl }}</p>\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        render_html(build_report(result), tmp_path)
    message = str(err.value)
    assert f"{tmp_path / '_legend.html.j2'}:2:" in message
    assert "totl" in message


def test_a_template_syntax_error_names_the_file_and_line(result, tmp_path):
    (tmp_path / "_legend.html.j2").write_text("<p>\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"_legend\.html\.j2:2: template syntax error"):
        render_html(build_report(result), tmp_path)


def test_a_missing_template_folder_is_a_clear_error(result, tmp_path):
    with pytest.raises(Exception, match="template folder not found"):
        write_reports(result, tmp_path, ["html"], ReportOptions(templates=tmp_path / "nope"))
