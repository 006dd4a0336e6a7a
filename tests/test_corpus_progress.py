"""The progress bar draws on a terminal only, and ends its line when done."""

from __future__ import annotations

import io

from factcheck.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    bar = Progress(10, stream=stream)
    for _ in range(10):
        bar.advance()
    bar.close()
    assert stream.getvalue() == ""


def test_bar_shows_count_and_total_on_a_terminal():
    stream = _Terminal()
    bar = Progress(4, stream=stream)
    for _ in range(4):
        bar.advance()
    bar.close()
    last = stream.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("[" + "#" * 30 + "] 4/4 checked")
    assert stream.getvalue().endswith("\n")


def test_unknown_total_shows_count_and_elapsed_time():
    bar = Progress(None, stream=_Terminal())
    bar.advance(3)
    assert bar.line().startswith("3 checked  ")
