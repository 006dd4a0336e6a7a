"""What a corpus run writes besides the per-article reports.

`index` (index.json, index.html), `junit` (JUnit XML), `sarif` (SARIF 2.1.0) and
`github` (workflow annotations). Each reads a finished `CorpusRun` only.
"""

from __future__ import annotations

__all__ = ["index", "junit", "sarif", "github"]
