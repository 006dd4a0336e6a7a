"""The run record: what a fully cached re-run needs, in one file read at once.

A re-run over an unchanged corpus used to read every article and every cache
entry file (thousands of small files). The run record, one file per output folder
under the cache folder (`runs/<hash of the output folder>.run`), holds what the
last run there found:

* for each article file, its size, modification and change times (ns), inode and
  device, and the identity of the one article read from it (metadata and text
  hash: what its cache key is made of). A file whose stats all match is not read
  again. Setting the modification time back does not fool it: that sets the change
  time, which nobody can set. A file changed less than RACY_NS before its stats
  were taken is not recorded (an edit in the same clock tick of the file system
  would keep every time stamp), nor is a file that held several articles or could
  not be read: those are read every run;
* for each cache key of the run, its report files, counts, and its policy failures
  under the policy they were computed with; the entries' JSON is in a second file
  beside it (`.entries`, 15 MB for 2,225 BBC articles), read only when something
  needs the claims (an index to write), which a run over unchanged files does not.

Each file is checksummed (SHA-256) and written atomically, the entries first; the
record holds the entries file's checksum. A record that is missing, truncated,
edited or from another version is ignored (the run reads articles and cache entry
files as before); an entries file that does not match its record is not used (the
entry is read from the cache instead). Entries are stored under the same keys as
the cache, so a record can never give a stale entry; the stats only say which
files need reading.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .atomic import write_atomic

_MAGIC = b"factcheck-run 2 "  # bump the number when the layout changes: old records are ignored
RACY_NS = 2_000_000_000  # a file changed this recently when read is read again next run
KEEP_RECORDS = 8  # records of other output folders kept in the cache folder
_SUMMARY = ("counts", "suppressed", "reports", "error", "failures")  # what a run reads of a cached entry


class _Blob:
    """The entries file of a record, read and checked when first needed."""

    def __init__(self, path: Path, checksum: Any, fallback: Any) -> None:
        self.path, self.checksum, self.fallback = path, checksum, fallback
        self._raw: bytes | None = None

    def raw(self) -> bytes:
        """The file's bytes; b"" when missing or not the file the record was written with."""
        if self._raw is None:
            try:
                raw = self.path.read_bytes()
            except OSError:
                raw = b""
            if not isinstance(self.checksum, str) or hashlib.sha256(raw).hexdigest() != self.checksum:
                raw = b""
            self._raw = raw
        return self._raw


class Cached:
    """An entry from the run record: its summary at hand, its claims read on demand."""

    __slots__ = ("summary", "key", "blob", "start", "end")

    def __init__(self, summary: dict[str, Any], key: str, blob: _Blob, start: int, end: int) -> None:
        self.summary, self.key, self.blob, self.start, self.end = summary, key, blob, start, end

    @property
    def payload(self) -> bytes | None:
        """The entry's JSON, as the cache stores it: from the entries file, else the cache."""
        raw = self.blob.raw()
        if self.end <= len(raw):
            return raw[self.start:self.end]
        return self.blob.fallback(self.key)

    def get(self, name: str, default: Any = None) -> Any:
        """Return a summary field (counts, suppressed, reports, error, failures)."""
        return self.summary.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.summary[name]

    def load(self) -> dict[str, Any]:
        """Return the full index entry, its policy failures included."""
        try:
            entry = json.loads(self.payload or b"")
        except ValueError:
            entry = None
        if not isinstance(entry, dict):  # neither in a checked entries file nor in the cache
            from .errors import ConfigError

            raise ConfigError(f"the cached result of an article is gone or damaged; delete "
                              f"{self.blob.path.parent} and run again")
        entry["failures"] = list(self.summary["failures"])
        return entry


class Known:
    """An article file whose stats match the record: its identity, without reading it, and the
    report stem and cache key it had (under the record's context)."""

    __slots__ = ("file", "identity", "stem", "key")

    def __init__(self, file: str, identity: list[Any], stem: str | None, key: str | None) -> None:
        self.file, self.identity, self.stem, self.key = file, identity, stem, key

    @property
    def id(self) -> str:
        """The article's id (what Stems names reports by)."""
        return self.identity[0]

    @property
    def path(self) -> str | None:
        """The article's path, as its reader set it."""
        return self.identity[6]


def stat_key(st: os.stat_result) -> list[int]:
    """Return the stats that change whenever a file's content can have changed."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def old_enough(st: os.stat_result, taken: int) -> bool:
    """Tell whether a file's stats, taken after time `taken` (ns), may be recorded: the file had
    not changed for RACY_NS then, so an edit after the stats gets times of its own."""
    return taken - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS


class RunRecord:
    """The record of an output folder's last run, and the one this run writes."""

    def __init__(self, cache: Path, out: Path, scope: str, context: str,
                 fallback: Any = lambda key: None) -> None:
        """Read the record of `out`. `scope` (code digest, reading options) must match for its
        file stats to be used, and `context` (the cache keys' context) for its keys.
        `fallback(key)` returns an entry's JSON from the cache, when the entries file fails."""
        self.path = Path(cache) / "runs" / f"{hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:32]}.run"
        self.scope, self.context = scope, context
        doc = _read(self.path)
        self.blob = _Blob(self.path.with_suffix(".entries"), doc.get("blob"), fallback)
        files = doc.get("files") if doc.get("scope") == scope else None
        self.files: dict[str, list[Any]] = files if isinstance(files, dict) else {}
        self.same_context = doc.get("context") == context
        entries = doc.get("entries")
        self.entries: dict[str, list[Any]] = entries if isinstance(entries, dict) else {}
        self.policy = doc.get("policy")
        self.seen: dict[str, list[Any]] = {}  # this run's file records
        self.checked: dict[str, Cached | None] = {}  # entries looked up (and their types checked)

    def known(self, path: str, st: os.stat_result) -> Known | None:
        """Return the identity of the article in `path` when the file is unchanged since recorded."""
        rec = self.files.get(path)
        if not (isinstance(rec, list) and len(rec) == 4 and rec[0] == stat_key(st) and _identity(rec[1])):
            return None
        self.seen[path] = [rec[0], rec[1], None, None]
        if self.same_context and isinstance(rec[2], str) and isinstance(rec[3], str):
            return Known(path, rec[1], rec[2], rec[3])
        return Known(path, rec[1], None, None)

    def note(self, path: str, st: os.stat_result, taken: int, identity: list[Any]) -> None:
        """Record the identity of the one article read from `path` (stats taken before reading,
        after time `taken`)."""
        if old_enough(st, taken):
            self.seen[path] = [stat_key(st), identity, None, None]

    def keyed(self, path: str, stem: str, key: str) -> None:
        """Record the report stem and cache key the article of a recorded file had in this run."""
        rec = self.seen.get(path)
        if rec is not None:
            rec[2:] = [stem, key]

    def entry(self, key: str) -> Cached | None:
        """Return the entry stored under key, or None. Its failures hold under the policy
        `self.policy` only: a caller with another policy loads the entry and computes them."""
        if key not in self.checked:
            self.checked[key] = self._entry(key)
        return self.checked[key]

    def _entry(self, key: str) -> Cached | None:
        rec = self.entries.get(key)
        if not (isinstance(rec, list) and len(rec) == 3):
            return None
        start, length, summary = rec
        if not (isinstance(start, int) and isinstance(length, int) and _summary(summary) and 0 <= start
                and 0 <= length):
            return None
        return Cached(summary, key, self.blob, start, start + length)

    def save(self, rows: list[tuple[str, Cached | dict[str, Any]]], policy: str | None, payload: Any) -> None:
        """Write this run's record, unless it is the one read: `rows` are (key, entry) of the
        cacheable entries; `payload(key)` returns the cache's JSON of an entry not in the record."""
        summaries = {key: entry.summary if isinstance(entry, Cached) else {k: entry.get(k) for k in _SUMMARY}
                     for key, entry in rows}
        if self._same(summaries, policy):
            with contextlib.suppress(OSError):
                os.utime(self.path)  # used now: pruning keeps the records of folders still checked
            return
        entries: dict[str, list[Any]] = {}
        parts, offset = [], 0
        for key, summary in summaries.items():
            old = self.entry(key)
            data = old.payload if old is not None else payload(key)
            if data is not None:  # else not in the cache after all (a full disk): left out
                entries[key] = [offset, len(data), summary]
                parts.append(data)
                offset += len(data)
        self._write(policy, entries, b"".join(parts))

    def _same(self, summaries: dict[str, dict[str, Any]], policy: str | None) -> bool:
        """Tell whether this run's record would be the one read."""
        if not (policy == self.policy and self.same_context and len(summaries) == len(self.entries)
                and self.seen == self.files):
            return False
        for key, summary in summaries.items():
            old = self.entry(key)
            if old is None or summary != old.summary:
                return False
        return True

    def _write(self, policy: str | None, entries: dict[str, list[Any]], blob: bytes) -> None:
        # The entries file first: a record is never read beside entries older than it
        # (and one read beside newer entries finds their checksum wrong and uses the cache).
        head = json.dumps({"scope": self.scope, "context": self.context, "policy": policy, "files": self.seen,
                           "entries": entries, "blob": hashlib.sha256(blob).hexdigest()},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        with contextlib.suppress(OSError):  # a full disk loses the record, not the run
            write_atomic(self.blob.path, blob)
            write_atomic(self.path, _MAGIC + hashlib.sha256(head).hexdigest().encode() + b"\n" + head)
            _prune(self.path.parent, KEEP_RECORDS)


def _identity(value: Any) -> bool:
    """Tell whether a recorded identity has the shape article_identity gives (id and path strings)."""
    return isinstance(value, list) and len(value) == 10 and isinstance(value[0], str) and \
        isinstance(value[6], (str, type(None))) and isinstance(value[9], str)


def _summary(value: Any) -> bool:
    """Tell whether a recorded entry summary has the types a run adds up and prints."""
    if type(value) is not dict or len(value) != len(_SUMMARY) or value.get("error", 0) is not None:
        return False
    counts, reports, failures = value.get("counts"), value.get("reports"), value.get("failures")
    return type(counts) is dict and type(reports) is list and type(failures) is list and \
        type(value.get("suppressed")) is int and all(type(n) is int for n in counts.values()) and \
        all(type(x) is str for x in reports) and all(type(x) is str for x in failures)


def _read(path: Path) -> dict[str, Any]:
    """Return the record's content; {} when absent or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    body = raw.find(b"\n") + 1
    checksum = raw[len(_MAGIC):body - 1]
    if not raw.startswith(_MAGIC) or body <= 0 or hashlib.sha256(memoryview(raw)[body:]).hexdigest().encode() != checksum:
        return {}
    try:
        doc = json.loads(raw[body:])
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _prune(folder: Path, keep: int) -> None:
    """Remove the least recently used records past `keep`, with their entries files, and
    entries files whose record is gone."""
    try:
        found = list(os.scandir(folder))
        records = sorted((e for e in found if e.name.endswith(".run")), key=lambda e: e.stat().st_mtime_ns,
                         reverse=True)
    except OSError:
        return
    kept = {e.name[: -len(".run")] for e in records[:keep]}
    for entry in found:
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and suffix in ("run", "entries") and stem not in kept:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
