"""The verdicts, in precedence order: their own module, so that a cached run, which adds
up counts but reads no article, need not import the pipeline's data classes."""

from __future__ import annotations

# When several apply, the first wins (CLAIMS.md).
VERDICTS: tuple[str, ...] = ("contradicted", "vague", "verified", "unsupported")


def verdict_rank(verdict: str) -> int:
    """Return the precedence of a verdict (0 wins over 1, and so on)."""
    return VERDICTS.index(verdict)
