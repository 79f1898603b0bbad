"""Small typographic rules for lesson text."""

import json
import re
import unicodedata
from pathlib import Path

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def test_lesson_00_keeps_numbers_and_their_percent_sign_on_one_line():
    """'75' and '%' joined by an ordinary space can wrap apart; a no-break space keeps them together."""
    nb = json.loads((LESSONS / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "75\u00a0%" in text
    assert not re.findall(r"\d %", text), re.findall(r".{20}\d %", text)


def _is_emoji(ch: str) -> bool:
    """An emoji or part of one: a box where no emoji font is installed (many lab PCs)."""
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or code == 0x200D or code >= 0x1F000  # ✏️ is ✏ + U+FE0F


def test_lesson_headings_have_no_symbols_and_the_text_no_emoji():
    """Headings use words only ("Try it", not "🔬 Try it"). In the text, symbols that ordinary
    fonts have (✓ ✗ ▶ ▸, shown in the widgets too) are fine; emoji are not."""
    headings, elsewhere = [], []
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for line in "".join(cell["source"]).splitlines():
                if line.lstrip().startswith("#"):
                    if any(unicodedata.category(ch) == "So" or _is_emoji(ch) for ch in line):
                        headings.append((path.name, line))
                elif any(_is_emoji(ch) for ch in line):
                    elsewhere.append((path.name, line[:60]))
    assert not headings, f"symbols in lesson headings: {headings}"
    assert not elsewhere, f"emoji in lesson text: {elsewhere}"
