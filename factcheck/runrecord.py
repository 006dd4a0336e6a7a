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

When every input of a run was such a recorded file and every article was cached, the
record also holds a digest of the inputs' paths, labels and stats in order (`replay`):
a re-run whose inputs give the same digest, under the same code, context and policy,
takes the previous run's entries wholesale (`RunRecord.replay`), without looking at
each file's record; its file records are not even parsed. The record's three parts
(header, entries, files) are JSON lines, parsed when needed.

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
import struct
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .atomic import write_atomic

_MAGIC = b"factcheck-run 3 "  # bump the number when the layout changes: old records are ignored
RACY_NS = 2_000_000_000  # a file changed this recently when read is read again next run
KEEP_RECORDS = 8  # records of other output folders kept in the cache folder
# What a run reads of a cached entry: to add up, to print a failing article's name.
_SUMMARY = ("counts", "suppressed", "reports", "error", "failures", "id", "path")
_SHOWN = ("title", "published")  # what the index's HTML shows besides the summary
SPOOLED = (*_SUMMARY, *_SHOWN)  # what a run keeps in memory of an entry it spools


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

    def read(self, start: int, end: int) -> bytes | None:
        """Bytes start:end of the file; None when it is shorter (missing, or not the record's)."""
        raw = self.raw()
        return raw[start:end] if end <= len(raw) else None


class Spool:
    """The JSON of the entries a run checks, and their index lines, kept in a temporary file
    rather than in memory: a row keeps where its bytes are (see Cached). Over the 2,225 BBC
    articles the main process held 35 KB an article, growing with the corpus.

    The file has no name (or loses it at once where the system allows) and goes when
    closed, so a run that stops leaves nothing; `fallback(key)` reads an entry from the
    cache should the spool fail.
    """

    def __init__(self, folder: Path, fallback: Callable[[str], bytes | None]) -> None:
        self.folder = folder
        self._file: Any = None
        self.path = folder / "spool"  # where it is, for messages
        self.fallback = fallback
        self.size = 0

    def keep(self, entry: dict[str, Any], key: str, stored: bytes,
             line: str | None) -> tuple[Cached, tuple[int, int] | None] | None:
        """Keep an entry's JSON (as cached) and its index line, if made, here; return the row
        that stands for the entry (its summary, failures set, and what the index shows of it)
        and where the line is. None when the spool cannot be written: the entry then stays
        in memory."""
        try:
            start, end = self.add(stored)
            where = self.add(line.encode("utf-8")) if line is not None else None
        except OSError:
            return None
        return Cached({k: entry.get(k) for k in _SUMMARY}, key, self, start, end,
                      {k: entry.get(k) for k in _SHOWN}), where

    def add(self, data: bytes) -> tuple[int, int]:
        """Append data; return where it is (start, end). Unbuffered: a full disk is an OSError
        here, for the entry being added, not later for the entries a buffer held."""
        start, view = self.size, memoryview(data)
        while view:
            written = self.file.write(view)
            if not written:
                raise OSError("spool: nothing written")
            view = view[written:]
            self.size += written
        return start, self.size

    @property
    def file(self) -> Any:
        """The temporary file, made when first written to (a run that checks nothing makes none)."""
        if self._file is None:
            import tempfile

            self.folder.mkdir(parents=True, exist_ok=True)
            self._file = tempfile.TemporaryFile(dir=self.folder, buffering=0)
        return self._file

    def read(self, start: int, end: int) -> bytes | None:
        """Bytes start:end; None if they cannot be read back."""
        if self._file is None:
            return None
        try:
            if hasattr(os, "pread"):
                data = os.pread(self.file.fileno(), end - start, start)
            else:  # Windows: seek and read, then back to the end for the next add
                self.file.seek(start)
                data = self.file.read(end - start)
                self.file.seek(0, os.SEEK_END)
        except (OSError, ValueError):
            return None
        return data if len(data) == end - start else None


class Cached:
    """An entry kept out of memory: its summary at hand, its claims read on demand; from the
    run record's entries file, or from this run's spool (with `extra`: title and published,
    which the index's rows show)."""

    __slots__ = ("summary", "key", "blob", "start", "end", "extra")

    def __init__(self, summary: dict[str, Any], key: str, blob: _Blob | Spool, start: int, end: int,
                 extra: dict[str, Any] | None = None) -> None:
        self.summary, self.key, self.blob, self.start, self.end = summary, key, blob, start, end
        self.extra = extra

    @property
    def payload(self) -> bytes | None:
        """The entry's JSON, as the cache stores it: from the entries file (or spool), else the cache."""
        data = self.blob.read(self.start, self.end)
        return data if data is not None else self.blob.fallback(self.key)

    def get(self, name: str, default: Any = None) -> Any:
        """Return a summary field (counts, suppressed, reports, error, failures, id, path; title and
        published with `extra`)."""
        if name in self.summary:
            return self.summary[name]
        return self.extra.get(name, default) if self.extra else default

    def __getitem__(self, name: str) -> Any:
        if name in self.summary or not self.extra:
            return self.summary[name]
        return self.extra[name]

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
        head, entries, self._files = _read(self.path)
        self.blob = _Blob(self.path.with_suffix(".entries"), head.get("blob"), fallback)
        self.same_scope = head.get("scope") == scope
        self.same_context = head.get("context") == context
        self.entries = _entries(entries)  # key -> [offset, length, summary], in the run's order
        self.policy = head.get("policy")
        self.mark = head.get("replay")  # [digest of the inputs, number of entries], or None
        self.seen: dict[str, list[Any]] = {}  # this run's file records
        self.checked: dict[str, Cached | None] = {}  # entries looked up (and their types checked)
        self.replayed = False  # this run took the record's entries wholesale: its file records stand

    @property
    def files(self) -> dict[str, list[Any]]:
        """The recorded files (path -> [stats, identity, stem, key]); {} under another scope."""
        if not isinstance(self._files, dict):
            files = _load(self._files) if self.same_scope and isinstance(self._files, bytes) else None
            self._files = files if isinstance(files, dict) else {}
        return self._files

    def replay(self, inputs: list[Any] | None, fresh: Callable[[str, list[str]], bool]) -> list[Cached] | None:
        """Return the previous run's entries, in order, when this run's `inputs` (see input_stats)
        are the ones it recorded and `fresh(key, reports)` holds for each; else None.

        The caller checks the policy (the entries' failures hold under `self.policy`). Equal
        inputs mean every file would be known (same stats) and named as before (same paths,
        labels and so stems), under the same scope and context: so with the same keys.
        """
        mark = self.mark
        if inputs is None or not (self.same_scope and self.same_context and isinstance(mark, list)
                                  and len(mark) == 2 and mark[1] == len(self.entries)):
            return None
        if mark[0] is None or _fingerprint(inputs) != mark[0]:
            return None
        # In the order of the run that wrote them. One loop, no memo (see entry): a replay looks
        # at each entry once, and its per-entry calls were a third of a cached re-run's work.
        make, rows = self._entry, []
        for key in self.entries:
            row = make(key)
            if row is None or not fresh(key, row.summary["reports"]):
                return None
            rows.append(row)
        self.replayed = True
        return rows

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

    def save(self, rows: list[tuple[str, Cached | dict[str, Any]]], policy: str | None, payload: Any,
             inputs: list[tuple[Any, str | None]] = ()) -> None:
        """Write this run's record, unless it is the one read: `rows` are (key, entry) of the
        cacheable entries; `payload(key)` returns the cache's JSON of an entry not in the record;
        `inputs` are the run's (file, label) in order, for the replay mark."""
        if self.replayed and policy == self.policy:  # this run took the record as it is: nothing to write
            self._touch()
            return
        summaries = {key: entry.summary if isinstance(entry, Cached) else {k: entry.get(k) for k in _SUMMARY}
                     for key, entry in rows}
        mark = self.mark if self.replayed else self._mark(inputs, [key for key, _ in rows])
        if mark == self.mark and self._same(summaries, policy):
            self._touch()
            return
        kept = {key: entry for key, entry in rows if isinstance(entry, Cached)}  # their bytes are at hand
        entries: dict[str, list[Any]] = {}
        checksum = hashlib.sha256()

        def parts() -> Iterator[bytes]:  # written as read: the entries are not all held in memory
            offset = 0
            for key, summary in summaries.items():
                row = kept.get(key) or self.entry(key)
                data = row.payload if row is not None else payload(key)
                if data is not None:  # else not in the cache after all (a full disk): left out
                    entries[key] = [offset, len(data), summary]
                    checksum.update(data)
                    offset += len(data)
                    yield data

        self._write(policy, entries, parts(), checksum, mark)

    def _mark(self, inputs: list[tuple[Any, str | None]], keys: list[str]) -> list[Any] | None:
        """Return the replay mark of this run: when every input is a recorded file whose article
        is one of `keys`, in order, each key once (so the entries' order is the run's)."""
        recs = [self.seen.get(str(item)) for item, _label in inputs]
        if not keys or len(set(keys)) != len(keys) or [rec and rec[3] for rec in recs] != keys:
            return None
        return [_fingerprint([[str(item), label, rec[0]] for (item, label), rec in zip(inputs, recs)]), len(keys)]

    def _touch(self) -> None:
        with contextlib.suppress(OSError):
            os.utime(self.path)  # used now: pruning keeps the records of folders still checked

    def _same(self, summaries: dict[str, dict[str, Any]], policy: str | None) -> bool:
        """Tell whether this run's record would be the one read."""
        if not (policy == self.policy and self.same_context and len(summaries) == len(self.entries)
                and (self.replayed or self.seen == self.files)):
            return False
        for key, summary in summaries.items():
            old = self.entry(key)
            if old is None or summary != old.summary:
                return False
        return True

    def _write(self, policy: str | None, entries: dict[str, list[Any]], blob: Iterable[bytes], checksum: Any,
               mark: list[Any] | None) -> None:
        """Write the entries file from `blob`'s chunks (which fill `entries` and `checksum` as
        they are read), then the record."""
        # The entries file first: a record is never read beside entries older than it
        # (and one read beside newer entries finds their checksum wrong and uses the cache).
        with contextlib.suppress(OSError):  # a full disk loses the record, not the run
            write_atomic(self.blob.path, blob)
            head = {"scope": self.scope, "context": self.context, "policy": policy, "replay": mark,
                    "blob": checksum.hexdigest()}
            # One JSON document a line (JSON text never holds a raw newline): header, entries, files.
            # The entries are a list: replay reads their order, the run's.
            body = b"\n".join(_dump(part) for part in (head, [[key, *rec] for key, rec in entries.items()],
                                                        self.files if self.replayed else self.seen))
            write_atomic(self.path, _MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            _prune(self.path.parent, KEEP_RECORDS)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _entries(value: Any) -> dict[str, list[Any]]:
    """Return the record's entries ([key, offset, length, summary] each) by key, in order; {} when
    not such a list (each entry's own fields are checked when it is looked up)."""
    if not (isinstance(value, list) and all(isinstance(rec, list) and len(rec) == 4 and isinstance(rec[0], str)
                                            for rec in value)):
        return {}
    return {rec[0]: rec[1:] for rec in value}


def _load(raw: bytes) -> Any:
    """Parse one part of a record; None when it is not JSON."""
    try:
        return json.loads(raw)
    except ValueError:
        return None


_STATS = struct.Struct("<qqqQQ")  # stat_key's fields as bytes: 19-digit numbers are slow to write out


def _fingerprint(inputs: list[Any]) -> str | None:
    """Digest a run's inputs: (path, label, stat_key) of each file, in order; None when a stat
    does not fit 64 bits (no such file system known, but then no replay)."""
    h = hashlib.sha256("\0".join(f"{path}\0{label!r}" for path, label, _ in inputs)  # no path holds a NUL
                       .encode("utf-8", "surrogateescape"))
    try:
        h.update(b"".join(_STATS.pack(*stats) for _, _, stats in inputs))
    except (struct.error, TypeError):
        return None
    return h.hexdigest()


def _identity(value: Any) -> bool:
    """Tell whether a recorded identity has the shape article_identity gives (id and path strings)."""
    return isinstance(value, list) and len(value) == 10 and isinstance(value[0], str) and \
        isinstance(value[6], (str, type(None))) and isinstance(value[9], str)


def _summary(value: Any) -> bool:
    """Tell whether a recorded entry summary has the types a run adds up and prints."""
    # Types gathered with map() and compared as sets: a generator per list was half the time
    # of a replay's checks.
    if type(value) is not dict or value.keys() != _SUMMARY_KEYS or value["error"] is not None:
        return False
    counts, reports, failures = value["counts"], value["reports"], value["failures"]
    return type(counts) is dict and type(reports) is list and type(failures) is list and \
        type(value["id"]) is str and type(value["path"]) in _STR_OR_NONE and type(value["suppressed"]) is int and \
        {*map(type, counts.values())} <= _INT and {*map(type, reports), *map(type, failures)} <= _STR


_SUMMARY_KEYS, _INT, _STR, _STR_OR_NONE = frozenset(_SUMMARY), {int}, {str}, {str, type(None)}


def _read(path: Path) -> tuple[dict[str, Any], Any, bytes | None]:
    """Return the record's header and entries, parsed, and its files part unparsed (see
    RunRecord.files); ({}, None, None) when absent or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, None, None
    body = raw.find(b"\n") + 1
    checksum = raw[len(_MAGIC):body - 1]
    if not raw.startswith(_MAGIC) or body <= 0 or hashlib.sha256(memoryview(raw)[body:]).hexdigest().encode() != checksum:
        return {}, None, None
    parts = raw[body:].split(b"\n")
    head = _load(parts[0]) if len(parts) == 3 else None
    if not isinstance(head, dict):
        return {}, None, None
    return head, _load(parts[1]), parts[2]


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
