"""How wide a text is in the Word document's font (Calibri), so table columns fit their words and no more.

Calibri is not free to ship; Carlito is its metric-compatible free twin (same advance width for every glyph), so
the advance widths in `calibri_sirky.json` were read from Carlito and are Calibri's. Regenerate them with
`python -m pipeline.render.text_width Carlito-Regular.ttf Carlito-Bold.ttf` (Debian: fonts-crosextra-carlito).
Carlito has no no-break spaces: they count as a space (Calibri's are as wide). A character outside the table
counts as the widest one in it: a column may come out wider, never too narrow.
"""
from functools import cache
from importlib.resources import files
import json
from pathlib import Path
import sys

CM_PER_PT = 2.54 / 72
# What the table holds: printable ASCII, Czech and Slovak letters and the typography `core.text.typeset` puts in
CHARACTERS = ("".join(chr(c) for c in range(0x20, 0x7F)) + "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽäľĺôŕÄĽĹÔŔöüÖÜ"
              + "\u2013\u2014\u2026\u201e\u201c\u201a\u2018\u2019\u00d7\u2264\u2265\u2212\u00b0"
              + "\u2030\u00b2\u00b3\u2192\u00bd\u00a7\u20ac\u2022")

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


@cache
def _table() -> dict:
    return json.loads((files("pipeline.render") / "calibri_sirky.json").read_text(encoding="utf-8"))


def width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """Advance width of `text` set in Calibri (regular or bold) at `size_pt`, in centimetres (no kerning: Word
    does not kern 9 pt body text unless asked, and kerning only ever narrows)."""
    table = _table()
    advances = table["tucne" if bold else "obycejne"]
    widest = max(advances.values())
    units = sum(advances.get(char, widest) for char in text.translate(SPACES))
    return units / table["jednotek_na_em"] * size_pt * CM_PER_PT


def measure(font: Path) -> dict[str, int]:
    """Advance width of every character of CHARACTERS the font has, in font units."""
    from matplotlib.ft2font import FT2Font, LoadFlags  # only for regenerating the table
    face = FT2Font(str(font))
    return {char: face.load_char(ord(char), flags=LoadFlags.NO_SCALE).horiAdvance for char in CHARACTERS
            if face.get_char_index(ord(char))}


if __name__ == "__main__":
    regular, bold = (Path(p) for p in sys.argv[1:3])
    from matplotlib.ft2font import FT2Font
    table = {"zdroj": f"advance widths of {regular.name} and {bold.name} (metric-compatible with Calibri)",
             "jednotek_na_em": FT2Font(str(regular)).units_per_EM, "obycejne": measure(regular), "tucne": measure(bold)}
    target = Path(__file__).with_name("calibri_sirky.json")
    target.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
