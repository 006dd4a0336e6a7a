"""Run a corpus on a Dask cluster: `factcheck check --scheduler tcp://HOST:8786`.

Needs the `dask` extra (`pip install 'factcheck[dask]'`). Each article is one task
calling `factcheck.corpus.run_task`, the same pure function the local pool runs,
so the outputs are the same byte for byte. Workers load the engine once per
process from the rule and fact folders named on the command line: those paths
must be readable on the workers (a shared filesystem or the same image). Reports
are rendered on the workers and sent back as bytes, so the output folder need
only exist where the command runs.
"""

from __future__ import annotations

from typing import Any

from .errors import ConfigError


class DaskExecutor:
    """Submit run_task calls to a Dask scheduler; futures answer .result() like the local ones."""

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--scheduler needs Dask: pip install 'factcheck[dask]'") from None
        try:
            self.client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"--scheduler: cannot reach the Dask scheduler at {scheduler}: {exc}") from None

    @property
    def slots(self) -> int:
        """Return the threads of the cluster's workers (at least 1): how many tasks run at once."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def submit(self, article: Any, key: str | None, *args: Any) -> Any:
        """Send run_task(article, *args) to the cluster; the client caches the entry under key."""
        from .corpus import run_task

        # pure=False: two articles with equal text are still two tasks (ids and paths differ).
        return self.client.submit(run_task, article, *args, pure=False)

    def close(self, abort: bool = False) -> None:
        self.client.close()  # releases the client's futures: the scheduler drops tasks nobody waits for
