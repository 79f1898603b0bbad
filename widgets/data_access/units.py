"""Reading and writing molar concentrations the way people type and read them."""

from __future__ import annotations

import math
import re

_PREFIX = {"": 1.0, "m": 1e-3, "u": 1e-6, "µ": 1e-6, "μ": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15}
_PATTERN = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([muµμnpf]?)M\s*$")


_NUMBER_ONLY = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$")
_MASS_OR_DOSE = re.compile(r"\d\s*(?:[mµu]?g|mg/kg|mg/day)\s*$", re.IGNORECASE)
_EXAMPLES = "for example 10 nM, 2.5 µM or 1e-8 M"
# A molar unit with a letter in the wrong case: "5 NM", "5 nm", "2 Um", "1 m".
_CASE_SLIP = re.compile(
    r"^\s*(?P<num>[-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*(?P<prefix>[muµμnpf]?)(?P<unit>m)\s*$", re.IGNORECASE
)
_PREFIX_NAMES = {
    "m": "milli",
    "u": "micro",
    "µ": "micro",
    "μ": "micro",
    "n": "nano",
    "p": "pico",
    "f": "femto",
}


def _case_hint(number: str, prefix: str, unit: str) -> str:
    """Say which letter has the wrong case: the prefix is lower-case, molar is a capital M."""
    wrong = []
    if prefix and prefix != prefix.lower():
        wrong.append(f"the prefix {prefix.lower()} ({_PREFIX_NAMES[prefix.lower()]}) is lower-case")
    if unit == "m":
        wrong.append("molar is a capital M (a lower-case m means milli or metres)")
    return f"did you mean {number} {prefix.lower()}M? " + " and ".join(wrong)


def parse_concentration(text: str) -> float:
    """Parse '10 nM', '2.5uM', '1e-8 M' into molar. Raises ValueError saying what is wrong.

    The messages are meant for students: they say what to type instead.
    """
    text = str(text)
    match = _PATTERN.match(text)
    if not match:
        if _NUMBER_ONLY.match(text) and float(text) == 0:
            return 0.0  # zero is zero in any unit: it needs none
        if _NUMBER_ONLY.match(text):
            hint = f"add a unit, {_EXAMPLES}"
        elif _MASS_OR_DOSE.search(text):
            hint = f"this box takes a molar concentration at the receptors ({_EXAMPLES}), not a dose in grams"
        elif case := _CASE_SLIP.match(text):
            hint = _case_hint(case["num"], case["prefix"], case["unit"])
        else:
            hint = f"type a number and a unit, {_EXAMPLES}"
        raise ValueError(f"could not read {text!r} as a concentration; {hint}")
    value = float(match.group(1)) * _PREFIX[match.group(2)]
    if not math.isfinite(value):
        raise ValueError(f"could not read {text!r} as a concentration; {_EXAMPLES}")
    if value < 0:
        raise ValueError(f"a concentration cannot be negative (got {text!r}); {_EXAMPLES}")
    return value


def format_molar(value: float, digits: int = 2, keep_zeros: bool = False) -> str:
    """Format a molar concentration with a readable prefix: 3.2e-9 -> '3.2 nM'.

    ``keep_zeros`` keeps trailing zeros, so that numbers in a table column all show ``digits``
    significant figures ('2.0 µM' beside '2.9 µM', not '2 µM')."""
    if value == 0:
        return "0 M"
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"cannot format {value!r} as a concentration")
    for prefix, scale in (("", 1.0), ("m", 1e-3), ("µ", 1e-6), ("n", 1e-9), ("p", 1e-12), ("f", 1e-15)):
        if value >= scale * 0.9995:
            return f"{plain_number(value / scale, digits, keep_zeros)} {prefix}M"
    return f"{plain_number(value / 1e-15, digits, keep_zeros)} fM"


def plain_number(x: float, digits: int = 3, keep_zeros: bool = False) -> str:
    """x to ``digits`` significant figures as people write numbers, without a trailing '.0' or
    an exponent: 0.224, 12.2, 1,000 (not 1e+03), 3,162, 0.000012 (not 1.2e-05).

    ``keep_zeros`` keeps the trailing zeros of the significant figures (2.0, 0.50), for columns
    of numbers that should all show the same precision."""
    if abs(x) >= 10**digits:
        return f"{x:,.0f}"
    rounded = float(f"{x:.{digits}g}")
    if keep_zeros and rounded != 0:
        decimals = max(digits - 1 - math.floor(math.log10(abs(rounded))), 0)
        return f"{rounded:.{decimals}f}"
    if rounded == 0 or abs(rounded) >= 1e-4:
        return f"{rounded:g}"
    decimals = digits - 1 - math.floor(math.log10(abs(rounded)))  # small: write out the zeros
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
