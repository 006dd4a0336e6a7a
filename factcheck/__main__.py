"""`python -m factcheck`."""

from .cli import entry

entry()
