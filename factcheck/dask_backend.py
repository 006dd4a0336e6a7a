"""Run a corpus on a Dask cluster: `factcheck check --scheduler tcp://HOST:8786`.

Needs the `dask` extra (`pip install 'factcheck[dask]'`). Articles go to the cluster
in batches of up to BATCH (16), each batch one task calling
`factcheck.corpus_task.run_batch`: the articles are extracted together, as a local
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
        from .corpus_task import run_batch

        batch, self.pending = self.pending, []
        if batch:
            # pure=False: two batches with equal articles are still two tasks (ids and paths differ).
            future = self.client.submit(run_batch, [h.task for h in batch], pure=False)
            for i, handle in enumerate(batch):
                handle.future, handle.index = future, i

    def alone(self, task: tuple[Any, ...]) -> dict[str, Any]:
        """Run one article as a task of its own; return its entry (the cluster's error raised)."""
        from .corpus_task import run_task

        return self.client.submit(run_task, *task, pure=False).result()

    def close(self, abort: bool = False) -> None:
        self.pending = []
        self.client.close()  # releases the client's futures: the scheduler drops tasks nobody waits for


class _Handle:
    """One article sent (or to be sent) in a batch; `result()` waits for the batch."""

    def __init__(self, executor: DaskExecutor, task: tuple[Any, ...]) -> None:
        self.executor, self.task = executor, task
        self.future: Any = None
        self.index = 0

    def result(self) -> dict[str, Any]:
        """Return the article's index entry; if its batch failed as a whole, the entry of the
        article sent again alone (whose failure, if it fails again, is raised)."""
        if self.future is None:
            self.executor.send()
        try:
            return self.future.result()[self.index]
        except Exception:  # noqa: BLE001 - the batch, not this article, may be at fault
            return self.executor.alone(self.task)
