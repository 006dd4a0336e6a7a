"""GitHub Actions workflow commands: annotations on the changed files of a pull request.

`::error file=a.md,line=12,col=5,endColumn=30,title=...::message`, one per flagged
claim (contradicted = error, vague = warning, unsupported = notice). Values are
escaped as the runner expects: `%`, CR and LF in the message; also `:` and `,` in
properties, so an article path or rule id cannot break the command.
"""

from __future__ import annotations

from typing import Any, Iterator, TextIO

LEVELS = {"contradicted": "error", "vague": "warning", "unsupported": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **props: Any) -> str:
    shown = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {shown}::{escape_data(message)}" if shown else f"::{level}::{escape_data(message)}"


def annotations(run: Any) -> Iterator[str]:
    """Yield one workflow command per flagged claim and per article that could not be checked."""
    for entry in run.each():
        path = entry.get("path")
        if entry.get("error"):
            yield _command("error", f"could not be checked: {entry['error']}", file=path, title="factcheck")
            continue
        for c in entry.get("claims", []):
            level = LEVELS.get(c["verdict"])
            if level is None or c.get("suppressed") is not None or not c.get("new", True):
                continue
            end = c["col"] + len(c["text"]) if c.get("col") and "\n" not in c["text"] else None
            yield _command(level, f"{c['verdict']}: \"{c['text']}\": {c['reason']}", file=path, line=c.get("line"),
                           col=c.get("col"), endColumn=end, title=f"factcheck {c['rule']}")


def write_annotations(run: Any, stream: TextIO) -> int:
    """Print the annotations; return how many were printed."""
    n = 0
    for line in annotations(run):
        stream.write(line + "\n")
        n += 1
    stream.flush()
    return n
