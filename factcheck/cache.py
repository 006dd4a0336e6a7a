"""The result cache and the report manifest: a re-run over an unchanged corpus does nothing.

A cache entry is one article's index entry (claims, counts, report file names),
stored under a key that hashes everything the entry depends on: the article's
content and metadata, the rule and fact packs' content hashes, the suppressions in
the config, the report options and formats, the templates' content, and the
factcheck version. Changing any of them changes the key, so nothing is ever stale.

Each entry file holds a checksum line and the JSON payload; a file whose checksum
does not match (truncated, edited, disk error) is ignored and recomputed. Writes go
to a temporary file first and are moved into place with os.replace, so a run killed
half-way never leaves a half-written entry.

Entries read are touched, and after a run that wrote entries the least recently used
ones past KEEP_ENTRIES (or four times the run's articles, if more) are removed.

The manifest (`.factcheck-manifest.json` in the output folder) records which key
each report file was rendered from, so reports already in place are left untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .sources import code_digest, sources_digest, tree_digest  # noqa: F401 - where callers found them

MANIFEST = ".factcheck-manifest.json"
_FORMAT = 1  # bump when the entry's shape changes: old entries then never match


def digest(*parts: Any) -> str:
    """Hash JSON-shaped parts into a hex key."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def article_identity(article: Any) -> list[Any]:
    """Return what an article's cache key is made of, as JSON data: its metadata and a hash of its text."""
    # The text is hashed as bytes, not through JSON: half the cost of a fully cached run.
    text = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    published = article.published.isoformat() if article.published else None  # as `digest` writes a date
    return [article.id, article.title, published, article.url, article.source, article.language,
            article.path, article.file_offset, list(article.warnings), text]


def identity_key(identity: list[Any], context: str) -> str:
    """Return the cache key of an article's identity (see article_identity) under a run's context."""
    return digest(_FORMAT, context, identity[:-1], identity[-1])


def article_key(article: Any, context: str) -> str:
    """Return the cache key of one article under a run's context digest."""
    return identity_key(article_identity(article), context)


# The key under which an executor hands a fresh entry's cached JSON to the run, which takes it
# out (corpus._finish) for the run record: reading 2,225 entries back at the end took 0.2 s.
STORED = "_stored"
KEEP_ENTRIES = 20_000  # a corpus run keeps at least this many entries (about 140 MB)


class Cache:
    """Index entries on disk, one file per key, checksummed."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = self.misses = self.corrupt = 0

    def entry_path(self, key: str) -> Path:
        """Return the file that holds the entry stored under key."""
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, with_json: bool = False) -> dict[str, Any] | None:
        """Return the entry stored under key, or None when absent or corrupt; `with_json`: with
        its stored JSON under STORED (what a run spools and records, not read twice)."""
        payload = self.payload(key)
        if payload is None:
            return None
        try:
            entry = json.loads(payload)
        except ValueError:  # includes JSONDecodeError and bad UTF-8
            self.corrupt += 1
            self.misses += 1
            return None
        self.hits += 1
        with contextlib.suppress(OSError):  # used now: pruning keeps what runs still use
            os.utime(self.entry_path(key))
        if with_json and isinstance(entry, dict):
            entry[STORED] = payload
        return entry

    def payload(self, key: str) -> bytes | None:
        """Return the stored JSON of key's entry, its checksum verified; None when absent or corrupt."""
        try:
            raw = self.entry_path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        checksum, _, payload = raw.partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode() != checksum:
            self.corrupt += 1
            self.misses += 1
            return None
        return payload

    def prune(self, keep: int) -> int:
        """Remove the least recently used entries past `keep` (down to three quarters of it);
        return how many were removed. Entries of rules and articles since changed are
        never read again, so without this the folder would only grow."""
        try:
            entries = [e for sub in os.scandir(self.folder) if sub.is_dir(follow_symlinks=False)
                       for e in os.scandir(sub.path) if e.name.endswith(".json")]
        except OSError:
            return 0
        if len(entries) <= keep:
            return 0
        entries.sort(key=lambda e: e.stat().st_mtime)
        removed = 0
        for entry in entries[: len(entries) - keep * 3 // 4]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
        return removed

    def keep(self, key: str | None, entry: dict[str, Any]) -> bytes | None:
        """Store a finished article's entry, unless it has no key or failed (an error is
        retried on the next run, not remembered); return what `payload` will read, if stored."""
        if key is not None and not entry["error"]:
            return self.put(key, entry)
        return None

    def put(self, key: str, entry: dict[str, Any]) -> bytes | None:
        """Store an entry under key (atomically) and return its JSON, as `payload` reads it back;
        None when it could not be written: a full disk only loses the cache, not the run."""
        payload = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            write_atomic(self.entry_path(key), hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        except OSError:
            return None
        return payload


class Manifest:
    """Which cache key each report file in an output folder was rendered from."""

    def __init__(self, out: Path) -> None:
        self.path = Path(out) / MANIFEST
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            self.files: dict[str, str] = {str(k): str(v) for k, v in doc.get("files", {}).items()}
            self.index: list[Any] = list(doc.get("index") or [])
        except (OSError, ValueError, AttributeError, TypeError):
            self.files, self.index = {}, []
        self.dirty = False
        self.present: set[str] | None = None  # the output folder's files, listed when first asked

    def fresh(self, key: str, reports: list[str]) -> bool:
        """Tell whether every report file exists and was rendered under this key."""
        for name in reports:  # (a loop, not all() of a generator: a replay asks for every article)
            if self.files.get(name) != key or not self._exists(name):
                return False
        return True

    def _exists(self, name: str) -> bool:
        """Tell whether a report file is in the output folder: one listing, not a stat per file."""
        if self.present is None:
            try:
                self.present = {e.name for e in os.scandir(self.path.parent) if e.is_file()}
            except OSError:
                self.present = set()
        return name in self.present if os.sep not in name else os.path.isfile(self.path.parent / name)

    def record(self, key: str, reports: list[str]) -> None:
        """Remember that these report files were rendered under key."""
        for name in reports:
            if self.files.get(name) != key:
                self.files[name] = key
                self.dirty = True

    def index_current(self, state: str, names: tuple[str, ...]) -> bool:
        """Tell whether the index files were written from this state and are unchanged since."""
        return bool(self.index) and self.index == [state, self._stats(names)]

    def record_index(self, state: str, names: tuple[str, ...]) -> None:
        """Remember the state the index files were just written from, and their size and time."""
        self.index = [state, self._stats(names)]
        self.dirty = True

    def _stats(self, names: tuple[str, ...]) -> list[list[int]]:
        out = []
        for name in names:
            try:
                st = (self.path.parent / name).stat()
                out.append([st.st_size, st.st_mtime_ns])
            except OSError:
                out.append([])
        return out

    def save(self) -> None:
        """Write the manifest atomically, if anything changed."""
        if not self.dirty:
            return
        doc = {"format": _FORMAT, "index": self.index, "files": dict(sorted(self.files.items()))}
        write_atomic(self.path, json.dumps(doc, indent=0).encode("utf-8"))
