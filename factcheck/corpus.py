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
import json
import os
import signal
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import __version__
from .cache import Cache, Manifest, article_key, digest, tree_digest, write_atomic
from .errors import ArticleError, FactcheckError, Location
from .models import VERDICTS, Article

INDEX_FORMAT = 1  # index.json's format: 1 = first version
DEFAULT_CACHE = ".factcheck_cache"
FORMATS = ("html", "pdf", "json", "claimreview")
# Documentation that sits beside articles in a folder: read only when named explicitly.
_NOT_ARTICLES = {"readme", "license", "licence", "changelog", "contributing", "authors", "notice"}


@dataclass(frozen=True)
class EngineSpec:
    """What a worker needs to load the same engine: folders, config, default-pack switches."""

    rules: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    config: str | None = None
    default_rules: bool | None = None
    default_facts: bool | None = None

    def load(self) -> Any:
        """Load the engine (once per process: later calls return the same one)."""
        if self not in _ENGINES:
            from .api import load_engine
            from .config import load_config

            config = load_config(Path(self.config)) if self.config else load_config()
            _ENGINES[self] = load_engine([Path(r) for r in self.rules], [Path(f) for f in self.facts], config,
                                         self.default_rules, self.default_facts)
        return _ENGINES[self]


_ENGINES: dict[EngineSpec, Any] = {}


@dataclass(frozen=True)
class Options:
    """How each article is reported: formats, paper, templates, suppressions from the config."""

    formats: tuple[str, ...] = ("html", "json")
    paper: str = "A4"
    templates: str | None = None
    checked_at: str | None = None
    suppress: tuple[dict[str, str], ...] = ()
    ship_reports: bool = False  # return report bytes instead of writing them (workers without our disk)


# ---------------------------------------------------------------------------
# Inputs


def expand(inputs: Iterable[str], skip: Iterable[Path] = ()) -> list[Path | str]:
    """List the files of the inputs (folders recursively, by extension; globs); '-' stays '-'.

    Raise ArticleError for an input that names nothing: that is a mistake in the
    command, found before any work starts.
    """
    from .commands._common import expand_inputs

    skipped = {Path(p).resolve() for p in skip}
    files: list[Path | str] = []
    for raw in inputs:
        folder = raw != "-" and Path(raw).is_dir()
        for item in expand_inputs([raw]):
            if folder and _skip_in_folder(Path(item), Path(raw), skipped):
                continue
            files.append(item)
    return files


def _skip_in_folder(path: Path, root: Path, skipped: set[Path]) -> bool:
    """Hidden files, README/LICENSE-like files and our own output folders are not articles."""
    rel = path.relative_to(root).parts
    if any(part.startswith(".") for part in rel) or path.stem.lower() in _NOT_ARTICLES:
        return True
    return any(s == path.resolve() or s in path.resolve().parents for s in skipped)


def read_inputs(files: Iterable[Path | str], published: dt.date | None) -> Iterator[Article | dict[str, Any]]:
    """Yield articles as they are read, or an error entry for what cannot be read; never raise."""
    from .readers import read_path

    for item in files:
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


def count_articles(files: list[Path | str]) -> int | None:
    """Return the number of articles when it is one per file (else None: the bar shows no ETA)."""
    multi = any(f == "-" or Path(f).suffix.lower() in (".jsonl", ".json") for f in files)
    return None if multi else len(files)


# ---------------------------------------------------------------------------
# One article (runs in a worker)


def error_entry(ident: str, path: str | None, exc: BaseException, article: Article | None = None) -> dict[str, Any]:
    """Return the index entry of an article that could not be read or checked."""
    message = str(exc) if isinstance(exc, FactcheckError) else f"{type(exc).__name__}: {exc}"
    entry = _base_entry(article) if article else {"id": ident, "path": path, "title": None, "published": None,
                                                   "warnings": []}
    entry.update({"counts": {v: 0 for v in VERDICTS}, "suppressed": 0, "reports": [], "error": message,
                  "claims": []})
    return entry


def _base_entry(article: Article) -> dict[str, Any]:
    return {"id": article.id, "path": article.path, "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "warnings": list(article.warnings)}


def body_start(article: Article) -> tuple[int, int] | None:
    """Return (line, column), 1-based, where the article's text starts in its file; None without one."""
    if article.path is None or article.file_offset is None:
        return None
    if article.file_offset == 0:
        return 1, 1
    from .readers import decode, normalize_newlines

    try:
        text = normalize_newlines(decode(Path(article.path).read_bytes(), article.path)[0])
    except (OSError, FactcheckError):
        return None
    prefix = text[: article.file_offset]
    return prefix.count("\n") + 1, article.file_offset - (prefix.rfind("\n") + 1) + 1


def position(text: str, offset: int, start: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """Return the file's (line, column) of a text offset, given where the text starts."""
    if start is None:
        return None, None
    line_start = text.rfind("\n", 0, offset) + 1
    line = start[0] + text.count("\n", 0, offset)
    col = offset - line_start + 1 + (start[1] - 1 if line == start[0] else 0)
    return line, col


def check_article(article: Article, engine: Any, options: Options) -> Any:
    """Check one article and apply its suppressions; return (Result, fingerprints, body start)."""
    from . import suppress
    from .baseline import fingerprints

    result = engine.check(article)
    start = body_start(article)
    marks = suppress.inline_suppressions(article.text, article.path or article.id, start[0] if start else 1)
    marks += suppress.for_article(options.suppress, article.id, article.path)
    if marks:
        result = replace(result, claims=suppress.apply(result.claims, marks))
    prints = fingerprints(result.claims, [s.text for s in result.sentences])
    return result, prints, start


def _entry(result: Any, prints: list[str], start: tuple[int, int] | None, reports: list[str]) -> dict[str, Any]:
    article = result.article
    entry = _base_entry(article)
    entry["warnings"] += list(result.errors)
    claims = []
    for claim, fp in zip(result.claims, prints):
        line, col = position(article.text, claim.start, start)
        claims.append({"fingerprint": fp, "verdict": claim.verdict, "rule": claim.rule, "kind": claim.kind,
                       "text": claim.text, "reason": claim.reason, "message": claim.message, "start": claim.start,
                       "end": claim.end, "line": line, "col": col, "suppressed": claim.suppressed})
    entry.update({"counts": result.counts(), "suppressed": sum(c.suppressed is not None for c in result.claims),
                  "reports": reports, "error": None, "claims": claims})
    return entry


def render(result: Any, out: Path, options: Options) -> tuple[list[str], dict[str, bytes]]:
    """Write the article's reports into out (or, to ship them, into a temp folder returned as bytes)."""
    if not options.formats:
        return [], {}
    from .report import ReportOptions, write_reports

    ropts = ReportOptions(paper=options.paper, templates=Path(options.templates) if options.templates else None,
                          checked_at=options.checked_at)
    if not options.ship_reports:
        paths = write_reports(result, out, list(options.formats), ropts)
        return [os.path.relpath(p, out) for p in paths], {}
    with tempfile.TemporaryDirectory(prefix="factcheck-") as tmp:
        paths = write_reports(result, Path(tmp), list(options.formats), ropts)
        files = {os.path.relpath(p, tmp): Path(p).read_bytes() for p in paths}
    return list(files), files


def run_task(article: Article | dict[str, Any], spec: EngineSpec, options: Options, out: str) -> dict[str, Any]:
    """Check and report one article; return its index entry (never raise for the article's faults).

    A pure function of its arguments, for process pools and Dask alike. With
    `options.ship_reports` the entry carries the reports' bytes under `_files`.
    """
    if isinstance(article, dict):  # an input that could not be read
        return article
    try:
        result, prints, start = check_article(article, spec.load(), options)
        reports, files = render(result, Path(out), options)
    except FactcheckError as exc:
        return error_entry(article.id, article.path, exc, article)
    except (MemoryError, RecursionError, ValueError, TypeError, OSError) as exc:  # one article must not stop a corpus
        return error_entry(article.id, article.path, exc, article)
    entry = _entry(result, prints, start, reports)
    if files:
        entry["_files"] = files
    return entry


# ---------------------------------------------------------------------------
# Executors: each maps run_task over a stream, results in input order


class _Done:
    """A finished 'future' for work that needed no worker (cache hits, unreadable input)."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value

    def result(self) -> dict[str, Any]:
        return self.value


class _Serial:
    """Run in this process: no start-up cost, the reference for the parallel ones."""

    def submit(self, *args: Any) -> _Done:
        return _Done(run_task(*args))

    def close(self, abort: bool = False) -> None:
        pass


class _Pool:
    """A process pool; workers ignore Ctrl-C (the parent stops them) and are recycled."""

    def __init__(self, jobs: int, spec: EngineSpec, recycle: int | None) -> None:
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.pool = mp.get_context(method).Pool(jobs, _init_worker, (spec,), maxtasksperchild=recycle)

    def submit(self, *args: Any) -> Any:
        handle = self.pool.apply_async(run_task, args)
        handle.result = handle.get  # the same face as the other executors
        return handle

    def close(self, abort: bool = False) -> None:
        if abort:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()


def _init_worker(spec: EngineSpec) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec.load()


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
    policy_failures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The entries of articles that could not be checked."""
        return [e for e in self.entries if e.get("error")]

    def totals(self) -> dict[str, int]:
        """Sum the verdict counts, suppressions, errors and policy failures."""
        totals = {v: sum(e["counts"].get(v, 0) for e in self.entries) for v in VERDICTS}
        totals.update(articles=len(self.entries), errors=len(self.errors), failed=len(self.policy_failures),
                      suppressed=sum(e.get("suppressed", 0) for e in self.entries))
        return totals

    @property
    def exit_code(self) -> int:
        """0 when every article passes the policy, 1 when one fails, 2 when nothing could be checked."""
        if self.entries and len(self.errors) == len(self.entries):
            return 2
        return 1 if self.policy_failures or self.interrupted else 0


def run_context(engine: Any, options: Options) -> str:
    """Digest everything besides the article that an entry depends on (the cache key's context)."""
    from .report.templating import default_templates_dir

    templates = (tree_digest(default_templates_dir()), tree_digest(Path(options.templates) if options.templates else None))
    return digest(__version__, engine.pack.version, engine.facts.version, sorted(options.formats), options.paper,
                  templates, options.checked_at, list(options.suppress))


def check_corpus(inputs: Iterable[str], *, out: str | Path = "reports", formats: Iterable[str] = ("html", "json"),
                 jobs: int | None = None, published: dt.date | None = None, rules: Iterable[str] = (),
                 facts: Iterable[str] = (), config: str | None = None, default_rules: bool | None = None,
                 default_facts: bool | None = None, paper: str = "A4", templates: str | None = None,
                 checked_at: str | None = None, cache: bool = True, cache_dir: str | Path | None = None,
                 fail_on: Iterable[str] = ("contradicted",), baseline: str | Path | None = None,
                 scheduler: str | None = None, progress: bool | None = None, recycle: int | None = 500,
                 on_entry: Callable[[dict[str, Any]], None] | None = None) -> CorpusRun:
    """Check every article of the inputs, write their reports and the index into `out`; return the run.

    `jobs` worker processes (default: all cores; 1 runs in this process), or a Dask
    cluster at `scheduler` ("tcp://host:8786"). Articles already reported under the
    same key (cache and manifest) are neither analysed nor rendered again.
    """
    from . import suppress as suppress_mod
    from .baseline import load_baseline, mark_new
    from .policy import Policy
    from .progress import Progress

    spec = EngineSpec(tuple(map(str, rules)), tuple(map(str, facts)), config, default_rules, default_facts)
    engine = spec.load()  # here first: a bad rule pack stops the run before any worker starts
    cfg = engine.config
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fmts = _formats(formats)
    options = Options(fmts, paper, str(templates) if templates else None, checked_at,
                      tuple(suppress_mod.config_suppressions(cfg.suppress, cfg.path or "config")),
                      ship_reports=scheduler is not None)
    policy = Policy.build(fail_on, cfg.thresholds, cfg.path or "config")
    known = load_baseline(Path(baseline)) if baseline else None
    cache_root = Path(cache_dir) if cache_dir else Path(DEFAULT_CACHE)
    store = Cache(cache_root) if cache else None
    files = expand(inputs, skip=[out, cache_root])
    context = run_context(engine, options)
    manifest = Manifest(out)
    run = CorpusRun(rules_version=engine.pack.version, facts_version=engine.facts.version)
    bar = Progress(count_articles(files), enabled=progress)
    executor = _executor(jobs, spec, recycle, scheduler)
    aborted = False
    try:
        stream = read_inputs(files, published)
        for key, cached, entry in _ordered(stream, executor, spec, options, out, context, store, manifest):
            _finish(entry, key, cached, run, store, manifest, out)
            if known is not None:
                mark_new(entry, known)
            failures = policy.failures(entry)
            if failures:
                run.policy_failures[entry["id"]] = failures
            if on_entry:
                on_entry(entry)
            bar.advance()
    except KeyboardInterrupt:
        aborted = run.interrupted = True
    finally:
        bar.close()
        executor.close(abort=aborted)
        manifest.save()
    run.seconds = bar.elapsed
    write_index(run, out, fmts, templates)
    return run


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise FactcheckError(f"--format: unknown format '{bad[0]}'; allowed: {', '.join(FORMATS)}")
    return fmts


def _executor(jobs: int | None, spec: EngineSpec, recycle: int | None, scheduler: str | None) -> Any:
    if scheduler:
        from .dask_backend import DaskExecutor

        return DaskExecutor(scheduler)
    jobs = jobs or os.cpu_count() or 1
    return _Serial() if jobs == 1 else _Pool(jobs, spec, recycle)


def _ordered(stream: Iterator[Article | dict[str, Any]], executor: Any, spec: EngineSpec, options: Options,
             out: Path, context: str, store: Cache | None,
             manifest: Manifest) -> Iterator[tuple[str | None, bool, dict[str, Any]]]:
    """Submit articles with a bounded window; yield (key, from cache?, entry) in input order."""
    window: deque[tuple[str | None, bool, Any]] = deque()
    limit = max(8, 4 * (os.cpu_count() or 1))
    for item in stream:
        if isinstance(item, dict):
            window.append((None, False, _Done(item)))
        else:
            key = article_key(item, context)
            hit = store.get(key) if store else None
            if hit is not None and manifest.fresh(key, hit["reports"]):
                window.append((key, True, _Done(hit)))
            else:
                window.append((key, False, executor.submit(item, spec, options, str(out))))
        while len(window) >= limit:
            key, cached, handle = window.popleft()
            yield key, cached, handle.result()
    while window:
        key, cached, handle = window.popleft()
        yield key, cached, handle.result()


def _finish(entry: dict[str, Any], key: str | None, cached: bool, run: CorpusRun, store: Cache | None,
            manifest: Manifest, out: Path) -> None:
    """Book one finished entry: write shipped report files, count it, cache it (errors are not cached)."""
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
                store.put(key, entry)
    run.entries.append(entry)
