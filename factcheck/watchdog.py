"""A CPU-time limit on each pattern's work on an article, kept by an interval timer.

The `regex` module can stop a runaway match itself (`timeout=`), but then it reads
the process CPU clock on every call: about 2.5 µs, as much as a failed match costs,
on some 500 calls an article. In the main thread an interval timer does the same
job for two system calls an article: it ticks every eighth of the limit of CPU time
(ITIMER_VIRTUAL, SIGVTALRM), each tick is charged to the pattern at work, and a
pattern past its limit gets TimeoutError raised where it runs. The `regex` module
checks for signals while it matches, so a runaway match is stopped mid-way, as with
its own timeout.

Where the timer cannot be used (a thread other than the main one, a program with its
own SIGVTALRM handler, a platform without setitimer), `Limit.per_call` is the limit
and callers pass it to every regex call, as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType, TracebackType
from typing import Any, Iterator

_TICKS = 8  # ticks per limit: a pattern is stopped after 1 to 1 1/8 of its limit
_SIGNAL = getattr(signal, "SIGVTALRM", None)
_TIMER = getattr(signal, "ITIMER_VIRTUAL", None)

try:  # the handler as stored: signal.getsignal turns an int into an enum, 6 us a call (once an article)
    from _signal import getsignal as _getsignal
except ImportError:  # another interpreter
    _getsignal = signal.getsignal

_active: "Limit | None" = None  # the limit the timer is charging, if any
_OWN = os.path.dirname(os.path.abspath(__file__)) + os.sep  # factcheck's own modules


def _tick(signum: int, frame: FrameType | None) -> None:
    """Charge one tick to the pattern at work; raise TimeoutError past its limit.

    Raised only where factcheck's own code runs (a `regex` match runs inside it): a
    tick can land in a garbage-collector callback or a `__del__` of another library,
    where an exception is printed as "Exception ignored" and lost. Past the limit every
    tick tries again, so the next one that lands in our code raises. Never in this
    module: raised in `Limit.__exit__`, the timer would stay armed after the article.
    (Compiled modules (factcheck/compiled.py) run no Python frames, so a tick is
    handled at the next one: often a call into this module.)
    Stays installed once installed: a tick already on its way when the timer is
    stopped must find a handler (the default action of SIGVTALRM ends the process).
    """
    limit = _active
    if limit is None or not limit.running:
        return
    limit.left -= 1
    if limit.left < 0 and frame is not None and frame.f_code.co_filename.startswith(_OWN) \
            and frame.f_code.co_filename != __file__:
        raise TimeoutError("pattern ran past its time limit")


def _can_arm() -> bool:
    if _SIGNAL is None or _TIMER is None or _active is not None:
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    handler = _getsignal(_SIGNAL)
    if handler is _tick:
        return True
    if handler != signal.SIG_DFL:  # someone else's: a profiler, the host program
        return False
    try:
        signal.signal(_SIGNAL, _tick)
    except (ValueError, OSError):
        return False
    return True


class Limit:
    """`timeout` seconds of CPU for each pattern's work on one article.

    Use as a context manager around the article; call `start()` when a new pattern
    begins. Inside, regex calls pass `per_call` as their timeout: None when the timer
    keeps the limit, `timeout` otherwise.
    """

    __slots__ = ("timeout", "per_call", "left", "running", "_armed")

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.per_call: float | None = timeout
        self.left = _TICKS
        self.running = False
        self._armed = False

    @property
    def armed(self) -> bool:
        """Whether the interval timer keeps the limit (per-call timeouts are off)."""
        return self._armed

    def start(self) -> None:
        """Give the next piece of work (one pattern on this article) a whole limit."""
        self.left = _TICKS
        self.running = True

    def __enter__(self) -> "Limit":
        global _active
        if self.timeout > 0 and _can_arm():
            interval = self.timeout / _TICKS
            _active = self
            try:
                signal.setitimer(_TIMER, interval, interval)  # type: ignore[arg-type]
            except (ValueError, OSError):
                _active = None
                return self
            self._armed = True
            self.per_call = None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        global _active
        self.running = False
        if self._armed:
            signal.setitimer(_TIMER, 0, 0)  # type: ignore[arg-type]
            _active = None
            self._armed = False
            self.per_call = self.timeout


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Do not charge the work inside to the pattern at work: compiling a pattern on first
    use (0.08 s for the largest default one, more for a user's) is no runaway match."""
    limit = _active
    if limit is None or not limit.running:
        yield
        return
    limit.running = False
    try:
        yield
    finally:
        limit.running = True


def limit(timeout: Any) -> Limit:
    """Return a Limit of `timeout` seconds (a pack's `regex_timeout`)."""
    return Limit(float(timeout))
