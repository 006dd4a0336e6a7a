"""Attributions: who a statement is credited to, as {source, kind, quoted}.

`kind` is `named` (a person, a title, an institution), `anonymous` (someone who
exists but is not named: "Kremlin sources", "a person familiar with the matter")
or `vague` (a crowd no one could ask: "critics", "global leaders", "it is
believed"). A rule may fix it with `normalize: {kind: ...}`; otherwise the source
is classed with the pack's word lists (rules/words-hedges.yaml: heads, quantifiers,
anonymity and vagueness markers), so users change
the classes by editing data, not code.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from . import NormContext, Skip, per_table

KINDS = ("named", "anonymous", "vague")

# A quotation closing right before the source ("…talk,” Zelensky said") or opening
# right after the verb (`said: “…`); `` and '' are the quotes of tokenized corpora.
_QUOTE_BEFORE = re.compile(r"(?:[”\"]|'')\s*,?\s*$|[,.!?]['’]\s*$")
_QUOTE_AFTER = re.compile(r"^\s*[,:]?\s*(?:[“\"]|``)")
# Where a source's head ends and its post-modifier begins ("sources close to ...").
_POSTMOD = re.compile(r"\s*,|\s+(?:of|for|at|in|from|within|among|inside|familiar|who|close|with)\b", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_WORD = re.compile(r"[\w’'.&-]+")


def clean_source(source: str | None) -> str | None:
    """Return the source with white space collapsed and a leading "the" dropped."""
    if not source:
        return None
    text = re.sub(r"\s+", " ", source).strip(" ,")
    return _LEADING_THE.sub("", text) or None


@per_table
def _classes(lists: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """The pack's attribution lists in lower case, as sets: built once per pack, since
    classing a source looks a phrase up in several of them."""
    names = ("attribution_anonymity_markers", "attribution_vague_markers", "attribution_vague_quantifiers",
             "attribution_anonymous_sources", "attribution_vague_sources", "attribution_pronoun_sources",
             "attribution_not_sources")
    return {name: frozenset(e.lower() for e in lists.get(name, ())) for name in names}


def head_words(source: str) -> list[str]:
    """Return the lower-case words of a source before its post-modifier."""
    cut = _POSTMOD.search(source)
    core = source[:cut.start()] if cut and cut.start() > 0 else source
    return [w.lower() for w in _WORD.findall(core)]


def classify(source: str | None, lists: Mapping[str, Sequence[str]]) -> str:
    """Class a source as named, anonymous or vague from the pack's word lists."""
    if not source:
        return "vague"
    sets = _classes(lists)
    lowered = source.lower()
    if any(marker in lowered for marker in sets["attribution_anonymity_markers"]):
        return "anonymous"
    if any(marker in lowered for marker in sets["attribution_vague_markers"]):
        return "vague"
    words = head_words(source)
    if not words:
        return "vague"
    quantifiers = sets["attribution_vague_quantifiers"]
    # The phrases a list entry may be: the source's first one to three words (a
    # quantifier: "some of the"), or its last three, two or one (a head: "senior officials").
    if any(" ".join(words[:n]) in quantifiers for n in (1, 2, 3)):
        return "vague"
    tails = [" ".join(words[-n:]) for n in (3, 2, 1) if len(words) >= n]
    if any(t in sets["attribution_anonymous_sources"] for t in tails):
        return "anonymous"
    if any(t in sets["attribution_vague_sources"] for t in tails):
        return "vague"
    return "named"


def is_source(source: str, lists: Mapping[str, Sequence[str]]) -> bool:
    """Whether a matched source can name anyone: "The" or "However" cannot, "he" can."""
    sets = _classes(lists)
    words = [w.lower() for w in _WORD.findall(source)]
    if len(words) == 1 and words[0] in sets["attribution_pronoun_sources"]:
        return True
    stop = sets["attribution_not_sources"]
    return any(w not in stop for w in words)


def is_quoted(text: str, start: int, end: int) -> bool:
    """Whether a direct quotation stands next to the attribution at text[start:end]."""
    return bool(_QUOTE_BEFORE.search(text[max(0, start - 4):start]) or _QUOTE_AFTER.search(text[end:end + 5]))


_MEMO = 20_000  # sources remembered per pack; cleared when full


@per_table
def _read(lists: Mapping[str, Sequence[str]]) -> dict[tuple[str | None, str | None], tuple[str | None, str] | None]:
    """The pack's memo of sources read (`_source`): news repeats its sources ("he",
    "Mr Blair", "officials"), and classing one against the lists cost more than the
    rest of normalizing its match."""
    return {}


def _source(raw: str | None, fixed: str | None, lists: Mapping[str, Sequence[str]]) -> tuple[str | None, str] | None:
    """(cleaned source, kind) of a matched source, or None when it can name no one.

    A function of the source, the rule's fixed kind and the pack's lists alone, so it
    is remembered per pack."""
    memo = _read(lists)
    key = (raw, fixed)
    if key in memo:
        return memo[key]
    found: tuple[str | None, str] | None = None
    if not raw or is_source(raw, lists):
        source = clean_source(raw)
        found = (source, fixed or classify(source, lists))
    if len(memo) >= _MEMO:
        memo.clear()
    memo[key] = found
    return found


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {source, kind, quoted}; skip a "source" such as "The" in "The said company"."""
    read = _source(ctx.params.get("source"), ctx.params.get("kind"), ctx.lists)
    if read is None:
        raise Skip
    source, kind = read
    if kind not in KINDS:
        raise ValueError(f"attribution kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return {"source": source, "kind": kind, "quoted": is_quoted(ctx.text, ctx.start, ctx.end)}


def describe(value: Any) -> str:
    """Say who is credited and how: "Zelensky (named, quoted)"."""
    if not isinstance(value, dict):
        return ""
    who = value.get("source") or "no one named"
    quoted = ", quoted" if value.get("quoted") else ""
    return f"{who} ({value.get('kind', 'named')}{quoted})"

# The `normalize:` parameters rules may give (checked when the pack loads).
PARAMS = {"source": str, "kind": ("named", "anonymous", "vague")}
