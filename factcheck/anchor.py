"""Anchored matching: find a pattern's matches from its words, not at every character.

A rule's pattern usually opens with optional parts (modifiers, determiners, a
source phrase) before the part every match needs (a month name, a unit of time, a
reporting verb). The `regex` engine tries such a pattern at every position of the
text, which made scanning 80 % of the check. Here a pattern is split, once when the
pack loads, at a required part that starts a word (the *anchor*):

    pattern = BEFORE · ANCHOR · AFTER

The article's words are looked up once in a table of the anchors' first words; at
each hit the pattern `(?<=(?P<factcheck_before_>BEFORE))ANCHOR·AFTER` is matched from
the word: the engine matches BEFORE backwards inside the look-behind and its group
tells where the match starts. Both parts are the pattern's own text, so groups,
look-arounds and flags keep their meaning. Where a left-to-right scan could differ
(the look-behind takes the first way back that works, a scan the leftmost start),
Plan.match tries the whole pattern from a few words further left; overlapping
matches of one pattern are settled by the matcher's overlap policy.

Only the pattern's *first words* are read from the regex (literal words, "a digit",
or a word's ending after a class of word characters, "[a-z]{3,}iest"): a pattern
whose anchor cannot be told this way is scanned as before. A whole anchor word that
only starts a match before given words ("the" of "the past") is looked up with the
word after it, so that the pattern is not tried at every "the".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate, compress
from typing import Any, Iterator

import regex

from . import regexcache

# A short word is a common word ("a", "the", "in"): an anchor made of such words
# would be hit everywhere, so it is chosen only when nothing rarer is required.
_SHORT = 3
# Figures are among the commonest words of news (8.7 an article in the BBC sample): as
# an anchor, "any number" hits more often than a dozen short words such as the month
# names' abbreviations. Counted as one, it anchored "24 February" and "February 24" at
# every figure of the article; counted as 16, at the month name, and the numeric dates
# at a year ("1..", "20.."): extraction 1.058x, the same claims. Any weight from 13 to
# 100 picks the same anchors in the default pack.
_DIGITS = 16
_LEFT_WORDS = 3  # words left of a match where a scan could have started it
_ZERO_WIDTH_ESCAPES = set("bBAZzGmM")
_GLOBAL_FLAGS = regex.compile(r"\(\?([a-zA-Z]+)\)")
_VERBOSE = regex.compile(r"\(\?[a-zA-Z-]*x")
_FULL_CASE = regex.compile(r"\(\?[a-zA-Z-]*(?:f|V1)")


@dataclass(frozen=True)
class Anchor:
    """What starts the anchor: whole words, word beginnings, word endings ("-iest"), or
    any number."""

    words: frozenset[str]
    prefixes: tuple[str, ...]  # a tuple: str.startswith takes it whole
    digits: bool
    suffixes: tuple[str, ...] = ()  # and str.endswith
    # For a whole word that only starts a match when a given word comes next ("the"
    # in "the past", "the future"): what that next word must be. Common words are
    # anchors of some patterns; this keeps them from being tried at every "the".
    follows: tuple[tuple[str, "Anchor"], ...] = ()
    # What `starts` said of each word: asked of the words before every match of a plan.
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def cost(self) -> int:
        """How often this anchor is expected to hit: the number of its short words, a
        number counting as _DIGITS of them."""
        short = sum(1 for w in (*self.words, *self.prefixes, *self.suffixes) if len(w) <= _SHORT)
        return short + (_DIGITS if self.digits else 0)

    def starts(self, word: str) -> bool:
        """Whether `word` (lower-cased) can start what the anchor matches."""
        seen = self._seen.get(word)
        if seen is None:
            if len(self._seen) >= _MEMO:
                self._seen.clear()
            seen = self._seen[word] = (word in self.words or (self.digits and word[0].isdigit())
                                       or (bool(self.prefixes) and word.startswith(self.prefixes))
                                       or (bool(self.suffixes) and word.endswith(self.suffixes)))
        return seen

    @classmethod
    def of(cls, words: set[str], prefixes: set[str], digits: bool, suffixes: set[str]) -> "Anchor":
        """The anchor of first words as _first reads them."""
        return cls(frozenset(words), tuple(sorted(prefixes)), digits, tuple(sorted(suffixes)))

    def data(self) -> tuple[Any, ...]:
        """Plain data for the pattern cache (regexcache.derived); `read` turns it back."""
        return (tuple(sorted(self.words)), tuple(sorted(self.prefixes)), self.digits, tuple(sorted(self.suffixes)),
                tuple((w, nxt.data()) for w, nxt in sorted(self.follows, key=lambda f: f[0])))

    @classmethod
    def read(cls, data: tuple[Any, ...]) -> "Anchor":
        """The anchor whose `data()` this is."""
        words, prefixes, digits, suffixes, follows = data
        return cls(frozenset(words), tuple(prefixes), digits, tuple(suffixes),
                   tuple((w, cls.read(nxt)) for w, nxt in follows))


_BEFORE = "factcheck_before_"
# Its number: the split pattern opens with it (split()), and a number is read faster.
_BEFORE_GROUP = 1


class Plan:
    """A pattern split at its anchor, as `(?<=(?P<factcheck_before_>BEFORE))ANCHOR...`.

    Matching from the anchor's word forwards, the engine checks BEFORE in a look-behind
    (which the `regex` module matches backwards, greedily, and lets capture), so the
    group tells where the whole match starts. Both parts see the whole text. The two
    patterns are compiled when first needed: one article uses few of a pack's plans,
    and `factcheck extract` on one article should not pay for the rest.
    """

    __slots__ = ("anchor", "lead", "_texts", "_pattern", "_whole")

    def __init__(self, anchor: Anchor, split_text: str, whole_text: str, flags: int, lead: Anchor | None) -> None:
        self.anchor = anchor
        self.lead = lead  # the words a whole match can start with (None: any)
        self._texts = (split_text, whole_text, flags)
        self._pattern: Any = None
        self._whole: Any = None

    @property
    def pattern(self) -> Any:
        """The split pattern, compiled."""
        if self._pattern is None:
            self._pattern = regexcache.compile(self._texts[0], self._texts[2])
        return self._pattern

    @property
    def whole(self) -> Any:
        """The pattern read forwards, to try a few words further left; compiled."""
        if self._whole is None:
            self._whole = regexcache.compile(self._texts[1], self._texts[2])
        return self._whole

    def match(self, text: str, pos: int, lo: int, hi: int, timeout: float | None,
              words: list[int], tokens: list[str]) -> "Any | None":
        """Return the match whose anchor starts at `pos`, within text[lo:hi], if any.

        The look-behind sees the whole text, so a match reaching back before `lo`
        (another sentence) is tried again on the region alone, as a scan of the
        region would have found it. The look-behind takes the first way back that
        works, where a scan takes the leftmost start ("one and a half years", not
        "a half years"), so the whole pattern is then tried from the few words
        before the match (`words`: the article's word starts): a match from there
        that reaches the anchor wins.
        """
        # Positional arguments (string, pos, endpos, concurrent, partial, timeout), and no
        # more than needed: see conditions.py. This runs a few hundred times an article.
        pattern = self._pattern or self.pattern  # the attribute: a property costs a call
        if timeout is None:
            m = pattern.match(text, pos, hi, False)
        else:
            m = pattern.match(text, pos, hi, False, False, timeout)
        if m is None:
            return None
        found: Any = SplitMatch(m)
        start = found.start()
        if start < lo:
            m = pattern.match(text[lo:hi], pos - lo, None, False, False, timeout)
            if m is None:
                return None
            found = SplitMatch(m, lo)
            start = found.start()
        lead = self.lead
        if lead is None:
            return found
        k = bisect.bisect_left(words, start)
        seen = lead._seen  # Anchor.starts' memo, read without the call
        for j in range(max(0, k - _LEFT_WORDS), k):
            word = tokens[j]
            ok = seen.get(word)
            if words[j] >= lo and (ok or (ok is None and lead.starts(word))):
                wider = (self._whole or self.whole).match(text, words[j], hi, False, False, timeout)
                if wider is not None and wider.end() > pos:
                    return wider
        return found

    def begins(self, text: str, pos: int, timeout: float | None) -> bool:
        """Whether a (non-empty) match's anchor starts at `pos`: what a trigger asks.

        Where the match starts does not matter to a trigger, so neither the region
        nor the words further left (`match`'s two extra tries) are looked at.
        """
        pattern = self._pattern or self.pattern
        if timeout is None:
            m = pattern.match(text, pos, None, False)
        else:
            m = pattern.match(text, pos, None, False, False, timeout)
        return m is not None and m.end() > m.start(_BEFORE_GROUP)


class SplitMatch:
    """A split pattern's match seen as the whole pattern's match (span, groups)."""

    __slots__ = ("_m", "_offset", "_start", "_end")

    def __init__(self, m: Any, offset: int = 0) -> None:
        self._m = m
        self._offset = offset  # where the matched string starts in the article
        # Read once: the matcher asks for the span several times a match.
        self._start = m.start(_BEFORE_GROUP) + offset
        self._end = m.end() + offset

    def span(self, group: str | int = 0) -> tuple[int, int]:
        """Span of the whole match or of a named group ((-1, -1) when it did not take part)."""
        if group == 0:
            return self._start, self._end
        s, e = self._m.span(group)
        return (s, e) if s < 0 else (s + self._offset, e + self._offset)

    def start(self) -> int:
        """Start of the whole match."""
        return self._start

    def end(self) -> int:
        """End of the whole match."""
        return self._end

    def groupdict(self) -> dict[str, str | None]:
        """The pattern's named groups."""
        out = self._m.groupdict()
        del out[_BEFORE]
        return out

    def named(self) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
        """The named groups that took part in the match: their text and their spans."""
        return named_groups(self._m, self._offset, _BEFORE)


# Per pattern, its named groups as (name, number) pairs: `groupindex` builds a new dict.
_GROUPS: dict[int, tuple[Any, tuple[tuple[str, int], ...]]] = {}


def named_groups(m: Any, offset: int = 0, skip: str | None = None) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """A `regex` match's named groups that took part: their text and their spans (plus
    `offset`), leaving out group `skip`.

    Read off `m.regs`, the spans of all groups at once: `groupdict()` and a `span(name)`
    per group cost 15 us a match of eight groups, this 2 us.
    """
    pattern = m.re
    hit = _GROUPS.get(id(pattern))
    if hit is None or hit[0] is not pattern:
        hit = _GROUPS[id(pattern)] = (pattern, tuple((k, i) for k, i in pattern.groupindex.items() if k != skip))
    regs, string = m.regs, m.string
    groups: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    for name, i in hit[1]:
        s, e = regs[i]
        if s >= 0:
            groups[name] = string[s:e]
            spans[name] = (s + offset, e + offset)
    return groups, spans


# ---------------------------------------------------------------------------
# Reading the pattern's top level


@dataclass(frozen=True)
class _Atom:
    text: str  # the atom with its quantifier
    body: str  # the atom without its quantifier
    optional: bool  # the quantifier allows zero


def _skip_class(p: str, i: int) -> int:
    """Return the index just past the character class opening at p[i] == '['."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p):
        if p[j] == "\\":
            j += 2
            continue
        if p[j] == "[":  # a nested set (VERSION1) or a POSIX class [:alpha:]
            j = _skip_class(p, j)
            continue
        if p[j] == "]":
            return j + 1
        j += 1
    raise ValueError("unterminated character class")


def _tokens(p: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Yield (index, character, depth) for the characters of `p` from `start` that are
    outside escapes and character classes; depth: the groups open before it."""
    depth, j = 0, start
    while j < len(p):
        c = p[j]
        if c == "\\":
            j = _skip_escape(p, j)
            continue
        if c == "[":
            j = _skip_class(p, j)
            continue
        yield j, c, depth
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        j += 1


def _skip_group(p: str, i: int) -> int:
    """Return the index just past the group opening at p[i] == '('."""
    for j, c, depth in _tokens(p, i):
        if c == ")" and depth == 1:
            return j + 1
    raise ValueError("unbalanced parenthesis")


def _skip_escape(p: str, i: int) -> int:
    j = i + 2
    if p[i + 1: i + 2] in ("p", "P", "N") and p[j: j + 1] == "{":
        return p.index("}", j) + 1
    if p[i + 1: i + 2] in ("g", "L") and p[j: j + 1] == "<":
        return p.index(">", j) + 1
    if p[i + 1: i + 2] == "x":
        return j + 2
    if p[i + 1: i + 2] == "u":
        return j + 4
    if p[i + 1: i + 2] == "U":
        return j + 8
    return j


_QUANT = regex.compile(r"(?:[?*+]|\{(\d*)(?:,(\d*))?\})[?+]?")


def _atoms(p: str) -> list[_Atom]:
    """Split a sequence (no top-level '|') into atoms with their quantifiers."""
    out: list[_Atom] = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "|":
            raise ValueError("alternation")
        if c == "\\":
            j = _skip_escape(p, i)
        elif c == "[":
            j = _skip_class(p, i)
        elif c == "(":
            j = _skip_group(p, i)
        else:
            j = i + 1
        body = p[i:j]
        q = _QUANT.match(p, j) if not body.startswith("(?") or not _is_lookaround(body) else None
        if q is not None and q.group(0).rstrip("?+") in ("{}", "{,}"):
            q = None  # not a quantifier: literal braces
        optional = False
        if q is not None:
            tok = q.group(0)
            optional = tok[0] in "?*" or (tok[0] == "{" and (q.group(1) or "0") == "0")
            j = q.end()
        out.append(_Atom(p[i:j], body, optional))
        i = j
    return out


def _alternatives(p: str) -> list[str]:
    """Split a group's content at its top-level '|'."""
    parts, start = [], 0
    for i, c, depth in _tokens(p):
        if c == "|" and depth == 0:
            parts.append(p[start:i])
            start = i + 1
    parts.append(p[start:])
    return parts


_OPENER = regex.compile(r"\((?:\?(?:P<\w+>|<(?![=!])\w+>|'\w+'|:|>|\|" r"|[a-zA-Z-]+:))?")


def _is_lookaround(body: str) -> bool:
    return body.startswith(("(?=", "(?!", "(?<=", "(?<!"))


def _group_content(body: str) -> str | None:
    """The content of a capturing/non-capturing/atomic/scoped-flag group (None otherwise)."""
    m = _OPENER.match(body)
    if m is None or not body.endswith(")") or (body.startswith("(?") and m.end() == 1):
        return None
    return body[m.end(): -1]


def _zero_width(atom: _Atom) -> bool:
    b = atom.body
    if b in ("^", "$"):
        return True
    if b.startswith("\\") and len(b) == 2 and b[1] in _ZERO_WIDTH_ESCAPES:
        return True
    return b.startswith("(?") and (_is_lookaround(b) or b.startswith("(?#"))


def _atom_edge(a: _Atom, head: bool) -> str:
    """'yes' when every non-empty match of the atom begins (head) or ends with a non-word
    character, 'no' when it may begin/end with a word character, 'empty' when it may only
    be empty."""
    b = a.body
    if b.startswith("\\") and len(b) == 2:
        return "yes" if b[1] in "sW" or not b[1].isalnum() else "no"
    if b.startswith("["):
        return "yes" if _class_nonword(b) else "no"
    if len(b) == 1:
        return "no" if (b.isalnum() or b in "_.") else "yes"
    inner = _group_content(b)
    if inner is None:
        return "no"
    try:
        res = [_edge(_atoms(alt), head) for alt in _alternatives(inner)]
    except (ValueError, IndexError):
        return "no"
    if "no" in res:
        return "no"
    return "empty" if "empty" in res else "yes"


def _edge(atoms: list[_Atom], head: bool) -> str:
    """Whether the sequence's matches begin (head) / end at a non-word character: yes/no/empty."""
    for a in (atoms if head else reversed(atoms)):
        b = a.body
        if b == "\\b" or b.startswith(("(?!\\w", "(?![\\w") if head else ("(?<!\\w", "(?<![\\w")):
            return "yes"
        if _zero_width(a):
            continue
        edge = _atom_edge(a, head)
        if edge == "no":
            return "no"
        if edge == "yes" and not a.optional:
            return "yes"
    return "empty"


def _nonword_start(atoms: list[_Atom], follow: bool) -> bool:
    """Whether what these atoms match can only begin at a word's end (so a word before is whole)."""
    edge = _edge(atoms, True)
    return edge == "yes" or (edge == "empty" and follow)


def _class_nonword(body: str) -> bool:
    """A character class that holds no word character (whitespace, hyphen, punctuation)."""
    inner = body[1:-1]
    if inner.startswith("^"):
        return False
    i = 0
    while i < len(inner):
        c = inner[i]
        if c == "\\":
            if inner[i + 1: i + 2] not in ("s", "-", ".", ",", "'", "/", "(", ")", "&"):
                return False
            i += 2
            continue
        if c.isalnum() or c == "_":
            return False
        i += 1
    return True


def _class_digits(body: str) -> bool:
    """A character class of digits only ([0-9], [\\d], [1-9])."""
    inner = body[1:-1]
    return bool(inner) and regex.fullmatch(r"(?:\\d|\d-\d|\d)+", inner) is not None


def _class_word(body: str) -> bool:
    """A class of ASCII letters, digits and '_' only ([a-z], [A-Za-z0-9_], [\\d]), not
    negated: characters the article's word index (`re`'s \\w) reads as word characters
    too. (The `regex` module's \\w also takes combining marks, which would cut `re`'s
    words elsewhere.)"""
    inner = body[1:-1]
    return bool(inner) and regex.fullmatch(r"(?:\\d|[A-Za-z0-9_]-[A-Za-z0-9_]|[A-Za-z0-9_])+", inner) is not None


def _suffix(atoms: list[_Atom], k: int, follow: bool) -> str | None:
    """The letters that end the word begun by a class of word characters at atoms[k]
    ("[a-z]{3,}iest" ends in "iest"), when what comes after them cannot go on the word."""
    lit = ""
    j = k + 1
    while j < len(atoms):
        b = atoms[j].body
        if len(b) != 1 or not (b.isalnum() or b == "_") or atoms[j].text != b:
            break
        lit += b.lower()
        j += 1
    return lit if lit and _nonword_start(atoms[j:], follow) else None


class _Unknown(Exception):
    """The first words of a sequence cannot be told."""


# First words of a sequence: whole words, word beginnings, digits, word endings.
_Firsts = tuple[set[str], set[str], bool, set[str]]


def _first(atoms: list[_Atom], follow: bool, lenient: bool = False,
           pairs: dict[str, Anchor | None] | None = None) -> _Firsts:
    """First words of what `atoms` can match: (whole words, word beginnings, digits,
    word endings).

    `follow` says whether what comes after these atoms must begin at a non-word
    character, so that a literal ending with the sequence is a whole word.
    `lenient` leaves out the ways that begin with a non-word character ("$5"): they
    never begin at a word, which is all the caller asks about. Raise _Unknown when
    some way's first word cannot be told, or the atoms may match nothing.
    `pairs`, when given, receives for each whole first word what the next word can
    be (_next_word; None: any).
    """
    words, prefixes, digits, suffixes, nullable = _first_seq(atoms, follow, lenient, [], pairs)
    if nullable:
        raise _Unknown  # the first word would be whatever follows
    return words, prefixes, digits, suffixes


def _first_seq(atoms: list[_Atom], follow: bool, lenient: bool, rest: list[_Atom],
               pairs: dict[str, Anchor | None] | None) -> tuple[set[str], set[str], bool, set[str], bool]:
    """_first's work; the last item tells whether the atoms may match no word at all.
    `rest`: the atoms that come after these ones (for `pairs`)."""

    def word(lit: str, k: int) -> None:  # a whole first word, its sequence going on at atoms[k]
        words.add(lit)
        if pairs is not None:
            _pair(pairs, lit, atoms[k:] + rest)

    words: set[str] = set()
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    digits = False
    lit = ""
    for k, a in enumerate(atoms):
        b = a.body
        if _zero_width(a):
            if lit and b == "\\b":
                word(lit, k + 1)
                return words, prefixes, digits, suffixes, False
            continue
        single = len(b) == 1 and b not in ".^$" or (b.startswith("\\") and len(b) == 2 and not b[1].isalnum())
        if single:
            ch = b[-1]
            if ch.isalnum() or ch == "_":
                if a.optional:
                    if not lit:
                        raise _Unknown
                    prefixes.add(lit)
                    return words, prefixes, digits, suffixes, False
                lit += ch.lower()
                if a.text != a.body:  # 'e+': the word goes on
                    prefixes.add(lit)
                    return words, prefixes, digits, suffixes, False
                continue
            if lit:  # a non-word character ends the word
                word(lit, k)
                return words, prefixes, digits, suffixes, False
            if ch.isspace():  # leading whitespace: look past it
                continue
            if lenient:
                return words, prefixes, digits, suffixes, False
            raise _Unknown
        if lit:
            if _nonword_start(atoms[k:], follow):
                word(lit, k)
            else:
                prefixes.add(lit)
            return words, prefixes, digits, suffixes, False
        if b == "\\d" or (b.startswith("[") and _class_digits(b)):
            if not a.optional:
                return words, prefixes, True, suffixes, False
            digits = True
            continue
        if b.startswith("[") and _class_word(b):
            # A run of word characters then letters that end the word: the word is
            # known by its ending ("[a-z]{3,}iest"), whatever the run matched.
            end = _suffix(atoms, k, follow)
            if end is None:
                raise _Unknown
            suffixes.add(end)
            return words, prefixes, digits, suffixes, False
        inner = _group_content(b)
        if inner is None:
            raise _Unknown
        after = _nonword_start(atoms[k + 1:], follow)
        empty = False
        for alt in _alternatives(inner):
            w, p, d, x, n = _first_seq(_atoms(alt), after, lenient, atoms[k + 1:] + rest, pairs)
            words |= w
            prefixes |= p
            suffixes |= x
            digits = digits or d
            empty = empty or n
        if not a.optional and not empty:
            return words, prefixes, digits, suffixes, False
    if lit:
        if follow:
            word(lit, len(atoms))
        else:
            prefixes.add(lit)
        return words, prefixes, digits, suffixes, False
    return words, prefixes, digits, suffixes, True


def _pair(pairs: dict[str, Anchor | None], word: str, after: list[_Atom]) -> None:
    """Record what may come after `word` on one way through the pattern (any: None)."""
    nxt = _next_word(after)
    if word in pairs:
        seen = pairs[word]
        nxt = None if seen is None or nxt is None else Anchor.of(
            {*seen.words, *nxt.words}, {*seen.prefixes, *nxt.prefixes}, seen.digits or nxt.digits,
            {*seen.suffixes, *nxt.suffixes})
    pairs[word] = nxt


def _next_word(after: list[_Atom]) -> Anchor | None:
    """What the next word must start with when `after` (what follows a whole word, up to
    the pattern's end) is non-word characters, at least one of them required, then a
    word that can be told; None otherwise (glued on, unknown, or nothing: any word)."""
    j, gap = 0, False
    while j < len(after):
        a = after[j]
        if _zero_width(a):
            j += 1
            continue
        if not a.body.startswith("(") and _atom_edge(a, True) == "yes" and _atom_edge(a, False) == "yes":
            gap = gap or not a.optional  # a separator: whitespace, hyphen, punctuation
            j += 1
            continue
        break
    if not gap:
        return None
    try:
        w, p, d, x = _first(after[j:], False)
    except (_Unknown, ValueError, IndexError):
        return None
    if not (w or p or d or x) or "" in w | p | x:
        return None
    return Anchor.of(w, p, d, x)


def _starts_word(atoms: list[_Atom], i: int) -> bool:
    """Whether position `i` of the sequence can only be the start of a word."""
    return _edge(atoms[:i], False) == "yes"


def plan(pattern: Any) -> Plan | None:
    """Split a compiled pattern at its best anchor; None when it has none we can read.

    Reading the pattern costs more than the rest of loading it, so what is read is
    kept in the per-user pattern cache (regexcache.derived), like the compiled pieces.
    """
    if _BEFORE in pattern.groupindex:
        return None
    data = regexcache.derived(split, pattern.pattern, int(pattern.flags))
    if data is None:
        return None
    anchor, split_text, whole_text, flags, lead = data
    return Plan(Anchor.read(anchor), split_text, whole_text, flags, None if lead is None else Anchor.read(lead))


_BACKREF = regex.compile(r"\\(?:[1-9]|g<)|\(\?P=|\(\?\(")


def standalone(text: str) -> bool:
    """Whether pattern text means the same as one alternative of a larger pattern: no
    back-reference or conditional (group numbers move), no inline flag (in VERSION0 it
    would set the flag for the whole pattern). Looked for in the plain text: one that
    is in fact escaped or in a class only keeps the pattern apart."""
    return not (_BACKREF.search(text) or _GLOBAL_FLAGS.search(text))


def alternatives(pattern: Any) -> list[str] | None:
    """The top-level alternatives of a compiled pattern, each a pattern of its own under
    the same flags; None when it has one, or when one would not mean alone what it
    means in the whole (a back-reference or conditional, an inline flag past the start).

    A trigger such as `\\d|\\b(?:two|three|...)\\b` has no anchor as a whole; its word
    list does, and looking it up costs a fraction of searching it at every position.
    """
    text = pattern.pattern
    m = _GLOBAL_FLAGS.match(text)
    if m is not None:  # the flags are in pattern.flags
        text = text[m.end():]
    if not standalone(text):
        return None
    try:
        parts = _alternatives(text)
    except (ValueError, IndexError):
        return None
    return parts if len(parts) > 1 else None


def split(text: str, flags: int) -> tuple[Any, ...] | None:
    """Split a pattern's text at its best anchor: plain data for `plan` (None: no anchor).

    Returns (the anchor's Anchor.data(), the split pattern, the whole pattern read
    forwards, their flags, the whole pattern's first words as Anchor.data() or None).
    """
    flags = int(flags) & ~int(regex.REVERSE | regex.POSIX)
    m = _GLOBAL_FLAGS.match(text)
    if m is not None:
        text = text[m.end():]
    try:
        atoms = _atoms(text)
    except (ValueError, IndexError):
        return None
    best: tuple[int, int, Anchor] | None = None
    for i, a in enumerate(atoms):
        if a.optional or _zero_width(a) or not _starts_word(atoms, i):
            continue
        try:
            w, p, d, x = _first(atoms[i:], False)
        except (_Unknown, ValueError, IndexError):
            continue
        if not (w or p or d or x) or "" in w | p | x:
            continue
        anchor = Anchor.of(w, p, d, x)
        if best is None or anchor.cost() < best[0]:
            best = (anchor.cost(), i, anchor)
    if best is None:
        return None
    _, i, anchor = best
    if not (flags & regex.VERBOSE or _VERBOSE.search(text)):  # where a space is no separator
        pairs: dict[str, Anchor | None] = {}
        _first(atoms[i:], False, pairs=pairs)
        follows = tuple((w, nxt) for w, nxt in sorted(pairs.items()) if nxt is not None and w in anchor.words)
        anchor = Anchor(anchor.words, anchor.prefixes, anchor.digits, anchor.suffixes, follows)
    before = "".join(a.text for a in atoms[:i])
    rest = "".join(a.text for a in atoms[i:])
    if _may_factor(text, flags):
        before, rest = _factored(before, backwards=True), _factored(rest, backwards=False)
    split_text = _in_place(f"(?<=(?P<{_BEFORE}>{before})){rest}", flags)
    whole = _in_place(_factored_text(text, flags) or text, flags)  # REVERSE is off: forwards
    try:  # a split that does not compile (a look-behind the engine refuses) is no plan
        # Through the pattern cache: the plan compiles the same two texts when first used.
        regexcache.compile(split_text, flags)
        regexcache.compile(whole, flags)
    except regex.error:
        return None
    lead = _lead_of(atoms)
    return anchor.data(), split_text, whole, flags, None if lead is None else lead.data()


# A word list as {{list}} expands it: a group of eight or more lower-case literal
# entries (letters, digits, escaped punctuation, \s+ between words), nothing nested.
# Signs that `regex.escape` leaves as they are count too ("%", "’"): one "%" among the
# units kept 40 of them a flat list, tried one after another after every figure.
_UNIT = r"(?:[a-z0-9_%&'’/@£€¥°]|\\[^A-Za-z0-9]|\\s\+)"
_WORD_LIST = regex.compile(rf"\(\?:({_UNIT}+(?:\|{_UNIT}+){{7,}})\)")
_UNITS_OR_BAR = regex.compile(rf"{_UNIT}|\|")


def _factored(text: str, backwards: bool) -> str:
    """`text` with each word list written as a tree of its entries' shared beginnings
    (or endings, for a part matched backwards in a look-behind).

    The `regex` engine tries a flat list's entries one after another, and an attempt at
    a hundred-word list cost 1.7 us, 0.7 us with beginnings shared. The tree matches
    what the flat list does: the entries that fit at one place are each the beginning
    (backwards: the ending) of the next, being lower case, so one way through the tree
    holds them all, and it tries the longer first, as the list (longest first) does.
    The anchor is read off the flat text; only what is compiled is factored.
    """
    opens = _groups_matched(text, backwards)

    def tree(m: Any) -> str:
        if m.start() not in opens:
            return m.group(0)
        entries: list[list[str]] = [[]]
        for unit in _UNITS_OR_BAR.findall(m.group(1)):  # "\\|" is a unit, "|" ends an entry
            if unit == "|":
                entries.append([])
            else:
                entries[-1].append(unit)
        entries = [e[::-1] if backwards else e for e in entries]
        return _tree(entries, backwards) if _longer_first(entries) else m.group(0)

    return _WORD_LIST.sub(tree, text)


def factor_lists(pattern: Any) -> Any:
    """The compiled pattern with its word lists written as trees (_factored: shared
    endings if it is matched backwards, `(?r)`), or the pattern itself when it has
    none or runs under full case-folding. For patterns never split at an anchor,
    whose first words need not be read: `drop:` and `when:` conditions. What is
    rewritten is kept in the per-user pattern cache, as plans are: every start of
    `factcheck` loads a few hundred conditions."""
    text = regexcache.derived(_factored_text, pattern.pattern, int(pattern.flags))
    if text is None:
        return pattern
    try:
        return regexcache.compile(text, pattern.flags)
    except regex.error:  # not expected (the tree is the list rewritten); the list will do
        return pattern


def _factored_text(text: str, flags: int) -> str | None:
    """A pattern's text with its word lists as trees, backwards under REVERSE (None:
    nothing to rewrite, or not to be rewritten)."""
    if not _may_factor(text, flags):
        return None
    factored = _factored(text, backwards=bool(flags & regex.REVERSE))
    return None if factored == text else factored


def _may_factor(text: str, flags: int) -> bool:
    """Whether word lists may become trees: not under full case-folding, where "ss" and
    "ß" would be two ways through a tree that fit one text."""
    return not (flags & (regex.V1 | regex.FULLCASE) or _FULL_CASE.search(text))


def _groups_matched(text: str, backwards: bool) -> set[int]:
    """Where the groups of `text` open (not escaped, not in a class) that are matched in
    the part's direction: `backwards` outside look-arounds, forwards in a look-ahead,
    backwards in a look-behind. A list in a group matched the other way stays as
    written (its tree would be the wrong way round). Inside a look-around a tree is as
    good as anywhere: the entries that can match at one place are tried in the same
    order, so what it matches and captures does not change, and a negative look-ahead
    of a 150-word list (`(?!(?:the|a|...)\\b)` before each word of a phrase) was
    tried one word after another."""
    found: set[int] = set()
    stack: list[bool] = []  # for each open group: whether it is matched backwards
    for j, c, _ in _tokens(text):
        if c == "(":
            if text.startswith(("(?=", "(?!"), j):
                back = False
            elif text.startswith(("(?<=", "(?<!"), j):
                back = True
            else:
                back = stack[-1] if stack else backwards
            if back == backwards:
                found.add(j)
            stack.append(back)
        elif c == ")" and stack:
            stack.pop()
    return found


def _longer_first(entries: list[list[str]]) -> bool:
    """Whether no entry comes after one that begins it (for a list read backwards, the
    entries are reversed: ends it). A list as {{list}} writes it is so, longest first;
    one written by hand as "in|inside" tries "in" first, where the tree would try
    "inside" first, so it is left as written."""
    seen: set[tuple[str, ...]] = set()
    for entry in entries:
        units = tuple(entry)
        if any(units[:k] in seen for k in range(1, len(units))):
            return False
        seen.add(units)
    return True


def _tree(entries: list[list[str]], backwards: bool) -> str:
    """Write entries (lists of units, reversed when `backwards`) as a tree: forwards
    each branch is its unit then what follows, backwards what precedes then its unit."""
    root: dict[str, Any] = {}
    for units in entries:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}  # an entry ends here

    def depth(node: dict[str, Any]) -> int:
        return max((1 + depth(child) for unit, child in node.items() if unit), default=0)

    def write(node: dict[str, Any]) -> str:
        units = sorted((u for u in node if u), key=lambda u: -depth(node[u]))  # longer first
        alts = [write(node[u]) + u if backwards else u + write(node[u]) for u in units]
        if "" in node:
            alts.append("")  # ending here comes last
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return "(?:" + write(root) + ")"


def _in_place(text: str, flags: int) -> str:
    """The pattern beside an alternative that never matches: the same matches, made to
    be tried at one position.

    The `regex` engine reads off a pattern the literal text every match must hold (its
    *required string*) and, before trying a match at `pos`, looks for that text in the
    rest of the string: for a search it tells where to start, for a match at one
    position it only says early that nothing can match. Plans are matched at a few
    hundred positions of an article, most of them failing, so that look-up read the
    rest of the article each time (a failed match cost 6 us on a 2,400-character
    article instead of 0.6). Alternation has no required string, so `(?!)` beside the
    pattern turns the look-up off. In verbose mode a comment may end the pattern, so
    the alternative goes on a line of its own.
    """
    end = "\n" if flags & regex.VERBOSE else ""
    return f"(?:{text}{end}|(?!))"


def _lead_of(atoms: list[_Atom]) -> Anchor | None:
    """The first words of the whole pattern, when they can be told."""
    try:
        w, p, d, x = _first(atoms, False, lenient=True)
    except (_Unknown, ValueError, IndexError):
        return None
    return Anchor.of(w, p, d, x) if "" not in w | p | x else None


# ---------------------------------------------------------------------------
# Looking the article's words up


# Words as `re` sees them: \w+ with Unicode; `re` splits a text into words twice as fast.
_WORDS = re.compile(r"(\w+)")
_MEMO = 50_000  # words remembered (about 10 MB at most); cleared when full


class Index:
    """The anchors of a pack's plans, looked up by word: built once per pack."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        self.ids = {id(p): i for i, p in enumerate(plans)}  # a plan's row in hits()' result
        self.words: dict[str, list[int]] = {}
        self.prefixes: dict[str, list[int]] = {}
        self.suffixes: dict[str, list[int]] = {}
        self.digits: list[int] = []
        for i, p in enumerate(plans):
            for w in p.anchor.words:
                self.words.setdefault(w, []).append(i)
            for w in p.anchor.prefixes:
                self.prefixes.setdefault(w, []).append(i)
            for w in p.anchor.suffixes:
                self.suffixes.setdefault(w, []).append(i)
            if p.anchor.digits:
                self.digits.append(i)
        self.lengths = sorted({len(w) for w in self.prefixes})
        self.suffix_lengths = sorted({len(w) for w in self.suffixes})
        # (plan, word): what must come next for the word to start the plan's anchor
        self.follows = {(i, w): nxt for i, p in enumerate(plans) for w, nxt in p.anchor.follows}
        # By word: the plans it starts whatever comes next, and (plan, what must come
        # next) for the plans it starts only before given words (None: none). News
        # repeats its words, so most look-ups are one dict access. Cleared when it grows
        # past _MEMO words.
        self._memo: dict[str, tuple[Any, ...]] = {}

    def _plans_of(self, w: str) -> tuple[Any, ...]:
        """The plans whose anchor `w` starts whatever comes next, and (plan, what must
        come next) for those where only a given next word will do (None: none); or ()
        when it starts no plan. Kept in the memo."""
        ids = list(self.words.get(w, ()))
        bound = [(i, self.follows[(i, w)]) for i in ids if (i, w) in self.follows]
        ids = [i for i in ids if (i, w) not in self.follows]
        for n in self.lengths:
            if n > len(w):
                break
            ids.extend(self.prefixes.get(w[:n], ()))
        for n in self.suffix_lengths:
            if n > len(w):
                break
            ids.extend(self.suffixes.get(w[-n:], ()))
        if w[0].isdigit():
            ids.extend(self.digits)
        free = set(ids)  # a plan the word starts another way needs no next word
        found = tuple(sorted(free))
        bound = [(i, nxt) for i, nxt in bound if i not in free]
        # () for a word that starts nothing: hits() skips the falsy entries in C.
        entry = self._memo[w] = (found, tuple(bound) if bound else None) if found or bound else ()
        return entry

    def hits(self, text: str) -> tuple[list[list[int]], list[int], list[str]]:
        """For each plan, the offsets of the words of `text` that can start its anchor;
        and where each word starts, and the words (lower-cased)."""
        if len(self._memo) >= _MEMO:
            self._memo.clear()
        out: list[list[int]] = [[] for _ in self.plans]
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters lower-case to two characters
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        # The words and where they start, worked out in C: split keeps the text between
        # words, so the running sum of the pieces' lengths gives each word's offset. Then
        # only the words that start some plan are looked at in Python (a third of
        # them): a loop over every word was a tenth of extraction.
        pieces = _WORDS.split(lowered)  # [between, word, between, word, ..., between]
        tokens = pieces[1::2]
        starts = list(accumulate(map(len, pieces)))[0:-1:2]
        memo = self._memo
        for w in set(tokens).difference(memo):
            self._plans_of(w)
        entries = list(map(memo.__getitem__, tokens))
        last = len(tokens) - 1
        for k in compress(range(len(tokens)), entries):  # the words that start a plan
            found, bound = entries[k]
            pos = starts[k]
            for i in found:
                out[i].append(pos)
            if bound is not None and k < last:  # plans it starts only before given words
                nxt = tokens[k + 1]
                for i, second in bound:
                    ok = second._seen.get(nxt)  # Anchor.starts' memo, read without the call
                    if ok or (ok is None and second.starts(nxt)):
                        out[i].append(pos)
        return out, starts, tokens
