"""Claim fingerprints and baselines: fail only on findings that are new since a run.

A fingerprint names a claim by what it says, not where it is: a hash of the rule
id, the kind, the claim's text and its sentence's text (case and spacing folded),
plus an occurrence counter for identical claims in one article. Editing another
paragraph, or adding lines above, leaves it unchanged; editing the sentence makes
the claim new.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

from .errors import ConfigError, Location


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def fingerprints(claims: Iterable[Any], sentence_texts: list[str]) -> list[str]:
    """Return one fingerprint per claim, in order; `sentence_texts[i]` is sentence i's text."""
    seen: dict[str, int] = {}
    out = []
    for claim in claims:
        sentence = sentence_texts[claim.sentence] if 0 <= claim.sentence < len(sentence_texts) else ""
        base = "\x1f".join((claim.rule, claim.kind, _fold(claim.text), _fold(sentence)))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(hashlib.sha256(f"{base}\x1f{n}".encode()).hexdigest()[:20])
    return out


def load_baseline(path: Path) -> dict[str, set[str]]:
    """Read a previous run's index.json: article id -> fingerprints of its claims."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the baseline: {exc.strerror}", Location(str(path))) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the baseline is not valid JSON: {exc}", Location(str(path))) from None
    articles = doc.get("articles") if isinstance(doc, dict) else None
    if not isinstance(articles, list):
        raise ConfigError("not a factcheck index.json (no 'articles' list)", Location(str(path)))
    known: dict[str, set[str]] = {}
    for entry in articles:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            prints = {c.get("fingerprint") for c in entry.get("claims") or [] if isinstance(c, dict)}
            known.setdefault(entry["id"], set()).update(p for p in prints if isinstance(p, str))
    return known


def mark_new(entry: dict[str, Any], known: dict[str, set[str]]) -> None:
    """Set `new` on each claim of an index entry: True when its fingerprint is not in the baseline."""
    seen = known.get(entry["id"], set())
    for claim in entry.get("claims", []):
        claim["new"] = claim["fingerprint"] not in seen
