"""Run a corpus on a Dask cluster: `factcheck check --scheduler tcp://HOST:8786`.

Needs the `dask` extra (`pip install 'factcheck[dask]'`). Articles go to the cluster
in batches of up to BATCH (16), each batch one task calling `remote_batch`, hence
`factcheck.corpus_task.run_tasks` (tasks and entries pickled to bytes, which Dask
sends as they are): the articles are extracted together, as a local
worker does (Engine.check_many, a fifth faster than one at a time), then each is
judged and rendered by `run_task`, the same pure function the local pool runs, so
the outputs are the same byte for byte. A batch that fails as a whole (its worker
died, the cluster lost it) is sent again one article per task, so that what fails
is its own article's failure. Workers load the engine once per process from the
rule and fact folders named on the command line: those paths must be readable on
the workers (a shared filesystem or the same image). Reports are rendered on the
workers and sent back as bytes, so the output folder need only exist where the
command runs.
"""

from __future__ import annotations

import pickle
import time
from typing import Any

from .errors import ConfigError

SLOTS_EVERY = 5.0  # seconds between two readings of the cluster's size


class DaskExecutor:
    """Submit articles to a Dask scheduler in batches; each article's handle answers .result()
    like the local executors' handles."""

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--scheduler needs Dask: pip install 'factcheck[dask]'") from None
        try:
            self.client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"--scheduler: cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        from .matcher import BATCH

        self.batch = BATCH
        self.pending: list[_Handle] = []  # submitted, not yet sent: the next batch
        self._slots, self._asked = 1, -SLOTS_EVERY
        self._last: tuple[Any, Any] = (None, None)  # the batch last unpickled: (future, entries)

    @property
    def slots(self) -> int:
        """Return the threads of the cluster's workers (at least 1): how many tasks run at once.
        Asked of the scheduler every SLOTS_EVERY seconds at most (it is read for every article),
        so a cluster that grows is used."""
        now = time.monotonic()
        if now - self._asked >= SLOTS_EVERY:
            workers = self.client.scheduler_info().get("workers", {})
            self._slots, self._asked = max(1, sum(w.get("nthreads", 1) for w in workers.values())), now
        return self._slots

    @property
    def window(self) -> int:
        """How many articles may be in flight: two full batches for every thread of the cluster."""
        return 2 * self.batch * self.slots

    def submit(self, article: Any, key: str | None, *args: Any) -> _Handle:
        """Queue run_task(article, *args); a full batch goes to the cluster at once, a partial one
        when one of its articles is asked for. The client caches the entry under key."""
        handle = _Handle(self, (article, *args))
        self.pending.append(handle)
        if len(self.pending) >= self.batch:
            self.send()
        return handle

    def send(self) -> None:
        """Send the queued articles as one task."""
        batch, self.pending = self.pending, []
        if batch:
            payload = pickle.dumps([h.task for h in batch], protocol=pickle.HIGHEST_PROTOCOL)
            # pure=False: two batches with equal articles are still two tasks (ids and paths differ).
            future = self.client.submit(remote_batch, payload, pure=False)
            for i, handle in enumerate(batch):
                handle.future, handle.index = future, i

    def entries(self, future: Any) -> list[dict[str, Any]]:
        """Return a batch's entries, unpickled once for all its articles."""
        if self._last[0] is not future:
            self._last = (future, pickle.loads(future.result()))
        return self._last[1]

    def alone(self, task: tuple[Any, ...]) -> dict[str, Any]:
        """Run one article as a task of its own; return its entry (the cluster's error raised)."""
        from .corpus_task import run_task

        return self.client.submit(run_task, *task, pure=False).result()

    def close(self, abort: bool = False) -> None:
        self.pending = []
        self.client.close()  # releases the client's futures: the scheduler drops tasks nobody waits for


def remote_batch(payload: bytes) -> bytes:
    """On a worker: run_tasks over the pickled tasks; return the entries pickled.

    Bytes both ways: Dask serializes a list or dict element by element, and a batch's
    entries (claims, report bytes) took a worker as long to send back as to compute.
    """
    from .corpus_task import run_tasks

    return pickle.dumps(list(run_tasks(pickle.loads(payload))), protocol=pickle.HIGHEST_PROTOCOL)


class _Handle:
    """One article sent (or to be sent) in a batch; `result()` waits for the batch."""

    def __init__(self, executor: DaskExecutor, task: tuple[Any, ...]) -> None:
        self.executor, self.task = executor, task
        self.future: Any = None
        self.index = 0
        self.value: dict[str, Any] | None = None

    def result(self) -> dict[str, Any]:
        """Return the article's index entry; if its batch failed as a whole, the entry of the
        article sent again alone (whose failure, if it fails again, is raised)."""
        if self.value is None:
            if self.future is None:
                self.executor.send()
            try:
                self.value = self.executor.entries(self.future)[self.index]
            except Exception:  # noqa: BLE001 - the batch, not this article, may be at fault
                self.value = self.executor.alone(self.task)
        return self.value
