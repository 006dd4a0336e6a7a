"""One exception hierarchy for every mistake a user can make.

The CLI prints `str(error)` on one line and exits with `error.exit_code`; it never
shows a traceback for these.
"""

from __future__ import annotations

from typing import NamedTuple


# The records on the way of a cached re-run are NamedTuples, not dataclasses:
# `dataclasses` imports `inspect` (15 ms) and writes each class's methods with exec
# (1.3 ms a class), about 30 ms of a re-run's 0.2 s.
class Location(NamedTuple):
    """A place in a user's file: 1-based line and column."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class FactcheckError(Exception):
    """A user-caused error: bad input, bad rules, bad options. Exit code 2."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None, subject: str | None = None):
        self.message = message
        self.location = location
        self.subject = subject  # e.g. "rule 'date.month-year'"
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        subject = f"{self.subject}: " if self.subject else ""
        return f"{prefix}{subject}{self.message}"


class RuleError(FactcheckError):
    """A rule pack is invalid."""


class FactError(FactcheckError):
    """A reference-facts file is invalid."""


class ConfigError(FactcheckError):
    """The project configuration or a command-line option is invalid."""


class ArticleError(FactcheckError):
    """An article cannot be read."""


class RegexTimeout(FactcheckError):
    """A rule's pattern ran past its time limit on an article."""


class TemplateError(FactcheckError):
    """A report template is missing or uses an undefined variable."""
