"""Check a corpus: one article or thousands, in parallel, cached, with an index.

`check_corpus(inputs, out=..., formats=...)` reads files, folders, globs and JSONL
exports as a stream, checks each article in worker processes (or on a Dask
cluster), writes each article's reports as soon as it is done, and then writes
`index.json` and `index.html` and applies the pass/fail policy.

The unit of work, `run_task(article, spec, options)`, is a pure function of the
article, the rule and fact folders and the options: it loads the engine once per
process and returns the article's index entry, so a process pool, Dask or Spark can
all run it. Results come back in input order, whatever the scheduling.
"""

from __future__ import annotations

import json
import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from .atomic import write_atomic
from .cache import KEEP_ENTRIES, STORED, Cache, Manifest, article_identity, digest, identity_key
from .corpus_inputs import (Stems, count_articles, expand, expand_with_stats, input_stats, read_file, read_inputs,
                             scan)
from .corpus_task import LINE, EngineSpec, Options, _Done, _Serial, body_start, run_task, warm_up
from .errors import ConfigError
from .runrecord import Cached, Known, RunRecord, Spool
from .sources import code_digest, default_templates_dir, sources_digest, tree_digest
from .verdicts import VERDICTS

if TYPE_CHECKING:  # a cached run reads no article: the pipeline's data classes are not imported
    import datetime as dt  # (nor datetime: dates are parsed where articles are read)

    from .models import Article

__all__ = ["check_corpus", "CorpusRun", "EngineSpec", "Options", "run_task", "expand", "read_inputs"]

DEFAULT_CACHE = ".factcheck_cache"
FORMATS = ("html", "pdf", "json", "claimreview")


# ---------------------------------------------------------------------------
# The run


class CorpusRun:
    """What a run did: one index entry per article in input order, plus totals.

    A plain class, not a dataclass: see errors.Location (a cached re-run builds one).
    """

    def __init__(self, rules_version: str = "", facts_version: str = "",
                 rules: list[dict[str, str]] | None = None) -> None:
        # One index entry per article in input order; an entry from the run record stays a
        # Cached (counts and failures at hand) until `entries` is read: most runs never parse its claims.
        self.rows: list[dict[str, Any] | Cached] = []
        # Each row's line of index.json, made as the article was checked: the line, or where it
        # is in the spool; None: made when the index is written.
        self.lines: list[str | tuple[int, int] | None] = []
        self.spool: Spool | None = None  # where rows and lines kept out of memory are
        self.checked = 0  # analysed in this run (not from the cache)
        self.cached = 0
        self.rendered = 0  # articles whose reports were (re)written
        self.interrupted = False
        self.seconds = 0.0
        self.rules_version = rules_version
        self.facts_version = facts_version
        self.rules: list[dict[str, str]] = rules if rules is not None else []  # id, kind, description, message
        self.keys: list[str] = []  # each entry's cache key (a digest of it for errors)

    def __repr__(self) -> str:
        return (f"CorpusRun(checked={self.checked}, cached={self.cached}, rendered={self.rendered}, "
                f"interrupted={self.interrupted}, seconds={self.seconds:.3f}, rules_version={self.rules_version!r}, "
                f"facts_version={self.facts_version!r})")

    @property
    def entries(self) -> list[dict[str, Any]]:
        """One index entry per article, in input order."""
        for i in range(len(self.rows)):
            self._full(i)
        return self.rows  # type: ignore[return-value] - all dicts now

    def _full(self, i: int) -> dict[str, Any]:
        row = self.rows[i]
        if isinstance(row, Cached):
            row = self.rows[i] = row.load()
        return row

    def line_bytes(self, i: int) -> bytes:
        """Return row i's line of index.json, UTF-8 (made now if it was not as the article was checked)."""
        from .ci.index import index_line

        line = self.lines[i] if i < len(self.lines) else None  # (a run stopped between a row and its line)
        if isinstance(line, tuple) and self.spool is not None:
            data = self.spool.read(*line)
            if data is not None:
                return data
        elif isinstance(line, str):
            return line.encode("utf-8")
        row = self.rows[i]
        return index_line(row.load() if isinstance(row, Cached) else row).encode("utf-8")  # not kept: memory stays flat

    def each(self) -> Iterator[dict[str, Any]]:
        """Each entry whole, in input order: a row kept out of memory is read back when its turn
        comes and not kept (`entries` keeps them all), so writing a CI file of a big corpus
        does not hold every article's claims at once."""
        for row in self.rows:
            yield row.load() if isinstance(row, Cached) else row

    def index_rows(self) -> Iterator[dict[str, Any] | Cached]:
        """Each row with what the index's HTML shows of it at hand (id, title, published, counts,
        suppressed, reports, error, failures): a row kept out of memory is read only when it lacks them."""
        for row in self.rows:
            yield row.load() if isinstance(row, Cached) and row.extra is None else row

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The entries of articles that could not be checked."""
        return [self._full(i) for i, e in enumerate(self.rows) if e.get("error")]

    @property
    def failed(self) -> list[dict[str, Any]]:
        """The entries the policy fails (errors included)."""
        return [self._full(i) for i, e in enumerate(self.rows) if e.get("failures")]

    @property
    def failing(self) -> list[dict[str, Any] | Cached]:
        """The rows the policy fails, as they are: their id, path and failures at hand, their
        claims perhaps not read (printing their names reads no claims)."""
        return [e for e in self.rows if e.get("failures")]

    def totals(self) -> dict[str, int]:
        """Sum the verdict counts, suppressions, errors and policy failures."""
        totals = dict.fromkeys(VERDICTS, 0)
        totals["articles"] = len(self.rows)
        errors = failed = suppressed = 0
        for row in self.rows:
            # A replayed row's summary is read as a dict: four method calls a row were most of
            # a cached re-run's summing up.
            e = row.summary if type(row) is Cached else row
            for verdict, n in e["counts"].items():
                if verdict in VERDICTS:
                    totals[verdict] += n
            errors += bool(e.get("error"))
            failed += bool(e.get("failures"))
            suppressed += e.get("suppressed", 0)
        totals.update(errors=errors, failed=failed, suppressed=suppressed)
        return totals

    def marks(self) -> list[Any]:
        """Return what each entry's index line holds besides its cached part: its failures, and
        which claims are new against a baseline (None without one)."""
        return [(e.get("failures"), None if isinstance(e, Cached) else _news(e)) for e in self.rows]

    @property
    def exit_code(self) -> int:
        """0: every article passes the policy; 1: one fails it; 2: nothing could be checked, or a
        suppression has no reason (a mistake to fix, not a finding); 130: interrupted."""
        if self.interrupted:
            return 130
        errors = sum(bool(e.get("error")) for e in self.rows)
        if (self.rows and errors == len(self.rows)) or any(e.get("error_kind") == "SuppressionError" for e in self.rows):
            return 2
        return 1 if self.failing else 0


def _news(entry: dict[str, Any]) -> list[Any] | None:
    news = [c.get("new") for c in entry.get("claims", ())]
    return news if any(n is not None for n in news) else None


def run_context(sources: str, options: Options) -> str:
    """Digest everything besides the article that an entry depends on (the cache key's context)."""
    templates = (tree_digest(default_templates_dir()), tree_digest(Path(options.templates) if options.templates else None))
    return digest(sources, sorted(options.formats), options.paper, templates, options.checked_at, list(options.suppress))


def _pack_info(spec: EngineSpec, sources: str, store: Cache | None) -> dict[str, Any]:
    """Return the pack's versions and rules; from the cache when its sources were loaded before.

    Compiling a pack takes a second; a fully cached run should not pay it.
    """
    info = store.get("pack-" + sources) if store else None
    if info is None:
        engine = spec.load()
        info = {"rules_version": engine.pack.version, "facts_version": engine.facts.version,
                "rules": [{"id": r.id, "kind": r.kind, "description": r.description, "message": r.message}
                          for r in engine.pack.rules]}
        if store:
            store.put("pack-" + sources, info)
    return info


def check_corpus(inputs: Iterable[str], *, out: str | Path = "reports", formats: Iterable[str] = ("html", "json"),
                 jobs: int | None = None, published: dt.date | None = None, rules: Iterable[str] = (),
                 facts: Iterable[str] = (), config: str | None = None, default_rules: bool | None = None,
                 default_facts: bool | None = None, paper: str = "A4", templates: str | None = None,
                 checked_at: str | None = None, cache: bool = True, cache_dir: str | Path | None = None,
                 fail_on: str | Iterable[str] = ("contradicted",), baseline: str | Path | None = None,
                 scheduler: str | None = None, progress: bool | None = None, recycle: int | None = None,
                 on_entry: Callable[[dict[str, Any]], None] | None = None) -> CorpusRun:
    """Check every article of the inputs, write their reports and the index into `out`; return the run.

    `jobs` worker processes (default: all cores; 1 runs in this process), or a Dask
    cluster at `scheduler` ("tcp://host:8786"). Articles already reported under the
    same key (cache and manifest) are neither analysed nor rendered again. A worker
    is replaced when its memory has grown by 128 MB (a leaking library), or after
    `recycle` articles when given, so memory stays flat on long runs.
    """
    from . import suppress as suppress_mod
    from .baseline import load_baseline, mark_new
    from .ci.index import index_line, prepare_html
    from .policy import Policy, parse_fail_on
    from .progress import Progress

    spec = EngineSpec(tuple(map(str, rules)), tuple(map(str, facts)), config, default_rules, default_facts)
    cfg = spec.config_obj()
    options = Options(_formats(formats), paper, str(templates) if templates else None, checked_at,
                      tuple(suppress_mod.config_suppressions(cfg.suppress, cfg.path or "config")),
                      ship_reports=scheduler is not None)
    policy = Policy.build(parse_fail_on(fail_on), cfg.thresholds, cfg.path or "config")
    known = load_baseline(Path(baseline)) if baseline else None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cache_root = Path(cache_dir) if cache_dir else Path(DEFAULT_CACHE)
    store = Cache(cache_root) if cache else None
    code = code_digest()
    sources = sources_digest(*spec.folders(cfg), cfg, code=code)
    spec = spec._replace(sources=sources)
    info = _pack_info(spec, sources, store)  # a bad rule pack stops the run here, before any worker starts
    files, stats = expand_with_stats(inputs, skip=[out, cache_root])
    # The readers' code and the date option decide what a file reads as: the record's stats hold under them.
    context = run_context(sources, options)
    record = RunRecord(cache_root, out, digest(code, published), context, store.payload) if store else None
    # Failures kept in the record are reused under the same policy; a baseline marks claims, so not then.
    policy_id = digest(repr(policy)) if known is None else None
    lazy = policy_id is not None and on_entry is None and record is not None and record.policy == policy_id
    # Workers judge their entries under the policy, make their index lines and send only what
    # the run keeps of them in memory, unless a baseline is to mark the new claims first (here,
    # where it was read) or the caller wants each entry whole (on_entry).
    compact = known is None and on_entry is None
    job = _Job(_Lazy(jobs, spec, options, store, recycle, scheduler, policy if compact else None), spec,
               options, out, context, store, Manifest(out), record, published, Stems())
    run = CorpusRun(rules_version=info["rules_version"], facts_version=info["facts_version"], rules=info["rules"])
    bar = Progress(count_articles(files), enabled=progress)
    executor, manifest = job.executor, job.manifest
    aborted = False
    fresh: dict[str, bytes] = {}  # the cache's JSON of the entries kept in memory (not spooled), for the record
    # Entries checked now are kept out of memory (a spool in the cache folder), but not when
    # a baseline or the caller needs them whole.
    if compact and store is not None:
        run.spool = Spool(cache_root / "runs", store.payload)
    try:
        replayed = lazy and _replay(run, record, input_stats(files, stats), manifest)
        if replayed:
            bar.advance(len(run.rows))
        for key, cached, entry in () if replayed else _ordered(scan(files, published, record, stats), job):
            if isinstance(entry, Cached) and not lazy:
                entry = entry.load()
            line = entry.pop(LINE, None) if isinstance(entry, dict) else None  # judged by its worker
            stored = _finish(entry, key, cached, run, None if executor.stores else store, manifest, out)
            if isinstance(entry, dict):
                if line is None:
                    if known is not None:
                        mark_new(entry, known)
                    entry["failures"] = policy.failures(entry)
                    if not cached:  # while the workers go on: the index of a run that checked articles is new
                        line = index_line(entry)
                if on_entry:
                    on_entry(entry)
            if stored is not None and key is not None:  # checked now, or read from the cache
                kept = run.spool.keep(entry, key, stored, line) if run.spool is not None else None
                if kept is not None:
                    run.rows[-1], where = kept
                    line = where or line
                else:  # kept in memory: whole (a worker sent only what a spool keeps)
                    fresh[key] = stored
                    if "claims" not in entry:
                        run.rows[-1] = {**json.loads(stored), "failures": entry["failures"]}
            run.lines.append(line)
            if run.checked == 1 and not cached:
                prepare_html(Path(templates) if templates else None)
            bar.advance()
    except KeyboardInterrupt:
        aborted = run.interrupted = True
    except BaseException:
        aborted = True  # stop the workers now rather than let them finish a window for nothing
        raise
    finally:
        bar.close()
        executor.close(abort=aborted)
        manifest.save()
    run.seconds = bar.elapsed
    _write_index(run, out, manifest, context, templates)
    if record is not None:
        record.save([(k, e) for k, e in zip(run.keys, run.rows) if not e.get("error")], policy_id,
                    lambda key: fresh.pop(key, None) or store.payload(key), files)
    if store is not None and run.checked:
        store.prune(max(KEEP_ENTRIES, 4 * len(run.rows)))
    return run


def _replay(run: CorpusRun, record: RunRecord, inputs: list[Any] | None, manifest: Manifest) -> bool:
    """Take the previous run's entries wholesale when the inputs are unchanged and their reports
    in place (see RunRecord.replay): what scanning every file would give, without the per-file work."""
    rows = record.replay(inputs, manifest.fresh)
    if rows is None:
        return False
    run.rows, run.keys, run.lines = list(rows), [row.key for row in rows], [None] * len(rows)
    run.cached = len(rows)
    return True


def _write_index(run: CorpusRun, out: Path, manifest: Manifest, context: str, templates: str | None) -> None:
    """Write index.json and index.html, unless the files in place were written from the same state."""
    from .ci.index import NAMES, index_state, write_index

    state = index_state(run, run.keys, context)
    if not manifest.index_current(state, NAMES):
        write_index(run, out, Path(templates) if templates else None)
        manifest.record_index(state, NAMES)
        manifest.save()


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise ConfigError(f"--format: unknown format '{bad[0]}'; allowed: {', '.join(FORMATS)}")
    return fmts


def cores() -> int:
    """Return the cores this process may run on (a container's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Lazy:
    """Start the workers on the first article that needs them: a fully cached run starts none.

    The engine is loaded and warmed up here first, so forked workers inherit it
    instead of each compiling the pack again. Local executors write each entry to
    the cache themselves (`stores`); with Dask, whose workers may not share our
    disk, this process does.
    """

    def __init__(self, jobs: int | None, spec: EngineSpec, options: Options, store: Cache | None,
                 recycle: int | None, scheduler: str | None, policy: Any = None) -> None:
        self.jobs, self.spec, self.options, self.store = jobs or cores(), spec, options, store
        self.recycle, self.scheduler, self.policy = recycle, scheduler, policy
        self.executor: Any = None

    @property
    def stores(self) -> bool:
        """Tell whether the executor writes cache entries itself."""
        return self.scheduler is None

    @property
    def window(self) -> int:
        """Return how many articles may be in flight: enough that no worker waits for the next one
        (the executor's own figure when it has one: the local pool and the serial one batch articles)."""
        own = getattr(self.executor, "window", None)
        if own:
            return own
        slots = getattr(self.executor, "slots", None) or self.jobs
        return max(8, 4 * slots)

    def submit(self, article: Article, key: str | None, *args: Any) -> Any:
        if self.executor is None:
            self.executor = self._start()
        return self.executor.submit(article, key, *args)

    def _start(self) -> Any:
        if self.scheduler:
            from .dask_backend import DaskExecutor

            return DaskExecutor(self.scheduler)
        self.spec.load()
        if self.jobs == 1:
            return _Serial(self.store)
        from .workers import Pool

        warm_up(self.spec, self.options)
        return Pool(self.jobs, self.spec, self.store.folder if self.store else None, self.recycle,
                    options=self.options, policy=self.policy)

    def close(self, abort: bool = False) -> None:
        if self.executor is not None:
            self.executor.close(abort)


class _Job(NamedTuple):
    """What deciding and submitting each article needs."""

    executor: _Lazy
    spec: EngineSpec
    options: Options
    out: Path
    context: str
    store: Cache | None
    manifest: Manifest
    record: RunRecord | None
    published: dt.date | None
    stems: Stems


def _ordered(stream: Iterator[tuple[Any, str | None, list[Any] | None, str | None]],
             job: _Job) -> Iterator[tuple[str | None, bool, Any]]:
    """Submit articles with a bounded window; yield (key, from cache?, entry) in input order."""
    window: deque[tuple[str | None, bool, Any]] = deque()
    for item, label, identity, file in stream:
        window.extend(_slots(item, label, identity, file, job))
        while len(window) >= job.executor.window:
            key, cached, handle = window.popleft()
            yield key, cached, handle.result()
    while window:
        key, cached, handle = window.popleft()
        yield key, cached, handle.result()


def _slots(item: Any, label: str | None, identity: list[Any] | None, file: str | None,
           job: _Job) -> list[tuple[str | None, bool, Any]]:
    """Return the window slots of one input item: a cached entry, a submitted task, or an error;
    a Known file that is not all cached is read now, and its articles go the usual way."""
    if isinstance(item, dict):
        return [(None, False, _Done(item))]
    stem = job.stems(item, label)
    if isinstance(item, Known) and item.key is not None and item.stem == stem:
        key = item.key  # same identity, context and stem as when it was computed
    else:
        key = identity_key(identity or article_identity(item), job.context + stem)
    if file is not None and job.record is not None:
        job.record.keyed(file, stem, key)
    hit = _cached(key, job)
    if hit is not None and job.manifest.fresh(key, hit["reports"]):
        return [(key, True, _Done(hit))]
    if isinstance(item, Known):
        return [slot for article in read_file(Path(item.file), job.published)
                for slot in _slots(article, label, None, None, job)]
    return [(key, False, job.executor.submit(item, key, job.spec, job.options, str(job.out), stem, body_start(item)))]


def _cached(key: str, job: _Job) -> Cached | dict[str, Any] | None:
    """Return key's entry from the run record, else from the cache, else None."""
    if job.store is None:
        return None
    hit = job.record.entry(key) if job.record is not None else None
    return hit if hit is not None else job.store.get(key, with_json=True)


def _finish(entry: dict[str, Any] | Cached, key: str | None, cached: bool, run: CorpusRun, store: Cache | None,
            manifest: Manifest, out: Path) -> bytes | None:
    """Book one finished entry: write shipped report files, count it, cache it unless its worker did
    (`store` None); errors are not cached. Return the entry's JSON as cached, when it was just cached."""
    stored = entry.pop(STORED, None) if isinstance(entry, dict) else None
    for name, data in ((entry.pop("_files", None) if isinstance(entry, dict) else None) or {}).items():
        write_atomic(out / name, data)
    if cached:
        run.cached += 1
    elif key is not None:
        run.checked += 1
        run.rendered += bool(entry["reports"])
        if not entry["error"]:
            manifest.record(key, entry["reports"])
        if store is not None:
            stored = store.keep(key, entry)
    run.rows.append(entry)
    run.keys.append(key if key is not None and not entry["error"] else digest(entry))
    return stored
