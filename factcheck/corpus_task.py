"""The unit of work of a corpus run: check and report one article, in any process.

`run_task(article, spec, options, out, stem)` is a pure function of its arguments:
it loads the engine once per process (from the rule and fact folders in `spec`),
checks the article, applies its suppressions, renders its reports and returns the
article's index entry. Process pools and Dask both call it; a Spark job can too.
The local pool and `--jobs 1` call it through `run_tasks`, which first extracts a
batch of articles together (Engine.check_many).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Sequence

from .cache import STORED
from .errors import FactcheckError
from .verdicts import VERDICTS

if TYPE_CHECKING:  # imported where an article is made or told apart: a cached run makes none
    from .models import Article

# The key under which a worker hands over an entry's line of index.json, made under the run's
# policy (workers.Pool): the main process then neither sets its failures nor makes its line.
LINE = "_line"


class EngineSpec(NamedTuple):  # not a dataclass: see errors.Location
    """What a worker needs to load the same engine: folders, config, default-pack switches."""

    rules: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    config: str | None = None
    default_rules: bool | None = None
    default_facts: bool | None = None
    # Digest of the rule, fact and config files: a long-lived process (a Dask worker,
    # a notebook) loads the engine again when they change, not only when folders do.
    sources: str = ""

    def config_obj(self) -> Any:
        """Load the config this spec names (or the nearest one)."""
        from .config import load_config

        return load_config(Path(self.config)) if self.config else load_config()

    def folders(self, config: Any) -> tuple[list[Path], list[Path]]:
        """Return the rule and fact folders the engine loads, as `api.load_engine` combines them."""
        from .sources import default_facts_dir, default_rules_dir  # not .rules: a cached run loads no engine

        use_rules = config.default_rules if self.default_rules is None else self.default_rules
        use_facts = config.default_facts if self.default_facts is None else self.default_facts
        rules = ([default_rules_dir()] if use_rules else []) + list(config.rules) + [Path(r) for r in self.rules]
        facts = ([default_facts_dir()] if use_facts and default_facts_dir().is_dir() else []) + list(config.facts)
        return rules, facts + [Path(f) for f in self.facts]

    def load(self) -> Any:
        """Load the engine (once per process: later calls return the same one)."""
        if self not in _ENGINES:
            from .api import load_engine

            _ENGINES[self] = load_engine([Path(r) for r in self.rules], [Path(f) for f in self.facts],
                                         self.config_obj(), self.default_rules, self.default_facts)
        return _ENGINES[self]


_ENGINES: dict[EngineSpec, Any] = {}


class Options(NamedTuple):
    """How each article is reported: formats, paper, templates, suppressions from the config."""

    formats: tuple[str, ...] = ("html", "json")
    paper: str = "A4"
    templates: str | None = None
    checked_at: str | None = None
    suppress: tuple[dict[str, str], ...] = ()
    ship_reports: bool = False  # return report bytes instead of writing them (workers without our disk)


# ---------------------------------------------------------------------------
# One article (runs in a worker)


def error_entry(ident: str, path: str | None, exc: BaseException, article: Article | None = None) -> dict[str, Any]:
    """Return the index entry of an article that could not be read or checked."""
    message = str(exc) if isinstance(exc, FactcheckError) else f"{type(exc).__name__}: {exc}"
    entry = _base_entry(article) if article else {"id": ident, "path": path, "title": None, "published": None,
                                                   "warnings": []}
    entry.update({"counts": {v: 0 for v in VERDICTS}, "suppressed": 0, "reports": [], "error": message,
                  "error_kind": type(exc).__name__, "claims": []})
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


def check_article(article: Article, engine: Any, options: Options, start: Any = (), checked: Any = None) -> Any:
    """Check one article and apply its suppressions; return (Result, fingerprints, body start).

    `start` is where the text starts in its file (see body_start); computed here when
    not given, but a caller on another machine than the files should pass it.
    `checked`: the article's Result from Engine.check_many, or the error that stopped it.
    """
    from dataclasses import replace  # results are dataclasses (models); a cached run makes none

    from . import suppress
    from .baseline import fingerprints

    if isinstance(checked, BaseException):
        raise checked
    result = engine.check(article) if checked is None else checked
    start = body_start(article) if start == () else start
    marks = suppress.inline_suppressions(article.text, article.path or article.id, start[0] if start else 1)
    marks += suppress.for_article(options.suppress, article.id, article.path)
    spans = suppress.directive_spans(article.text)
    if spans:
        claims = [c for c in result.claims if not any(a <= c.start < b for a, b in spans)]
        result = replace(result, claims=tuple(claims))
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


def render(result: Any, out: Path, stem: str, options: Options) -> tuple[list[str], dict[str, bytes]]:
    """Write the article's reports as out/STEM.FORMAT; to ship them, return their bytes instead."""
    if not options.formats:
        return [], {}
    from .report import ReportOptions, render_reports, write_reports

    ropts = ReportOptions(paper=options.paper, templates=Path(options.templates) if options.templates else None,
                          checked_at=options.checked_at)
    if options.ship_reports:
        files = {stem + suffix: data for suffix, data in render_reports(result, list(options.formats), ropts).items()}
        return list(files), files
    paths = write_reports(result, out, list(options.formats), ropts, stem=stem)
    return [p.name for p in paths], {}


def run_task(article: Article | dict[str, Any], spec: EngineSpec, options: Options, out: str,
             stem: str = "", start: Any = (), checked: Any = None) -> dict[str, Any]:
    """Check and report one article; return its index entry (never raise for the article's faults).

    A pure function of its arguments, for process pools and Dask alike. With
    `options.ship_reports` the entry carries the reports' bytes under `_files`;
    `start` (the body's line and column in its file) saves a worker reading the file;
    `checked` is what run_tasks found for it.
    """
    if isinstance(article, dict):  # an input that could not be read
        return article
    try:
        result, prints, start = check_article(article, spec.load(), options, start, checked)
        reports, files = render(result, Path(out), stem or _default_stem(article), options)
    except FactcheckError as exc:
        return error_entry(article.id, article.path, exc, article)
    except Exception as exc:  # noqa: BLE001 - a bug met on one article must not lose a corpus: name it, go on
        return error_entry(article.id, article.path, exc, article)
    entry = _entry(result, prints, start, reports)
    if files:
        entry["_files"] = files
    return entry


def run_tasks(tasks: Sequence[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    """run_task(*args) for each task of one run, in order, each entry yielded when done.

    The articles are first extracted together (Engine.check_many: the rules one after
    another over all of them, a fifth faster than one article at a time); each is then
    judged, suppressed and rendered on its own, as run_task does.
    """
    for args, checked in zip(tasks, _check_together(tasks)):
        yield run_task(*args, checked=checked)


def _check_together(tasks: Sequence[tuple[Any, ...]]) -> list[Any]:
    """The Result (or stopping error) of each task's article by Engine.check_many; None for
    inputs that are no article, and for all of them when the batch met a fault: then
    each article is checked alone, so that the fault is its own article's error entry."""
    from .models import Article

    found: list[Any] = [None] * len(tasks)
    rows = [i for i, args in enumerate(tasks) if isinstance(args[0], Article) and args[1] == tasks[0][1]]
    if len(rows) < 2:
        return found
    try:
        results = tasks[rows[0]][1].load().check_many([tasks[i][0] for i in rows])
    except Exception:  # noqa: BLE001 - a bug met on one article: run_task names it, alone
        return found
    for i, result in zip(rows, results):
        found[i] = result
    return found


def _default_stem(article: Article) -> str:
    from .report import report_filename

    return report_filename(article.id)


# ---------------------------------------------------------------------------
# Executors in this process (the worker pool is in workers.py)


class _Done:
    """A finished 'future' for work that needed no worker (cache hits, unreadable input)."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value

    def result(self) -> dict[str, Any]:
        return self.value


class _Serial:
    """Run in this process: no start-up cost, the reference for the parallel ones.

    Articles are checked when the first of them is asked for, up to BATCH together
    (run_tasks), as a worker does.
    """

    def __init__(self, store: Any = None) -> None:
        from .matcher import BATCH

        self.store = store
        self.batch = BATCH
        self.waiting: list[tuple[_Later, tuple[Any, ...], str | None]] = []

    @property
    def window(self) -> int:
        """How many articles the caller may have submitted and not collected: two batches."""
        return 2 * self.batch

    def submit(self, article: Any, key: str | None, *args: Any) -> _Later:
        """Queue the article; it is checked and reported (and its entry cached under key) when
        it or a later one is asked for."""
        later = _Later(self)
        self.waiting.append((later, (article, *args), key))
        return later

    def run(self) -> None:
        """Check the oldest waiting articles, a batch of them."""
        batch, self.waiting = self.waiting[:self.batch], self.waiting[self.batch:]
        for (later, _, key), entry in zip(batch, run_tasks([task for _, task, _ in batch])):
            stored = self.store.keep(key, entry) if self.store is not None else None
            if stored is not None:
                entry[STORED] = stored
            later.value = entry

    def close(self, abort: bool = False) -> None:
        self.waiting = []


class _Later:
    """An article _Serial has queued; `result()` checks it (with the others waiting) if need be."""

    def __init__(self, serial: _Serial) -> None:
        self.serial = serial
        self.value: dict[str, Any] | None = None

    def result(self) -> dict[str, Any]:
        """Return the article's index entry."""
        while self.value is None:
            if not self.serial.waiting:  # closed before it ran: fail loudly rather than loop
                raise RuntimeError("serial executor: article no longer queued")
            self.serial.run()
        return self.value


def warm_up(spec: EngineSpec, options: Options) -> None:
    """Check and render an empty article in memory, so forked workers inherit a warm process.

    The first article a process checks pays for the report modules' imports and
    whatever the engine builds on first use; paid here once, before forking, no
    worker pays it again. PDF is left out: its library stays out of the main process.
    """
    from .models import Article

    formats = tuple(f for f in options.formats if f != "pdf")
    in_memory = options._replace(formats=formats, ship_reports=True)
    run_task(Article("warm-up", "Nothing to check here."), spec, in_memory, "")
    spec.load().pack.warm()  # the patterns compiled on first use (anchor plans), once for all workers
