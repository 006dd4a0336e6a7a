"""Run the examples that rules carry: text that must match (with its span, value
and verdict) and text that must not. `factcheck rules test` and pytest both use it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterator

from .api import Engine
from .facts import EMPTY
from .models import Article
from .rules import Rule


@dataclass(frozen=True)
class Failure:
    """One example that did not come out as its rule says."""

    rule: str
    example: str
    problem: str

    def __str__(self) -> str:
        return f"rule '{self.rule}': example {self.example!r}: {self.problem}"


def _run(engine: Engine, text: str, published: str | None) -> Any:
    date = dt.date.fromisoformat(published) if published else dt.date(2025, 5, 11)
    return engine.check(Article(id="<example>", text=text, published=date, file_offset=None))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def check_rule(rule: Rule, engine: Engine) -> Iterator[Failure]:
    """Yield the failures of one rule's examples (none when all pass).

    Examples run with the whole pack (so the overlap policy applies) and no
    reference facts, anchored on 2025-05-11 unless the example gives `published`.
    """
    engine = Engine(engine.pack, EMPTY, engine.config)
    for ex in rule.examples.get("match", []):
        text, span = ex["text"], ex.get("span", ex["text"])
        claims = [c for c in _run(engine, text, ex.get("published")).claims if c.rule == rule.id]
        hit = next((c for c in claims if c.text == span), None)
        if hit is None:
            found = ", ".join(repr(c.text) for c in claims) or "nothing"
            yield Failure(rule.id, text, f"expected a match on {span!r}, found {found}")
            continue
        if "value" in ex and not _same(hit.value, ex["value"]):
            yield Failure(rule.id, text, f"value {json.dumps(hit.value)} != expected {json.dumps(ex['value'])}")
        if "verdict" in ex and hit.verdict != ex["verdict"]:
            yield Failure(rule.id, text, f"verdict {hit.verdict} != expected {ex['verdict']} ({hit.reason})")
    for text in rule.examples.get("no_match", []):
        claims = [c for c in _run(engine, text, None).claims if c.rule == rule.id]
        if claims:
            yield Failure(rule.id, text, f"expected no match, found {claims[0].text!r}")
