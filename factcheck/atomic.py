"""Write files so that nobody ever sees half of one; where per-user caches live.

Every output (reports, index, CI files, cache entries) goes to a temporary file in
the target folder and is moved into place with os.replace, so a run killed mid-write
(Ctrl-C, kill, full disk) leaves each file either complete or absent.
"""

from __future__ import annotations

import os
from pathlib import Path

# mkstemp makes 0600 files; outputs get the usual mode (0666 less the umask) instead.
_UMASK = os.umask(0)
os.umask(_UMASK)


def cache_home() -> Path:
    """Return the folder for factcheck's per-user caches ($XDG_CACHE_HOME/factcheck)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factcheck"


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write bytes to `path` through a temporary file in the same folder and os.replace."""
    import tempfile  # imported late: a run that only reads (its caches) writes nothing

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, (0o666 & ~_UMASK) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune_oldest(folder: str | Path, limit: int) -> None:
    """Past `limit` files in a cache folder, remove the oldest quarter (entries of files
    edited long ago); an unreadable folder is left as it is."""
    try:
        entries = list(os.scandir(folder))
        if len(entries) <= limit:
            return
        entries.sort(key=lambda e: e.stat().st_mtime)
        for entry in entries[: len(entries) - limit * 3 // 4]:
            Path(entry.path).unlink(missing_ok=True)
    except OSError:
        pass
