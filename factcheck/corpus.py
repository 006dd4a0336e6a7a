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

import datetime as dt
import os
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .atomic import write_atomic
from .cache import KEEP_ENTRIES, Cache, Manifest, article_key, digest, sources_digest, tree_digest
from .corpus_task import EngineSpec, Options, _Done, _Serial, body_start, error_entry, run_task, warm_up
from .errors import ArticleError, ConfigError, FactcheckError, Location
from .models import VERDICTS, Article

__all__ = ["check_corpus", "CorpusRun", "EngineSpec", "Options", "run_task", "expand", "read_inputs"]

DEFAULT_CACHE = ".factcheck_cache"
FORMATS = ("html", "pdf", "json", "claimreview")


# ---------------------------------------------------------------------------
# Inputs


def expand(inputs: Iterable[str], skip: Iterable[Path] = ()) -> list[tuple[Path | str, str | None]]:
    """List the files of the inputs with their labels; '-' stays '-'.

    Folders are walked recursively (by extension) and a file found there is labelled
    by its path inside the folder ("business/001"), which names its reports; globs
    and files are labelled by their own name. Hidden files, README/LICENSE-like files
    and the folders in `skip` (our own output and cache) are not articles there.
    Raise ArticleError for an input that names nothing: a mistake in the command,
    found before any work starts.
    """
    from .commands._common import expand_inputs

    skipped = [Path(p).resolve() for p in skip]
    files: list[tuple[Path | str, str | None]] = []
    for raw in inputs:
        folder = Path(raw) if raw != "-" and Path(raw).is_dir() else None
        inside = _inside(folder, skipped) if folder else []
        for item in expand_inputs([raw]):
            if folder is None or item == "-":
                files.append((item, None))
                continue
            rel = Path(item).relative_to(folder)
            if not _skip_in_folder(rel, inside):
                files.append((item, rel.with_suffix("").as_posix()))
    return files


def _inside(folder: Path, skipped: list[Path]) -> list[tuple[str, ...]]:
    """Return the skipped folders that lie inside `folder`, as relative parts."""
    root = folder.resolve()
    return [s.relative_to(root).parts for s in skipped if s == root or root in s.parents]


def _skip_in_folder(rel: Path, inside: list[tuple[str, ...]]) -> bool:
    # (Hidden files and README-like files are left out by the walk itself: expand_inputs.)
    return any(rel.parts[: len(parts)] == parts for parts in inside)


def read_inputs(files: Iterable[tuple[Path | str, str | None]],
                published: dt.date | None) -> Iterator[tuple[Article | dict[str, Any], str | None]]:
    """Yield (article, label) as they are read, or an error entry for what cannot be read; never raise."""
    for item, label in files:
        for article in _read_one(item, published):
            yield article, label


def _read_one(item: Path | str, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    from .readers import read_path

    if item == "-":
        yield from _jsonl_lines(sys.stdin, "<stdin>", published)
    elif Path(item).suffix.lower() == ".jsonl":
        yield from _jsonl_file(Path(item), published)
    else:
        try:
            yield from read_path(Path(item), published)
        except FactcheckError as exc:
            yield error_entry(str(item), str(item), exc)


def _jsonl_file(path: Path, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    from .readers import decode, normalize_newlines

    try:
        text, _warnings = decode(path.read_bytes(), str(path))
    except (OSError, FactcheckError) as exc:
        yield error_entry(str(path), str(path), exc if isinstance(exc, FactcheckError) else
                          ArticleError(f"cannot read file: {exc.strerror}", Location(str(path))))
        return
    yield from _jsonl_lines(normalize_newlines(text).split("\n"), str(path), published)


def _jsonl_lines(lines: Iterable[str], shown: str, published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    """One article per line; a bad line is an error entry and the rest of the file goes on."""
    from .readers import read_jsonl

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            article = next(read_jsonl([line], shown, published))
        except FactcheckError as exc:
            yield error_entry(f"{shown}:{n}", shown, ArticleError(exc.message, Location(shown, n)))
            continue
        if article.id == f"{shown}:1" and n != 1:  # the record has no id: name it by its real line
            article = replace(article, id=f"{shown}:{n}")
        yield article


class Stems:
    """Give each article of a run its own report file stem, stable for the same inputs."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}

    def __call__(self, article: Article, label: str | None) -> str:
        from .report import report_filename

        own_file = label is not None and article.id == article.path
        stem = report_filename(label.replace("/", "-") if own_file else article.id)
        if self.used.setdefault(stem, article.id) != article.id:  # taken by another article: add a hash of the id
            stem = f"{stem}-{digest(article.id)[:8]}"
            self.used[stem] = article.id
        return stem


def count_articles(files: list[tuple[Path | str, str | None]]) -> int | None:
    """Return the number of articles when it is one per file (else None: the bar shows no ETA)."""
    multi = any(f == "-" or Path(f).suffix.lower() in (".jsonl", ".json") for f, _ in files)
    return None if multi else len(files)


# ---------------------------------------------------------------------------
# The run


@dataclass
class CorpusRun:
    """What a run did: one index entry per article in input order, plus totals."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    checked: int = 0  # analysed in this run (not from the cache)
    cached: int = 0
    rendered: int = 0  # articles whose reports were (re)written
    interrupted: bool = False
    seconds: float = 0.0
    rules_version: str = ""
    facts_version: str = ""
    rules: list[dict[str, str]] = field(default_factory=list)  # id, kind, description, message of each rule
    keys: list[str] = field(default_factory=list)  # each entry's cache key (a digest of it for errors)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The entries of articles that could not be checked."""
        return [e for e in self.entries if e.get("error")]

    @property
    def failed(self) -> list[dict[str, Any]]:
        """The entries the policy fails (errors included)."""
        return [e for e in self.entries if e.get("failures")]

    def totals(self) -> dict[str, int]:
        """Sum the verdict counts, suppressions, errors and policy failures."""
        totals = {v: sum(e["counts"].get(v, 0) for e in self.entries) for v in VERDICTS}
        totals.update(articles=len(self.entries), errors=len(self.errors), failed=len(self.failed),
                      suppressed=sum(e.get("suppressed", 0) for e in self.entries))
        return totals

    @property
    def exit_code(self) -> int:
        """0: every article passes the policy; 1: one fails it; 2: nothing could be checked, or a
        suppression has no reason (a mistake to fix, not a finding); 130: interrupted."""
        if self.interrupted:
            return 130
        if (self.entries and len(self.errors) == len(self.entries)) or any(
                e.get("error_kind") == "SuppressionError" for e in self.entries):
            return 2
        return 1 if self.failed else 0


def run_context(sources: str, options: Options) -> str:
    """Digest everything besides the article that an entry depends on (the cache key's context)."""
    from .report.templating import default_templates_dir

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
    sources = sources_digest(*spec.folders(cfg), cfg)
    spec = replace(spec, sources=sources)
    info = _pack_info(spec, sources, store)  # a bad rule pack stops the run here, before any worker starts
    files = expand(inputs, skip=[out, cache_root])
    manifest = Manifest(out)
    run = CorpusRun(rules_version=info["rules_version"], facts_version=info["facts_version"], rules=info["rules"])
    bar = Progress(count_articles(files), enabled=progress)
    executor = _Lazy(jobs, spec, options, store, recycle, scheduler)
    context = run_context(sources, options)
    aborted = False
    try:
        stream = read_inputs(files, published)
        for key, cached, entry in _ordered(stream, executor, spec, options, out, context, store, manifest):
            _finish(entry, key, cached, run, None if executor.stores else store, manifest, out)
            if known is not None:
                mark_new(entry, known)
            entry["failures"] = policy.failures(entry)
            if on_entry:
                on_entry(entry)
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
    if store is not None and run.checked:
        store.prune(max(KEEP_ENTRIES, 4 * len(run.entries)))
    return run


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
                 recycle: int | None, scheduler: str | None) -> None:
        self.jobs, self.spec, self.options, self.store = jobs or cores(), spec, options, store
        self.recycle, self.scheduler = recycle, scheduler
        self.executor: Any = None

    @property
    def stores(self) -> bool:
        """Tell whether the executor writes cache entries itself."""
        return self.scheduler is None

    @property
    def window(self) -> int:
        """Return how many articles may be in flight: enough that no worker waits for the next one."""
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
        return Pool(self.jobs, self.spec, self.store.folder if self.store else None, self.recycle)

    def close(self, abort: bool = False) -> None:
        if self.executor is not None:
            self.executor.close(abort)


def _ordered(stream: Iterator[tuple[Article | dict[str, Any], str | None]], executor: Any, spec: EngineSpec, options: Options,
             out: Path, context: str, store: Cache | None,
             manifest: Manifest) -> Iterator[tuple[str | None, bool, dict[str, Any]]]:
    """Submit articles with a bounded window; yield (key, from cache?, entry) in input order."""
    window: deque[tuple[str | None, bool, Any]] = deque()
    stems = Stems()
    for item, label in stream:
        if isinstance(item, dict):
            window.append((None, False, _Done(item)))
            continue
        stem = stems(item, label)
        key = article_key(item, context + stem)
        hit = store.get(key) if store else None
        if hit is not None and manifest.fresh(key, hit["reports"]):
            window.append((key, True, _Done(hit)))
        else:
            window.append((key, False, executor.submit(item, key, spec, options, str(out), stem, body_start(item))))
        while len(window) >= executor.window:
            key, cached, handle = window.popleft()
            yield key, cached, handle.result()
    while window:
        key, cached, handle = window.popleft()
        yield key, cached, handle.result()


def _finish(entry: dict[str, Any], key: str | None, cached: bool, run: CorpusRun, store: Cache | None,
            manifest: Manifest, out: Path) -> None:
    """Book one finished entry: write shipped report files, count it, cache it unless its worker did
    (`store` None); errors are not cached."""
    for name, data in (entry.pop("_files", None) or {}).items():
        write_atomic(out / name, data)
    if cached:
        run.cached += 1
    elif key is not None:
        run.checked += 1
        run.rendered += bool(entry["reports"])
        if not entry["error"]:
            manifest.record(key, entry["reports"])
        if store is not None:
            store.keep(key, entry)
    run.entries.append(entry)
    run.keys.append(key if key is not None and not entry["error"] else digest(entry))
