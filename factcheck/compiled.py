"""The matcher's hot modules compiled to C with mypyc: optional, and never a different result.

Extraction spends about half its time in the interpreter (the matcher's loop, the
anchor look-ups, conditions, normalizers), and these modules compiled run it about
1.1x as fast (bench/README.md). `make` builds them when it can; factcheck/native.py
uses them only while they match their sources.

    python -m factcheck.compiled build    # needs mypy (the dev extra), a C compiler, Python's headers
    python -m factcheck.compiled status   # compiled, or pure Python and why
    python -m factcheck.compiled clean    # remove the compiled modules
"""

from __future__ import annotations

import os
import sys

from .native import _PACKAGE, GROUP, MODULES, STAMP, digest, source, state, stems

_MYPY_OPTIONS = ("--ignore-missing-imports", "--follow-imports=silent")  # check only what is compiled


def _built(package: str) -> list[str]:
    """The compiled files of a build in `package`: extensions of MODULES, the shared library."""
    import glob

    found: list[str] = []
    for stem in stems(package):
        found += glob.glob(glob.escape(stem) + ".*.so") + glob.glob(glob.escape(stem) + ".*.pyd")
    return found


def clean(package: str = _PACKAGE) -> int:
    """Remove a build (the stamp first: a half-removed build is never used). Return files removed."""
    removed = 0
    for path in [os.path.join(package, STAMP), *_built(package)]:
        try:
            os.remove(path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def build(package: str = _PACKAGE, jobs: int = 2) -> None:
    """Compile MODULES with mypyc next to their sources; raise RuntimeError when it cannot.

    The sources are copied to a temporary folder and built there (the project's own
    pyproject.toml is not read by setuptools), and the results are moved in. The stamp
    is the digest of the sources as they were when copied, written last: a source
    edited during the build leaves the build stale, so unused.
    """
    import contextlib
    import importlib.util
    import io
    import shutil
    import tempfile

    if importlib.util.find_spec("mypyc") is None:  # checked before anything is removed
        raise RuntimeError("mypyc is not installed: pip install -e '.[dev]' (it comes with mypy)")
    print("factcheck: compiling the matcher's modules with mypyc (about a minute)...", file=sys.stderr)
    clean(package)
    stamp = digest(package)
    with tempfile.TemporaryDirectory(prefix="factcheck-mypyc-") as tmp:
        src = os.path.join(tmp, "src")
        shutil.copytree(package, os.path.join(src, "factcheck"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", STAMP))
        log = io.StringIO()
        cwd = os.getcwd()
        try:
            os.chdir(src)  # setuptools and mypyc work in the current folder
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                _setup(os.path.join(tmp, "build"), jobs)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - setuptools exits on compiler errors
            tail = "\n".join(log.getvalue().splitlines()[-15:])
            raise RuntimeError(f"the build failed ({exc}):\n{tail}") from None
        finally:
            os.chdir(cwd)
        built = _built(os.path.join(src, "factcheck"))
        if len(built) != len(MODULES) + 1:
            raise RuntimeError(f"the build made {len(built)} files, not {len(MODULES) + 1}")
        for path in built:
            target = os.path.join(package, os.path.relpath(path, os.path.join(src, "factcheck")))
            shutil.copyfile(path, target + ".tmp")
            os.replace(target + ".tmp", target)
    from pathlib import Path

    from .atomic import write_atomic

    write_atomic(Path(package) / STAMP, stamp.encode("utf-8"))


def _setup(build_temp: str, jobs: int) -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    paths = [os.path.relpath(source(name, os.path.join(os.getcwd(), "factcheck"))) for name in MODULES]
    setup(name="factcheck-compiled", packages=[],
          ext_modules=mypycify([*_MYPY_OPTIONS, *paths], group_name=GROUP, opt_level="3"),
          script_args=["build_ext", "--inplace", "--build-temp", build_temp, "--parallel", str(jobs)])


def main(argv: list[str] | None = None) -> int:
    """`python -m factcheck.compiled build|status|clean`."""
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "status"
    if command == "build":
        import time

        started = time.monotonic()
        try:
            build()
        except RuntimeError as exc:
            print(f"factcheck: compiled modules not built, factcheck runs as pure Python: {exc}", file=sys.stderr)
            return 1
        print(f"factcheck: compiled {len(MODULES)} modules in {time.monotonic() - started:.0f} s", file=sys.stderr)
        return 0
    if command == "clean":
        print(f"factcheck: removed {clean()} compiled files", file=sys.stderr)
        return 0
    if command == "status":
        used, why = state()
        print(f"{'compiled' if used else 'pure Python'}: {why}")
        return 0
    print("usage: python -m factcheck.compiled build|status|clean", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
