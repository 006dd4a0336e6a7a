"""`factcheck extract` stays light: no WeasyPrint (and its fonts) in the process.

Run in a fresh interpreter, since the test session may have imported it already.
Speed itself is measured in bench/bench_startup.py, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLE, ROOT

PROBE = """
import sys
from factcheck.cli import main
code = main(["extract", sys.argv[1]])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"weasyprint", "pydyf", "tinycss2", "cssselect2", "fontTools"})
print(code, ",".join(heavy) or "-", file=sys.stderr)
"""


def test_extract_runs_without_importing_weasyprint():
    run = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE)], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert run.stderr.strip().splitlines()[-1] == "0 -"
    assert run.stdout.count("\n") == 1  # the article's JSONL line


def test_importing_the_cli_imports_no_report_renderer():
    probe = "import sys, factcheck.cli; print(sorted(m for m in sys.modules if m.startswith(('weasyprint', 'jinja2'))))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.stdout.strip() == "[]"
