"""Corpus throughput: --jobs 1 vs --jobs 2, worker memory over a run, cached re-run vs first run.

Runs `factcheck check` as a user would (a subprocess, JSON reports only) on the BBC
corpus (../shared/data/bbc) or its first N articles, samples the resident memory of
each worker process from /proc while it runs, and prints a table.

    .venv/bin/python bench/bench_corpus.py [--limit N] [--data DIR] [--recycle N]

Targets: jobs 2 / jobs 1 >= 1.8x on a 2-core machine; first run / cached run >= 50x.
The cache key includes a digest of factcheck's own sources, so the bench runs a
snapshot of the package, rules and templates (copied at start): edits made in the
tree meanwhile cannot turn the cached run into a miss (--live runs the tree).
"CPU s" is the user+system time of the command and its workers: on a busy machine
wall-clock speed-up understates what two idle cores give, CPU time does not lie.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTCHECK = [sys.executable, "-m", "factcheck"]
ENV = dict(os.environ)
_SUMMARY = re.compile(r"(\d+) articles \((\d+) checked, (\d+) cached\)")


def corpus(data: Path, limit: int | None, into: Path) -> int:
    """Link the first `limit` articles (sorted, README excluded) into a folder; return the count."""
    files = sorted(p for p in data.rglob("*.txt") if p.stem.lower() != "readme")[:limit]
    for f in files:
        link = into / f.relative_to(data)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(f.resolve())
    return len(files)


def _children(pid: int) -> list[int]:
    """Child processes of pid, whichever of its threads started them (the pool forks from a thread)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return (RSS, private) in KB. RSS counts pages a forked worker shares with its parent;
    private memory (USS) is what the worker itself costs."""
    rss = private = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, private


def run(args: list[str], cwd: Path) -> dict:
    """Run factcheck check; return wall seconds, the summary's counts and each worker's peak RSS."""
    started = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(FACTCHECK + ["check", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=ENV)
    peaks: dict[int, tuple[int, int]] = {}
    order: list[int] = []
    main_rss = 0
    while proc.poll() is None:
        for child in _children(proc.pid):
            if child not in order:
                order.append(child)
            rss, private = _memory_kb(child)
            if rss:  # 0: it already exited (a recycled worker)
                seen = peaks.get(child, (0, 0))
                peaks[child] = (max(seen[0], rss), max(seen[1], private))
        main_rss = max(main_rss, _memory_kb(proc.pid)[0])
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    err = proc.stderr.read()
    if os.environ.get("BENCH_DEBUG"):
        print(err, file=sys.stderr)
    m = _SUMMARY.search(err)
    if proc.returncode not in (0, 1) or not m:
        sys.exit(f"factcheck check failed ({proc.returncode}):\n{err}")
    return {"seconds": seconds, "cpu": cpu_s, "articles": int(m[1]), "checked": int(m[2]), "cached": int(m[3]),
            "workers": [peaks[p][0] / 1024 for p in order if p in peaks],
            "private": [peaks[p][1] / 1024 for p in order if p in peaks], "main": main_rss / 1024}


def snapshot(into: Path) -> None:
    """Copy the package, rules and templates; the runs import them from there."""
    for name in ("factcheck", "rules", "templates"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = str(into)  # the runs' working folder is not the tree: `-m` would import from there


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "bbc")
    parser.add_argument("--live", action="store_true", help="run the working tree, not a snapshot of it")
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    load = os.getloadavg()
    try:
        if not opts.live:
            snapshot(work / "snap")
        n = corpus(opts.data, opts.limit, work / "in")
        base = [str(work / "in"), "--format", "json"]
        one = run(base + ["--out", str(work / "o1"), "--jobs", "1", "--no-cache"], work)
        two = run(base + ["--out", str(work / "o2"), "--jobs", "2", "--cache-dir", str(work / "cache")], work)
        again = run(base + ["--out", str(work / "o2"), "--jobs", "2", "--cache-dir", str(work / "cache")], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [("jobs 1, no cache", one), ("jobs 2, first run", two), ("jobs 2, cached re-run", again)]
    print(f"corpus: {opts.data} ({n} articles), format json, cpu cores: {os.cpu_count()}, "
          f"load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f}")
    print(f"{'run':<24}{'seconds':>9}{'CPU s':>8}{'articles/s':>12}{'checked':>9}{'cached':>8}{'main MB':>9}"
          "  worker peak RSS MB")
    for name, r in rows:
        workers = ", ".join(f"{w:.0f}" for w in r["workers"][:12]) + (" ..." if len(r["workers"]) > 12 else "")
        print(f"{name:<24}{r['seconds']:>9.2f}{r['cpu']:>8.1f}{r['articles'] / r['seconds']:>12.1f}{r['checked']:>9}"
              f"{r['cached']:>8}{r['main']:>9.0f}  {workers or '-'}")
    print(f"speed-up jobs 2 / jobs 1: {one['seconds'] / two['seconds']:.2f}x wall (target >= 1.8x); "
          f"CPU jobs 2 / jobs 1: {two['cpu'] / one['cpu']:.2f} (1.0 = no parallel overhead)")
    print(f"cached re-run vs first run: {two['seconds'] / again['seconds']:.1f}x (target >= 50x)")
    if two["workers"]:
        private = ", ".join(f"{m:.0f}" for m in two["private"])
        print(f"workers seen: {len(two['workers'])} (each replaced after 200 articles); peak private memory "
              f"(USS) per worker, MB: {private}")
        print("(a worker's RSS includes the pages it shares with the main process it was forked from, "
              "which grows as the run's index entries accumulate)")


if __name__ == "__main__":
    main()
