"""A tiny progress bar for long runs: count, rate and ETA on one stderr line.

It draws only when the stream is a terminal (never in CI logs or pipes) and at
most ten times a second, so it costs nothing on a fast corpus.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    """Count finished items and redraw a bar; `total` may be unknown (None)."""

    def __init__(self, total: int | None = None, stream: TextIO | None = None, enabled: bool | None = None,
                 label: str = "checked", width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_tty(self.stream) if enabled is None else enabled
        self.total, self.label, self.width = total, label, width
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def advance(self, n: int = 1) -> None:
        """Count n more finished items, redrawing if it is time to."""
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.1 or self.done == self.total):
            self._drawn = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """Return the bar as text: `[####----] 120/2225  85.1/s  ETA 00:24`."""
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            filled = int(self.width * min(self.done, self.total) / self.total)
            bar = "[" + "#" * filled + "-" * (self.width - filled) + "]"
            eta = _clock((self.total - self.done) / rate) if rate > 0 else "--:--"
            return f"{bar} {self.done}/{self.total} {self.label}  {rate:.1f}/s  ETA {eta}"
        return f"{self.done} {self.label}  {rate:.1f}/s  {_clock(elapsed)}"

    def close(self) -> None:
        """End the bar's line so later messages start on a fresh one."""
        if self.enabled and self.done:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
            self.stream.flush()

    @property
    def elapsed(self) -> float:
        """Seconds since the bar started."""
        return time.monotonic() - self.started


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
