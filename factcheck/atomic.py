"""Write files so that nobody ever sees half of one; where per-user caches live.

Every output (reports, index, CI files, cache entries) goes to a temporary file in
the target folder and is moved into place with os.replace, so a run killed mid-write
(Ctrl-C, kill, full disk) leaves each file either complete or absent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable


def cache_home() -> Path:
    """Return the folder for factcheck's per-user caches ($XDG_CACHE_HOME/factcheck)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factcheck"


def write_atomic(path: Path, data: bytes | Iterable[bytes], mode: int | None = None) -> None:
    """Write bytes (or the chunks of an iterable, one after another: a big file need not be
    held in memory) to `path` through a temporary file in the same folder and os.replace.

    The file gets `mode`, or the usual mode of a new file (0666 less the umask). A
    missing folder is made. The temporary file is `.NAME.RANDOM.tmp` beside it.
    """
    # Four system calls (create, write, close, rename) where tempfile.mkstemp, a file
    # object and chmod made ten (mkdir, getcwd, getpid, isatty, lseek, chmod...): a corpus
    # run writes two files an article, and on this kind of disk a call that touches a
    # folder costs tens of microseconds, or more while the file system is busy.
    fd, tmp = _create(path, 0o666 if mode is None else mode)
    try:
        for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
        os.close(fd)
        fd = -1
        if mode is not None:  # exactly this mode, whatever the umask (per-user caches: 0600)
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_BINARY", 0)


def _create(path: Path, mode: int) -> tuple[int, str]:
    """Create a new temporary file beside `path` (making the folder when it is missing)."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{_token():010x}.tmp")
        try:
            return os.open(tmp, _FLAGS, mode), tmp
        except FileExistsError:  # another process's name: draw again
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(f"no free temporary name beside {path}")


# Names are drawn from a generator of this process (no system call a name), made on the
# first write (a cached run writes nothing: `random` is not imported); a forked worker
# draws its own sequence. O_EXCL, not the draw, keeps two writers apart.
_RANDOM: Any = None


def _token() -> int:
    global _RANDOM
    if _RANDOM is None:
        import random

        _RANDOM = random.Random()
    return int(_RANDOM.getrandbits(40))


def _reseed() -> None:
    if _RANDOM is not None:
        _RANDOM.seed()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


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
