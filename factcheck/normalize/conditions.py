"""Conditions (demands, preconditions): {party, requirement} (CLAIMS.md).

The rules in rules/conditions.yaml capture the `requirement` and, for "must"
clauses, the `subject` and `modal`. The party is found in the sentence by general
logic, in this order:

1. the rule's `party` parameter, if it gives one;
2. inside a quotation, its speaker ("“..., but Moscow must first stop the attacks,”
   Zelensky said" -> Zelensky);
3. the nearest named subject of a verb before the claim ("Ukraine has consistently
   insisted that ..." -> Ukraine), a pronoun ("He said ...") standing for the named
   subject of the sentence before; else a common-noun subject right before the claim
   ("the union demanded ..." -> union);
4. a speaker after the claim ("..., the UN said" -> UN).

A name with a title ("President Volodymyr Zelensky") is a person, named by the last
word; any other name run is kept whole ("UN Security Council"). Word data (titles,
words that start sentences, speech verbs) comes from the pack's lists.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping, Sequence

import regex

from .. import regexcache
from . import NormContext, per_table

_SPACES = re.compile(r"\s+")
_NAME = r"(?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|the|de|al|for))*(?<![\s,])"
_AUX = r"(?:\s+(?:has|have|had|also|consistently|repeatedly|again|now|previously|already|long|publicly|firmly|" \
       r"reportedly|will|would|is|was|did|does|then|later|earlier|swiftly|quickly|strongly))*"
# A verb after a subject: past tenses, auxiliaries, and present tenses of saying and demanding
# (not any word in -s, which would take "airlines" for a verb).
_VERB = r"\s+(?:[a-z]{2,}ed|said|told|wrote|spoke|made|set|sought|saw|took|gave|put|will|would|must|is|was|has|" \
        r"have|had|can|could|says|insists|demands|wants|calls|urges|warns|argues|believes|thinks|insist|demand|" \
        r"want|urge|warn|argue|believe|think|say)\b"
_PRONOUN = r"\b(?:He|She|They|he|she|they)"
_QUOTES = regexcache.compile(r"“[^”]*”|\"[^\"]*\"")


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ,;:")


@functools.lru_cache(maxsize=16)
def _subject_pattern() -> Any:
    return regexcache.compile(rf"(?P<name>{_NAME}|{_PRONOUN})(?={_AUX}{_VERB})")


@functools.lru_cache(maxsize=4)
def _common_subject_pattern() -> Any:
    """A common-noun subject just before the claim: "the union demanded", "the EU said that"."""
    return regexcache.compile(rf"\b[Tt]he\s+(?P<name>[a-z]+){_AUX}(?:{_VERB}(?:\s+that)?)?\s*$")


_SPEECH_VERBS = ("said", "says")  # one object: per_table keys by identity


@per_table
def _speaker_patterns(verbs: Sequence[str]) -> tuple[Any, Any]:
    alt = "|".join(sorted(map(regex.escape, verbs), key=len, reverse=True))
    name_first = regexcache.compile(rf"(?P<name>{_NAME}|{_PRONOUN})(?:\s+[a-z]+){{0,3}}?\s+(?:has\s+)?(?:{alt})\b")
    verb_first = regexcache.compile(rf"\b(?:{alt})\s+(?P<name>{_NAME})")
    return name_first, verb_first


def _party_name(run: str, lists: Mapping[str, Sequence[str]]) -> str | None:
    """Turn a run of capitalised words into a party: a titled person's surname, else the run."""
    skip, titles = set(lists.get("party_skip_words", ())), set(lists.get("party_titles", ()))
    words = run.rstrip(".").split()
    while words and words[0] in skip:
        words = words[1:]
    while words and words[-1] in ("of", "the", "de", "al", "for"):
        words = words[:-1]
    if not words:
        return None
    words = [w.rstrip(".") if w.rstrip(".") in titles else w for w in words]
    if any(w in titles for w in words):
        people = [w for w in words if w not in titles]
        return people[-1].removesuffix("’s").removesuffix("'s") if people else None
    return " ".join(words).removesuffix("’s").removesuffix("'s")


def _mask_quotes(text: str) -> str:
    """Blank out quoted passages (same length), so only the narration is searched."""
    return _QUOTES.sub(lambda m: " " * len(m.group()), text)


def _inside_quote(sentence: str, pos: int) -> bool:
    return any(m.start() < pos < m.end() for m in _QUOTES.finditer(sentence))


def _previous_sentence(ctx: NormContext) -> str:
    before = ctx.text[max(0, ctx.sentence_start - 600):ctx.sentence_start].rstrip()
    cut = max(before.rfind(". ", 0, len(before) - 1), before.rfind("\n", 0, len(before) - 1))
    return before[cut + 1:] if cut >= 0 else before


def _named(run: str | None, ctx: NormContext, resolve: bool = True) -> str | None:
    if run is None:
        return None
    if regex.fullmatch(_PRONOUN, run):
        if not resolve:
            return None
        first = _subject_pattern().search(_mask_quotes(_previous_sentence(ctx)))
        return _named(first.group("name"), ctx, resolve=False) if first else None
    return _party_name(run, ctx.lists)


def _speaker(narration: str, ctx: NormContext) -> str | None:
    name_first, verb_first = _speaker_patterns(ctx.lists.get("speech_verbs", _SPEECH_VERBS))
    for pattern in (name_first, verb_first):
        for m in pattern.finditer(narration):
            found = _named(m.group("name"), ctx)
            if found:
                return found
    return None


def find_party(ctx: NormContext) -> str | None:
    """Return who sets the condition, when the sentence says (see the module docstring)."""
    sentence = ctx.sentence
    rel = ctx.start - ctx.sentence_start
    masked = _mask_quotes(sentence)
    if _inside_quote(sentence, rel):
        return _speaker(masked, ctx)
    subjects = [m.group("name") for m in _subject_pattern().finditer(masked) if m.end() <= rel]
    for run in subjects[::-1]:
        found = _named(run, ctx)
        if found:
            return found
    common = _common_subject_pattern().search(masked[:rel])
    if common:
        return common.group("name")
    return _speaker(masked[ctx.end - ctx.sentence_start:], ctx)


def _starts_with(text: str, phrases: Sequence[str]) -> str | None:
    low = text.lower()
    for phrase in sorted(phrases, key=len, reverse=True):
        if low == phrase or low.startswith(phrase + " "):
            return phrase
    return None


def requirement(groups: Mapping[str, str], ctx: NormContext) -> str:
    """What is required: the object of "require"/"involve", else "<subject> to <what they must do>"."""
    req = regex.sub(r"^(?:that|on)\s+", "", _fold(groups.get("requirement") or ctx.match_text), flags=regex.I)
    modal = _fold(groups.get("modal") or "").lower()
    subject = _fold(groups.get("subject") or "")
    if not modal or not modal.startswith(("must", "would have", "will have", "would need", "will need")):
        return req
    verb = _starts_with(req, ctx.lists.get("containment_verbs", ()))
    if verb:
        return _fold(req[len(verb):])
    if not subject or subject.lower() in ctx.lists.get("condition_pronouns", ()):
        return req
    return f"{subject} to {req}"


def normalize(groups: Mapping[str, str], ctx: NormContext) -> Any:
    """Return {party, requirement}."""
    party = ctx.params.get("party") or find_party(ctx)
    req = ctx.params.get("requirement") or requirement(groups, ctx)
    return {"party": party, "requirement": req}


def describe(value: Any) -> str:
    """Say who requires what."""
    if not isinstance(value, Mapping):
        return ""
    party = value.get("party") or "someone"
    return f"{party} requires {value.get('requirement', '')}"

# The `normalize:` parameters rules may give (checked when the pack loads).
PARAMS = {"party": str, "requirement": str}
