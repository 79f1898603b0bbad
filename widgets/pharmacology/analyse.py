"""Analyse your own Schild experiment: a table of curves (or of EC50s) in, honest numbers out.

``analyse_schild`` takes a pandas DataFrame in long form, the form an organ-bath practical
writes down and the form the virtual organ bath of lesson 03 can save::

    curve, agonist_M, response, antagonist_M          (optionally: tissue)

or a table of EC50s / ED50s, one row per curve (``ec50=`` instead of ``concentration=``).
It fits every curve, checks each one (direction, plateau, depressed maximum, fit at a bound,
EC50 outside the tested range, ...), and reports

* pA2 and the Schild slope from the classical Schild regression (Arunlakshana & Schild 1959),
  with intervals that carry each curve's EC50 error, the tissue's drift and the control's error
  shared by every dose ratio (a Fieller interval for pA2; see ``_schild_point_covariance``);
* pK_B from the nonlinear regression of every curve's log EC50 on the antagonist
  concentration with the Gaddum/Schild equation and the slope fixed at 1 (Lew & Angus 1995).
  Each curve, control curves included, is one point, so the shared control and the tissue's
  curve-to-curve drift are in the residual scatter: the interval uses that scatter, estimated
  from the data, and Student's t. The drift SD itself is reported (residual variance minus
  the curves' own fit variance, or replicate curves at one concentration).

Anything the data do not define comes back as ``None`` with a warning that names the curve or
the point, never as a bound or a zero-width interval. Pure numpy/scipy/pandas; the figure is
drawn by ``widgets.lesson_widgets.schild_report.report_figure``, which also holds the command line
(``python -m widgets.lesson_widgets.schild_report my_data.csv [--html out.html]``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .schild import _least_squares, _log_shift, schild_fit
from .student_t import t_quantile

# The CSV form the organ bath (lesson 03) and the template write: one row per reading.
CURVE_COLUMNS = ("curve", "agonist_M", "response", "antagonist_M")

# Concentration units: factor to mol/L (or mol/kg for doses per body weight).
_MOLAR = {"M": 1.0, "mM": 1e-3, "uM": 1e-6, "µM": 1e-6, "μM": 1e-6, "nM": 1e-9, "pM": 1e-12}
# Mass units (need a molar mass in g/mol): factor to g per L or g per kg.
_MASS = {
    "mg/kg": 1e-3,
    "ug/kg": 1e-6,
    "µg/kg": 1e-6,
    "μg/kg": 1e-6,
    "g/L": 1.0,
    "mg/L": 1e-3,
    "mg/ml": 1.0,
    "ug/ml": 1e-3,
    "µg/ml": 1e-3,
    "ng/ml": 1e-6,
}
UNITS = tuple(_MOLAR) + tuple(_MASS)
# Column-name suffixes that state a unit (agonist_nM, dose_mg_kg, ...).
_SUFFIX = {
    "_M": "M",
    "_mM": "mM",
    "_uM": "uM",
    "_µM": "µM",
    "_nM": "nM",
    "_pM": "pM",
    "_mg_kg": "mg/kg",
    "_ug_kg": "ug/kg",
}

FALLBACK_DRIFT_SD = 0.3
"""Curve-to-curve drift SD (log10 units) assumed when the data cannot estimate it (two curves
only). Deliberately wide: two control curves of one real guinea-pig ileum differed by 0.40 log
units (issue 24), which implies a drift SD near 0.28; the virtual organ bath uses 0.05."""

_HILL_BOUNDS = (0.2, 6.0)


@dataclass
class CurveFit:
    """One fitted curve (internal; the report's ``curves`` DataFrame holds the same numbers)."""

    curve: str
    antagonist_M: float
    log_ec50: float | None
    log_ec50_se: float | None
    bottom: float | None
    top: float | None
    hill: float | None
    n_points: int
    flags: list = field(default_factory=list)
    resid_sd: float = 0.0
    dof: int = 1
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    usable: bool = True


def _bound(value: float, clip: bool, low: bool):
    """An interval bound as the table shows it: with ``clip`` (pA2), a bound beyond where
    antagonists lie (PLAUSIBLE_P) is no limit the data set, so it reads "unbounded" (a warning
    says why)."""
    if clip and (value < PLAUSIBLE_P[0] if low else value > PLAUSIBLE_P[1]):
        return "unbounded"
    return round(value, 2)


@dataclass
class SchildReport:
    """What :func:`analyse_schild` found.

    Attributes
    ----------
    pa2, pa2_ci : float or None, tuple or None
        pA2 (x-intercept of the Schild plot) and its Fieller interval (None when unbounded, and
        then ``pa2_unbounded`` is True), with the errors of every EC50 and of the shared control
        propagated (``schild_fit``'s ``log_ratio_cov`` mode).
    slope, slope_ci : float or None, tuple or None
        Schild slope and its interval, likewise (None with fewer than 3 antagonist concentrations).
    pkb, pkb_ci : float or None, tuple or None
        pK_B from the log EC50 regression with the Schild slope fixed at 1 (Lew & Angus 1995).
    curves : pandas.DataFrame
        A row per curve: curve, antagonist_M, ec50_M, ec50_low_M, ec50_high_M, bottom, top,
        hill, dose_ratio, used, flags. Numbers are floats, NaN where undefined; a control's
        dose_ratio is 1 by definition. ``curves_shown()`` is the same as the report shows it.
    points : pandas.DataFrame
        The Schild plot: antagonist_M, log_antagonist, dose_ratio, log_dr_minus_1, used.
    warnings : list of str
        Plain sentences, each naming the curve or point it is about.
    drift_sd : float or None
        Estimated curve-to-curve SD of log EC50 (log10 units), and ``drift_note`` says how.
    direction : {"rising", "falling", None}
    confidence : float
    antagonist_unit : str
        "M", or "mol/kg" for doses per body weight (the figure's axis titles).
    """

    pa2: float | None
    pa2_ci: tuple | None
    slope: float | None
    slope_ci: tuple | None
    pkb: float | None
    pkb_ci: tuple | None
    curves: object
    points: object
    warnings: list
    drift_sd: float | None
    drift_note: str
    direction: str | None
    confidence: float
    control_log_ec50: float | None = None
    pkb_fit: dict | None = None
    antagonist_unit: str = "M"
    pa2_unbounded: bool = False
    _fits: list = field(default_factory=list, repr=False)

    def summary(self):
        """The headline numbers as a DataFrame (quantity, estimate, low, high)."""
        import pandas as pd

        rows = []
        # Why an interval is missing: unbounded (Fieller: the data allow any pA2), not computed
        # (too few points), or none given (the drift is an estimate without an interval here).
        pa2_gap = "unbounded" if self.pa2_unbounded else "undefined"
        # (the last item: whether a bound beyond PLAUSIBLE_P reads "unbounded", see _bound)
        for name, value, ci, gap, clip in (
            ("pA2 (Schild plot)", self.pa2, self.pa2_ci, pa2_gap, True),
            ("Schild slope", self.slope, self.slope_ci, "undefined", False),
            ("pK_B (slope 1, log EC50 regression)", self.pkb, self.pkb_ci, "undefined", False),
            ("drift SD (log units)", self.drift_sd, None, "not given", False),
        ):
            gap = "undefined" if value is None else gap
            rows.append(
                {
                    "quantity": name,
                    "estimate": "undefined" if value is None else round(value, 2),
                    f"{self.confidence:.0%} low": gap if ci is None else _bound(ci[0], clip, low=True),
                    f"{self.confidence:.0%} high": gap if ci is None else _bound(ci[1], clip, low=False),
                }
            )
        return pd.DataFrame(rows)

    def curves_shown(self):
        """``curves`` as the report shows it (``text()`` and lesson 09's HTML): numbers to 3
        significant figures, anything missing as "undefined", the word the summary and the
        warnings use (why it is undefined is in the flags column and the warnings), and a
        control's dose ratio as "1 (by definition)"."""
        import pandas as pd

        shown = self.curves.copy()
        for col in shown.columns:
            if col not in ("curve", "used", "flags"):
                values = pd.to_numeric(shown[col], errors="coerce")
                shown[col] = ["undefined" if pd.isna(v) else f"{v:.3g}" for v in values]
        if "dose_ratio" in shown.columns:
            # A dose ratio is a curve's EC50 over the control's, so a control's is 1 by definition:
            # neither undefined nor a measurement. The words say so where a dash would need a
            # legend; two controls' own difference is the tissue's drift (the Drift line).
            shown.loc[self.curves["antagonist_M"] == 0, "dose_ratio"] = "1 (by definition)"
        return shown

    def text(self) -> str:
        """The results and every warning as plain text (what the command line prints)."""
        lines = [self.summary().to_string(index=False), "", "Curves:"]
        lines.append(self.curves_shown().to_string(index=False))
        lines.append("")
        lines.append(f"Drift: {self.drift_note}")
        if self.warnings:
            lines.append("")
            lines.append("Warnings:")
            lines.extend(f"- {w}" for w in self.warnings)
        else:
            lines.append("No warnings.")
        return "\n".join(lines)


# -- input -------------------------------------------------------------------------------------
def _unit_of(column: str, units) -> str:
    """The unit of a concentration column: from ``units`` (str or dict) or its name's suffix."""
    if isinstance(units, dict) and column in units:
        unit = units[column]
    elif isinstance(units, str):
        unit = units
    else:
        unit = next(
            (u for s, u in sorted(_SUFFIX.items(), key=lambda kv: -len(kv[0])) if column.endswith(s)), "M"
        )
    unit = unit.replace("μ", "µ")
    if unit not in UNITS:
        raise ValueError(f"units must be one of {', '.join(UNITS)}; got {unit!r} for column {column!r}")
    return unit


def _to_molar(values, column, units, molar_mass, agonist=False):
    """Values in mol/L (or mol/kg). An agonist column in mass units without its own molar mass
    (``molar_mass`` a dict without it) stays in its unit: only ratios of agonist doses are used."""
    unit = _unit_of(column, units)
    if unit in _MOLAR or unit.replace("µ", "u") in _MOLAR:
        return values * _MOLAR.get(unit, _MOLAR.get(unit.replace("µ", "u"))), unit
    if agonist and not (isinstance(molar_mass, dict) and column in molar_mass):
        return values * 1.0, unit
    if molar_mass is None or (isinstance(molar_mass, dict) and column not in molar_mass):
        raise ValueError(
            f"column {column!r} is in {unit}: give the antagonist's molar mass (g/mol, > 0) to convert it to "
            "moles (molar_mass=377.86 for naltrexone hydrochloride; --molar-mass on the command line, "
            "'molar mass' in lesson 09's analyser)"
        )
    mm = molar_mass[column] if isinstance(molar_mass, dict) else molar_mass
    if not (isinstance(mm, (int, float)) and math.isfinite(mm) and mm > 0):
        raise ValueError(f"molar_mass must be a number > 0 (g/mol), got {mm!r}")
    return values * _MASS[unit] / mm, unit


# The most a column read as molar may hold. Agonists and antagonists act in an organ bath from
# about 1 pM to 1 mM (a weak agonist's top dose, carbachol or histamine, is about 1 mM); 10 mM of a
# drug would change the osmolarity of the Krebs solution (about 290 mOsm) by 3 % or more, and few
# drugs dissolve that well. (KCl at 40-80 mM is a depolarising reference, not an agonist of a Schild
# analysis.) So a value above 10 mM is not a molar concentration, and nM or µM typed as M lands far
# above it: 0.1 nM typed as 0.1 is ten times over, and a curve's largest values more. Between 1 and
# 10 mM a value may be molar: an EC50 there is warned about and left out (_schild_from_fits), and
# an antagonist at 1 mM or more is warned about (ANTAGONIST_WARN_M): antagonist concentrations of
# 1-10 nM typed in µM into a molar column (0.001 to 0.01) give a pA2 near 3, just inside the
# 3 to 13 check, so that check alone let them through.
MAX_MOLAR = 1e-2
# Where receptor antagonists' pA2 and pK_B lie (a value outside is warned about as a unit slip; an
# interval bound outside is not a limit the data set).
PLAUSIBLE_P = (3, 13)
# Receptor antagonists are given at pM to µM in a Schild experiment; 1 mM or more in a molar
# column is more likely nM or µM typed as M (a warning, not a refusal: it can be molar).
ANTAGONIST_WARN_M = 1e-3
# How a user states a unit, in each place they meet the analyser (the messages below say it).
HOW_TO_STATE_UNITS = (
    "the 'units' menu of the analyser, --units nM on the command line, or units=\"nM\" in Python"
)


def _plain(v: float) -> str:
    """A number as typed in a spreadsheet: 100,000 (not 1e+05), 5,663, 100, 0.02."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _check_molar(molar, typed, column, unit, units, table):
    """Refuse a molar column (M, mM, µM, nM, pM) holding a value above ``MAX_MOLAR``: it is not a
    concentration in a bath, and a report from it would be a thousand-fold wrong."""
    if unit not in _MOLAR and unit.replace("µ", "u") not in _MOLAR:
        return
    big = np.flatnonzero(molar > MAX_MOLAR)
    if not big.size:
        return
    i = int(big[np.argmax(molar[big])])
    shown = unit.replace("u", "µ")
    stem = re.sub(r"_(M|mM|uM|µM|nM|pM)$", "", column)
    if isinstance(units, dict) and column in units or isinstance(units, str):
        how = f"units={units!r}"
    elif stem != column:
        how = "from its name"
    else:
        how = "no unit in its name, so molar is assumed"
    value = f"{_plain(typed[i])} {shown}" + ("" if unit == "M" else f" ({_plain(molar[i])} M)")
    say_unit = (
        f"name the column {stem}_nM (or {stem}_uM), or state the unit: {HOW_TO_STATE_UNITS} "
        "(for every concentration column)"
    )
    if unit == "M":
        what = f"These look like nM or µM values: divide them by 1e9 (nM) or 1e6 (µM), or state their unit: {say_unit}."
    else:
        what = f"Check the unit (nM values in a {shown} column?) and state the right one: {say_unit}."
    raise ValueError(
        f"column {column!r} is read in {shown} ({how}), but its largest value, {value} on {_where(table, i)}, is "
        f"more than 10 mM, which no organ bath holds (pure water is 55 M). {what}"
    )


def _where(table, i):
    """Where data row i (0-based) is, in words: its line in the CSV file when the table was read by
    ``read_table`` (which records them, comment and blank lines counted), else counting one header line."""
    lines = table.attrs.get("file_lines") if hasattr(table, "attrs") else None
    if lines is not None and len(lines) == len(table):
        return f"line {lines[i]} of the file (data row {i + 1})"
    return f"line {i + 2} (data row {i + 1}, after the header line)"


_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+(?:[eE][-+]?\d+)?\s*$")


def _numeric_columns(table, wanted):
    """The columns ``wanted`` ((name, role) pairs) as float arrays. Every problem in every column
    (a missing column, a cell that is not a number, an empty cell) is named in one message, each
    cell by its line in the file, in words without Python syntax."""
    import pandas as pd

    missing = [name for name, _ in wanted if name not in table.columns]
    if missing:
        raise ValueError(
            ("the table has no column " if len(missing) == 1 else "the table has no columns ")
            + " or ".join(f'"{m}"' for m in missing)
            + f"; its columns are {', '.join(map(str, table.columns))}"
        )
    out, problems, commas = {}, [], False
    for name, _role in wanted:
        values = pd.to_numeric(table[name], errors="coerce")
        text = np.flatnonzero((values.isna() & table[name].notna()).to_numpy())
        empty = np.flatnonzero(table[name].isna().to_numpy())
        said = []
        for i in text[:3]:
            cell = str(table[name].iloc[i])
            commas |= bool(_DECIMAL_COMMA.match(cell))
            said.append(f'{_where(table, i)} holds "{cell}", which is not a number')
        # (pandas reads NA, n/a, NaN and the like as missing, so they are reported with the empty cells)
        said += [f"{_where(table, i)} is empty or holds a missing-value mark (NA, n/a)" for i in empty[:3]]
        more = len(text) + len(empty) - len(said)
        if said:
            problems.append(
                f'column "{name}": ' + "; ".join(said) + (f"; and {more} more cell(s)" if more > 0 else "")
            )
        out[name] = values.to_numpy(dtype=float)
    if problems:
        # The fix first when it is one thing: decimal commas make many cells fail at once.
        hint = (
            "These numbers use a decimal comma (0,5): write them with a decimal point (0.5), or save the "
            "CSV from a spreadsheet whose language uses a decimal point. "
            if commas
            else ""
        )
        raise ValueError(hint + ". ".join(problems) + ".")
    return out


_DISPLAY: dict = {}  # molar value -> the text the user typed, for a call with non-molar units


def _fmt_m(c: float) -> str:
    """A molar concentration in words: 3 nM, 1.5 µM, 0 (control); as typed for other units."""
    if c == 0:
        return "0 (control)"
    if c in _DISPLAY:
        return _DISPLAY[c]
    for unit, f in (("M", 1.0), ("mM", 1e-3), ("µM", 1e-6), ("nM", 1e-9), ("pM", 1e-12)):
        if c >= f * 0.9999 or unit == "pM":
            return f"{c / f:.3g} {unit}"
    return f"{c:.3g} M"


# -- one curve ---------------------------------------------------------------------------------
def _logistic(x, log_ec50, bottom, top, hill):
    with np.errstate(over="ignore"):
        return bottom + (top - bottom) / (1.0 + 10.0 ** np.clip(hill * (log_ec50 - x), -300, 300))


def _fit_curve(name, b, conc, resp, *, fit_bottom, bottom_value, hill_fixed, top_fixed, confidence):
    r"""Fit E = bottom + (top - bottom) / (1 + 10^{n (log EC50 - log[A])}) to one rising curve.

    Points at zero agonist count as the bottom. Returns a CurveFit whose flags say what is
    undefined; a parameter on its bound or a zero or missing standard error leave the EC50 None.
    """
    fit = CurveFit(name, b, None, None, None, None, None, int(conc.size), x=conc, y=resp)
    positive = conc > 0
    x_all = np.where(positive, np.log10(np.where(positive, conc, 1.0)), -np.inf)
    xs = x_all[positive]
    n_par = 1 + (not hill_fixed) + (top_fixed is None) + bool(fit_bottom)
    if np.unique(xs).size < max(n_par, 3) or conc.size < n_par + 1:
        fit.flags.append("too few points")
        fit.usable = False
        return fit
    lo_x, hi_x = xs.min() - 3.0, xs.max() + 3.0
    span_obs = float(resp.max() - resp.min()) or 1.0
    b0 = float(bottom_value)
    half = b0 + 0.5 * ((top_fixed if top_fixed is not None else resp.max()) - b0)
    above = np.flatnonzero((resp >= half) & positive)
    start_x = float(x_all[above[0]]) if above.size else float(xs.max())
    names = ["log_ec50"] + ([] if hill_fixed else ["hill"]) + ([] if top_fixed is not None else ["top"])
    names += ["bottom"] if fit_bottom else []
    start = [start_x] + ([] if hill_fixed else [1.0]) + ([] if top_fixed is not None else [float(resp.max())])
    start += [float(resp.min())] if fit_bottom else []
    lower = [lo_x] + ([] if hill_fixed else [_HILL_BOUNDS[0]]) + ([] if top_fixed is not None else [-np.inf])
    lower += [-np.inf] if fit_bottom else []
    upper = [hi_x] + ([] if hill_fixed else [_HILL_BOUNDS[1]]) + ([] if top_fixed is not None else [np.inf])
    upper += [np.inf] if fit_bottom else []
    # finite stand-ins for the unbounded sides (the helper clips its start values with them)
    big = 1e3 * span_obs + abs(float(resp.max()))
    lower = np.where(np.isinf(lower), -big, lower)
    upper = np.where(np.isinf(upper), big, upper)

    def unpack(q):
        p = dict(zip(names, q))
        return (
            p["log_ec50"],
            p.get("bottom", b0),
            p.get("top", top_fixed),
            1.0 if hill_fixed else p["hill"],
        )

    def residuals(q):
        return _logistic(x_all, *unpack(q)) - resp

    try:
        res = _least_squares(residuals, np.asarray(start, float), (lower, upper))
    except ValueError:
        fit.flags.append("fit did not converge")
        fit.usable = False
        return fit
    log_ec50, bottom, top, hill = unpack(res.x)
    fit.log_ec50, fit.bottom, fit.top, fit.hill = float(log_ec50), float(bottom), float(top), float(hill)
    dof = resp.size - len(names)
    s2 = float(np.sum(res.fun**2) / dof) if dof > 0 else float("nan")
    jac = res.jac
    try:
        cov = np.linalg.inv(jac.T @ jac) * s2
        se = float(np.sqrt(cov[0, 0])) if cov[0, 0] >= 0 else float("nan")
    except np.linalg.LinAlgError:
        se = float("nan")
    fit.log_ec50_se = se if np.isfinite(se) else None
    fit.resid_sd = math.sqrt(s2) if np.isfinite(s2) else 0.0
    fit.dof = max(int(dof), 1)
    # a parameter on its bound is not an estimate
    tol = 1e-6 * (upper - lower)
    at_bound = [
        nm
        for nm, v, lo, hi in zip(names, res.x, lower, upper)
        if v <= lo + tol[names.index(nm)] or v >= hi - tol[names.index(nm)]
    ]
    if at_bound:
        fit.flags.append("at a bound: " + ", ".join(at_bound))
        fit.usable = False
    if dof <= 0:
        fit.flags.append("as many parameters as points (no standard error)")
        fit.log_ec50_se = None
        fit.usable = False
    elif s2 <= 1e-20 * max(1.0, float(np.mean(resp**2))):
        fit.flags.append("standard error 0: the points lie exactly on the curve")
        fit.log_ec50_se = None
    elif fit.log_ec50_se is None or not fit.log_ec50_se > 1e-9:
        fit.flags.append("standard error undefined (a singular fit)")
        fit.log_ec50_se = None
        fit.usable = False
    elif fit.log_ec50_se > 1.0:
        fit.flags.append(
            f"standard error of log EC50 is {fit.log_ec50_se:.3g} log units (the points do not define it)"
        )
        fit.usable = False
    return fit


def _direction(groups):
    """+1 rising, -1 falling, 0 unclear: the mean rank correlation of response with log dose."""
    scores = []
    for conc, resp in groups:
        if conc.size < 3 or np.ptp(resp) == 0:
            continue
        rc = np.argsort(np.argsort(conc)).astype(float)
        rr = np.argsort(np.argsort(resp)).astype(float)
        c = np.corrcoef(rc, rr)[0, 1]
        if np.isfinite(c):
            scores.append(c)
    if not scores:
        return 0
    m = float(np.mean(scores))
    return 1 if m > 0.3 else (-1 if m < -0.3 else 0)


# -- the analysis ------------------------------------------------------------------------------
def analyse_schild(
    table,
    concentration=None,
    response=None,
    antagonist="antagonist_M",
    curve=None,
    ec50=None,
    *,
    units=None,
    molar_mass=None,
    direction="auto",
    hill="free",
    bottom="auto",
    confidence=0.95,
):
    r"""Schild analysis of your own data: raw curves or a table of EC50s, with honest warnings.

    Two Schild analyses are reported. The classical Schild regression (Arunlakshana & Schild
    1959) of :math:`\log_{10}(r-1)` on :math:`\log_{10}[B]` gives pA2 (x-intercept, Fieller
    interval) and the Schild slope. Their intervals do not rest on the scatter about the Schild
    line alone, which cannot see the control's error (every dose ratio shares it, so it moves
    every point together and pA2 by its size over the slope): the covariance of the points is
    built from each curve's log EC50 standard error, the drift estimated from all curves, and the
    shared control term, and propagated into the line's intercept and slope (see
    ``_schild_point_covariance`` and ``schild_fit``). A table of EC50s has no standard errors:
    the scatter of its EC50s about the Gaddum/Schild fit measures their error, the control's
    included. pK_B comes from the nonlinear regression of every curve's
    log EC50 on [B] with Gaddum's equation (Lew & Angus 1995),

    .. math:: \log EC_{50,i} = \log EC_{50,\mathrm{ctrl}} + \log_{10}\left(1 + [B]_i\,10^{pK_B}\right)
              + \varepsilon_i,

    least squares with one point per curve, control curves included; the residual variance,
    which holds the curve-to-curve drift of the tissue as well as each curve's fit error, is
    estimated from the data and the interval uses Student's t with (curves - 2) degrees of
    freedom. The drift SD is reported as :math:`\sqrt{\max(0, s^2_{res} - \overline{se^2})}`
    (or from replicate curves at one concentration). With only two curves the residual scatter
    cannot be estimated and the interval assumes ``FALLBACK_DRIFT_SD`` (stated in a warning).

    Parameters
    ----------
    table : pandas.DataFrame
        Long form: one row per reading (raw curves) or one row per curve (EC50 table).
    concentration, response : str
        Columns of agonist concentration and response (raw curves).
    antagonist : str, default "antagonist_M"
        Column of antagonist concentration (0 = control curve).
    curve : str, optional
        Column naming each curve; without it the curves are told apart by antagonist
        concentration. Give it whenever there are replicate curves (two controls, say).
    ec50 : str, optional
        Column of EC50s or ED50s (instead of ``concentration``/``response``).
    units : str or dict, optional
        Unit of the concentration columns: one of ``UNITS`` (M, mM, µM, nM, pM, mg/kg, µg/kg,
        g/L, mg/L, mg/ml, µg/ml, ng/ml), or a dict column -> unit. Default: from the column
        name's suffix (``_M``, ``_nM``, ``_uM``, ``_mg_kg``, ...), else molar.
    molar_mass : float or dict, optional
        g/mol, needed for mass units (mg/kg gives mol/kg: an *apparent* pA2 in vivo).
    direction : {"auto", "rising", "falling"}
        Rising (contraction, % inhibition) or falling (twitch in % of control) curves;
        ``"auto"`` reads it from the data.
    hill : {"free", 1}
        Fit each curve's Hill slope, or fix it at 1.
    bottom : "auto", "fit" or a number
        "auto" fits the response without agonist when the data define it (a zero-agonist reading,
        or a curve that starts at its baseline), else uses the control curves' fitted bottom.
    confidence : float, default 0.95

    Returns
    -------
    SchildReport

    Raises
    ------
    ValueError
        A missing or non-numeric column, negative concentrations, a molar column holding a value
        above 10 mM (``MAX_MOLAR``: nM or µM typed as M), no control curve, no antagonist curve,
        an unknown unit or option, or a direction that cannot be read.

    References
    ----------
    Arunlakshana O, Schild HO (1959) Some quantitative uses of drug antagonists.
    Br J Pharmacol Chemother 14:48–58. doi:10.1111/j.1476-5381.1959.tb00928.x
    Lew MJ, Angus JA (1995) Analysis of competitive agonist–antagonist interactions by
    nonlinear regression. Trends Pharmacol Sci 16:328–337. doi:10.1016/S0165-6147(00)89066-5
    Fieller EC (1954) J R Stat Soc B 16:175–185.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    if len(table) == 0:
        raise ValueError("table has no rows")
    if direction not in ("auto", "rising", "falling"):
        raise ValueError(f"direction must be 'auto', 'rising' or 'falling', got {direction!r}")
    if hill not in ("free", 1, 1.0):
        raise ValueError(f"hill must be 'free' or 1 (fixed at 1), got {hill!r}")
    if not (isinstance(confidence, float) and 0.5 <= confidence < 1):
        raise ValueError(f"confidence must be a number from 0.5 to below 1, got {confidence!r}")
    if not (bottom in ("auto", "fit") or isinstance(bottom, (int, float))):
        raise ValueError(f"bottom must be 'auto', 'fit' or a number, got {bottom!r}")
    if ec50 is None and (concentration is None or response is None):
        raise ValueError("give concentration= and response= (raw curves) or ec50= (a table of EC50s)")
    if ec50 is not None and (concentration is not None or response is not None):
        raise ValueError("give either ec50= or concentration= and response=, not both")

    warnings: list[str] = []
    needed = [(antagonist, "antagonist")] + (
        [(ec50, "ec50")] if ec50 is not None else [(concentration, "concentration"), (response, "response")]
    )
    numbers = _numeric_columns(table, needed)
    if isinstance(units, str):
        # units= applies to every concentration column, over what their names say: the fix for
        # nM typed into _M columns, but a wrong choice when the names were right (a trial chose
        # nM for correct _M columns and read pA2 18.58).
        for column in (antagonist, ec50, concentration):
            named = _unit_of(column, None) if column is not None else None
            if named is not None and column.endswith(tuple(_SUFFIX)) and named != _unit_of(column, units):
                warnings.append(
                    f"The unit given ({units}) overrides the one column {column!r} states in its name "
                    f"({named}): right if that column holds {units} values, wrong if its name was right. "
                    "If the name was right, choose 'from column names' in the analyser's units menu "
                    "(or leave out --units / units=)."
                )
    raw_b = numbers[antagonist]
    b_all, b_unit = _to_molar(raw_b, antagonist, units, molar_mass)
    if (b_all < 0).any() or not np.isfinite(b_all).all():
        raise ValueError(f"antagonist concentrations (column {antagonist!r}) must be finite and >= 0")
    _check_molar(b_all, raw_b, antagonist, b_unit, units, table)
    if not (b_all == 0).any():
        raise ValueError(
            f"no control curve: at least one row needs antagonist concentration 0 (column {antagonist!r})"
        )
    if not (b_all > 0).any():
        raise ValueError(
            f"no curve with antagonist: every row has antagonist concentration 0 (column {antagonist!r})"
        )
    _DISPLAY.clear()
    if b_unit != "M":
        _DISPLAY.update({float(m): f"{v:g} {b_unit}" for m, v in zip(b_all, raw_b) if m > 0})
    labels = (
        table[curve].astype(str).to_numpy()
        if curve is not None and curve in table.columns
        else np.array([_fmt_m(v) for v in b_all])
    )
    if curve is not None and curve not in table.columns:
        raise ValueError(f"curve={curve!r} is not a column of the table")

    fits: list[CurveFit] = []
    dir_name = None
    if ec50 is not None:
        raw_e = numbers[ec50]
        e, e_unit = _to_molar(raw_e, ec50, units, molar_mass, agonist=True)
        if not (e > 0).all() or not np.isfinite(e).all():
            raise ValueError(f"EC50s (column {ec50!r}) must be finite and > 0")
        _check_molar(e, raw_e, ec50, e_unit, units, table)
        for i in range(len(table)):
            fits.append(
                CurveFit(str(labels[i]), float(b_all[i]), float(np.log10(e[i])), None, None, None, None, 0)
            )
        conc_unit = e_unit
    else:
        raw_a = numbers[concentration]
        a_all, conc_unit = _to_molar(raw_a, concentration, units, molar_mass, agonist=True)
        y_all = numbers[response]
        if (a_all < 0).any() or not np.isfinite(a_all).all():
            raise ValueError(f"agonist concentrations (column {concentration!r}) must be finite and >= 0")
        _check_molar(a_all, raw_a, concentration, conc_unit, units, table)
        if not np.isfinite(y_all).all():
            raise ValueError(f"responses (column {response!r}) must be finite numbers")
        order = list(dict.fromkeys(labels))
        groups = {}
        for lab in order:
            sel = labels == lab
            bs = np.unique(b_all[sel])
            if bs.size > 1:
                raise ValueError(
                    f"curve {lab!r} has more than one antagonist concentration ({', '.join(_fmt_m(v) for v in bs)}): "
                    "each curve must have one"
                )
            idx = np.argsort(a_all[sel], kind="stable")
            groups[lab] = (float(bs[0]), a_all[sel][idx], y_all[sel][idx])
        sign = {"rising": 1, "falling": -1}.get(direction) or _direction(
            [(g[1], g[2]) for g in groups.values()]
        )
        if sign == 0:
            raise ValueError(
                "cannot tell whether the responses rise or fall with the agonist concentration: check that each "
                "curve's readings are on one scale, then state the direction (rising or falling; the direction "
                "option)"
            )
        dir_name = "rising" if sign > 0 else "falling"
        if direction == "auto" and sign < 0:
            warnings.append(
                "The responses fall as the agonist concentration rises (for example a twitch in % of control): "
                "each curve was analysed as a falling curve; the EC50 is the concentration for half the fall."
            )
        fits = _fit_all(groups, sign, hill, bottom, confidence, warnings)
    return _schild_from_fits(fits, warnings, confidence, dir_name, conc_unit, b_unit, raw=ec50 is None)


def _fit_all(groups, sign, hill, bottom, confidence, warnings):
    hill_fixed = hill in (1, 1.0)
    # analyse falling curves as rising ones (response -> -response), report them back as given
    g = {lab: (b, a, sign * y) for lab, (b, a, y) in groups.items()}
    controls = [lab for lab, (b, _, _) in g.items() if b == 0]
    if not controls:
        raise ValueError("no control curve: at least one curve must have antagonist concentration 0")
    if len(controls) == len(g):
        raise ValueError("no curve with antagonist: every curve has antagonist concentration 0")

    def defines_bottom(a, y):
        if (a == 0).any():
            return True
        span = np.ptp(y) or 1.0
        low = y[: max(2, a.size // 4)]
        return np.ptp(low) < 0.15 * span and (low.mean() - y.min()) < 0.15 * span

    fits = {}
    # controls first: their bottom is the tissue's baseline for curves that do not define their own
    for lab in controls + [lab for lab in g if lab not in controls]:
        b, a, y = g[lab]
        if isinstance(bottom, (int, float)) and not isinstance(bottom, bool):
            fit_bottom, b_value = False, sign * float(bottom)
        elif bottom == "fit" or defines_bottom(a, y) or lab in controls:
            fit_bottom, b_value = True, float(y.min())
        else:
            ctrl_b = [fits[c].bottom for c in controls if fits[c].bottom is not None]
            fit_bottom, b_value = False, float(np.mean(ctrl_b)) if ctrl_b else float(y.min())
        f = _fit_curve(
            lab,
            b,
            a,
            y,
            fit_bottom=fit_bottom,
            bottom_value=b_value,
            hill_fixed=hill_fixed,
            top_fixed=None,
            confidence=confidence,
        )
        if not fit_bottom and b != 0:
            f.flags.append("bottom fixed at the control's")
        fits[lab] = f
    fits = [fits[lab] for lab in g]
    _check_curves(fits, sign, warnings, hill_fixed=hill_fixed)
    for f in fits:  # back to the scale the user gave
        if sign < 0:
            f.y = -f.y
            f.bottom = None if f.bottom is None else -f.bottom
            f.top = None if f.top is None else -f.top
    return fits


def _shares_the_control_maximum(f, top, hill_fixed):
    """Whether curve ``f``'s points are as well described with its maximum fixed at the control's
    ``top`` (the competitive hypothesis) as with a maximum of its own: the extra-sum-of-squares F
    test, one parameter (Motulsky & Christopoulos 2004, comparing models). A maximum is called
    depressed only at P < 0.01: that verdict withholds the whole Schild analysis, and at 0.05 one
    simulated lesson-03 experiment in twenty was refused (bench: 80 experiments, 24 curves
    tested, 4 below 0.05, 1 below 0.01). Returns (shares, P, the fit with the control's
    maximum); (False, None, None) if that fit fails."""
    from scipy import stats

    fixed = _fit_curve(
        f.curve,
        f.antagonist_M,
        f.x,
        f.y,
        fit_bottom="bottom fixed at the control's" not in f.flags,
        bottom_value=f.bottom,
        hill_fixed=hill_fixed,
        top_fixed=top,
        confidence=0.95,
    )
    if fixed.log_ec50 is None or not fixed.usable or f.dof < 2:
        return False, None, None
    ssr_free, ssr_fixed = f.resid_sd**2 * f.dof, fixed.resid_sd**2 * fixed.dof
    if ssr_free <= 0:
        return False, None, None
    f_stat = max(ssr_fixed - ssr_free, 0.0) / (ssr_free / f.dof)
    p = float(stats.f.sf(f_stat, 1, f.dof))
    return p >= 0.01, p, fixed


def _check_curves(fits, sign, warnings, hill_fixed=False):
    """Per-curve diagnostics on the rising scale: range, plateau, shape, maximum, scale."""
    ctrl = [f for f in fits if f.antagonist_M == 0 and f.top is not None]
    ctrl_top = float(np.mean([f.top for f in ctrl])) if ctrl else None
    ctrl_obs = float(np.mean([np.mean(np.sort(f.y)[-3:]) - f.bottom for f in ctrl])) if ctrl else None
    if ctrl_obs is not None and not ctrl_obs > 0:
        ctrl_obs = None
    for f in fits:
        name = f"Curve {f.curve!r} ([B] = {_fmt_m(f.antagonist_M)})"
        for flag in f.flags:
            if flag.startswith("at a bound"):
                warnings.append(
                    f"{name}: the fit ran to a bound ({flag[len('at a bound: ') :]}), so its EC50 is not an estimate; "
                    "the curve is left out (is it complete, and does it rise?)."
                )
            elif flag.startswith("standard error 0"):
                warnings.append(
                    f"{name}: {flag} (typed from a smooth figure, or made up?), so its EC50 has no interval; "
                    "the EC50 itself is used, and the scatter between curves still sets pK_B's interval."
                )
            elif flag.startswith("standard error") or flag.startswith("as many"):
                warnings.append(f"{name}: {flag}; the EC50 is not an estimate and the curve is left out.")
            elif flag in ("too few points", "fit did not converge"):
                warnings.append(f"{name}: {flag}; the curve is left out.")
        if f.log_ec50 is None or f.x is None:
            continue
        pos = f.x > 0
        lo, hi = np.log10(f.x[pos].min()), np.log10(f.x[pos].max())
        if not lo <= f.log_ec50 <= hi:
            warnings.append(
                f"{name}: the fitted EC50 ({_fmt_m(10**f.log_ec50)}) lies outside the concentrations tested "
                f"({_fmt_m(10**lo)} to {_fmt_m(10**hi)}); it is an extrapolation, so the curve is left out."
            )
            f.flags.append("EC50 outside the tested range")
            f.usable = False
        y = f.y
        span_obs = float(np.ptp(y)) or 1.0
        # non-monotonic: after its peak the curve falls back by more than a fifth of its rise
        # (sustained: the last two readings, both after the peak, average a quarter of the rise below it)
        k = int(np.argmax(y))
        fall = y[k] - float(np.mean(y[-2:]))
        if y.size >= 4 and k < y.size - 2 and fall > 0.25 * span_obs:
            warnings.append(
                f"{name}: the response is not monotonic (it falls back by {fall:.3g} after its peak "
                f"at {_fmt_m(f.x[k])}); a logistic curve does not describe it and the curve is left out."
            )
            f.flags.append("non-monotonic")
            f.usable = False
            continue
        # plateau: the last step still rises by more than a fifth of the fitted span
        span_fit = (f.top - f.bottom) if f.top is not None else span_obs
        step = y[-1] - y[-2] if y.size >= 3 else 0.0
        if span_fit > 0 and step > 0.2 * span_fit and step > 3 * math.sqrt(2) * f.resid_sd and f.usable:
            warnings.append(
                f"{name}: the plateau is not reached (the last concentration still adds "
                f"{(y[-1] - y[-2]) / span_fit:.0%} of the curve's rise); the maximum and EC50 are not defined "
                "by these points, so the curve is left out. Add higher concentrations."
            )
            f.flags.append("plateau not reached")
            f.usable = False
        if ctrl_obs and f.antagonist_M > 0 and f.top is not None:
            # the maxima as measured (mean of the three largest readings above the curve's bottom),
            # not as extrapolated by the fits
            ratio = (float(np.mean(np.sort(y)[-3:])) - f.bottom) / ctrl_obs
            if ratio > 5 or ratio < 0.1:
                warnings.append(
                    f"{name}: its response range is {ratio:.2g} times the control's: the curves seem to be on "
                    "different scales (mixed units, or one in % and one raw). Put every curve on one scale."
                )
                f.flags.append("mixed response scale")
                f.mixed = True
            elif (
                ratio < 0.75
                and "plateau not reached" not in f.flags
                and (shared := _shares_the_control_maximum(f, ctrl_top, hill_fixed))[0]
            ):
                # Lower readings, but the points do not show a lower maximum: a curve shifted so far
                # that the doses stop before its plateau (lesson 03's bath at 30 nM naltrexone).
                # The competitive hypothesis stands, so its EC50 comes from the fit with the
                # control's maximum, not from a maximum of its own that the points do not define.
                fixed = shared[2]
                warnings.append(
                    f"{name}: its highest readings reach only {ratio:.0%} of the control's maximum, but the "
                    f"points fit a curve with the control's maximum as well as one with a lower maximum "
                    f"(F test, P = {shared[1]:.2f}): the curve has not reached its plateau at the highest "
                    "concentration given, as a far-shifted competitive curve need not. Its EC50 is taken "
                    "from the fit with the control's maximum; higher agonist concentrations would tell a "
                    "shift from a depressed maximum."
                )
                f.log_ec50, f.log_ec50_se, f.bottom, f.top, f.hill = (
                    fixed.log_ec50,
                    fixed.log_ec50_se,
                    fixed.bottom,
                    fixed.top,
                    fixed.hill,
                )
                f.resid_sd, f.dof = fixed.resid_sd, fixed.dof
                f.flags.append("plateau not reached: control's maximum used")
            elif ratio < 0.75 and "plateau not reached" not in f.flags:
                p_value = shared[1]
                tested = (
                    f" (the control's maximum does not fit its points: F test, P = {p_value:.2g})"
                    if p_value is not None
                    else ""
                )
                warnings.append(
                    f"{name}: its maximum is depressed to {ratio:.0%} of the control's{tested}. The antagonism is "
                    "insurmountable, not competitive: a Schild analysis does not apply."
                )
                f.flags.append("depressed maximum")
                f.insurmountable = True
            elif ratio > 1.33:
                warnings.append(
                    f"{name}: its maximum rises to {ratio:.0%} of the control's. The 'antagonist' changes the "
                    "maximum, which competitive antagonism does not: a Schild analysis does not apply."
                )
                f.flags.append("raised maximum")
                f.insurmountable = True


def _schild_from_fits(fits, warnings, confidence, direction, conc_unit, b_unit, raw):
    import pandas as pd

    not_competitive = any(getattr(f, "insurmountable", False) for f in fits)
    mixed = any(getattr(f, "mixed", False) for f in fits)
    for f in fits:
        if f.log_ec50 is not None and f.log_ec50 > -3 + 1e-12 and conc_unit in _MOLAR:
            warnings.append(
                f"Curve {f.curve!r}: EC50 {10**f.log_ec50:.3g} M is above 1 mM, implausible for a receptor agonist: "
                "were the concentrations typed in nM or µM but the column says molar? Give units=. "
                "This curve is left out of the Schild analysis until its unit is fixed."
            )
            # A value a thousand-fold off would otherwise set the dose ratios, the slope and pK_B.
            f.usable = False
            f.flags.append("implausible EC50 (unit?)")
    use = [f for f in fits if f.usable and f.log_ec50 is not None]
    ctrl = [f for f in use if f.antagonist_M == 0]
    ants = [f for f in use if f.antagonist_M > 0]
    pa2 = pa2_ci = slope = slope_ci = pkb = pkb_ci = pkb_fit = None
    pa2_unbounded = False
    drift_sd, drift_note, ctrl_log = None, "not estimated", None
    points = pd.DataFrame(
        columns=["curve", "antagonist_M", "log_antagonist", "dose_ratio", "log_dr_minus_1", "used"]
    )
    if not ctrl:
        warnings.append("No control curve could be fitted: no dose ratios and no Schild analysis.")
    if not ants and ctrl:
        warnings.append("No curve with antagonist could be fitted: no Schild analysis.")
    if len(ctrl) > 1:
        lv = np.array([f.log_ec50 for f in ctrl])
        warnings.append(
            f"{len(ctrl)} control curves ({', '.join(repr(f.curve) for f in ctrl)}): their log EC50s differ by up to "
            f"{np.ptp(lv):.2f} log units. Dose ratios are taken against their mean, and each control is a point of "
            "the pK_B regression, so this drift is in the interval."
        )
    ratios = {}
    if ctrl and ants:
        ctrl_log = float(np.mean([f.log_ec50 for f in ctrl]))
        rows = []
        se_ctrl = [f.log_ec50_se for f in ctrl if f.log_ec50_se is not None]
        for f in ants:
            log_r = f.log_ec50 - ctrl_log
            r = 10**log_r
            ratios[f.curve] = r
            used = True
            if r <= 1:
                warnings.append(
                    f"Point {f.curve!r} ([B] = {_fmt_m(f.antagonist_M)}): dose ratio {r:.3g} is not above 1 "
                    "(no shift), so log(r - 1) is undefined; dropped from the Schild plot."
                )
                used = False
            else:
                se = None
                if f.log_ec50_se is not None and se_ctrl:
                    se = math.sqrt(f.log_ec50_se**2 + float(np.mean(np.square(se_ctrl))) / len(se_ctrl))
                if (se is not None and log_r < 2 * se) or (se is None and r < 1.1):
                    warnings.append(
                        f"Point {f.curve!r} ([B] = {_fmt_m(f.antagonist_M)}): dose ratio {r:.3g} is hardly above 1, so "
                        f"log(r - 1) = {np.log10(r - 1):.2f} is mostly noise and would tilt the Schild slope; "
                        "dropped from the Schild plot (its curve still counts for pK_B)."
                    )
                    used = False
            rows.append(
                {
                    "curve": f.curve,
                    "antagonist_M": f.antagonist_M,
                    "log_antagonist": np.log10(f.antagonist_M),
                    "dose_ratio": r,
                    "log_dr_minus_1": np.log10(r - 1) if r > 1 else np.nan,
                    "used": used,
                }
            )
        points = pd.DataFrame(rows)
        kept = points[points["used"]]
        n_conc = kept["antagonist_M"].nunique()
        all_conc = len({f.antagonist_M for f in fits if f.antagonist_M > 0})
        if all_conc < 3:
            warnings.append(
                f"Only {all_conc} antagonist concentration(s): the Schild slope cannot be tested against 1 "
                "(use at least 3, each about 3 to 10 times the last)."
            )
        # Gaddum's pK_B needs parallel shifts that grow with [B]: without them (curves not parallel, no
        # shift, or a Schild plot flat with a slope that excludes 1) the regression is not run; a fit
        # would give a number the data do not define.
        pkb_defined = len(kept) > 0 and (points["dose_ratio"] > 1.1).any()
        if not_competitive or mixed:
            # nothing from a Schild analysis may appear, not even in a warning
            warnings.append(
                "pA2, the Schild slope and pK_B are undefined: the curves are not parallel shifts of one another "
                "(see above), so no Schild analysis was made."
            )
            pkb_defined = False
        elif not pkb_defined:
            warnings.append(
                "The antagonist did not shift the curves (no dose ratio clearly above 1): pA2 and pK_B are undefined."
            )
        elif n_conc >= 2:
            names = kept["curve"].tolist()
            try:
                cov, cov_dof = _schild_point_covariance(
                    use, [next(f for f in ants if f.curve == c) for c in names]
                )
                no_fit = False
            except ValueError:  # the Gaddum/Schild fit of the log EC50s did not converge
                cov, cov_dof, no_fit = None, None, True
            s = schild_fit(
                kept["antagonist_M"].to_numpy(),
                kept["dose_ratio"].to_numpy(),
                confidence=confidence,
                # the covariance already holds the scatter about the Gaddum fit: no second rescaling
                **({"log_ratio_cov": cov, "dof": cov_dof, "rescale": False} if cov is not None else {}),
            )
            no_scatter = cov is None and n_conc >= 3
            if no_scatter:
                # an interval of zero width, or one that leaves out the control's error, is not an estimate
                s = replace(s, slope_ci=None, pA2_ci=None)
                warnings.append(
                    "The fit of the log EC50s did not converge, so their error is not measured: pA2 and the Schild "
                    "slope have no interval."
                    if no_fit
                    else "The EC50s lie exactly on the Gaddum/Schild line, so nothing measures their error (were "
                    "they read off a fitted line, or made up?): pA2 and the Schild slope have no interval."
                )
            slope, slope_ci = s.slope, s.slope_ci
            if abs(s.slope) < 0.3 or (
                s.slope_ci is not None and s.slope_ci[0] <= 0 <= s.slope_ci[1] and s.slope < 0.5
            ):
                interval = f", interval {s.slope_ci[0]:.2f} to {s.slope_ci[1]:.2f}" if s.slope_ci else ""
                if s.slope_ci is not None and not s.slope_ci[0] <= 1 <= s.slope_ci[1]:
                    # the shift does not grow with [B]: not Gaddum's equation, so no pK_B either
                    why = "the dose ratio does not grow with [B], so pA2 and pK_B are undefined"
                    pkb_defined = False
                else:
                    # too few or too scattered points to see the slope: that is not evidence against slope 1
                    why = (
                        "these points cannot show the dose ratio growing with [B], so pA2 is undefined; they do "
                        "not rule out a slope of 1 either, and pK_B (slope fixed at 1) still uses every curve"
                    )
                warnings.append(f"The Schild plot is flat (slope {s.slope:.2f}{interval}): {why}.")
            else:
                pa2, pa2_ci = s.pA2, s.pA2_ci
                if pa2_ci is not None and (pa2_ci[0] < PLAUSIBLE_P[0] or pa2_ci[1] > PLAUSIBLE_P[1]):
                    # A Fieller bound far outside where antagonists lie is not a limit the data set
                    # (a trial showed "8.65 to 26.89"): the table says "unbounded" on that side.
                    side = "above" if pa2_ci[1] > PLAUSIBLE_P[1] else "below"
                    warnings.append(
                        f"pA2's interval ({pa2_ci[0]:.2f} to {pa2_ci[1]:.2f}) reaches {side} "
                        f"{PLAUSIBLE_P[1] if side == 'above' else PLAUSIBLE_P[0]}, where no receptor antagonist "
                        "lies: these points do not limit pA2 on that side (the slope's interval comes near 0), "
                        "so the table says unbounded there. Read pA2 as "
                        + (f"at least {pa2_ci[0]:.2f}." if side == "above" else f"at most {pa2_ci[1]:.2f}.")
                    )
                if pa2_ci is None and n_conc >= 3 and not no_scatter:
                    pa2_unbounded = True
                    warnings.append(
                        "pA2 has no interval: with these few points the slope's own interval reaches 0, so "
                        "Fieller's interval for pA2 is unbounded."
                    )
            if slope_ci is not None and not slope_ci[0] <= 1 <= slope_ci[1]:
                warnings.append(
                    f"The Schild slope {slope:.2f} ({slope_ci[0]:.2f} to {slope_ci[1]:.2f}) differs from 1. Simple "
                    "competitive antagonism at equilibrium gives 1: a slope below 1 suggests the antagonist is not at "
                    "equilibrium, agonist uptake, or more than one receptor; above 1, antagonist depletion or a "
                    "non-competitive action. If so, pA2 is not an estimate of pK_B and these data give no K_B."
                    + (
                        " pK_B as reported is the slope-1 value, right only if the antagonism is simply competitive: "
                        "a slope this far from 1 also arises by chance in about 1 experiment in 20 when it is, so "
                        "repeat the experiment before concluding either way."
                        if pkb_defined
                        else ""
                    )
                )
            if n_conc < 3:
                slope_ci = None
        else:
            row = kept.iloc[0]
            pa2 = float(row["log_dr_minus_1"] - row["log_antagonist"])
            warnings.append(
                f"One usable antagonist concentration: pA2 = log(r - 1) - log[B] = {pa2:.2f} from the Schild equation "
                "with the slope assumed 1; no slope and no interval."
            )
        if pkb_defined:
            pkb, pkb_ci, drift_sd, drift_note, pkb_fit = _pkb_regression(use, confidence, warnings)
    largest_b = max((f.antagonist_M for f in fits), default=0.0)
    if b_unit not in _MASS and largest_b >= ANTAGONIST_WARN_M:
        warnings.append(
            f"The largest antagonist concentration is {_fmt_m(largest_b)}, 1 mM or more: receptor antagonists "
            "are given at pM to µM in a bath, so the antagonist column may hold nM or µM values read as "
            f"{b_unit}. If so, state the unit ({HOW_TO_STATE_UNITS}): pA2 and pK_B would otherwise be a "
            "thousand- or a million-fold off."
        )
    for label, v in (("pA2", pa2), ("pK_B", pkb)):
        if v is not None and not PLAUSIBLE_P[0] <= v <= PLAUSIBLE_P[1]:
            unit_hint = f" ({b_unit} converted to molar)" if b_unit != "M" else ""
            warnings.append(
                f"{label} = {v:.2f} is outside 3 to 13, where receptor antagonists lie: check the units of the "
                f"antagonist and agonist columns{unit_hint}."
            )
    if b_unit in _MASS:
        warnings.append(
            f"The antagonist doses are in {b_unit}: pA2 and pK_B are apparent values in vivo (-log of mol/kg), "
            "not equilibrium constants."
        )
    curves = _curves_table(fits, ratios, confidence)
    if conc_unit not in _MOLAR and conc_unit.replace("µ", "u") not in _MOLAR:
        # agonist doses kept in their mass unit (only their ratios matter)
        tag = conc_unit.replace("/", "_").replace("µ", "u")
        curves = curves.rename(
            columns={c: c.replace("_M", f"_{tag}") for c in ("ec50_M", "ec50_low_M", "ec50_high_M")}
        )
    return SchildReport(
        pa2=pa2,
        pa2_ci=pa2_ci,
        pa2_unbounded=pa2_unbounded,
        slope=slope,
        slope_ci=slope_ci,
        pkb=pkb,
        pkb_ci=pkb_ci,
        curves=curves,
        points=points,
        warnings=warnings,
        drift_sd=drift_sd,
        drift_note=drift_note,
        direction=direction,
        confidence=confidence,
        control_log_ec50=ctrl_log,
        pkb_fit=pkb_fit,
        antagonist_unit="mol/kg" if b_unit.endswith("/kg") else "M",
        _fits=fits,
    )


def _schild_point_covariance(use, kept):
    r"""Covariance of the Schild points' log10 dose ratios, and its degrees of freedom.

    Every usable curve's log EC50 has an error of variance :math:`\sigma_i^2 = se_i^2 + d^2`: its
    own fit error (``log_ec50_se``) plus the tissue's curve-to-curve drift d. The drift is
    estimated as in the pK_B regression, :math:`d^2 = \max(0, s^2 - \overline{se^2})`, with
    :math:`s^2` the residual variance of all curves' log EC50s (controls included) about the
    Gaddum/Schild fit with slope 1, on (curves - 2) degrees of freedom, so
    :math:`\overline{\sigma^2} = \max(s^2, \overline{se^2})`. That fit's scatter holds any departure
    of the slope from 1, which would hide it (dose ratios of 3, 3 and 3 over 100-fold of [B] then
    gave a slope interval of -1.3 to 1.3); so when the fit with the slope free is better by an F
    test at 5 % (:math:`F = (RSS_1 - RSS_s)/(RSS_s/(n-3))` against :math:`F_{1,n-3}`), :math:`s^2` is
    that fit's residual variance, on (curves - 3) degrees of freedom. (The free fit's scatter alone,
    on 1 degree of freedom with 3 concentrations, sees drift too rarely: 87 % pA2 coverage at a drift
    of 0.3 over 200 simulated experiments.) When a
    curve has no standard error (an EC50 table, or points exactly on a curve) every curve gets
    :math:`\sigma^2 = s^2`: the scatter of the EC50s then carries the fit errors and the drift
    together. A dose ratio is against the mean of the m usable controls, so the ratios share the
    covariance :math:`\sum_j \sigma_{c,j}^2/m^2` (``dose_ratio_covariance``).

    Degrees of freedom (for Student's t): those of :math:`s^2` when the scatter is
    larger than the fit errors (the drift is then estimated from it); when it is not
    (:math:`s^2 \le \overline{se^2}` about the slope-1 fit, no drift seen) the variances are the curves' own fit
    variances, and the degrees of freedom are theirs, summed over the curves (the first choice
    alone, t on 1 or 2 degrees of freedom, leaves the intervals unbounded in most experiments even
    without drift). Both together keep at least 93 % coverage in every configuration of
    ``bench/schild_coverage_grid.py``. Returns (None, None) when :math:`s^2` is not available
    (fewer than 3 curves) or zero; raises ValueError when the slope-1 fit does not converge.
    """
    from .schild import dose_ratio_covariance

    b = np.array([f.antagonist_M for f in use])
    e = np.array([f.log_ec50 for f in use])
    pos = b > 0
    dof = e.size - 2
    if dof < 1 or pos.sum() < 1 or (~pos).sum() < 1:
        return None, None
    log_b = np.where(pos, np.log10(np.where(pos, b, 1.0)), -np.inf)
    c0 = float(e[~pos].mean())
    p0 = float(np.median(np.log10(np.maximum(10 ** (e[pos] - c0) - 1, 0.1)) - log_b[pos]))
    box = ([c0 - 20.0, p0 - 20.0], [c0 + 20.0, p0 + 20.0])
    rss1 = float(
        np.sum(_least_squares(lambda q: q[0] + _shift(log_b, q[1]) - e, np.array([c0, p0]), box).fun ** 2)
    )
    s2, slope_one = rss1 / dof, True
    if dof >= 2 and np.unique(b[pos]).size >= 2:
        # the slope free: does it fit clearly better (F test of slope 1 at 5 %)?
        free = _try_least_squares(
            lambda q: q[0] + _log_shift(log_b, q[1], q[2]) - e,
            np.array([c0, p0, 1.0]),
            (box[0] + [0.01], box[1] + [10.0]),
        )
        rss_free = float(np.sum(free.fun**2)) if free is not None else rss1
        f_crit = t_quantile(0.975, dof - 1) ** 2
        if free is not None and (rss_free <= 0 or (rss1 - rss_free) / (rss_free / (dof - 1)) > f_crit):
            s2, dof, slope_one = rss_free / (dof - 1), dof - 1, False
    ses = [f.log_ec50_se for f in use]
    if all(se is not None for se in ses):
        se2 = np.square(np.array(ses, dtype=float))
        drift2 = max(0.0, s2 - float(se2.mean()))
        if drift2 == 0.0 and slope_one:
            # no scatter beyond the curves' own fit errors: those errors set the variance, and they
            # are estimated from every curve's readings
            dof = sum(f.dof for f in use)
        var = {id(f): v + drift2 for f, v in zip(use, se2)}
    else:
        var = {id(f): s2 for f in use}
    if not min(var.values()) > 1e-12:
        return None, None
    ctrl = [var[id(f)] for f in use if f.antagonist_M == 0]
    return dose_ratio_covariance([var[id(f)] for f in kept], ctrl), dof


def _try_least_squares(fun, start, bounds):
    """``_least_squares``, or None when the fit does not converge."""
    try:
        return _least_squares(fun, start, bounds)
    except ValueError:
        return None


def _shift(log_b, pkb):
    return np.logaddexp(0.0, (log_b + pkb) * np.log(10.0)) / np.log(10.0)


def _pkb_regression(use, confidence, warnings):
    """Lew & Angus (1995): log EC50_i = c + log10(1 + [B]_i 10^pKB) + e_i, one point per curve."""
    b = np.array([f.antagonist_M for f in use])
    e = np.array([f.log_ec50 for f in use])
    ses = np.array([f.log_ec50_se for f in use if f.log_ec50_se is not None])
    with np.errstate(divide="ignore"):
        log_b = np.where(b > 0, np.log10(np.where(b > 0, b, 1.0)), -np.inf)
    pos = b > 0
    if pos.sum() < 1 or (~pos).sum() < 1:
        return None, None, None, "not estimated", None
    c0 = float(e[~pos].mean())
    shifts = e[pos] - c0
    p0 = float(np.median(np.log10(np.maximum(10**shifts - 1, 0.1)) - log_b[pos]))
    lo_p, hi_p = float(-log_b[pos].max() - 4), float(-log_b[pos].min() + 4)
    p0 = float(np.clip(p0, lo_p + 0.5, hi_p - 0.5))

    def resid(q):
        return q[0] + _shift(log_b, q[1]) - e

    res = _least_squares(resid, np.array([c0, p0]), ([c0 - 20.0, lo_p], [c0 + 20.0, hi_p]))
    c, pkb = (float(v) for v in res.x)
    if not lo_p + 1e-6 < pkb < hi_p - 1e-6:
        warnings.append(
            "pK_B ran to the edge of its search range: the shifts do not define it; pK_B is undefined."
        )
        return None, None, None, "not estimated", None
    n = e.size
    dof = n - 2
    jac = res.jac
    try:
        unscaled = np.linalg.inv(jac.T @ jac)
    except np.linalg.LinAlgError:
        warnings.append("pK_B is not identifiable from these curves (singular fit); pK_B is undefined.")
        return None, None, None, "not estimated", None
    mean_se2 = float(np.mean(ses**2)) if ses.size == n else None
    # replicates at one concentration (controls included) estimate the drift directly
    groups = {}
    for bi, ei, f in zip(b, e, use):
        groups.setdefault(bi, []).append((ei, f.log_ec50_se))
    rep = [
        (np.var([v for v, _ in g], ddof=1), len(g) - 1, [s for _, s in g])
        for g in groups.values()
        if len(g) > 1
    ]
    rep_note = ""
    if rep:
        pooled = sum(v * d for v, d, _ in rep) / sum(d for _, d, _ in rep)
        rep_se2 = [s**2 for _, _, ss in rep for s in ss if s is not None]
        d_rep = math.sqrt(max(0.0, pooled - (float(np.mean(rep_se2)) if rep_se2 else 0.0)))
        rep_note = f"; from replicate curves at one concentration: {d_rep:.2f}"
    if dof >= 1:
        s2 = float(np.sum(res.fun**2) / dof)
        # The scatter about the fit cannot be smaller than the curves' own fit error: with few
        # degrees of freedom a chance small residual would otherwise give too narrow an interval.
        s2_used = max(s2, mean_se2) if mean_se2 is not None else s2
        if not s2_used > 1e-20:
            warnings.append(
                "The EC50s lie exactly on the Gaddum/Schild fit, so nothing measures their error: pK_B has no "
                "interval."
            )
            return pkb, None, None, "not estimated (no scatter at all)", {"c": c}
        se = math.sqrt(unscaled[1, 1] * s2_used)
        t = t_quantile(0.5 + confidence / 2, dof)
        ci = (pkb - t * se, pkb + t * se)
        if mean_se2 is not None:
            drift = math.sqrt(max(0.0, s2 - mean_se2))
            note = (
                f"{drift:.2f} log units, estimated from the scatter of {n} curves' log EC50s about the "
                f"Gaddum/Schild fit ({dof} degrees of freedom) less their own fit error{rep_note}"
            )
        else:
            drift = None
            note = (
                f"in the residual scatter of the {n} EC50s about the Gaddum/Schild fit (SD {math.sqrt(s2):.2f} log "
                f"units, {dof} degrees of freedom); an EC50 table has no per-curve errors to separate it out"
            )
        if dof <= 2:
            warnings.append(
                f"pK_B's interval rests on {dof} degree(s) of freedom ({n} curves): it is honest but wide. "
                "More curves (a second control, a fourth antagonist concentration) narrow it."
            )
    else:
        if mean_se2 is None:
            warnings.append("Two EC50s only: pK_B has no interval (nothing estimates the scatter).")
            return pkb, None, None, "not estimated (two EC50s)", {"c": c}
        drift = FALLBACK_DRIFT_SD
        se = math.sqrt(unscaled[1, 1] * (mean_se2 + drift**2))
        z = t_quantile(0.5 + confidence / 2, 1e6)
        ci = (pkb - z * se, pkb + z * se)
        note = f"not estimable from two curves; {drift} log units assumed (a deliberately wide fallback)"
        warnings.append(
            f"Two curves only: the curve-to-curve drift cannot be estimated, so pK_B's interval assumes a drift SD "
            f"of {drift} log units. Run a second control curve to measure it."
        )
    return pkb, (float(ci[0]), float(ci[1])), drift, note, {"c": c}


def _curves_table(fits, ratios, confidence):
    import pandas as pd

    rows = []
    for f in fits:
        ok = f.usable and f.log_ec50 is not None
        se = f.log_ec50_se if ok else None
        t = t_quantile(0.5 + confidence / 2, f.dof) if se else None
        rows.append(
            {
                "curve": f.curve,
                "antagonist_M": f.antagonist_M,
                "ec50_M": 10**f.log_ec50 if ok else None,
                "ec50_low_M": 10 ** (f.log_ec50 - t * se) if se else None,
                "ec50_high_M": 10 ** (f.log_ec50 + t * se) if se else None,
                "bottom": f.bottom if ok else None,
                "top": f.top if ok else None,
                "hill": f.hill if ok else None,
                # 1 for a control by definition (its EC50 is the reference), NaN where undefined
                "dose_ratio": 1.0 if f.antagonist_M == 0 else ratios.get(f.curve, np.nan),
                "used": ok,
                "flags": "; ".join(f.flags),
            }
        )
    # missing numbers as NaN throughout (a column of an EC50 table's None would otherwise be
    # an object column of None beside float columns of NaN)
    numeric = ["antagonist_M", "ec50_M", "ec50_low_M", "ec50_high_M", "bottom", "top", "hill", "dose_ratio"]
    return pd.DataFrame(rows).astype({c: float for c in numeric})


def curves_table(curves, antagonist, curve_names=None, tissue=None):
    """Concentration–response curves as the long CSV form ``analyse_schild`` reads.

    Parameters
    ----------
    curves : sequence of (conc, response) pairs
        Agonist concentrations (M, >= 0) and responses of each curve.
    antagonist : array_like
        Antagonist concentration of each curve, M (0 = control).
    curve_names : sequence of str, optional
        Default "1", "2", ...
    tissue : str, optional
        Adds a ``tissue`` column.

    Returns
    -------
    pandas.DataFrame with columns curve, agonist_M, response, antagonist_M (, tissue): the
    contract of ``CURVE_COLUMNS``; ``df.to_csv(path, index=False)`` writes the CSV.

    Examples
    --------
    A virtual organ-bath run (lesson 03) in the form a student's own readings take:

    >>> from widgets import pharmacology as ph
    >>> run = ph.run_schild_experiment(1, 1.54e-6, 5.0, 1.5e-9, [1e-8, 3e-8, 1e-7])
    >>> b = [0.0, *run.antagonist]
    >>> table = curves_table([(run.doses, r) for r in run.responses], b, tissue="virtual ileum")
    >>> list(table.columns)
    ['curve', 'agonist_M', 'response', 'antagonist_M', 'tissue']
    >>> report = analyse_schild(table, concentration="agonist_M", response="response", antagonist="antagonist_M", curve="curve")
    """
    import pandas as pd

    b = np.atleast_1d(np.asarray(antagonist, dtype=float))
    if len(curves) != b.size:
        raise ValueError(f"curves and antagonist must have the same length, got {len(curves)} and {b.size}")
    if (b < 0).any() or not np.isfinite(b).all():
        raise ValueError("antagonist concentrations must be finite and >= 0 (0 = control)")
    names = [str(i + 1) for i in range(b.size)] if curve_names is None else [str(n) for n in curve_names]
    if len(names) != b.size:
        raise ValueError("curve_names must name every curve")
    frames = []
    for name, bi, (conc, resp) in zip(names, b, curves):
        conc = np.atleast_1d(np.asarray(conc, dtype=float))
        resp = np.atleast_1d(np.asarray(resp, dtype=float))
        if conc.size != resp.size:
            raise ValueError(f"curve {name}: concentrations and responses differ in length")
        if (conc < 0).any():
            raise ValueError(f"curve {name}: agonist concentrations must be >= 0")
        frames.append(pd.DataFrame({"curve": name, "agonist_M": conc, "response": resp, "antagonist_M": bi}))
    out = pd.concat(frames, ignore_index=True)
    if tissue is not None:
        out["tissue"] = str(tissue)
    return out


# -- command line ------------------------------------------------------------------------------
def _guess_columns(df):
    cols = list(df.columns)

    def first(pattern):
        return next((c for c in cols if re.match(pattern, str(c), re.I)), None)

    ec50 = first(r"^(ec50|ed50)")
    antagonist = first(r"^antagonist")
    if ec50 is not None:
        return {"ec50": ec50, "antagonist": antagonist, "curve": first(r"^curve$")}
    return {
        "concentration": first(r"^(agonist|conc|dose)"),
        "response": first(r"^response"),
        "antagonist": antagonist,
        "curve": first(r"^curve$"),
    }


def read_table(path):
    """Read a CSV of curves or EC50s (comment lines start with #) from a path or a text buffer."""
    import csv
    import io

    import pandas as pd

    name = "this file" if hasattr(path, "read") else str(path)
    try:
        if hasattr(path, "read"):
            text = path.read()
            text = text.decode("utf-8-sig") if isinstance(text, bytes) else text
        else:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read()
        try:
            # sep=None: pandas sniffs the separator, so a spreadsheet's semicolon CSV reads too.
            df = pd.read_csv(io.StringIO(text), comment="#", sep=None, engine="python")
        except csv.Error:  # too little text to tell the separator: read it as commas
            df = pd.read_csv(io.StringIO(text), comment="#")
        # the file line of each data row (1-based; header, comment and blank lines counted), so a
        # message can name the line a spreadsheet or an editor shows
        lines = [
            k + 1
            for k, line in enumerate(text.splitlines())
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if len(lines) == len(df) + 1:
            df.attrs["file_lines"] = lines[1:]
        return df
    except FileNotFoundError:
        # say where a relative path was looked for: in a lesson that is the lesson's own folder
        where = Path.cwd() if not Path(str(path)).is_absolute() else None
        raise ValueError(
            f"no such file: {path}"
            + (f" (looked in {where}; a path is read from the folder the notebook is in)" if where else "")
        ) from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a folder, not a file: give the path of the CSV file inside it") from None
    except PermissionError:
        raise ValueError(f"{path} cannot be read (no permission)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{name} is not a readable CSV file: {err}") from None


def analyse_file(path_or_table, **options):
    """Read a CSV (or take a DataFrame), find its columns by name and run :func:`analyse_schild`."""
    import pandas as pd

    df = path_or_table if isinstance(path_or_table, pd.DataFrame) else read_table(path_or_table)
    cols = _guess_columns(df)
    for key, value in cols.items():
        if value is None and key != "curve":
            raise ValueError(
                f"cannot find the {key} column: name the columns as in the template "
                f"({', '.join(CURVE_COLUMNS)}), or ec50_M and antagonist_M for a table of EC50s"
            )
    return analyse_schild(df, **{k: v for k, v in cols.items() if v is not None}, **options)
