"""`factcheck eval gold FILE.jsonl`: score claims against hand-annotated gold articles.

Each line of the gold file is `{"id", "file", "published", "claims": [{"start",
"end", "text", "kind", "value", "verdicts"}]}` (CLAIMS.md). The article `file` is
looked for, in order: relative to the gold file's folder, in `--articles DIR`, and
in the folders beside the gold file's folder (`../gold/x.jsonl` finds `../seed/a.txt`).

Scoring, per kind and over all kinds:

- a **hit** is a gold claim paired with a claim of the same kind whose span overlaps
  it; pairing is one to one, the largest overlaps first. P = hits / claims,
  R = hits / gold claims, F1 their harmonic mean.
- **value accuracy** (over hits): exact for date, duration, quantity, attribution
  and hedge (JSON equality, 200000 == 200000.0); for condition and superlative,
  whose gold values paraphrase, see `same_value`.
- **verdict accuracy** (over hits): the claim's verdict is one of the gold `verdicts`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

from . import prf
from ..errors import ArticleError, Location
from ..models import Claim

# Words that carry no content when comparing paraphrased values.
STOPWORDS = frozenset(
    """a an the of in on at to for from by with and or but its it their his her our this that these those
    any all be is are was were been being must would will should shall can could may might first""".split()
)
# Two paraphrases agree when their content words' Dice coefficient reaches this.
PARAPHRASE_THRESHOLD = 0.5
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def content_words(text: str | None) -> set[str]:
    """Return the crude stems of a text's content words ("stops the attacks" -> {stop, attack})."""
    words = (w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text or ""))
    return {_stem(w) for w in words if w not in STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def dice(a: str | None, b: str | None) -> float:
    """Return the Dice coefficient of two texts' content words (1.0 when both are empty)."""
    x, y = content_words(a), content_words(b)
    if not x and not y:
        return 1.0
    return 2 * len(x & y) / (len(x) + len(y))


def _same_party(gold: Any, claim: Any) -> bool:
    """Parties agree when equal ignoring case, or when one names the other ("Zelensky" in "President Zelensky")."""
    if gold is None or claim is None:
        return gold is None and claim is None
    g, c = content_words(str(gold)), content_words(str(claim))
    return str(gold).lower().strip() == str(claim).lower().strip() or bool(g and c) and (g <= c or c <= g)


def _same_condition(gold: Any, claim: Any) -> bool:
    if not isinstance(gold, dict) or not isinstance(claim, dict):
        return gold == claim
    return _same_party(gold.get("party"), claim.get("party")) and \
        dice(gold.get("requirement"), claim.get("requirement")) >= PARAPHRASE_THRESHOLD


def _same_superlative(gold: Any, claim: Any) -> bool:
    if not isinstance(gold, dict) or not isinstance(claim, dict):
        return gold == claim
    return dice(gold.get("comparison"), claim.get("comparison")) >= PARAPHRASE_THRESHOLD


def _exact(gold: Any, claim: Any) -> bool:
    return bool(gold == claim)


# Per-kind value comparison; kinds not listed compare exactly.
COMPARE: dict[str, Callable[[Any, Any], bool]] = {"condition": _same_condition, "superlative": _same_superlative}


def same_value(kind: str, gold: Any, claim: Any) -> bool:
    """Whether a claim's value agrees with the gold value.

    Exact (JSON equality) for every kind but two whose gold values paraphrase:
    condition (the party equal ignoring case, or one's words inside the other's, and
    the requirement's content words with a Dice coefficient >= 0.5) and superlative
    (the comparison's content words with Dice >= 0.5). Content words are lower-cased,
    crudely stemmed ("crises" ~ "crisis" is not attempted; "attacks" ~ "attack" is),
    without STOPWORDS.
    """
    return COMPARE.get(kind, _exact)(gold, claim)


@dataclass
class Tally:
    """Counts for one kind (or all kinds)."""

    gold: int = 0
    claims: int = 0
    hits: int = 0
    values: int = 0
    verdicts: int = 0

    def add(self, other: "Tally") -> None:
        """Add another tally's counts to this one."""
        for name in ("gold", "claims", "hits", "values", "verdicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        """Hits over claims (0 when there are no claims)."""
        return prf(self.hits, self.hits, self.claims, self.gold)[0]

    @property
    def recall(self) -> float:
        """Hits over gold claims (0 when there are none)."""
        return prf(self.hits, self.hits, self.claims, self.gold)[1]

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        return prf(self.hits, self.hits, self.claims, self.gold)[2]

    @property
    def value_accuracy(self) -> float | None:
        """Right values over hits (None without hits)."""
        return self.values / self.hits if self.hits else None

    @property
    def verdict_accuracy(self) -> float | None:
        """Accepted verdicts over hits (None without hits)."""
        return self.verdicts / self.hits if self.hits else None


@dataclass(frozen=True)
class Pairing:
    """The outcome of aligning one article's claims with its gold claims."""

    pairs: tuple[tuple[dict[str, Any], Claim], ...]
    missed: tuple[dict[str, Any], ...]
    extra: tuple[Claim, ...]


def _overlap(gold: dict[str, Any], claim: Claim) -> int:
    return min(int(gold["end"]), claim.end) - max(int(gold["start"]), claim.start)


def align(gold: Iterable[dict[str, Any]], claims: Iterable[Claim]) -> Pairing:
    """Pair gold claims with claims of the same kind and overlapping spans, one to one."""
    gold, claims = list(gold), list(claims)
    options = sorted(((_overlap(g, c), gi, ci) for gi, g in enumerate(gold) for ci, c in enumerate(claims)
                      if g["kind"] == c.kind and _overlap(g, c) > 0), reverse=True)
    used_g: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for _, gi, ci in options:
        if gi not in used_g and ci not in used_c:
            used_g.add(gi)
            used_c.add(ci)
            pairs.append((gold[gi], claims[ci]))
    pairs.sort(key=lambda p: int(p[0]["start"]))
    return Pairing(tuple(pairs), tuple(g for i, g in enumerate(gold) if i not in used_g),
                   tuple(c for i, c in enumerate(claims) if i not in used_c))


def tally(pairing: Pairing, tallies: dict[str, Tally]) -> None:
    """Add one article's pairing to the per-kind tallies."""
    def get(kind: str) -> Tally:
        return tallies.setdefault(kind, Tally())

    for g, c in pairing.pairs:
        t = get(g["kind"])
        t.gold, t.claims, t.hits = t.gold + 1, t.claims + 1, t.hits + 1
        t.values += same_value(g["kind"], g.get("value"), c.value)
        t.verdicts += c.verdict in (g.get("verdicts") or [])
    for g in pairing.missed:
        get(g["kind"]).gold += 1
    for c in pairing.extra:
        get(c.kind).claims += 1


def read_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a gold JSONL file; every bad line is an error naming its line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ArticleError(f"cannot read the gold file: {exc.strerror or exc}", Location(str(path))) from None
    docs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"not valid JSON: {exc.msg}", Location(str(path), number, exc.colno)) from None
        _check_doc(doc, Location(str(path), number))
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    return docs


def _check_doc(doc: Any, where: Location) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("file"), str) or not isinstance(doc.get("claims"), list):
        raise ArticleError("a gold line needs 'file' (a string) and 'claims' (a list)", where)
    for i, claim in enumerate(doc["claims"]):
        ok = isinstance(claim, dict) and isinstance(claim.get("kind"), str) and \
            all(isinstance(claim.get(k), int) for k in ("start", "end"))
        if not ok:
            raise ArticleError(f"claim {i + 1} needs integer 'start' and 'end' and a string 'kind'", where)


def find_article(name: str, gold_path: Path, articles: Path | None = None) -> Path:
    """Find a gold line's article: beside the gold file, in --articles, or in a sibling folder."""
    here = gold_path.parent
    candidates = [here / name]
    if articles is not None:
        candidates.append(articles / name)
    siblings = sorted(p for p in here.parent.iterdir() if p.is_dir() and p != here) if here.parent.is_dir() else []
    candidates += [s / name for s in siblings]
    for path in candidates:
        if path.is_file():
            return path
    raise ArticleError(f"article '{name}' not found beside the gold file, in --articles, or in a folder beside it",
                       Location(str(gold_path)))


def _check_article(doc: dict[str, Any], gold_path: Path, articles: Path | None, engine: Any) -> Any:
    from ..readers import parse_date, read_path

    path = find_article(doc["file"], gold_path, articles)
    published = parse_date(doc.get("published"), Location(str(gold_path)), f"published of '{doc.get('id')}'")
    article = next(iter(read_path(path, published)))
    return engine.check(article)


def _pct(x: float | None) -> str:
    return "    -" if x is None else f"{100 * x:5.1f}"


def table(tallies: dict[str, Tally]) -> str:
    """Format the per-kind scores, with an ALL row."""
    head = ("kind", "gold", "claims", "hits", "P", "R", "F1", "value", "verdict")
    rows = ["{:<12} {:>5} {:>6} {:>5} {:>5} {:>5} {:>5} {:>5} {:>7}".format(*head)]
    total = Tally()
    for kind in sorted(tallies):
        t = tallies[kind]
        total.add(t)
        rows.append(_row(kind, t))
    rows.append(_row("ALL", total))
    return "\n".join(rows)


def _row(name: str, t: Tally) -> str:
    return (f"{name:<12} {t.gold:>5} {t.claims:>6} {t.hits:>5} {_pct(t.precision)} {_pct(t.recall)} {_pct(t.f1)} "
            f"{_pct(t.value_accuracy)} {_pct(t.verdict_accuracy):>7}")


def error_lines(doc_id: str, pairing: Pairing) -> list[str]:
    """Describe the misses, false hits and wrong values of one article."""
    out = [f"{doc_id}: missed {g['kind']} {g.get('text', '')!r} {json.dumps(g.get('value'), ensure_ascii=False)}"
           for g in pairing.missed]
    out += [f"{doc_id}: extra {c.kind} {c.text!r} {json.dumps(c.value, ensure_ascii=False)}" for c in pairing.extra]
    for g, c in pairing.pairs:
        if not same_value(g["kind"], g.get("value"), c.value):
            out.append(f"{doc_id}: value {g['kind']} {c.text!r}: {json.dumps(c.value, ensure_ascii=False)} "
                       f"!= gold {json.dumps(g.get('value'), ensure_ascii=False)}")
        if c.verdict not in (g.get("verdicts") or []):
            out.append(f"{doc_id}: verdict {g['kind']} {c.text!r}: {c.verdict} not in {g.get('verdicts')}")
    return out


def evaluate(docs: Iterable[dict[str, Any]], gold_path: Path, engine: Any, *, articles: Path | None = None,
             errors: int = 0, out: TextIO | None = None) -> dict[str, Tally]:
    """Check every gold article with the engine, tally the scores and print up to `errors` error lines."""
    out = out if out is not None else sys.stdout
    tallies: dict[str, Tally] = {}
    shown = 0
    for doc in docs:
        result = _check_article(doc, gold_path, articles, engine)
        claims = [c for c in result.claims if c.suppressed is None]
        pairing = align(doc["claims"], claims)
        tally(pairing, tallies)
        for line in error_lines(str(doc.get("id", doc["file"])), pairing)[: max(0, errors - shown)]:
            print(line, file=out)
            shown += 1
    return tallies


def run(args: argparse.Namespace, engine: Any) -> int:
    """Score the engine on a gold JSONL file and print the table."""
    articles = Path(args.articles) if getattr(args, "articles", None) else None
    gold_path = Path(args.path)
    docs = read_gold(gold_path, args.limit)
    tallies = evaluate(docs, gold_path, engine, articles=articles, errors=args.errors)
    print(f"{len(docs)} article(s), {sum(t.gold for t in tallies.values())} gold claims")
    print(table(tallies))
    return 0
