"""The pipeline's plain data: Article -> Sentence -> Match -> Claim -> Report.

Every stage is a function from the previous stage's data, and every value here is
a frozen dataclass or a JSON-shaped value (dict, list, str, int, float, None), so
results can be cached, sent to worker processes and compared byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .verdicts import VERDICTS, verdict_rank  # noqa: F401 - part of the pipeline's data


@dataclass(frozen=True)
class Article:
    """An article as read: its body text and metadata.

    Claim offsets always index `text` as Python string indices.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    language: str = "en"
    path: str | None = None
    # Offset of `text` inside the file it came from (front matter skipped), so CI
    # annotations can point at a line of the file; None where there is no file.
    file_offset: int | None = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: [start, end) offsets into the article text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    """One rule match before normalization."""

    rule_id: str
    kind: str
    start: int
    end: int
    text: str
    groups: dict[str, str]
    group_spans: dict[str, tuple[int, int]]
    sentence: int


@dataclass(frozen=True)
class Evidence:
    """What a verdict rests on: a reference fact or another claim of the article."""

    type: str  # "fact" | "claim" | "rule"
    id: str
    text: str | None = None
    source: str | None = None
    publisher: str | None = None
    url: str | None = None
    as_of: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form, dropping empty fields."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Claim:
    """A judged claim: a span of the article with its kind, value and verdict."""

    id: str
    start: int
    end: int
    text: str
    kind: str
    value: Any
    rule: str
    sentence: int
    verdict: str = "unsupported"
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()
    attribution: dict[str, Any] | None = None
    message: str = ""
    suppressed: str | None = None  # the suppression's reason, when silenced

    def to_json(self) -> dict[str, Any]:
        """Return the claim as the JSON object of `factcheck extract` and reports."""
        out: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "verdict": self.verdict,
            "reason": self.reason,
            "rule": self.rule,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.attribution is not None:
            out["attribution"] = self.attribution
        if self.suppressed is not None:
            out["suppressed"] = self.suppressed
        return out


@dataclass(frozen=True)
class Result:
    """The outcome of checking one article: its claims in reading order."""

    article: Article
    claims: tuple[Claim, ...]
    sentences: tuple[Sentence, ...] = ()
    rules_version: str = ""
    facts_version: str = ""
    errors: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Count the unsuppressed claims per verdict, in precedence order."""
        counts = {v: 0 for v in VERDICTS}
        for claim in self.claims:
            if claim.suppressed is None:
                counts[claim.verdict] = counts.get(claim.verdict, 0) + 1
        return counts
