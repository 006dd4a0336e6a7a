"""Report file names: kept in `factcheck.names`, which a cached corpus run imports without
the report package; re-exported here where the report code looks for them."""

from __future__ import annotations

from ..names import MAX_STEM, report_filename

__all__ = ["MAX_STEM", "report_filename"]
