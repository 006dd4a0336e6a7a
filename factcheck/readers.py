"""Read articles: .txt, .md with front matter, .html, .json and .jsonl records.

Claim offsets always index the body text as read: the decoded file for .txt, the
text after the front matter for .md, the extracted main text for .html, and the
`text` field (Python string indices) for JSON records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

from .errors import ArticleError, Location
from .models import Article
from .names import EXTENSIONS  # noqa: F401 - the article file extensions, also imported from here

MAX_ARTICLE_BYTES = 64 * 1024 * 1024
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Latin-1 with a warning."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise ArticleError("invalid UTF-16 text", Location(path)) from None
    if b"\x00" in raw[:8192]:
        raise ArticleError("not a text file (it contains NUL bytes)", Location(path))
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("latin-1")
        return text, (f"{path}:{line}: not valid UTF-8; read as Latin-1",)


def normalize_newlines(text: str) -> str:
    """Turn CRLF and CR line ends into LF, so offsets match what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_date(value: Any, where: Location, what: str = "published") -> dt.date | None:
    """Read a publication date (ISO date or datetime); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ArticleError(f"'{what}' is {text!r}, not a date (YYYY-MM-DD)", where) from None


# `key: value` lines whose value YAML would read as this very string: a double-quoted
# string without escapes, or plain words that are no number, boolean or null.
_SIMPLE_LINE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(?:\"([^\"\\]*)\"|([A-Za-z0-9][\w .,’'()/+-]*?))[ \t]*")
_NOT_STRING = re.compile(r"[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|0[xo][\da-fA-F]+)|true|false|yes|no|on|off|null|y|n",
                         re.I)


def _simple_front_matter(block: str, path: str) -> Any:
    """Read flat `key: value` front matter without YAML; None when it is anything more.

    Importing the YAML parser is a tenth of `factcheck extract`'s start-up, and most
    front matter is a title and a date; whatever this does not read exactly as YAML
    would (numbers, quotes with escapes, lists, comments) goes to YAML.
    """
    from .yamlsafe import LocDict

    meta = LocDict()
    meta.path, meta.line, meta.col, meta.key_locs, meta.value_locs = path, 2, 1, {}, {}
    for number, line in enumerate(block.split("\n")[:-1], start=2):
        if not line.strip():
            continue
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None or m.group(1) in meta:
            return None
        key, quoted, plain = m.group(1), m.group(2), m.group(3)
        if plain is not None and (_NOT_STRING.fullmatch(plain) or plain.endswith(":")):
            return None
        meta[key] = quoted if quoted is not None else plain
        meta.key_locs[key] = (number, 1)
        meta.value_locs[key] = (number, (m.start(2) - 1 if quoted is not None else m.start(3)) + 1)
    return meta if meta else None


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """Split YAML front matter off a Markdown text: (metadata, body offset)."""
    m = re.match(r"---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return {}, 0
    from .yamlsafe import MAX_FILE_BYTES, parse_yaml

    if len(m.group(1)) > MAX_FILE_BYTES:  # the limit of a rule file holds for front matter too
        raise ArticleError(f"front matter is {len(m.group(1)):,} characters; the limit is {MAX_FILE_BYTES:,}",
                           Location(path, 1, 1))
    simple = _simple_front_matter(m.group(1), path)
    if simple is not None:
        return simple, m.end()
    # A leading newline stands for the opening '---', so YAML lines are file lines.
    meta = parse_yaml("\n" + m.group(1), path, ArticleError)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a mapping (title: ..., published: ...)", Location(path, 2, 1))
    return meta, m.end()


class _HTMLText(HTMLParser):
    """Collect an HTML page's visible main text and its publication metadata."""

    SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "head", "nav", "footer", "aside", "form"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote",
             "header", "main", "title", "figcaption", "pre", "dd", "dt"}
    DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date",
                 "dc.date.issued", "og:published_time", "sailthru.date", "parsely-pub-date")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = False
        self.in_article = 0
        self.article_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        elif tag == "time" and "datetime" in a:
            self.meta.setdefault("time", a["datetime"])
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skip += 1
        if tag == "article":
            self.in_article += 1
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "article" and self.in_article:
            self.in_article -= 1
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skip:
            self._emit(data)

    def _emit(self, data: str) -> None:
        self.parts.append(data)
        if self.in_article:
            self.article_parts.append(data)

    def text(self) -> str:
        raw = "".join(self.article_parts) if "".join(self.article_parts).strip() else "".join(self.parts)
        lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.split("\n")]
        return "\n".join(line for line in lines if line)

    def published(self) -> str | None:
        for key in self.DATE_META + ("time",):
            if self.meta.get(key):
                return self.meta[key]
        return None


def _html(text: str, path: str) -> dict[str, Any]:
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, RecursionError):
        raise ArticleError("cannot parse the HTML", Location(path)) from None
    title = parser.meta.get("og:title") or " ".join("".join(parser.title).split()) or None
    return {"text": parser.text(), "title": title, "published": parser.published(), "url": parser.meta.get("og:url"),
            "source": parser.meta.get("og:site_name"), "language": None}


def _record(rec: Any, path: str, line: int | None) -> dict[str, Any]:
    where = Location(path, line)
    if not isinstance(rec, dict):
        raise ArticleError("a record must be a JSON object with a 'text' field", where)
    if not isinstance(rec.get("text"), str):
        raise ArticleError("the record has no 'text' string", where)
    # JSON may escape a lone surrogate ("\\ud800"), which no output encoding accepts;
    # U+FFFD takes its place one for one, so offsets are unchanged.
    return {k: _LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in rec.items()}


def _article(fields: dict[str, Any], ident: str, path: str | None, where: Location, published: dt.date | None,
             offset: int | None, warnings: tuple[str, ...] = ()) -> Any:
    if published is None and hasattr(fields, "loc") and "published" in fields:
        where = fields.loc("published", value=True)  # front matter: point at the value
    date = published or parse_date(fields.get("published"), where)
    if date is not None and date > dt.date.today():
        # Kept, not guessed away: relative dates still resolve against it (docs/robustness.md).
        warnings = (*warnings, f"{where.path}: publication date {date.isoformat()} is in the future")
    title = fields.get("title")
    return Article(id=str(ident), text=fields["text"], title=str(title) if title is not None else None, published=date,
                   url=_opt(fields.get("url")), source=_opt(fields.get("source")),
                   language=str(fields.get("language") or "en"), path=path, file_offset=offset, warnings=warnings)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def read_path(path: Path, published: dt.date | None = None) -> Iterator[Any]:
    """Yield the articles of one file (several for .json arrays and .jsonl)."""
    shown = str(path)
    try:
        with open(path, "rb") as fh:  # one open for the size and the bytes (a corpus run reads thousands)
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_ARTICLE_BYTES:
                raise ArticleError(f"file is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}", Location(shown))
            raw = fh.read()
    except OSError as exc:
        raise ArticleError(f"cannot read file: {exc.strerror}", Location(shown)) from None
    text, warnings = decode(raw, shown)
    text = normalize_newlines(text)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(text.splitlines(), shown, published)
        return
    if suffix == ".json":
        doc = _loads(text, shown, 0)
        for i, rec in enumerate(doc if isinstance(doc, list) else [doc]):
            rec = _record(rec, shown, None)
            yield _article(rec, rec.get("id") or (shown if not isinstance(doc, list) else f"{shown}#{i + 1}"),
                           shown, Location(shown), published, None, warnings)
        return
    if suffix in (".html", ".htm"):
        fields = _html(text, shown)
        yield _article(fields, shown, shown, Location(shown), published, None, warnings)
        return
    fields: dict[str, Any] = {}
    offset = 0
    if suffix in (".md", ".markdown"):
        fields, offset = _front_matter(text, shown)
    fields["text"] = text[offset:]
    yield _article(fields, shown, shown, Location(shown, 1), published, offset, warnings)


def _loads(text: str, shown: str, line: int) -> Any:
    """Parse JSON from an untrusted file; `line` is the JSONL line number (0: a whole .json file)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"invalid JSON: {exc.msg}", Location(shown, line or exc.lineno, exc.colno)) from None
    except RecursionError:  # "[[[[..." nested deeper than the interpreter's stack
        raise ArticleError("invalid JSON: nested too deeply", Location(shown, line or None)) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ArticleError("invalid JSON: a number is too long", Location(shown, line or None)) from None


def read_jsonl(lines: Any, shown: str, published: dt.date | None = None) -> Iterator[Any]:
    """Yield the articles of JSONL lines (one record a line; blank lines skipped)."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        rec = _loads(line, shown, n)
        rec = _record(rec, shown, n)
        yield _article(rec, rec.get("id") or f"{shown}:{n}", shown, Location(shown, n), published, None)
