"""Scorers for `factcheck eval`: TimeML, gold JSONL, labelled sentences."""

from __future__ import annotations


def prf(hits_system: int, hits_gold: int, system: int, gold: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (0 where undefined).

    `hits_system` counts the system's items that hit, `hits_gold` the gold items that
    were found (they differ when matching is not one to one, as TimeML's relaxed spans).
    """
    p = hits_system / system if system else 0.0
    r = hits_gold / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
