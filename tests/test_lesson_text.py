"""Small typographic rules for lesson text."""

import json
import re
from pathlib import Path

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def test_lesson_00_keeps_numbers_and_their_percent_sign_on_one_line():
    """'75' and '%' joined by an ordinary space can wrap apart; a no-break space keeps them together."""
    nb = json.loads((LESSONS / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "75\u00a0%" in text
    assert not re.findall(r"\d %", text), re.findall(r".{20}\d %", text)
