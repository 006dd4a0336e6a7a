"""`factcheck eval sentences FILE.csv`: hedge and weasel detection per sentence.

The file is a CSV with columns `text,label` (label 1: the sentence holds weasel
words or a hedge), such as the CoNLL-2010 Wikipedia weasel data. Each sentence is
checked as its own article with no publication date; it is predicted 1 when it
has a hedge claim or an attribution claim whose source is vague or anonymous.
The scores are precision, recall and F1 of the label-1 class.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from . import prf
from ..api import Engine
from ..errors import ConfigError
from ..models import Article, Claim

# What makes a sentence a weasel: hedges, and attributions no one could check.
WEASEL_KINDS = frozenset({"hedge"})
WEASEL_SOURCES = frozenset({"vague", "anonymous"})


@dataclass(frozen=True)
class LabelledSentence:
    """One labelled sentence of the file."""

    line: int  # the CSV record's number, 1 = first data row
    text: str
    label: bool


@dataclass
class Scores:
    """Counts of a binary prediction against gold labels, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_hits: list[tuple[LabelledSentence, list[Claim]]] = field(default_factory=list)
    misses: list[LabelledSentence] = field(default_factory=list)

    def add(self, sentence: LabelledSentence, predicted: bool, claims: list[Claim]) -> None:
        """Count one sentence; keep it when it is an error."""
        if predicted and sentence.label:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.false_hits.append((sentence, claims))
        elif sentence.label:
            self.fn += 1
            self.misses.append(sentence)
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), 0 when nothing was predicted."""
        return prf(self.tp, self.tp, self.tp + self.fp, self.tp + self.fn)[0]

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), 0 when there is no positive sentence."""
        return prf(self.tp, self.tp, self.tp + self.fp, self.tp + self.fn)[1]

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return prf(self.tp, self.tp, self.tp + self.fp, self.tp + self.fn)[2]


def read_sentences(path: Path, limit: int | None = None) -> Iterator[LabelledSentence]:
    """Yield the labelled sentences of a `text,label` CSV (texts may span lines)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")  # a spreadsheet's BOM is not a column name
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the sentence file ({exc.strerror})") from None
    with handle:
        try:
            yield from _records(path, csv.DictReader(handle), limit)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ConfigError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None


def _records(path: Path, reader: csv.DictReader, limit: int | None) -> Iterator[LabelledSentence]:
    missing = {"text", "label"} - set(reader.fieldnames or ())
    if missing:
        raise ConfigError(f"{path}: the CSV needs the columns text,label (missing: {', '.join(sorted(missing))})")
    for number, row in enumerate(reader, 1):
        if limit is not None and number > limit:
            return
        label = (row.get("label") or "").strip()
        if label not in ("0", "1"):
            raise ConfigError(f"{path}: record {number}: label is {label!r}, not 0 or 1")
        yield LabelledSentence(number, (row.get("text") or "").strip(), label == "1")


def weasel_claims(claims: Iterable[Claim]) -> list[Claim]:
    """Return the claims that make a sentence a weasel: hedges, vague or anonymous sources."""
    out = []
    for claim in claims:
        if claim.kind in WEASEL_KINDS:
            out.append(claim)
        elif claim.kind == "attribution" and isinstance(claim.value, dict) and claim.value.get("kind") in WEASEL_SOURCES:
            out.append(claim)
    return out


def weasel_engine(engine: Engine) -> Engine:
    """Return the engine with only the rules whose kinds can make a weasel.

    Overlaps are resolved within a kind, so the other kinds' rules cannot change
    which hedges and attributions are found: leaving them out only saves time.
    """
    kinds = WEASEL_KINDS | {"attribution"}
    pack = dataclasses.replace(engine.pack, rules=tuple(r for r in engine.pack.rules if r.kind in kinds))
    return dataclasses.replace(engine, pack=pack)


def score(sentences: Iterable[LabelledSentence], engine: Engine) -> Scores:
    """Check every sentence as its own undated article and count the predictions."""
    scores = Scores()
    engine = weasel_engine(engine)
    for s in sentences:
        claims = weasel_claims(engine.check(Article(id=f"sentence-{s.line}", text=s.text, file_offset=None)).claims)
        scores.add(s, bool(claims), claims)
    return scores


def _short(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def print_scores(scores: Scores, out: TextIO, errors: int = 0) -> None:
    """Print the table of counts and scores, then up to `errors` of each kind of error."""
    total = scores.tp + scores.fp + scores.fn + scores.tn
    out.write(f"sentences {total}  gold positive {scores.tp + scores.fn}  predicted positive {scores.tp + scores.fp}\n")
    out.write(f"TP {scores.tp}  FP {scores.fp}  FN {scores.fn}  TN {scores.tn}\n")
    out.write(f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}\n")
    if errors <= 0:
        return
    out.write(f"\nfalse hits (first {min(errors, len(scores.false_hits))} of {len(scores.false_hits)}):\n")
    for sentence, claims in scores.false_hits[:errors]:
        found = "; ".join(f"{c.rule} {c.text!r}" for c in claims)
        out.write(f"  #{sentence.line} [{found}] {_short(sentence.text)}\n")
    out.write(f"\nmisses (first {min(errors, len(scores.misses))} of {len(scores.misses)}):\n")
    for sentence in scores.misses[:errors]:
        out.write(f"  #{sentence.line} {_short(sentence.text)}\n")


def run(args: argparse.Namespace, engine: Engine) -> int:
    """Score the sentence file named by `args.path`; print P/R/F1 and the counts."""
    scores = score(read_sentences(Path(args.path), getattr(args, "limit", None)), engine)
    print_scores(scores, sys.stdout, getattr(args, "errors", 0) or 0)
    return 0
