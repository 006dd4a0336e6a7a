"""Split article text into sentences with offsets.

News text needs more than "split at a full stop": abbreviations ("Mr.", "U.S.",
"Jan."), initials, decimals, and quotations whose sentences belong to the sentence
that attributes them. Lines are paragraphs: a line break ends a sentence unless the
next line continues in lower case (hard-wrapped text).
"""

from __future__ import annotations


from . import regexcache
from .models import Sentence

MAX_SENTENCE = 2000  # a longer run with no full stop is cut at white space

DEFAULT_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj pres st jr sr
    inc corp co ltd bros no nos vs etc approx dept est fig jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s u.k u.n e.g i.e
    a.m p.m ft mt rev hon ave blvd rd""".split()
)

_BOUNDARY = regexcache.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
_OPENERS = "“‘\"'(["


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[start].isupper():
        return True  # an initial: "J. Smith"
    return word in abbreviations


def _quote_open(text: str, start: int, end: int) -> bool:
    """Whether a double quotation opened in text[start:end] is still open at end."""
    chunk = text[start:end]
    curly = chunk.count("“") - chunk.count("”")
    return curly > 0 or (chunk.count('"') % 2 == 1)


def _next_visible(text: str, pos: int) -> tuple[int, str]:
    n = len(text)
    while pos < n and text[pos] in " \t\r\n\f\v\u00a0":
        pos += 1
    return pos, text[pos] if pos < n else ""


def _cuts(text: str, abbreviations: frozenset[str]) -> list[int]:
    cuts: list[int] = []
    last = 0
    for m in _BOUNDARY.finditer(text, None, None, False, False):  # concurrent=False: keep the GIL
        end = m.end()
        nxt, ch = _next_visible(text, end)
        if not ch:
            break
        if m.group() == "\n":
            if ch.islower():
                continue
        else:
            if not (ch.isupper() or ch.isdigit() or ch in _OPENERS):
                continue
            dot = m.start() if text[m.start()] == "." else -1
            if dot >= 0 and m.end() - m.start() == 1 and _is_abbreviation(text, dot, abbreviations):
                continue
            if _quote_open(text, last, end) and "\n" not in text[last:end]:
                continue  # inside a quotation: its sentences stay with their attribution
        cuts.append(end)
        last = end
    return cuts


def _split_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str, abbreviations: frozenset[str] = DEFAULT_ABBREVIATIONS) -> tuple[Sentence, ...]:
    """Return the sentences of `text`, offsets trimmed of surrounding white space."""
    bounds = [0, *_cuts(text, abbreviations), len(text)]
    out: list[Sentence] = []
    for a, b in zip(bounds, bounds[1:]):
        # str.strip trims the same white space as str.isspace, in C: long texts have
        # a million sentences, so this loop is the hot path of segmentation.
        chunk = text[a:b]
        body = chunk.lstrip()
        a += len(chunk) - len(body)
        body = body.rstrip()
        b = a + len(body)
        if b - a <= MAX_SENTENCE:
            if body:
                out.append(Sentence(len(out), a, b, body))
            continue
        for s, e in _split_long(a, b, text):
            out.append(Sentence(len(out), s, e, text[s:e]))
    return tuple(out)
