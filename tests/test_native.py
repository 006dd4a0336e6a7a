"""The compiled modules (factcheck/compiled.py) are used only while they match their
sources, all or none, and give the same claims as the sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from factcheck import native

BBC = ROOT.parent / "shared" / "data" / "bbc"


@pytest.fixture()
def build(tmp_path, monkeypatch):
    """A package folder with the sources of native.MODULES, a stamp of them and (empty)
    extension files in their place, as a build leaves them."""
    monkeypatch.delenv("FACTCHECK_PURE_PYTHON", raising=False)
    package = tmp_path / "factcheck"
    for name in native.MODULES:
        src = Path(native.source(name))
        dest = Path(native.source(name, str(package)))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        (dest.parent / (dest.stem + EXTENSION_SUFFIXES[0])).write_bytes(b"")
    (package / (native._LIBRARY + EXTENSION_SUFFIXES[0])).write_bytes(b"")
    (package / native.STAMP).write_text(native.digest(str(package)), encoding="utf-8")
    return package


def test_a_build_that_matches_its_sources_is_used(build):
    assert native.state(str(build)) == (True, "compiled with mypyc")
    assert native._Finder(str(build)).find_spec("factcheck.matcher") is None  # the extension, found as usual


def test_an_edited_source_makes_every_compiled_module_give_way_to_its_source(build):
    quantities = Path(native.source("factcheck.normalize.quantities", str(build)))
    quantities.write_text(quantities.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    used, why = native.state(str(build))
    assert not used and why.startswith("stale")
    finder = native._Finder(str(build))
    # Not only the edited module: the compiled ones call each other in C, so all or none.
    spec = finder.find_spec("factcheck.matcher")
    assert spec is not None and spec.origin == native.source("factcheck.matcher", str(build))
    assert finder.find_spec("factcheck.rules") is None  # never compiled: not the finder's


def test_a_missing_stamp_or_extension_or_the_switch_means_pure_python(build, monkeypatch):
    (build / (native._LIBRARY + EXTENSION_SUFFIXES[0])).unlink()
    used, why = native.state(str(build))
    assert not used and why.startswith("incomplete build")
    (build / native.STAMP).unlink()
    assert native.state(str(build))[1].startswith("not built")
    (build / native.STAMP).write_text(native.digest(str(build)), encoding="utf-8")
    (build / (native._LIBRARY + EXTENSION_SUFFIXES[0])).write_bytes(b"")
    monkeypatch.setenv("FACTCHECK_PURE_PYTHON", "1")
    assert native.state(str(build)) == (False, "FACTCHECK_PURE_PYTHON is set")


def _extract(files: list[Path], pure: bool) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_PURE_PYTHON"}
    if pure:
        env["FACTCHECK_PURE_PYTHON"] = "1"
    probe = ("import sys; from factcheck import native; from factcheck.cli import main; code = main(sys.argv[1:]); "
             "print(native.in_use(), file=sys.stderr); sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", probe, "extract", "--published", "2005-03-01", *map(str, files)],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout, run.stderr.strip().splitlines()[-1]


@pytest.mark.skipif(not native.state()[0], reason="the compiled modules are not built here (make builds them)")
@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/data/bbc")
def test_the_compiled_modules_give_the_claims_of_their_sources():
    files = [EXAMPLE] + sorted(BBC.rglob("*.txt"))[::45]
    compiled, used = _extract(files, pure=False)
    pure, unused = _extract(files, pure=True)
    assert (used, unused) == ("True", "False")
    lines = compiled.splitlines()
    assert len(lines) == len(files) and sum(len(json.loads(line)["claims"]) for line in lines) > 500
    assert compiled == pure


def test_anchor_plans_stay_cached_per_user_whichever_way_the_modules_run():
    # The per-user cache keys what it reads off patterns (anchor plans) by the computing
    # function and its module's source. A compiled module's __file__ may be wrong (mypyc
    # sets it from the group's library) and its functions have no __qualname__: keyed on
    # those, every start computed the plans again (1.3 s instead of 0.3).
    import hashlib

    probe = ("from factcheck import regexcache; from factcheck.api import load_engine; load_engine(); "
             "print(sorted(set(regexcache._NAMESPACES.values()), key=str))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    anchor = hashlib.sha256(Path(native.source("factcheck.anchor")).read_bytes()).hexdigest()[:16]
    assert run.stdout.strip() == str([f"factcheck.anchor._factored_text@{anchor}", f"factcheck.anchor.split@{anchor}"])
