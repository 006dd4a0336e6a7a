"""File names: which files are articles, and safe report stems derived from untrusted article ids.

Article ids come from untrusted input (a JSONL record's "id" may be "../../etc/x"),
so a report's file stem is derived, never used as given.
"""

from __future__ import annotations

import hashlib
import re

# The extensions of article files, which a folder walk picks (here, not in readers: a
# cached corpus run walks folders without importing the readers).
EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
MAX_STEM = 120
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,119}")  # no dot, no separator: a stem as it stands
# Extensions of the article files factcheck reads: "examples/a.md" gives the stem "a".
_ARTICLE_SUFFIX = re.compile(r"\.(?:md|markdown|txt|text|html?|json|jsonl)$", re.IGNORECASE)
# Names Windows reserves whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def _natural(article_id: str) -> str:
    """Return the last path component of an id, without an article file's extension."""
    base = re.split(r"[/\\]", article_id)[-1]
    return _ARTICLE_SUFFIX.sub("", base)


def report_filename(article_id: str) -> str:
    """Return a safe, stable file stem for an article's reports.

    A plain id ("putin-peace-talks", or the file "examples/putin-peace-talks.md")
    gives itself (a path gives its file name without the extension); anything else
    ("..", NUL, spaces, ":", non-ASCII, reserved device names, too long)
    is reduced to safe characters and suffixed with a hash of the whole id, so two
    ids that reduce alike still get different names.
    """
    if _PLAIN.fullmatch(article_id) and article_id.lower() not in _RESERVED:
        return article_id  # the common case, as the rules below give it: a corpus run names thousands
    natural = _natural(article_id)
    climbs = ".." in re.split(r"[/\\]", article_id)  # "../x" is not the plain file "x": mark it
    reserved = natural.lower().split(".")[0] in _RESERVED
    clean = not climbs and not reserved and _SAFE.fullmatch(natural) and len(natural) <= MAX_STEM \
        and not natural.endswith(".")
    if clean:
        return natural
    digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    reduced = _UNSAFE_RUN.sub("-", natural).strip(".-")[: MAX_STEM - 11].rstrip(".-")
    return f"{reduced}-{digest}" if reduced else f"article-{digest}"
