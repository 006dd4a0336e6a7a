"""Benchmark PDF reports: factcheck's renderer against a naive WeasyPrint render of the HTML report.

Run from the repository root:  python bench/bench_pdf.py [-n RUNS] [--fonttools] [--phases] [ARTICLE...]

naive: the standalone HTML report a user gets (reports/<name>.html: report.html.j2
  with report.css inlined, screen and print styles) rendered with WeasyPrint's
  defaults, `weasyprint.HTML(string=html).write_pdf()`, from scratch every time: the
  HTML5 parser (tinyhtml5, pure Python), the inlined <style> parsed, WeasyPrint's
  full user-agent stylesheet, a new FontConfiguration, the system's fonts (DejaVu
  here) subset at every render, and the report's 5-column table of claims.
ours: `factcheck.report.pdf.render_pdf`, the PDF a user gets: the same content from
  a template and stylesheet made for paper (templates/report.pdf.j2, pdf.css: few
  elements, no tables, floats, flex or positioning, ids only on leaf elements),
  the page parsed by the standard library's XML parser and styled on a small
  user-agent stylesheet, the stylesheets compiled and the FontConfiguration built
  once per process, the shipped fonts (templates/fonts/) embedded whole.
Both are timed interleaved in this process: median CPU seconds of N renders each
(garbage collected before each), then RSS growth over N more renders of ours.
Target (issue 8): ours in under half the CPU time of naive.

Articles: by default the example (checked with the small fixed rule pack of the
report tests, so the report does not change with the default rules: 10 claims, 3
pages) and a median-size BBC article (1,967 characters, the default rules and facts:
4 pages); name other articles to measure those (with the default rules).
`--fonttools` hides HarfBuzz-subset from WeasyPrint, as on machines without
libharfbuzz-subset: there the naive render subsets its fonts in Python.
`--phases` also prints where the CPU time goes (parse, cascade, layout, drawing,
fonts, writing), measured by timing WeasyPrint's own functions in extra renders.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.api import load_engine  # noqa: E402
from factcheck.readers import read_path  # noqa: E402
from factcheck.report import build_report  # noqa: E402
from factcheck.report.html import render_html  # noqa: E402
from factcheck.report.pdf import TEMPLATE, only_shipped_fonts, pdf_stylesheet, render_document, render_pdf  # noqa: E402
from factcheck.report.templating import default_templates_dir, render  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "report_rules"
EXAMPLE = ROOT / "examples" / "putin-peace-talks.md"
MEDIAN_BBC = ROOT.parent / "shared" / "data" / "bbc" / "politics" / "385.txt"
TARGET = 0.5

# Where the time goes: (label, module, attribute) of WeasyPrint functions timed inclusively.
# A label starting with two spaces is part of the phase above it.
PHASES = [
    ("parse HTML", "tinyhtml5", "parse"),
    ("parse HTML", "xml.etree.ElementTree", "fromstring"),
    ("compile CSS", "weasyprint", "CSS.__init__"),
    ("cascade", "weasyprint.css", "get_all_computed_styles"),
    ("box tree", "weasyprint.formatting_structure.build", "build_formatting_structure"),
    ("layout", "weasyprint.document", "Document._render"),
    ("  text shaping, line breaks", "weasyprint.text.line_break", "split_first_line"),
    ("  tables", "weasyprint.layout.table", "table_layout"),
    ("  inline-blocks", "weasyprint.layout.inline", "inline_block_box_layout"),
    ("draw", "weasyprint.document", "Page.paint"),
    ("fonts: subset or embed", "weasyprint.pdf.fonts", "build_fonts_dictionary"),
    ("write PDF objects", "pydyf", "PDF.write"),
]


def rss_mb() -> float:
    """Return this process's resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Return (CPU seconds, wall seconds) of one call, garbage collected first.

    CPU time of this process is the main measure: the machine may be shared, and
    waiting for a core is not the renderer's cost.
    """
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


class PhaseTimer:
    """Time WeasyPrint's functions by wrapping them wherever they were imported."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()
        self._active: collections.Counter[str] = collections.Counter()

    def install(self) -> None:
        """Wrap every function of PHASES (once per process)."""
        import importlib

        for label, module_name, attr in PHASES:
            module = importlib.import_module(module_name)
            if "." in attr:  # a method
                cls_name, name = attr.split(".")
                cls = getattr(module, cls_name)
                setattr(cls, name, self._wrap(label, getattr(cls, name)))
                continue
            original = getattr(module, attr)
            wrapper = self._wrap(label, original)
            for mod in list(sys.modules.values()):  # `from x import f` copies f into other modules
                if getattr(mod, attr, None) is original:
                    setattr(mod, attr, wrapper)

    def _wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self._active[label]:  # recursion: count the outermost call only
                return fn(*args, **kwargs)
            self._active[label] += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] += time.process_time() - start
                self._active[label] -= 1
        return wrapper


def phases(renders: dict[str, Callable[[], Any]], runs: int) -> None:
    """Print CPU seconds per phase and render (mean of `runs` interleaved renders)."""
    timer = PhaseTimer()
    timer.install()
    spent: dict[str, collections.Counter[str]] = {name: collections.Counter() for name in renders}
    totals: dict[str, float] = collections.defaultdict(float)
    for _ in range(runs):
        for name, fn in renders.items():
            timer.spent.clear()
            totals[name] += timed(fn)[0]
            spent[name].update(timer.spent)
    print(f"where the CPU time goes (s per render, mean of {runs}; timing adds some overhead):")
    print(f"  {'phase':<30}" + "".join(f"{name:>9}{'share':>7}" for name in renders))
    labels = list(dict.fromkeys(label for label, _, _ in PHASES))
    for name in renders:
        s = spent[name]
        s["layout"] -= s["cascade"] + s["box tree"]  # Document._render() runs both, then lays out
        s["cascade"] -= s["compile CSS"]  # naive: the inlined <style> is compiled while cascading
    for label in labels:
        row = ""
        for name in renders:
            value = spent[name][label] / runs
            row += f"{value:>9.3f}{100 * value * runs / totals[name]:>6.0f}%"
        print(f"  {label:<30}{row}")
    row = ""
    for name in renders:
        top = sum(spent[name][label] for label in labels if not label.startswith("  "))
        other = (totals[name] - top) / runs
        row += f"{other:>9.3f}{100 * other * runs / totals[name]:>6.0f}%"
    print(f"  {'other (templates, setup)':<30}{row}")
    print(f"  {'total':<30}" + "".join(f"{totals[name] / runs:>9.3f}{100:>6.0f}%" for name in renders))


def bench_article(path: Path, default_rules: bool, runs: int, show_phases: bool) -> bool:
    """Benchmark one article's report; print its table; return whether the target is met."""
    if default_rules:
        engine = load_engine()
    else:
        engine = load_engine(rules=[FIXTURE], facts=[FIXTURE / "facts"], default_rules=False, default_facts=False)
    report = build_report(engine.check(next(read_path(path))))
    html = render_html(report)

    from weasyprint import HTML

    def naive() -> bytes:
        return HTML(string=html).write_pdf()

    def ours() -> bytes:
        return render_pdf(report)

    # Warm-up: imports, fontconfig's first scan, our compiled stylesheets and template.
    naive_pdf, ours_pdf = naive(), ours()
    t_naive, t_ours, t_layout = [], [], []
    for _ in range(runs):
        t_naive.append(timed(naive))
        t_ours.append(timed(ours))
        t_layout.append(timed(lambda: render_document(report)))
    gc.collect()
    before = rss_mb()
    for _ in range(runs):
        ours()
    gc.collect()
    growth = rss_mb() - before

    import weasyprint.pdf.fonts

    subsetter = "HarfBuzz" if weasyprint.pdf.fonts.harfbuzz_subset else "fontTools"
    n_naive, n_ours = len(HTML(string=html).render().pages), len(render_document(report).pages)

    def med(times: list[tuple[float, float]], i: int) -> float:
        return statistics.median(t[i] for t in times)

    rules = "default rules" if default_rules else "report-test rule pack"
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"\narticle: {shown}  "
          f"({rules}, {report.total} claims)  runs: {runs}  font subsetting: {subsetter}")
    print(f"{'renderer':<17} {'CPU s':>7} {'wall s':>7} {'pages':>6} {'bytes':>8}")
    print(f"{'naive':<17} {med(t_naive, 0):>7.3f} {med(t_naive, 1):>7.3f} {n_naive:>6} {len(naive_pdf):>8}")
    print(f"{'ours':<17} {med(t_ours, 0):>7.3f} {med(t_ours, 1):>7.3f} {n_ours:>6} {len(ours_pdf):>8}")
    print(f"{'  ours: layout':<17} {med(t_layout, 0):>7.3f} {med(t_layout, 1):>7.3f}")
    fonts = sorted((default_templates_dir() / "fonts").glob("*.ttf"))
    page = render(None, TEMPLATE, report=report, checked_at=None, generator="")
    whole = only_shipped_fonts(page, pdf_stylesheet(None))
    print(f"ours embeds: {'the shipped fonts whole' if whole else 'subsets (text outside the shipped fonts)'}; "
          f"shipped: {len(fonts)} fonts, {sum(f.stat().st_size for f in fonts) / 1024:.0f} KB; "
          f"RSS growth over {runs} more renders: {growth:+.1f} MB")
    ratio = med(t_ours, 0) / med(t_naive, 0)
    best = min(t[0] for t in t_ours) / min(t[0] for t in t_naive)
    met = ratio < TARGET
    print(f"ratio ours/naive (CPU, median of {runs}): {ratio:.2f}  (fastest of each: {best:.2f})")
    print(f"target: ours/naive < {TARGET:.2f} -> {'met' if met else 'MISSED'}")
    if show_phases:
        phases({"naive": naive, "ours": ours}, runs)
    return met


def main() -> int:
    """Print the benchmark tables; exit 1 if a report misses the target."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", nargs="*", type=Path,
                    help="articles to measure, with the default rules (default: the example and a median BBC article)")
    ap.add_argument("-n", "--runs", type=int, default=5, help="timed renders of each kind (default 5)")
    ap.add_argument("--fonttools", action="store_true",
                    help="subset fonts with fontTools even if HarfBuzz-subset is installed (to compare)")
    ap.add_argument("--phases", action="store_true", help="also print where the time goes, phase by phase")
    args = ap.parse_args()
    if args.fonttools:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None
    if args.articles:
        jobs = [(path.resolve(), True) for path in args.articles]
    else:
        jobs = [(EXAMPLE, False)] + ([(MEDIAN_BBC, True)] if MEDIAN_BBC.is_file() else [])
    met = [bench_article(path, default, args.runs, args.phases) for path, default in jobs]
    return 0 if all(met) else 1


if __name__ == "__main__":
    raise SystemExit(main())
