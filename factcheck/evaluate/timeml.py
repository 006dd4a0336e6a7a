"""`factcheck eval timeml DIR`: score date, duration and set claims on TimeML TIMEX3s.

Every *.tml file under DIR is read: the text of its <TEXT> element with the tags
stripped (and entities decoded) is the article, and the DCT TIMEX3 value is its
publication date. Our date/duration/set claims are compared with the gold TIMEX3s
of that text, one to one (each gold span pairs with at most one claim, the one it
overlaps most):

- strict: exact span; relaxed: the spans overlap;
- type F1 and value F1, TempEval-3 style: a relaxed match whose TIMEX3 type (or
  value) is right counts as a hit. With one-to-one matching, P = hits / claims,
  R = hits / gold, and F1 = 2 * hits / (claims + gold), which equals the attribute's
  accuracy over the relaxed matches times relaxed F1 (the TempEval-3 formula).

Values are compared after `canonical()`, which only rewrites spellings of the same
ISO 8601 value: week numbers padded to two digits (TimeBank writes both `2000-W7` and
`2000-W07`), an hour without minutes (`T17` = `T17:00`), and a duration in two units
in the smaller one (`P2Y6M` = `P30M`, `PT5H30M` = `PT330M`). Everything else, X
placeholders included, must match exactly.

Per-type rows count gold TIMEX3s of that type for recall and claims mapped to that
type for precision. Claim kinds map to TIMEX3 types as `KIND_TYPES` says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TextIO

from . import prf
from ..models import Article

TYPES = ("DATE", "TIME", "DURATION", "SET")
KIND_TYPES = {"date": "DATE", "duration": "DURATION", "set": "SET"}
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_DCT = re.compile(r"<DCT>.*?<TIMEX3([^>]*)>", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


@dataclass(frozen=True)
class Timex:
    """A temporal expression: a span of the document's text with its type and value."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True)
class Doc:
    """A TimeML document: plain text, anchor date and gold TIMEX3s."""

    id: str
    text: str
    dct: dt.date | None
    gold: tuple[Timex, ...]


def parse_tml(source: str, doc_id: str = "<tml>") -> Doc:
    """Read a TimeML document: the <TEXT> element without tags, its DCT and gold TIMEX3s."""
    dct = None
    if m := _DCT.search(source):
        value = dict(_ATTR.findall(m[1])).get("value", "")
        try:
            dct = dt.date.fromisoformat(value[:10])
        except ValueError:
            dct = None
    body = _TEXT.search(source)
    raw = body[1] if body else ""
    parts: list[str] = []
    length, pos = 0, 0
    gold: list[Timex] = []
    open_timex: list[tuple[int, dict[str, str]]] = []
    for tag in _TAG.finditer(raw):
        chunk = html.unescape(raw[pos:tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        if tag[2] != "TIMEX3" or tag[4]:
            continue
        if not tag[1]:
            open_timex.append((length, dict(_ATTR.findall(tag[3]))))
        elif open_timex:
            start, attrs = open_timex.pop()
            gold.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", ""), ""))
    parts.append(html.unescape(raw[pos:]))
    text = "".join(parts)
    gold = [Timex(g.start, g.end, g.type, g.value, text[g.start:g.end]) for g in gold]
    return Doc(doc_id, text, dct, tuple(sorted(gold, key=lambda g: g.start)))


def claim_timex(claim: Any, tables: dict[str, dict[str, Any]]) -> Timex | None:
    """Map a claim to a TIMEX3 (type and value), or None for kinds TimeML does not annotate."""
    kind_type = KIND_TYPES.get(claim.kind)
    if kind_type is None:
        return None
    value = claim.value
    if claim.kind == "duration":
        value = value.get("iso") if isinstance(value, dict) else None
    elif claim.kind == "set":
        value = set_value(value, tables)
    value = "" if value is None else str(value)
    if kind_type == "DATE" and "T" in value.replace("PRESENT_REF", "").replace("PAST_REF", "").replace("FUTURE_REF", ""):
        kind_type = "TIME"
    return Timex(claim.start, claim.end, kind_type, value, claim.text)


def set_value(groups: Any, tables: dict[str, dict[str, Any]]) -> str:
    """Return the TIMEX3 value of a set claim ({'unit': 'week', 'number': '2'} -> 'P2W').

    A recurring month or weekday is a calendar value with X for what recurs:
    {'month': 'July'} -> 'XXXX-07', {'weekday': 'Tuesday', 'part': 'night'} -> 'XXXX-WXX-2TNI'.
    """
    if not isinstance(groups, dict):
        return ""
    if groups.get("month") or groups.get("weekday"):
        return _calendar_set(groups, tables)
    unit = tables.get("set_units", {}).get(str(groups.get("unit", "")).lower())
    if unit is None:
        return ""
    number = str(groups.get("number") or "1")
    number = str(tables.get("number_words", {}).get(number.lower(), number))
    return f"PT{number}{unit[1:]}" if unit.startswith("T") else f"P{number}{unit}"


def _calendar_set(groups: dict[str, Any], tables: dict[str, dict[str, Any]]) -> str:
    def look(table: str, key: str) -> Any:
        return tables.get(table, {}).get(str(groups.get(key) or "").lower())

    if groups.get("month"):
        month = look("months", "month")
        return f"XXXX-{month:02d}" if month else ""
    day, part = look("weekdays", "weekday"), look("day_parts", "part")
    return f"XXXX-WXX-{day}" + (f"T{part}" if part else "") if day else ""


# -- scoring ------------------------------------------------------------------------

_WEEK = re.compile(r"-W(\d)(?!\d)")
_HOUR = re.compile(r"(T\d\d)$")
_TWO_UNITS = re.compile(r"^P(?:(?P<y>\d+)Y(?P<m>\d+)M|T(?:(?P<h>\d+)H(?P<hm>\d+)M|(?P<mi>\d+)M(?P<s>\d+)S))$")


def canonical(value: str) -> str:
    """One spelling for equal TIMEX3 values: "2000-W7" -> "2000-W07", "T17" -> "T17:00", "P2Y6M" -> "P30M"."""
    value = _HOUR.sub(r"\1:00", _WEEK.sub(r"-W0\1", value))
    m = _TWO_UNITS.match(value)
    if m is None:
        return value
    if m["y"]:
        return f"P{int(m['y']) * 12 + int(m['m'])}M"
    if m["h"]:
        return f"PT{int(m['h']) * 60 + int(m['hm'])}M"
    return f"PT{int(m['mi']) * 60 + int(m['s'])}S"


@dataclass
class Tally:
    """Counts for one row of the table."""

    gold: int = 0
    system: int = 0
    strict_gold: int = 0
    strict_system: int = 0
    relaxed_gold: int = 0
    relaxed_system: int = 0
    type_hits: int = 0
    value_hits: int = 0


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def align(gold: Iterable[Timex], system: Iterable[Timex]) -> list[tuple[Timex, Timex]]:
    """Pair gold and system spans one to one, largest overlap first."""
    pairs = sorted(((_overlap(g, s), i, j, g, s) for i, g in enumerate(gold) for j, s in enumerate(system)
                    if _overlap(g, s) > 0), key=lambda p: (-p[0], p[1], p[2]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for _, i, j, g, s in pairs:
        if i in used_g or j in used_s:
            continue
        used_g.add(i)
        used_s.add(j)
        out.append((g, s))
    return out


def score_doc(gold: list[Timex], system: list[Timex], tallies: dict[str, Tally]) -> list[tuple[Timex, Timex]]:
    """Add one document's counts to the per-type and overall tallies; return the pairs."""
    pairs = align(gold, system)
    strict_g = {(g.start, g.end) for g in gold} & {(s.start, s.end) for s in system}
    for g in gold:
        for row in (tallies.setdefault(g.type, Tally()), tallies["ALL"]):
            row.gold += 1
            row.strict_gold += (g.start, g.end) in strict_g
    for s in system:
        for row in (tallies[s.type], tallies["ALL"]):
            row.system += 1
            row.strict_system += (s.start, s.end) in strict_g
    for g, s in pairs:
        for name in {g.type, "ALL"}:
            row = tallies.setdefault(name, Tally())
            row.relaxed_gold += 1
            row.type_hits += g.type == s.type
            row.value_hits += canonical(g.value) == canonical(s.value)
        for name in {s.type, "ALL"}:
            tallies.setdefault(name, Tally()).relaxed_system += 1
    return pairs


def f1(hits: int, system: int, gold: int) -> float:
    """Return the F1 of an attribute: 2 * hits / (claims + gold)."""
    return 2 * hits / (system + gold) if system + gold else 0.0


def table(tallies: dict[str, Tally]) -> str:
    """Format the tallies as a fixed-width table."""
    head = f"{'type':<9}{'gold':>6}{'sys':>6} | {'strict P':>8}{'R':>7}{'F1':>7} | {'relax P':>8}{'R':>7}{'F1':>7} | {'type F1':>8}{'value F1':>9}"
    rows = [head, "-" * len(head)]
    for name in TYPES + ("ALL",):
        t = tallies[name]
        sp, sr, sf = prf(t.strict_system, t.strict_gold, t.system, t.gold)
        rp, rr, rf = prf(t.relaxed_system, t.relaxed_gold, t.system, t.gold)
        rows.append(f"{name:<9}{t.gold:>6}{t.system:>6} | {sp:>8.3f}{sr:>7.3f}{sf:>7.3f} | {rp:>8.3f}{rr:>7.3f}{rf:>7.3f}"
                    f" | {f1(t.type_hits, t.system, t.gold):>8.3f}{f1(t.value_hits, t.system, t.gold):>9.3f}")
    return "\n".join(rows)


def evaluate(docs: Iterable[Doc], engine: Any, errors: int = 0, out: TextIO = sys.stdout) -> dict[str, Tally]:
    """Check every document with the engine and tally the scores; print up to `errors` misses."""
    tallies = {name: Tally() for name in TYPES + ("ALL",)}
    shown = 0
    for doc in docs:
        result = engine.check(Article(id=doc.id, text=doc.text, published=doc.dct, file_offset=None))
        system = [t for t in (claim_timex(c, engine.pack.tables) for c in result.claims) if t is not None]
        pairs = score_doc(list(doc.gold), system, tallies)
        if shown < errors:
            shown += _print_errors(doc, system, pairs, errors - shown, out)
    return tallies


def _print_errors(doc: Doc, system: list[Timex], pairs: list[tuple[Timex, Timex]], limit: int, out: TextIO) -> int:
    matched_g = {id(g) for g, _ in pairs}
    matched_s = {id(s) for _, s in pairs}
    lines = [f"miss   {g.type:<8} {g.text!r} {g.value}" for g in doc.gold if id(g) not in matched_g]
    lines += [f"false  {s.type:<8} {s.text!r} {s.value}" for s in system if id(s) not in matched_s]
    lines += [f"span   {g.type:<8} gold {g.text!r} != {s.text!r}" for g, s in pairs if (g.start, g.end) != (s.start, s.end)]
    lines += [f"value  {g.type:<8} {g.text!r} gold {g.value} != {s.value}" + (f" ({s.type})" if s.type != g.type else "")
              for g, s in pairs if canonical(g.value) != canonical(s.value) or g.type != s.type]
    for line in lines[:limit]:
        print(f"{doc.id} (DCT {doc.dct}): {line}", file=out)
    return min(len(lines), limit)


def read_dir(path: Path, limit: int | None = None) -> list[Doc]:
    """Read the *.tml files under a folder, sorted by path."""
    files = sorted(path.rglob("*.tml")) if path.is_dir() else [path]
    if limit is not None:
        files = files[:limit]
    return [parse_tml(f.read_text(encoding="utf-8", errors="replace"), f.stem) for f in files]


def run(args: argparse.Namespace, engine: Any) -> int:
    """Score the engine's date/duration/set claims on a TimeML folder and print the table."""
    from ..errors import ArticleError, Location

    path = Path(args.path)
    if not path.exists():
        raise ArticleError("no such file or folder", Location(str(path)))
    docs = read_dir(path, args.limit)
    if not docs:
        raise ArticleError("no *.tml files found", Location(str(path)))
    tallies = evaluate(docs, engine, args.errors or 0)
    print(f"{len(docs)} documents, {tallies['ALL'].gold} gold TIMEX3s")
    print(table(tallies))
    return 0
