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


RERUN = """
import sys
import factcheck.runrecord
from factcheck.cli import main
factcheck.runrecord.RACY_NS = 0  # trust files written a moment ago (as tests/test_cache_record.py)
code = main(["check", sys.argv[1], "--out", sys.argv[2], "--cache-dir", sys.argv[3], "--format", "json", "-q",
             "--fail-on", "none"])
loaded = {"dataclasses", "inspect", "regex", "yaml", "jinja2", "factcheck.matcher", "factcheck.models"} & set(sys.modules)
print(code, ",".join(sorted(loaded)) or "-", file=sys.stderr)
"""


def test_a_cached_rerun_loads_no_engine_and_no_dataclasses(tmp_path):
    """A re-run over unchanged files replays the run record: no engine, no rule file, no article
    model; and none of the dataclasses whose module costs a tenth of such a run (inspect)."""
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.md").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (news / "b.txt").write_text("The bridge opened in 1998, officials said.\n", encoding="utf-8")

    def check() -> str:
        run = subprocess.run([sys.executable, "-c", RERUN, str(news), str(tmp_path / "out"), str(tmp_path / "cache")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
        return run.stderr.strip().splitlines()[-1]

    first = check()
    assert first.startswith("0 ") and "factcheck.matcher" in first  # the first run checks: it loads the engine
    assert check() == "0 -"
