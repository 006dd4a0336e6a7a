"""Benchmark PDF reports: a naive WeasyPrint render against factcheck's renderer.

Run from the repository root:  python bench/bench_pdf.py [-n RUNS] [--fonttools] [ARTICLE]

"naive" renders the standalone HTML report (CSS inlined) with
`HTML(string=...).write_pdf()` and WeasyPrint's defaults, every time from scratch:
it parses the <style>, builds a FontConfiguration, and, having no @font-face, sets
the text in the system's fonts (DejaVu here), subset at every render.
"ours" is `factcheck.report.pdf.render_pdf`: the stylesheets compiled once into CSS
objects, one FontConfiguration for the process with the small shipped fonts
(templates/fonts/) registered, embedded whole (no subsetting) when they cover the
text, and a fetcher that refuses every external resource. Both lay out the same
HTML with the same print CSS. Both are timed interleaved (median CPU seconds of N),
then RSS growth over N more renders in this process.
`--fonttools` hides HarfBuzz-subset from WeasyPrint, as on machines without
libharfbuzz-subset: there font subsetting is most of the naive render's time.
The article is checked with the small fixed rule pack of the report tests, so the
report does not change as the default rules do; pass --default-rules to use them.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.api import load_engine  # noqa: E402
from factcheck.readers import read_path  # noqa: E402
from factcheck.report import build_report  # noqa: E402
from factcheck.report.html import render_html, render_page  # noqa: E402
from factcheck.report.pdf import only_shipped_fonts, render_document, render_pdf  # noqa: E402
from factcheck.report.templating import default_templates_dir, stylesheet  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "report_rules"


def rss_mb() -> float:
    """Return this process's resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(fn) -> tuple[float, float]:
    """Return (CPU seconds, wall seconds) of one call.

    CPU time of this process is the main measure: the machine may be shared, and
    waiting for a core is not the renderer's cost.
    """
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    """Print the benchmark table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", default=str(ROOT / "examples" / "putin-peace-talks.md"))
    ap.add_argument("-n", "--runs", type=int, default=5, help="timed renders of each kind (default 5)")
    ap.add_argument("--default-rules", action="store_true", help="check with the default rules and facts")
    ap.add_argument("--fonttools", action="store_true",
                    help="subset fonts with fontTools even if HarfBuzz-subset is installed (to compare)")
    args = ap.parse_args()
    if args.fonttools:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None

    if args.default_rules:
        engine = load_engine()
    else:
        engine = load_engine(rules=[FIXTURE], facts=[FIXTURE / "facts"], default_rules=False, default_facts=False)
    result = engine.check(next(read_path(Path(args.article))))
    report = build_report(result)
    html = render_html(report)

    from weasyprint import HTML

    def naive() -> bytes:
        return HTML(string=html).write_pdf()

    def ours() -> bytes:
        return render_pdf(report)

    # Warm-up: imports, fontconfig's first scan, our compiled stylesheet.
    naive_pdf, ours_pdf = naive(), ours()
    t_naive, t_ours, t_layout = [], [], []
    for _ in range(args.runs):
        t_naive.append(timed(naive))
        t_ours.append(timed(ours))
        t_layout.append(timed(lambda: render_document(report)))
    gc.collect()
    before = rss_mb()
    for _ in range(args.runs):
        ours()
    gc.collect()
    growth = rss_mb() - before

    import weasyprint.pdf.fonts

    subsetter = "HarfBuzz" if weasyprint.pdf.fonts.harfbuzz_subset else "fontTools"
    n_naive, n_ours = len(HTML(string=html).render().pages), len(render_document(report).pages)

    def med(times: list[tuple[float, float]], i: int) -> float:
        return statistics.median(t[i] for t in times)

    print(f"article: {args.article}  claims: {report.total}  runs: {args.runs}  font subsetting: {subsetter}")
    print(f"{'renderer':<17} {'CPU s':>7} {'wall s':>7} {'pages':>6} {'bytes':>8}")
    print(f"{'naive':<17} {med(t_naive, 0):>7.3f} {med(t_naive, 1):>7.3f} {n_naive:>6} {len(naive_pdf):>8}")
    print(f"{'ours':<17} {med(t_ours, 0):>7.3f} {med(t_ours, 1):>7.3f} {n_ours:>6} {len(ours_pdf):>8}")
    print(f"{'  ours: layout':<17} {med(t_layout, 0):>7.3f} {med(t_layout, 1):>7.3f}")
    fonts = sorted((default_templates_dir() / "fonts").glob("*.ttf"))
    whole = only_shipped_fonts(render_page(report, None, None, "pdf", css=None, jsonld=False), stylesheet(None))
    print(f"ours embeds: {'the shipped fonts whole' if whole else 'subsets (text outside the shipped fonts)'}; "
          f"shipped: {len(fonts)} fonts, {sum(f.stat().st_size for f in fonts) / 1024:.0f} KB")
    print(f"ratio ours/naive (CPU, median of {args.runs}): {med(t_ours, 0) / med(t_naive, 0):.2f}   "
          f"RSS growth over {args.runs} more renders: {growth:+.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
