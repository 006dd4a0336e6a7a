"""Run every benchmark in bench/ with one command; each prints its own table.

Run from the repository root:  python bench/run.py [--quick] [--strict]   (`make bench` runs it)

The scripts run one after another in fresh processes with this interpreter:
bench_extract.py (per-article extraction against a bare regex scan and dateparser),
bench_startup.py (`factcheck extract` start-up), and bench_pdf.py and
bench_corpus.py when present. A summary of which met their targets comes last; the exit
status is 1 only when a script failed (with --strict, also when a target was missed).
Timings are CPU seconds where the script says so: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# script -> (arguments, arguments with --quick)
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "bench_extract.py": ([], ["--limit", "60", "--dateparser-limit", "10"]),
    "bench_startup.py": ([], ["-n", "3"]),
    "bench_pdf.py": ([], ["-n", "2"]),
    "bench_corpus.py": (["--repeat", "2"], ["--limit", "100"]),
}


def main() -> int:
    """Run the benchmarks that exist; return 1 if one failed (or, with --strict, missed a target)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller samples, for a smoke run")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed, too")
    ap.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_extract.py)")
    args = ap.parse_args()
    summary = []
    for name, (full, quick) in SCRIPTS.items():
        script = HERE / name
        if not script.is_file() or (args.only and name not in args.only):
            continue
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *(quick if args.quick else full)], cwd=ROOT)
        summary.append((name, code, time.perf_counter() - start))
    print("\n=== summary " + "=" * 49)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer on a shared machine)")
    for name, code, spent in summary:
        state = "ok" if code == 0 else ("missed a target" if code == 1 else f"failed (exit {code})")
        print(f"{name:<24}{state:<20}{spent:8.1f} s")
    allowed = (0,) if args.strict else (0, 1)  # 1: ran and printed its table, missed a target
    return 0 if all(code in allowed for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
