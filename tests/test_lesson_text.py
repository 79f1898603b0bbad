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


# --- Blockade figures quoted in the text agree with lesson 04's model --------------------------------
# Lesson 07 and the instructor guide quote numbers computed with ``simulate_naltrexone``. Each pattern
# below must still be found (rewording a sentence means updating its pattern here), and every number it
# captures must agree with the model: occupancies within 1.5 percentage points (the text rounds to whole
# per cent), dose ratios within 0.1, times within 1 h (days within 0.1).

ROOT = LESSONS.parent
OCC_TOL_PCT, RATIO_TOL, HOURS_TOL, DAYS_TOL = 1.5, 0.1, 1.0, 0.1


def _text(relpath: str) -> str:
    path = ROOT / relpath
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        raw = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    else:
        raw = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", raw)


def _mor_after_one_tablet(dose_mg: float, t_h: float) -> float:
    from widgets import pharmacology as ph

    return float(ph.simulate_naltrexone(dose_mg, t_end_h=t_h).mor_occupancy.iloc[-1])


def _mor_after_seven_daily(t_h: float) -> float:
    from widgets import pharmacology as ph

    return float(ph.simulate_naltrexone(50, interval_h=24, n_doses=7, t_end_h=t_h).mor_occupancy.iloc[-1])


def _single_tablet_times() -> dict:
    from widgets import pharmacology as ph

    df = ph.simulate_naltrexone(50, t_end_h=24 * 14)
    after_peak = df.time_h > df.time_h[df.naltrexone_ng_ml.idxmax()]
    peak = df.naltrexone_ng_ml.max()
    return {
        "plasma_1pct_h": float(df.time_h[after_peak & (df.naltrexone_ng_ml < 0.01 * peak)].iloc[0]),
        "mor_half_h": float(df.time_h[after_peak & (df.mor_occupancy < 0.5)].iloc[0]),
    }


def _pct(p: float) -> float:
    return 100 * p


def _ratio(p: float) -> float:
    return 1 / (1 - p)


def _claims():
    """(file, pattern, [(kind, model value) per captured group])."""
    heroin = {dose: _mor_after_one_tablet(dose, t) for dose, t in ((50, 24), (100, 48), (150, 72))}
    times = _single_tablet_times()
    week_after, day10 = _mor_after_seven_daily(6 * 24 + 168), _mor_after_seven_daily(240)
    h50, h100, h150 = heroin[50], heroin[100], heroin[150]
    occ, ratio = "occupancy %", "dose ratio"
    return [
        (
            "lessons/07_safety.ipynb",
            r"about (\d+) % of mu receptors held after 50 mg \(about (\d+) % and (\d+) % after 100 and 150 mg\), "
            r"a dose ratio of about (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?) and (\d+(?:\.\d+)?)\)",
            [(occ, _pct(h50)), (occ, _pct(h100)), (occ, _pct(h150))]
            + [(ratio, _ratio(h50)), (ratio, _ratio(h100)), (ratio, _ratio(h150))],
        ),
        (
            "lessons/07_safety.ipynb",
            r"still about (\d+) % at 24 h, a dose ratio of only about (\d+(?:\.\d+)?)",
            [(occ, _pct(h50)), (ratio, _ratio(h50))],
        ),
        (
            "lessons/07_safety.ipynb",
            r"at 24 h lesson 04's model still has about (\d+) % of mu receptors occupied, a dose ratio of only about (\d+(?:\.\d+)?)",
            [(occ, _pct(h50)), (ratio, _ratio(h50))],
        ),
        (
            "instructor/README.md",
            r"lesson 04's model shows about (\d+) % of mu receptors held, a dose ratio of only about (\d+(?:\.\d+)?) "
            r"\((\d+) % and (\d+) % at 48 h and 72 h after 100 and 150 mg\)",
            [(occ, _pct(h50)), (ratio, _ratio(h50)), (occ, _pct(h100)), (occ, _pct(h150))],
        ),
        (
            "instructor/README.md",
            r"at 24 h the model still shows (\d+) % of MOR held, a dose ratio of (\d+(?:\.\d+)?)",
            [(occ, _pct(h50)), (ratio, _ratio(h50))],
        ),
        (
            "instructor/README.md",
            r"plasma naltrexone is below 1 % of its peak by (\d+(?:\.\d+)?) h after one 50 mg tablet, "
            r"yet MOR blockade stays above 50 % for (\d+(?:\.\d+)?) days",
            [("hours", times["plasma_1pct_h"]), ("days", times["mor_half_h"] / 24)],
        ),
        ("instructor/README.md", r"MOR < 50 % at (\d+) h", [("hours", times["mor_half_h"])]),
        (
            "instructor/README.md",
            r"a week after the last of 7 daily tablets the timeline shows MOR (\d+) % blocked and morphine "
            r"needing only about (\d+(?:\.\d+)?) times",
            [(occ, _pct(week_after)), (ratio, _ratio(week_after))],
        ),
        (
            "instructor/README.md",
            r"day 10: MOR (\d+) %, morphine about (\d+(?:\.\d+)?) times",
            [(occ, _pct(day10)), (ratio, _ratio(day10))],
        ),
    ]


def test_quoted_blockade_figures_agree_with_the_naltrexone_model():
    tolerance = {"occupancy %": OCC_TOL_PCT, "dose ratio": RATIO_TOL, "hours": HOURS_TOL, "days": DAYS_TOL}
    missing, wrong = [], []
    for relpath, pattern, expected in _claims():
        matches = list(re.finditer(pattern, _text(relpath)))
        if not matches:
            missing.append((relpath, pattern[:70]))
        for match in matches:
            for quoted, (kind, model) in zip(match.groups(), expected, strict=True):
                if abs(float(quoted) - model) > tolerance[kind]:
                    wrong.append(f"{relpath}: {match.group(0)[:80]!r}: {kind} {quoted}, model {model:.2f}")
    assert not missing, f"quoted blockade sentences not found (update the pattern): {missing}"
    assert not wrong, "text disagrees with simulate_naltrexone:\n" + "\n".join(wrong)


def test_lesson_07_does_not_say_the_heroin_blockade_ends_at_the_label_times():
    """The label showed blockade *for up to* 24/48/72 h; it did not show when blockade failed."""
    text = _text("lessons/07_safety.ipynb")
    for phrase in (
        "blockade lasted about 24 h",
        "functional block ends",
        "heroin ends",
        "blocked for only about a day",
    ):
        assert phrase not in text, phrase
