"""Article readers: every format and encoding gives the body text, metadata and offsets users expect."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factcheck.errors import ArticleError
from factcheck.readers import read_path


def _one(path, **kw):
    (article,) = list(read_path(path, **kw))
    return article


def test_txt_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffFirst line.\r\nSecond – line.\r\n".encode("utf-8"))
    a = _one(path)
    assert a.text == "First line.\nSecond – line.\n" and a.published is None and a.warnings == ()


def test_txt_latin1_falls_back_with_a_warning_naming_the_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("ok\ncaf\xe9 cr\xe8me\n".encode("latin-1"))
    a = _one(path)
    assert a.text == "ok\ncafé crème\n"
    assert a.warnings == (f"{path}:2: not valid UTF-8; read as Latin-1",)


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Kyiv said.".encode("utf-16"))
    assert _one(path).text == "Kyiv said."


def test_markdown_front_matter_gives_metadata_and_offsets_index_the_body(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\npublished: 2025-05-11\nurl: https://x.org/a\nsource: X\n---\nBody here.\n",
                    encoding="utf-8")
    a = _one(path)
    assert (a.title, a.published, a.url, a.source) == ("T", dt.date(2025, 5, 11), "https://x.org/a", "X")
    assert a.text == "Body here.\n"
    assert path.read_text()[a.file_offset:].startswith("Body here.")


def test_published_option_overrides_metadata(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\npublished: 2025-05-11\n---\nBody.\n", encoding="utf-8")
    assert _one(path, published=dt.date(2020, 1, 2)).published == dt.date(2020, 1, 2)


def test_a_front_matter_date_that_is_not_a_date_is_an_error_with_the_file(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\npublished: next Tuesday\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="'published' is 'next Tuesday', not a date"):
        _one(path)


def test_html_keeps_main_text_and_meta_date_and_drops_scripts(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("""<html><head><title>Page</title>
      <meta property="article:published_time" content="2025-05-11T08:00:00Z">
      <style>p{color:red}</style><script>var x = "February 2022";</script></head>
      <body><nav>Menu</nav><article><h1>Headline</h1><p>The war began in <b>February 2022</b>.</p>
      <p>Second &amp; last.</p></article><footer>(c)</footer></body></html>""", encoding="utf-8")
    a = _one(path)
    assert a.text == "Headline\nThe war began in February 2022.\nSecond & last."
    assert a.published == dt.date(2025, 5, 11) and a.title == "Page"


def test_json_and_jsonl_records_use_their_ids_and_text_field(tmp_path):
    rec = {"id": "r1", "title": "T", "text": "Body “one”.", "published": "2025-05-11", "url": "u", "language": "en"}
    (tmp_path / "a.json").write_text(json.dumps(rec), encoding="utf-8")
    a = _one(tmp_path / "a.json")
    assert (a.id, a.text, a.published) == ("r1", "Body “one”.", dt.date(2025, 5, 11))
    (tmp_path / "b.jsonl").write_text(json.dumps(rec) + "\n\n" + json.dumps({"text": "Two."}) + "\n", encoding="utf-8")
    ids = [x.id for x in read_path(tmp_path / "b.jsonl")]
    assert ids == ["r1", f"{tmp_path / 'b.jsonl'}:3"]


def test_a_jsonl_line_that_is_not_json_names_its_line(tmp_path):
    (tmp_path / "b.jsonl").write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(ArticleError, match=r"b\.jsonl:2:\d+: invalid JSON"):
        list(read_path(tmp_path / "b.jsonl"))


@pytest.mark.parametrize("block, without_yaml", [
    ('title: "Putin proposes direct peace talks"\npublished: 2025-05-11\nlanguage: en\n', True),
    ("title: Talks, at last (part 2)\n\npublished: 2025-05-11\n", True),
    ("id: wire-42\nurl: https://example.org/a\n", False),
    ("published: 2025-05-11\ncount: 12\n", False), ("draft: yes\n", False), ("title: 'single'\n", False),
    ("tags: [a, b]\n", False), ('title: "with \\" escape"\n', False), ("title: Peace # talks\n", False),
])
def test_front_matter_reads_the_same_with_or_without_the_yaml_parser(block, without_yaml):
    # Flat front matter is read without importing YAML (start-up); it must give the fields,
    # types and locations YAML gives, and leave everything else to YAML.
    from factcheck.errors import ArticleError
    from factcheck.readers import _simple_front_matter
    from factcheck.yamlsafe import parse_yaml

    quick = _simple_front_matter(block, "a.md")
    assert (quick is not None) == without_yaml
    if quick is not None:
        full = parse_yaml("\n" + block, "a.md", ArticleError)
        assert quick == full and quick.key_locs == full.key_locs and quick.value_locs == full.value_locs
