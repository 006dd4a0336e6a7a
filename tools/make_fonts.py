"""Build the small fonts the PDF report embeds: templates/fonts/*.ttf.

Run from the repository root:  python tools/make_fonts.py [DEJAVU_DIR]

The PDF uses these fonts, shipped with the package, instead of whatever fonts the
machine has: a PDF of Latin-script text then has the same bytes on every machine,
and WeasyPrint embeds the whole small file (`full_fonts`) instead of subsetting a
6,000-glyph system font on every render (bench/bench_pdf.py).

Source: DejaVu 2.37 (Debian fonts-dejavu-core and fonts-dejavu-extra), licence
Bitstream Vera + public domain, kept as templates/fonts/LICENSE-DejaVu.txt. The
licence lets modified fonts be redistributed if renamed to names without
"Bitstream" or "Vera"; the subsets are named "Factcheck Sans" / "Factcheck Serif".

Kept: Latin-1, Latin Extended-A, Romanian comma letters, general punctuation
(curly quotes, dashes, ellipsis, bullets, primes), common currency signs, №, ™,
maths signs a fact-check quotes (− × ± ≈ ≠ ≤ ≥ %), and the glyphs OpenType
kerning and mark positioning, without glyph substitutions (see build). Hinting is dropped (PDF viewers
do not need it; WeasyPrint drops it from subsets too). Any other character falls
back per glyph to the system's fonts. The output is byte-reproducible: no
timestamps are stamped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "fonts"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# (source file, family, style name, output file)
FACES = [
    ("DejaVuSans.ttf", "Factcheck Sans", "Regular", "FactcheckSans-Regular.ttf"),
    ("DejaVuSans-Bold.ttf", "Factcheck Sans", "Bold", "FactcheckSans-Bold.ttf"),
    ("DejaVuSans-Oblique.ttf", "Factcheck Sans", "Oblique", "FactcheckSans-Oblique.ttf"),
    ("DejaVuSerif.ttf", "Factcheck Serif", "Regular", "FactcheckSerif-Regular.ttf"),
    ("DejaVuSerif-Bold.ttf", "Factcheck Serif", "Bold", "FactcheckSerif-Bold.ttf"),
    ("DejaVuSerif-Italic.ttf", "Factcheck Serif", "Italic", "FactcheckSerif-Italic.ttf"),
]

UNICODES = [
    *range(0x20, 0x7F),        # ASCII
    *range(0xA0, 0x180),       # Latin-1 Supplement, Latin Extended-A
    *range(0x218, 0x21C),      # Ș ș Ț ț (Romanian)
    *range(0x2010, 0x2028),    # dashes, quotes, bullets, ellipsis
    *range(0x2030, 0x203B),    # per mille, primes, single guillemets
    0x2044,                    # fraction slash
    0x20AC, 0x20B4, 0x20B9, 0x20BD,  # € ₴ ₹ ₽
    0x2116, 0x2122,            # № ™
    0x2212, 0x2248, 0x2260, 0x2264, 0x2265,  # − ≈ ≠ ≤ ≥
]


def rename(font: TTFont, family: str, style: str) -> None:
    """Give the subset its own names (the Bitstream Vera licence requires renaming modified fonts)."""
    full = family if style == "Regular" else f"{family} {style}"
    postscript = f"{family.replace(' ', '')}-{style}"
    names = {1: family, 2: style, 3: f"{postscript};DejaVu-2.37-subset", 4: full, 6: postscript}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17):  # typographic names: identical to 1/2 here, drop the old ones
            table.removeNames(nameID=record.nameID)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English
        table.setName(text, name_id, 1, 0, 0)      # Macintosh, Roman, English
    table.names = [r for r in table.names if not (r.nameID in names and r.langID not in (0x409, 0))]


def build(source: Path, family: str, style: str, target: Path) -> int:
    """Subset and rename one face; return the output's size in bytes."""
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.recalc_timestamp = False  # same bytes on every rebuild
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright notice (0) and version (5)
    options.drop_tables += ["MATH", "FFTM"]  # maths layout, FontForge timestamps: unused
    # Kerning and mark positioning only: no substitutions (ligatures), so every glyph
    # drawn has one character in the cmap, and text copied from a PDF that embeds the
    # whole font (no per-render ToUnicode from shaping) reads right ("fi", not "").
    options.layout_features = ["kern", "mark", "mkmk"]
    options.drop_tables += ["GSUB"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    rename(font, family, style)
    font.recalcTimestamp = False
    subset.save_font(font, str(target), options)
    return target.stat().st_size


def main() -> int:
    """Build every face into templates/fonts/."""
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEJAVU
    OUT.mkdir(parents=True, exist_ok=True)
    for filename, family, style, output in FACES:
        size = build(src / filename, family, style, OUT / output)
        print(f"{output:<30} {size / 1024:6.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
