"""The local worker pool of a corpus run: forked processes fed through pipes, no helper threads.

`multiprocessing.Pool` runs three threads in the main process (one wakes on every
result and polls its workers) and forks from one of them: over 400 articles they
took 0.6 s of the main process's 2.2 s of CPU. This pool is driven from the
caller's thread only:

* the workers are forked after the engine is loaded and warmed up (an empty
  article checked and rendered in memory), so each starts with the rule pack and
  the report modules loaded, shared copy-on-write;
* each worker has a task pipe and a result pipe; it is sent up to two batches of
  articles ahead, as many as the pipe's buffer holds, so the main process never
  blocks on a worker that is itself waiting to send a result (a task bigger than
  that is sent only to an idle worker);
* a worker takes the tasks waiting in its pipe, up to BATCH, and extracts their
  articles together (corpus_task.run_tasks: a fifth faster than one at a time), then
  judges and renders them one by one;
* a worker writes its articles' reports and cache entries itself and sends back only
  their index entries and its resident memory, in one message a batch: the main
  process then wakes once a batch, not once an article. Woken for every article, it
  took a quarter more CPU, and the workers more too, their caches cleared by the
  switches (11 % of a run's CPU over 2,225 articles);
* a worker is replaced when its memory has grown by `grow_mb` since its first
  article (a leaking library), or after `recycle` articles if asked (counted when a
  batch is answered); it finishes the tasks it was sent, so nothing is redone;
* a worker that dies (killed, out of memory, a crash in a C library) turns the
  article it was checking into an error entry, and the run goes on; when it died on
  a batch, which article did it is not known: the batch's articles are checked
  again one by one (`alone`), and the one that kills a worker then gets the error
  (those it had finished are checked again too: their answer had not been sent);
* workers ignore Ctrl-C: the main process stops them (SIGTERM; a worker then stops
  at once, and the temporary files of the articles it held are removed).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
from collections import deque
from pathlib import Path
from typing import Any

from .cache import STORED, Cache
from .ci.index import index_line
from .corpus_task import LINE, EngineSpec, error_entry, run_tasks
from .errors import ArticleError, Location
from .matcher import BATCH
from .runrecord import SPOOLED

GROW_MB = 128  # replace a worker whose memory grew this much since its first article
_AHEAD = 2 * BATCH  # tasks a worker may hold: the batch it runs and the next
_PIPE = 1 << 20  # ask for task pipes this big (Linux), so most articles can be sent ahead
_HEADER = 8  # bytes the pipe holds besides each message
# select.poll, not multiprocessing.connection.wait: that builds a selector object on every
# call, and Connection.poll() calls it too (8 us against 1 us, three times an answer).
_poll = getattr(select, "poll", None)
_POLLIN = getattr(select, "POLLIN", 1) | getattr(select, "POLLPRI", 2)


class Handle:
    """One submitted article; `result()` waits for it (processing others' results meanwhile)."""

    def __init__(self, pool: Pool, task: tuple[Any, ...], key: str | None, article: Any) -> None:
        self.pool, self.task, self.key, self.article = pool, task, key, article
        self.alone = False  # checked in a batch of its own: a worker died on a batch holding it
        self.payload = self._pickle()
        self.value: dict[str, Any] | None = None

    def _pickle(self) -> bytes:
        task = self.task
        if task[1] is self.pool.spec and task[2] is self.pool.options:  # the worker has them: not sent each time
            task = (task[0], None, None, *task[3:])
        return pickle.dumps((task, self.key, self.alone), protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def files(self) -> list[Path]:
        """The files the task writes: reports, then its cache entry (worked out only to sweep them)."""
        _, _, options, out, stem, *_ = self.task
        return self.pool.files(options, Path(out), stem, self.key)

    def isolate(self) -> None:
        """Have the article checked alone from now on."""
        self.alone = True
        self.payload = self._pickle()

    def result(self) -> dict[str, Any]:
        """Return the article's index entry once its worker has sent it."""
        while self.value is None:
            self.pool.step()
        return self.value


class _Worker:
    """A worker process, its two pipe ends in this process, and the tasks it was sent."""

    def __init__(self, ctx: Any, args: tuple[Any, ...], others: list[Any]) -> None:
        task_out, self.tasks = ctx.Pipe(duplex=False)
        self.results, result_in = ctx.Pipe(duplex=False)
        # A forked child inherits every pipe end this process holds; it closes ours (else its
        # task pipe would never end) and other workers' (else theirs would not).
        inherited = [self.tasks, self.results, *others] if ctx.get_start_method() == "fork" else []
        # SIGINT is blocked while forking: a Ctrl-C before the child ignores it must not kill it.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None
        try:
            self.proc = ctx.Process(target=_main, args=(task_out, result_in, *args, inherited), daemon=True)
            self.proc.start()
        finally:
            if old is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
        task_out.close()
        result_in.close()
        self.room = _pipe_room(self.tasks)
        self.sent: deque[Handle] = deque()
        self.queued = 0  # bytes of the tasks sent and not answered: at most what the pipe holds
        self.first_mb: float | None = None
        self.done = 0
        self.draining = False  # sent no more tasks; exits after the ones it holds

    def send(self, handle: Handle) -> None:
        self.tasks.send_bytes(handle.payload)
        self.sent.append(handle)
        self.queued += len(handle.payload) + _HEADER

    def answered(self) -> Handle:
        """The oldest task sent, now answered."""
        handle = self.sent.popleft()
        self.queued -= len(handle.payload) + _HEADER
        return handle

    def drain(self) -> None:
        """Send nothing more: the worker finishes what it holds, reads the end of its pipe, and exits."""
        if not self.draining:
            self.draining = True
            self.tasks.close()


class Pool:
    """`jobs` forked workers running `run_task`; submit() in input order, Handle.result() in any order.

    `spec` and `options` are the run's: tasks that use them do not carry them. With a
    `policy`, workers also set each entry's failures under it and make its line of
    index.json (handed over under LINE), so that the main process need not.
    """

    def __init__(self, jobs: int, spec: EngineSpec, store: Path | None, recycle: int | None = None,
                 grow_mb: float = GROW_MB, options: Any = None, policy: Any = None) -> None:
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        self.jobs, self.recycle, self.grow_mb = jobs, recycle, grow_mb
        self.spec, self.options = spec, options
        self.args = (spec, options, policy, str(store) if store else None)
        self.cache = Cache(store) if store else None
        self.pending: deque[Handle] = deque()
        self.workers: list[_Worker] = []

    def submit(self, article: Any, key: str | None, spec: EngineSpec, options: Any, out: str, stem: str,
               *args: Any) -> Handle:
        """Queue run_task(article, spec, options, out, stem, ...); the worker caches the entry under key."""
        handle = Handle(self, (article, spec, options, out, stem, *args), key, article)
        self.pending.append(handle)
        self._dispatch()
        return handle

    def step(self) -> None:
        """Wait for at least one worker to answer (a result, or its exit) and book what came."""
        self._dispatch()
        busy = [w for w in self.workers if w.sent]
        if not busy:  # cannot happen while a handle waits; fail loudly rather than wait forever
            raise RuntimeError("worker pool: nothing in flight")
        ready = _wait([fd for w in busy for fd in (w.results.fileno(), w.proc.sentinel)])
        for worker in busy:
            if worker.results.fileno() in ready or worker.proc.sentinel in ready:
                self._collect(worker)

    def close(self, abort: bool = False) -> None:
        """Stop the workers: at once (abort), or once they have read the end of their pipes."""
        for worker in self.workers:
            if abort and worker.proc.is_alive():
                worker.proc.terminate()
            worker.drain()
        for worker in self.workers:
            worker.proc.join(5)
            if worker.proc.is_alive():  # stuck in C code that ignores SIGTERM
                worker.proc.kill()
                worker.proc.join()
            worker.results.close()
            for handle in worker.sent:
                _sweep(handle.files)
        self.workers = []

    # -- internals

    def _dispatch(self) -> None:
        """Send pending tasks to workers that can take one, starting workers as needed."""
        while self.pending:
            worker = self._taker(len(self.pending[0].payload))
            if worker is None:
                return
            try:
                worker.send(self.pending[0])
            except OSError:  # it died: replace it; the task stays first in line
                if worker.sent:
                    self._lost(worker)
                else:
                    worker.drain()
                    self._retire(worker)
                continue
            self.pending.popleft()

    @property
    def window(self) -> int:
        """How many articles the caller may have submitted and not collected: all the workers' tasks."""
        return self.jobs * (_AHEAD + 1)

    def _taker(self, size: int) -> _Worker | None:
        live = [w for w in self.workers if not w.draining]
        if len(live) < self.jobs:
            return self._start()
        worker = min(live, key=lambda w: len(w.sent))
        # Every task sent and not answered may still be in the pipe: together they must fit.
        if not worker.sent or (len(worker.sent) < _AHEAD and worker.queued + size + _HEADER <= worker.room):
            return worker
        return None

    def _start(self) -> _Worker:
        if self.ctx.get_start_method() == "fork":
            gc.freeze()  # objects alive now are never scanned by the child's collector: fewer pages copied
        others = [c for w in self.workers for c in (w.tasks, w.results) if not c.closed]
        try:
            worker = _Worker(self.ctx, self.args, others)
        finally:
            if self.ctx.get_start_method() == "fork":
                gc.unfreeze()
        self.workers.append(worker)
        return worker

    def _collect(self, worker: _Worker) -> None:
        """Book every answer the worker has sent; if its pipe ended early, it died."""
        ended = False
        while worker.sent and _readable(worker.results):
            try:
                data = worker.results.recv_bytes()
            except (EOFError, OSError):
                ended = True
                break
            answers, rss_mb = pickle.loads(data)
            for entry, stored, line in answers:
                if stored is not None:  # the cache's JSON of the entry, for the run record (see STORED)
                    entry[STORED] = stored
                if line is not None:
                    entry[LINE] = line
                worker.answered().value = entry
            self._account(worker, rss_mb, len(answers))
        if ended:
            self._lost(worker)
        elif not worker.sent and worker.draining:
            self._retire(worker)

    def _account(self, worker: _Worker, rss_mb: float, articles: int) -> None:
        """Count a batch's articles; replace the worker when it has done its share or its memory grew."""
        worker.done += articles
        worker.first_mb = rss_mb if worker.first_mb is None else worker.first_mb
        if (self.recycle and worker.done >= self.recycle) or rss_mb - worker.first_mb > self.grow_mb:
            worker.drain()

    def _lost(self, worker: _Worker) -> None:
        """The worker died: its current article gets an error entry, the ones it had not started go back.

        Its oldest task is the article it was checking if that one was sent alone; else
        it may have died on any article of a batch, and they all go back, alone.
        """
        worker.drain()
        worker.proc.join()  # its pipe ended: it is gone or going
        if not worker.sent[0].alone:
            for handle in worker.sent:
                handle.isolate()
            self._retire(worker)
            return
        code = worker.proc.exitcode or 0
        cause = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        hint = " (out of memory?)" if code == -signal.SIGKILL else ""
        article = worker.sent[0].article
        exc = ArticleError(f"the worker process checking this article died: {cause}{hint}",
                           Location(article.path or article.id))
        _sweep(worker.sent[0].files)
        worker.answered().value = error_entry(article.id, article.path, exc, article)
        self._retire(worker)

    def files(self, options: Any, out: Path, stem: str, key: str | None) -> list[Path]:
        """Return the files a task writes: reports, then its cache entry."""
        from .report import FORMATS

        files = [out / f"{stem}{FORMATS[fmt]}" for fmt in options.formats]
        return files + ([self.cache.entry_path(key)] if self.cache and key else [])

    def _retire(self, worker: _Worker) -> None:
        worker.proc.join()
        worker.results.close()
        self.workers.remove(worker)
        self.pending.extendleft(reversed(worker.sent))
        worker.sent.clear()
        worker.queued = 0


def _sweep(files: list[Path]) -> None:
    """Remove the temporary files a stopped worker may have left beside these files.

    A worker stops at once on SIGTERM, and write_atomic removes its temporary file,
    unless the signal came while the file was being created: what is left is swept
    here, for the articles the stopped workers held only.
    """
    import glob

    for path in files:
        for tmp in path.parent.glob(glob.escape(f".{path.name}.") + "*.tmp"):
            tmp.unlink(missing_ok=True)


def _wait(fds: list[int]) -> set[int]:
    """Wait until one of the file descriptors is readable (or closed); return those that are."""
    if _poll is None:  # not on this platform (Windows)
        from multiprocessing.connection import wait

        return set(wait(fds))
    poller = _poll()
    for fd in fds:
        poller.register(fd, _POLLIN)
    return {fd for fd, _ in poller.poll()}


def _readable(conn: Any) -> bool:
    """Tell whether a pipe has data to read (or has ended), without waiting."""
    if _poll is None:
        return bool(conn.poll())
    poller = _poll()
    poller.register(conn.fileno(), _POLLIN)
    return bool(poller.poll(0))


def _pipe_room(conn: Any) -> int:
    """Return how many bytes of tasks may wait in a busy worker's pipe without ever blocking
    this process: half the pipe's buffer (a margin, as messages fill its pages unevenly).
    A task bigger than that alone waits for the worker to be idle (reading)."""
    size = 16384  # the least a pipe holds on the systems we run on
    try:
        import fcntl

        try:
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, _PIPE)
        except OSError:  # over the user's pipe allowance: keep what the pipe has
            pass
        size = fcntl.fcntl(conn.fileno(), fcntl.F_GETPIPE_SZ)
    except (ImportError, AttributeError, OSError):  # not Linux
        pass
    return size // 2


# ---------------------------------------------------------------------------
# In the worker process


def _main(tasks: Any, results: Any, spec: EngineSpec, options: Any, policy: Any, store: str | None,
          inherited: list[Any]) -> None:
    """Run tasks from the pipe until it ends, in batches of those waiting there; answer each
    batch with one message: ([(index entry, the entry's JSON as cached or None, its line of
    index.json or None), ...], resident memory in MB). A task without spec and options
    (None) runs with the run's."""
    for conn in inherited:
        conn.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    spec.load()
    cache = Cache(Path(store)) if store else None
    held: tuple[Any, ...] | None = None  # a task read that must wait for the next batch
    ended = False
    while not ended:
        batch = [held] if held is not None else []
        held = None
        try:
            if not batch:
                batch.append(pickle.loads(tasks.recv_bytes()))
            # A task sent alone runs alone; others join the tasks already waiting.
            while not batch[0][2] and len(batch) < BATCH and _readable(tasks):
                task = pickle.loads(tasks.recv_bytes())
                if task[2]:
                    held = task
                    break
                batch.append(task)
        except EOFError:
            ended = True
        if batch:
            runs = [args if args[1] is not None else (args[0], spec, options, *args[3:]) for args, _, _ in batch]
            results.send_bytes(pickle.dumps(([_answer(entry, key, cache, policy) for (_, key, _), entry
                                              in zip(batch, run_tasks(runs))], _rss_mb()),
                                            protocol=pickle.HIGHEST_PROTOCOL))


def _answer(entry: dict[str, Any], key: str | None, cache: Cache | None,
            policy: Any) -> tuple[dict[str, Any], bytes | None, str | None]:
    """Cache a finished entry (as it is: failures depend on the run's policy, not the article).
    With the run's policy, set its failures and make its index line, and send only what the
    run keeps in memory of a cached entry (its JSON as cached stands for the rest)."""
    stored = cache.keep(key, entry) if cache is not None else None
    if policy is None:
        return entry, stored, None
    entry["failures"] = policy.failures(entry)
    line = index_line(entry)
    if stored is not None:  # the run keeps the entry out of its memory (runrecord.Spool): send what it keeps
        entry = {k: entry.get(k) for k in SPOOLED}
    return entry, stored, line


def _stop(signum: int, frame: Any) -> None:
    # SystemExit unwinds through write_atomic, which removes its temporary file.
    raise SystemExit(128 + signum)


def _rss_mb() -> float:
    """Return this process's resident memory now (Linux), else its peak, in MB."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024
