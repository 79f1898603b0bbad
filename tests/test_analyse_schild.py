"""analyse_schild: your own curves or EC50 table in, honest numbers and warnings out (issue 24).

Every bad case of the issue has a test here. The expected values come from the simulation's
true K_B, from closed forms, or from an independent scipy fit written in this file; none is
copied from the code under test.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from widgets import pharmacology as ph
from widgets.lesson_widgets.schild_report import report_figure
from widgets.pharmacology.analyse import analyse_schild, curves_table

ROOT = Path(__file__).resolve().parents[1]
TRUE_PKB = 9.0
DOSES = 1e-10 * 10.0 ** (0.5 * np.arange(13))  # 0.1 nM to 100 µM, half-log steps
RAW = {"concentration": "agonist_M", "response": "response", "antagonist": "antagonist_M", "curve": "curve"}


def _run_command_line(*args: str) -> subprocess.CompletedProcess:
    """``python -m widgets.lesson_widgets.schild_report ARGS`` as a user types it, from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "widgets.lesson_widgets.schild_report", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def simulate(seed=3, b=(3e-9, 1e-8, 3e-8, 1e-7), controls=1, drift=0.05, point_sd=3.0, doses=DOSES, **kw):
    """A Schild experiment from the organ bath's model (rising % inhibition), as the long CSV form."""
    conc = [0.0] * controls + list(b)
    curves = []
    for i, c in enumerate(conc):
        r = ph.simulate_curve(
            doses,
            1e-7,
            5.0,
            c,
            10**-TRUE_PKB,
            noise=ph.BathNoise(point_sd, drift),
            rng=np.random.default_rng([seed, i]),
            **kw,
        )
        curves.append((doses, r))
    return curves_table(curves, conc)


def run(df, **kw):
    return analyse_schild(df, **{**RAW, **kw})


def assert_honest(r):
    """No zero-width or reversed interval, no estimate without a finite value."""
    for value, ci in ((r.pa2, r.pa2_ci), (r.slope, r.slope_ci), (r.pkb, r.pkb_ci)):
        if value is not None:
            assert math.isfinite(value)
        if ci is not None:
            assert value is not None
            assert ci[1] - ci[0] > 1e-6, f"zero-width interval {ci}"
    for _, row in r.curves.iterrows():
        if row["used"] and pd.notna(row["ec50_low_M"]):
            assert row["ec50_low_M"] < row["ec50_M"] < row["ec50_high_M"]


def said(r, *words):
    """Some warning contains every word (case-insensitive)."""
    return any(all(w.lower() in s.lower() for w in words) for s in r.warnings)


def assert_says_undefined(r, label):
    """Everything a user reads (the table the CLI prints, the lesson's sentence and HTML) says
    'undefined' for ``label`` and shows no number for it."""
    from widgets.lesson_widgets.schild_report import report_html, report_sentence

    row = r.summary().set_index("quantity").filter(like=label, axis=0).iloc[0]
    assert list(row) == ["undefined"] * 3
    line = next(ln for ln in r.text().splitlines() if label in ln)
    assert "undefined" in line and not re.search(r"\d\.\d", line)
    assert f"{label} undefined" in report_sentence(r)
    assert "undefined" in report_html(r)


# -- the contract ------------------------------------------------------------------------------
def test_clean_experiment_recovers_the_true_pkb():
    r = run(simulate())
    assert_honest(r)
    assert r.pkb_ci[0] < TRUE_PKB < r.pkb_ci[1]
    assert abs(r.pkb - TRUE_PKB) < 0.3
    assert abs(r.slope - 1) < 0.3 and r.slope_ci[0] < 1 < r.slope_ci[1]
    assert set(
        ["curve", "antagonist_M", "ec50_M", "ec50_low_M", "ec50_high_M", "bottom", "top", "hill"]
    ) <= set(r.curves.columns)
    assert r.curves["used"].all()
    assert r.drift_sd is not None and r.drift_sd >= 0
    assert r.direction == "rising"


def test_pkb_agrees_with_an_independent_scipy_fit():
    """Per-curve 4-parameter logistic fits with curve_fit, then log EC50 = c + log10(1 + [B] 10^pKB)."""
    df = simulate(seed=11)
    r = run(df)

    def logistic(x, log_ec50, bottom, top, hill):
        return bottom + (top - bottom) / (1 + 10 ** (hill * (log_ec50 - x)))

    b, e, var = [], [], []
    for _, g in df.groupby("curve", sort=False):
        x = np.log10(g["agonist_M"].to_numpy())
        y = g["response"].to_numpy()
        p, pcov = optimize.curve_fit(
            logistic, x, y, p0=[x[np.argmax(y > y.max() / 2)], y.min(), y.max(), 1.0], maxfev=20000
        )
        b.append(g["antagonist_M"].iloc[0])
        e.append(p[0])
        var.append(pcov[0, 0])
    b, e = np.array(b), np.array(e)

    def gaddum(bb, c, pkb):
        return c + np.log10(1 + bb * 10**pkb)

    (c, pkb), _ = optimize.curve_fit(gaddum, b, e, p0=[e[0], 9.0])
    assert r.pkb == pytest.approx(pkb, abs=0.01)
    # the interval: t with (curves - 2) dof on the residual scatter, floored at the curves' own
    # mean fit variance (absolute_sigma=True gives the unscaled covariance, then times that)
    from scipy import stats

    resid = e - gaddum(b, c, pkb)
    s2 = max(float(np.sum(resid**2)) / (len(e) - 2), float(np.mean(var)))
    _, cov1 = optimize.curve_fit(gaddum, b, e, p0=[c, pkb], sigma=np.ones_like(e), absolute_sigma=True)
    half = stats.t.ppf(0.975, len(e) - 2) * math.sqrt(cov1[1, 1] * s2)
    assert r.pkb_ci[0] == pytest.approx(pkb - half, abs=0.01)
    # the classical Schild regression on the dose ratios against the control
    x, y = np.log10(b[1:]), np.log10(10 ** (e[1:] - e[0]) - 1)
    slope, intercept = np.polyfit(x, y, 1)
    assert r.slope == pytest.approx(slope, abs=0.01)
    assert r.pa2 == pytest.approx(intercept / slope, abs=0.01)


def test_figure_has_the_curves_and_the_schild_plot():
    r = run(simulate())
    fig = report_figure(r)
    names = [t.name for t in fig.data]
    assert any("Schild regression" in (n or "") for n in names)
    assert any("slope 1" in (n or "") for n in names)
    assert sum(1 for t in fig.data if t.mode == "markers") >= 5


def test_units_nM_give_the_same_answer_as_molar():
    df = simulate()
    r_m = run(df)
    nm = df.assign(agonist_nM=df["agonist_M"] * 1e9, antagonist_nM=df["antagonist_M"] * 1e9)
    r_nm = analyse_schild(
        nm, concentration="agonist_nM", response="response", antagonist="antagonist_nM", curve="curve"
    )
    assert r_nm.pkb == pytest.approx(r_m.pkb, abs=1e-6)
    r_units = analyse_schild(
        nm.rename(columns={"agonist_nM": "a", "antagonist_nM": "b"}),
        concentration="a",
        response="response",
        antagonist="b",
        curve="curve",
        units="nM",
    )
    assert r_units.pkb == pytest.approx(r_m.pkb, abs=1e-6)


def test_mass_units_need_a_molar_mass():
    t = pd.DataFrame({"ed50_mg_kg": [1.0, 3.0, 9.0, 30.0], "dose_mg_kg": [0, 0.01, 0.03, 0.1]})
    with pytest.raises(ValueError, match="molar_mass"):
        analyse_schild(t, ec50="ed50_mg_kg", antagonist="dose_mg_kg")
    r = analyse_schild(t, ec50="ed50_mg_kg", antagonist="dose_mg_kg", molar_mass=300.0)
    # dose ratio 3 at 0.01 mg/kg of a 300 g/mol drug: pA2 = log(2) - log(0.01e-3/300)
    assert r.pkb is not None
    assert said(r, "apparent")


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"concentration": "nope"}, "nope"),
        ({"antagonist": "missing"}, "missing"),
        ({"direction": "up"}, "direction"),
        ({"hill": 2}, "hill"),
        ({"confidence": 1.5}, "confidence"),
        ({"units": "furlongs"}, "units"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, word):
    with pytest.raises(ValueError, match=word):
        run(simulate(), **kwargs)


def test_text_in_a_number_column_names_row_and_column():
    df = simulate().astype({"response": object})
    df.loc[4, "response"] = "12,5"
    with pytest.raises(ValueError, match=r"response.*row 5"):
        run(df)


def test_no_control_curve_is_a_clear_error():
    df = simulate()
    with pytest.raises(ValueError, match="control"):
        run(df[df["antagonist_M"] > 0])


# -- the bad cases of the issue ----------------------------------------------------------------
def test_falling_curve_twitch_in_percent_of_control():
    """The opioid assay: the twitch falls as the agonist rises. Today: EC50 1e-12, zero-width pK_B."""
    df = simulate(seed=5)
    falling = df.assign(response=100.0 - df["response"])
    r = run(falling)
    assert_honest(r)
    assert r.direction == "falling"
    assert said(r, "fall")
    assert r.pkb_ci[0] < TRUE_PKB < r.pkb_ci[1]
    # the same numbers as the rising form of the same readings
    assert r.pkb == pytest.approx(run(df).pkb, abs=1e-6)


def test_depressed_maximum_is_not_competitive():
    """Insurmountable antagonism (irreversible: fewer receptors, low efficacy) depresses the maximum."""
    b = (1e-9, 1e-8, 1e-7)
    conc = [0.0, *b]
    curves = []
    for i, c in enumerate(conc):
        r = ph.simulate_curve(
            DOSES,
            1e-7,
            2.0,
            c,
            1e-9,
            mechanism="irreversible",
            noise=ph.BathNoise(2.0, 0.0),
            rng=np.random.default_rng([1, i]),
        )
        curves.append((DOSES, r))
    r = run(curves_table(curves, conc))
    assert_honest(r)
    assert said(r, "depressed", "not competitive")
    assert_no_schild_numbers(r)


def assert_no_schild_numbers(r):
    """Curves that are not parallel shifts: no Schild analysis at all. Before, pA2 and pK_B were
    withheld only at the end, so the Schild slope, the drift and a warning 'pA2 = 8.83 from the
    Schild equation' still showed numbers the report called undefined."""
    assert (r.pa2, r.pa2_ci, r.slope, r.slope_ci, r.pkb, r.pkb_ci, r.drift_sd) == (None,) * 7
    assert said(r, "pA2, the Schild slope and pK_B are undefined", "no Schild analysis")
    assert not any(re.search(r"(pA2|pK_B|slope) (=\s*)?\d", w) for w in r.warnings)


def test_non_monotonic_curve_is_left_out():
    """A bell-shaped curve (papaverine-like): today EC50 three log units below the data, SE 0."""
    df = simulate(seed=2)
    sel = df["curve"] == "3"
    x = np.log10(df.loc[sel, "agonist_M"].to_numpy())
    df.loc[sel, "response"] = 60 * np.exp(-((x + 6.5) ** 2) / 0.8)
    r = run(df)
    assert_honest(r)
    assert said(r, "'3'", "not monotonic")
    assert not r.curves.set_index("curve").loc["3", "used"]
    assert r.curves.set_index("curve").loc["3", "ec50_M"] is None or pd.isna(
        r.curves.set_index("curve").loc["3", "ec50_M"]
    )


def test_plateau_not_reached():
    """The last antagonist curve stops half-way up: today a tight EC50 interval that is wrong."""
    df = simulate(seed=4)
    cut = (df["curve"] == "5") & (df["agonist_M"] > 1e-6)
    r = run(df[~cut])
    assert_honest(r)
    assert said(r, "'5'", "plateau")
    assert not r.curves.set_index("curve").loc["5", "used"]
    assert r.pkb_ci[0] < TRUE_PKB < r.pkb_ci[1]


def test_curves_that_do_not_shift(tmp_path):
    """Antagonist without effect: today pK_B 3.000, slope 5.000 (both bounds)."""
    conc = [0.0, 1e-9, 1e-8, 1e-7]
    curves = [
        (
            DOSES,
            ph.simulate_curve(
                DOSES, 1e-7, 5.0, 0.0, 1e-9, noise=ph.BathNoise(3.0, 0.0), rng=np.random.default_rng([9, i])
            ),
        )
        for i in range(4)
    ]
    table = curves_table(curves, conc)
    r = run(table)
    assert_honest(r)
    # The warning says pA2 and pK_B are undefined, so no number may stand beside it (an audit found
    # pK_B 6.47 (4.93-8.02) reported next to that warning: the Gaddum fit still ran).
    assert said(r, "did not shift", "pK_B are undefined")
    assert r.pa2 is None and r.pa2_ci is None
    assert r.pkb is None and r.pkb_ci is None
    assert_says_undefined(r, "pK_B")
    # and the command line prints the same
    table.to_csv(tmp_path / "no_shift.csv", index=False)
    res = _run_command_line(str(tmp_path / "no_shift.csv"))
    line = next(ln for ln in res.stdout.splitlines() if ln.strip().startswith("pK_B"))
    assert "undefined" in line and not re.search(r"\d\.\d", line)


def test_flat_schild_plot_that_excludes_slope_one_gives_no_pkb():
    """Dose ratios of about 3 at every [B] over 100-fold: the shift does not grow with [B], which
    Gaddum's equation needs, so pK_B is as undefined as pA2 (it was reported as 6.82 (3.07-10.56))."""
    t = pd.DataFrame({"ec50_M": [1e-8, 3.1e-8, 3.3e-8, 3.2e-8], "antagonist_M": [0, 1e-9, 1e-8, 1e-7]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert said(r, "flat", "pA2 and pK_B are undefined")
    assert r.pkb is None and r.pkb_ci is None
    assert not said(r, "pK_B as reported")
    assert_says_undefined(r, "pK_B")


def test_flat_looking_plot_that_cannot_rule_out_slope_one_keeps_pkb():
    """Three scattered points: the slope's interval holds 0 and 1, so the data cannot see the
    slope. pA2 is undefined, but the warning must not claim the shift does not grow, and pK_B
    (slope fixed at 1, every curve) is still an estimate."""
    b = np.array([1e-9, 3e-9, 1e-8])
    r_obs = 1 + 10 ** np.array([0.15, 0.45, 0.25])  # log(r - 1) scattered about a slope-1 line
    t = pd.DataFrame({"ec50_M": np.r_[1e-8, 1e-8 * r_obs], "antagonist_M": np.r_[0, b]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert r.slope_ci[0] <= 0 and r.slope_ci[1] >= 1
    assert said(r, "flat", "cannot show", "pA2 is undefined")
    assert not said(r, "does not grow")
    assert r.pa2 is None and r.pkb is not None and r.pkb_ci is not None


def test_flat_looking_plot_without_a_slope_interval_keeps_pkb():
    """Two antagonist concentrations give a slope but no interval: a flat-looking slope (0.10) is then
    no evidence against slope 1 either, so pK_B stays (found in the coverage grid: 1 % of one
    configuration's experiments lost their pK_B when a missing interval was read as excluding 1)."""
    t = pd.DataFrame({"ec50_M": [1e-8, 3e-8, 3.5e-8], "antagonist_M": [0, 1e-8, 1e-7]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert r.slope == pytest.approx(np.log10(2.5 / 2), abs=0.01) and r.slope_ci is None
    assert said(r, "flat", "cannot show") and not said(r, "does not grow")
    assert r.pa2 is None and r.pkb is not None


def test_nanomolar_typed_into_a_molar_column_is_refused():
    """nM values in columns named _M: today pA2 0.18 with no unit check; then only warnings
    ("EC50 above 1 mM", "pA2 outside 3 to 13") beside a report. Values above 10 mM cannot be
    molar concentrations in a bath, so the analysis refuses and says which column and what to do."""
    df = simulate()
    wrong = df.assign(agonist_M=df["agonist_M"] * 1e9, antagonist_M=df["antagonist_M"] * 1e9)
    with pytest.raises(ValueError) as err:
        run(wrong)
    text = str(err.value)
    # the antagonist column is read first; its largest value is 100 (nM typed as M)
    assert "'antagonist_M'" in text and "100 M" in text
    assert "nM or µM" in text and "1e9" in text and "1e6" in text
    # how to state the unit in each place a student meets it, and where the value is in the file
    assert "'units' menu" in text and "--units nM" in text and 'units="nM"' in text
    assert re.search(r"on line \d+ \(data row \d+", text) and "{" not in text
    # the agonist column alone (antagonist in M) is refused the same way, with its own largest value
    with pytest.raises(ValueError, match=r"'agonist_M'.*100,000 M.*nM or µM"):
        run(df.assign(agonist_M=df["agonist_M"] * 1e9))
    # and a column in µM with nM values in it: the unit it was read in, and the value as typed
    with pytest.raises(ValueError, match=r"'antagonist_uM'.*100,000 µM"):
        run(df.assign(antagonist_uM=df["antagonist_M"] * 1e12), antagonist="antagonist_uM")


def test_the_ceiling_is_10_mM_and_concentrations_up_to_it_pass():
    """1 mM of agonist (a weak agonist's top dose) is a molar concentration; 20 mM is not."""
    df = simulate()
    top = df["agonist_M"] == df["agonist_M"].max()
    assert run(df.assign(agonist_M=np.where(top, 1e-2, df["agonist_M"]))).pkb is not None
    with pytest.raises(ValueError, match=r"'agonist_M'.*0\.02 M"):
        run(df.assign(agonist_M=np.where(top, 2e-2, df["agonist_M"])))


def test_one_ec50_typed_in_nM_is_refused():
    """A new-user trial typed one EC50 as 540 (nM) in a molar column: the row was warned about
    but still used, giving pK_B 11.16 (1.79 to 20.53) printed as an estimate; then left out with a
    warning. No bath holds 5,663 M (pure water is 55 M): the table is refused, naming the column."""
    b = np.array([0, 1e-8, 3e-8, 1e-7, 3e-7])
    ec50 = 5.4e-7 * (1 + b / 10**-8.5)  # a competitive antagonist with pK_B 8.5
    typo = pd.DataFrame({"ec50_M": ec50, "antagonist_M": b})
    typo.loc[2, "ec50_M"] = typo.loc[2, "ec50_M"] * 1e9  # typed in nM
    with pytest.raises(ValueError, match=r"'ec50_M'.*5,663 M.*nM or µM"):
        analyse_schild(typo, ec50="ec50_M", antagonist="antagonist_M")


def test_an_ec50_between_1_and_10_mM_is_left_out_not_used():
    """Below the 10 mM ceiling an EC50 can be molar but is implausible for a receptor agonist: the
    row is warned about and left out (it was used, giving pK_B 11.16 printed as an estimate)."""
    b = np.array([0, 1e-8, 3e-8, 1e-7, 3e-7])
    ec50 = 5.4e-7 * (1 + b / 10**-8.5)  # a competitive antagonist with pK_B 8.5
    good = pd.DataFrame({"ec50_M": ec50, "antagonist_M": b})
    odd = good.copy()
    odd.loc[2, "ec50_M"] = 3e-3
    r_good = analyse_schild(good, ec50="ec50_M", antagonist="antagonist_M")
    r = analyse_schild(odd, ec50="ec50_M", antagonist="antagonist_M")
    assert said(r, "above 1 mM", "left out")
    assert "implausible EC50 (unit?)" in " ".join(map(str, r.curves["flags"]))
    # The other rows still give the answer the clean table gives (pA2 from 3 points, not 4).
    assert r.pkb is not None and abs(r.pkb - 8.5) < 0.05 and abs(r_good.pkb - 8.5) < 0.05


def test_command_line_refuses_nM_in_a_molar_column_with_a_sentence(tmp_path):
    df = simulate()
    path = tmp_path / "typed_in_nM.csv"
    df.assign(agonist_M=df["agonist_M"] * 1e9, antagonist_M=df["antagonist_M"] * 1e9).to_csv(
        path, index=False
    )
    res = _run_command_line(str(path))
    assert res.returncode == 2
    assert res.stdout.startswith("error: column 'antagonist_M'")
    assert "--units nM" in res.stdout
    assert "Traceback" not in res.stderr


def test_baseline_is_fitted_not_assumed_zero():
    """A baseline of 20 left in: today with bottom=0 pK_B is off by 0.27 and Hill 0.21."""
    df = simulate(seed=8, point_sd=1.0, drift=0.0)
    r0 = run(df)
    r = run(df.assign(response=df["response"] + 20.0))
    assert r.pkb == pytest.approx(r0.pkb, abs=0.02)
    assert r.curves["hill"].between(0.7, 1.3).all()
    assert r.curves["bottom"].between(15, 25).all()


def test_hill_can_be_fixed_at_one():
    r = run(simulate(), hill=1)
    assert (r.curves["hill"] == 1.0).all()
    assert r.pkb_ci[0] < TRUE_PKB < r.pkb_ci[1]


def test_flat_schild_plot_gives_no_pa2():
    """Dose ratios that do not grow with [B]: today pA2 38.4."""
    t = pd.DataFrame({"ec50_M": [1e-8, 3.1e-8, 3.3e-8, 3.2e-8], "antagonist_M": [0, 1e-9, 1e-8, 1e-7]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert r.pa2 is None and r.pa2_ci is None
    assert said(r, "flat")


def test_dose_ratio_of_1_01_is_dropped_from_the_schild_plot():
    """r = 1.01 at the lowest [B] doubles the slope today, silently."""
    b = np.array([1e-10, 1e-9, 1e-8, 1e-7])
    r_true = 1 + b / 1e-9
    r_true[0] = 1.01
    t = pd.DataFrame({"ec50_M": np.r_[1e-8, 1e-8 * r_true], "antagonist_M": np.r_[0, b]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert said(r, "1.01", "dropped")
    pts = r.points.set_index("antagonist_M")
    assert not pts.loc[1e-10, "used"]
    assert r.slope == pytest.approx(1.0, abs=0.02)  # the other three lie on slope 1 exactly
    assert r.pa2 == pytest.approx(9.0, abs=0.02)


def test_dose_ratio_at_or_below_one_is_dropped_with_a_warning():
    t = pd.DataFrame({"ec50_M": [1e-8, 0.9e-8, 1.1e-7, 1.01e-6], "antagonist_M": [0, 1e-10, 1e-8, 1e-7]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert said(r, "0.9", "not above 1")
    assert r.pa2 == pytest.approx(9.0, abs=0.05)


def test_second_control_is_a_control_not_a_dose_ratio():
    """Two controls 0.40 log units apart: today dose_ratios returns 2.84 for the second, silently."""
    df = simulate(seed=6, controls=2, drift=0.0, point_sd=1.0)
    sel = df["curve"] == "2"
    df.loc[sel, "agonist_M"] = df.loc[sel, "agonist_M"]  # same doses
    shifted = df.copy()
    # move the second control 0.4 log units right: its readings at 10^0.4 x the concentration
    shifted.loc[sel, "agonist_M"] = df.loc[sel, "agonist_M"] * 10**0.4
    r = run(shifted)
    assert said(r, "2 control curves", "0.4")
    assert "2" not in set(r.points["curve"])  # no dose ratio for a control
    assert r.drift_sd is not None and r.drift_sd > 0.1


def test_parameter_at_a_bound_is_not_an_estimate():
    """A step from 0 to 100 between two doses: the Hill slope runs to its bound."""
    df = simulate(seed=7)
    sel = df["curve"] == "4"
    df.loc[sel, "response"] = np.where(df.loc[sel, "agonist_M"] > 5e-7, 85.0, 0.0)
    r = run(df)
    assert_honest(r)
    assert said(r, "'4'", "bound")
    assert not r.curves.set_index("curve").loc["4", "used"]


def test_standard_error_zero_is_not_an_interval():
    """Readings exactly on a logistic (typed from a smooth figure): today SE 0.0 and a zero-width CI."""
    x = np.array([1e-8, 3e-8, 1e-7, 3e-7, 1e-6, 3e-6])
    y = 100 / (1 + 1e-7 / x)
    t = pd.DataFrame(
        {
            "curve": ["c"] * 6 + ["b1"] * 6 + ["b2"] * 6,
            "agonist_M": np.r_[x, 10 * x, 100 * x],
            "response": np.r_[y, y, y],
            "antagonist_M": [0] * 6 + [1e-8] * 6 + [1e-7] * 6,
        }
    )
    r = run(t)
    assert_honest(r)
    assert said(r, "'c'", "standard error 0", "no interval")
    assert r.curves["ec50_low_M"].isna().all()
    # dose ratios 10 and 100 at 10 and 100 nM: the Schild line through log 9 and log 99
    slope, intercept = np.polyfit([-8, -7], np.log10([9, 99]), 1)
    assert r.pa2 == pytest.approx(intercept / slope, abs=0.01)


def test_fewer_than_three_antagonist_concentrations():
    r = run(simulate(b=(1e-8, 1e-7)))
    assert_honest(r)
    assert said(r, "Only 2 antagonist", "cannot be tested")
    assert r.slope_ci is None


def test_slope_different_from_one_is_explained():
    b = np.array([1e-9, 1e-8, 1e-7, 1e-6])
    r_true = 1 + (b / 1e-9) ** 0.5 * np.array([1.0, 1.03, 0.97, 1.0])
    t = pd.DataFrame({"ec50_M": np.r_[1e-8, 1e-8 * r_true], "antagonist_M": np.r_[0, b]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    assert r.slope == pytest.approx(0.5, abs=0.05)
    assert said(r, "differs from 1", "equilibrium")
    # pK_B stays (the slope-1 value) and the warning says exactly what it is, not that it is "doubtful"
    assert r.pkb is not None
    assert said(r, "pK_B as reported is the slope-1 value", "1 experiment in 20")
    assert not said(r, "doubtful")


def test_mixed_response_scales():
    df = simulate(seed=12)
    sel = df["curve"] == "3"
    df.loc[sel, "response"] = df.loc[sel, "response"] / 100.0  # one curve in fractions, the rest in %
    r = run(df)
    assert said(r, "'3'", "scales")
    assert_no_schild_numbers(r)


def test_two_curves_use_a_stated_fallback_drift():
    r = run(simulate(b=(1e-8,)))
    assert said(r, "Two curves only", "drift")
    assert r.pkb_ci is not None and r.pkb_ci[1] - r.pkb_ci[0] > 4 * 0.3


def curves_lines(r):
    """The rows of the curves table as text() prints it, by curve name."""
    lines = r.text().split("Curves:\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return {name: next(ln for ln in lines if ln.strip().startswith(name)) for name in r.curves["curve"]}


def test_curves_table_says_undefined_never_none_and_a_control_ratio_is_1():
    """A table of EC50s printed None (no interval, bottom, top, Hill) beside NaN or "undefined"
    (the control's dose ratio, which is 1 by definition): one word now, and the control reads 1."""
    t = pd.DataFrame({"ec50_M": [1e-8, 3e-8, 1.1e-7, 1e-6], "antagonist_M": [0, 1e-9, 1e-8, 1e-7]})
    r = analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M")
    rows = curves_lines(r)
    assert not re.search(r"\b(None|NaN|nan)\b", r.text())
    control = rows["0 (control)"]
    assert "1 (by definition)" in control and control.count("undefined") == 5  # CI (2), bottom, top, Hill
    assert rows["1 nM"].count("undefined") == 5 and " 3 " in rows["1 nM"]  # dose ratio 3
    assert r.curves.loc[r.curves["antagonist_M"] == 0, "dose_ratio"].tolist() == [1.0]
    # raw curves: a curve left out shows "undefined" for what its fit did not define, and its
    # dose ratio too; the flags column says why
    df = simulate(seed=4)
    r = run(df[~((df["curve"] == "5") & (df["agonist_M"] > 1e-6))])
    rows = curves_lines(r)
    assert not re.search(r"\b(None|NaN|nan)\b", r.text())
    assert rows["5"].count("undefined") == 7 and "plateau not reached" in rows["5"]
    assert "1 (by definition)" in rows["1"] and "undefined" not in rows["1"]
    assert r.curves["dose_ratio"].notna().sum() == 4


def test_curves_table_is_the_csv_contract(tmp_path):
    curves = [([0, 1e-8, 1e-7], [0, 10, 50]), ([0, 1e-7, 1e-6], [0, 12, 48])]
    t = curves_table(curves, [0, 1e-8], tissue="ileum 1")
    assert list(t.columns) == ["curve", "agonist_M", "response", "antagonist_M", "tissue"]
    path = tmp_path / "c.csv"
    t.to_csv(path, index=False)
    back = pd.read_csv(path)
    assert back.shape == (6, 5)
    with pytest.raises(ValueError, match="same length"):
        curves_table(curves, [0])


# -- command line ------------------------------------------------------------------------------
def test_command_line_runs_on_the_template(tmp_path):
    out = tmp_path / "report.html"
    template = ROOT / "lessons" / "my_experiment_template.csv"
    res = _run_command_line(str(template), "--html", str(out))
    assert res.returncode == 0, res.stderr
    assert "pK_B" in res.stdout and "Schild slope" in res.stdout
    assert "Traceback" not in res.stderr
    assert out.exists() and out.stat().st_size > 10_000


def test_command_line_bad_file_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    res = _run_command_line(str(bad))
    assert res.returncode == 2
    assert res.stdout.startswith("error:")
    assert "Traceback" not in res.stderr


def test_odd_tables_give_a_clear_error_or_an_honest_report():
    """Random tables (noise, flat lines, steps, huge values, falling curves): a ValueError or a
    report whose every interval has width and whose figure draws; never another exception
    (before SE > 1 log unit was caught, such curves overflowed the curves table)."""
    rng = np.random.default_rng(0)
    for _ in range(80):
        rows = []
        for c in range(int(rng.integers(1, 6))):
            b = 0.0 if c == 0 or rng.random() < 0.2 else float(10 ** rng.uniform(-10, -6))
            a = np.sort(10 ** rng.uniform(-10, -4, int(rng.integers(1, 10))))
            kind = int(rng.integers(0, 5))
            y = [
                rng.normal(50, 30, a.size),
                np.full(a.size, 10.0),
                100 / (1 + 1e-7 * (1 + b / 1e-9) / a) + rng.normal(0, 3, a.size),
                -100 / (1 + 1e-7 / a),
                np.where(a > 1e-7, 1e6, 0.0),
            ][kind]
            rows += [(str(c), ai, yi, b) for ai, yi in zip(a, y)]
        df = pd.DataFrame(rows, columns=["curve", "agonist_M", "response", "antagonist_M"])
        try:
            r = run(df)
        except ValueError:
            continue
        assert_honest(r)
        report_figure(r)
        r.text()


# -- input messages (issue 24's student trial) ------------------------------------------------
def test_bad_cells_are_named_by_their_line_in_the_file_in_every_column():
    """A file with a comment line, a bad antagonist cell and a bad response cell: one message names
    both columns, each cell by the line an editor shows (comment and header counted), and has no
    Python syntax (no quotes of a repr, no key=value)."""
    from widgets.pharmacology.analyse import read_table

    text = (
        "# my experiment\n"
        "curve,agonist_M,response,antagonist_M\n"
        "c,1e-9,1,0\n"
        "c,1e-8,abc,0\n"  # line 4
        "d,1e-9,2,zero\n"  # line 5
    )
    df = read_table(io.StringIO(text))
    with pytest.raises(ValueError) as err:
        run(df)
    msg = str(err.value)
    assert 'column "response": line 4 of the file' in msg and '"abc"' in msg
    assert 'column "antagonist_M": line 5 of the file' in msg and '"zero"' in msg
    assert "=" not in msg and "'" not in msg


def test_decimal_commas_get_a_hint():
    df = simulate().astype({"response": object})
    df.loc[2, "response"] = "0,5"
    with pytest.raises(ValueError, match=r"decimal comma.*0\.5") as err:
        run(df)
    assert str(err.value).startswith("These numbers use a decimal comma")  # the fix before the cell list
    # without a file the line counts one header line
    with pytest.raises(ValueError, match=r"line 4 \(data row 3"):
        run(df)


def test_undecided_direction_message_has_no_python_syntax():
    df = simulate()
    rng = np.random.default_rng(0)
    df["response"] = rng.permutation(df["response"].to_numpy())
    with pytest.raises(ValueError) as err:
        run(df)
    assert "rise or fall" in str(err.value) and "=" not in str(err.value)


def test_a_missing_value_mark_is_not_called_just_empty():
    """pandas reads n/a as missing: the message must not send a student looking for an empty cell."""
    df = simulate().astype({"response": object})
    df.loc[2, "response"] = None
    with pytest.raises(
        ValueError, match=r"line 4 \(data row 3.*\) is empty or holds a missing-value mark \(NA, n/a\)"
    ):
        run(df)


def test_antagonist_nM_typed_in_uM_into_a_molar_column_is_warned_about():
    """An audit of issue 24: antagonist concentrations of 1-10 nM typed in µM into a molar column
    (0.001 to 0.01) passed every check (pA2 3.01 lies just inside 3 to 13) and gave pA2 3.01 and
    pK_B 3.14 with no word. 1 mM or more of an antagonist is now named, with the fix."""
    b = np.array([0, 1e-9, 3e-9, 1e-8])
    ec50 = 5.4e-7 * (1 + b / 10**-9.2)  # pK_B 9.2
    right = analyse_schild(
        pd.DataFrame({"ec50_M": ec50, "antagonist_M": b}), ec50="ec50_M", antagonist="antagonist_M"
    )
    slip = pd.DataFrame({"ec50_M": ec50, "antagonist_M": b * 1e6})  # nM values typed as µM: 0.001 to 0.01
    r = analyse_schild(slip, ec50="ec50_M", antagonist="antagonist_M")
    assert 3 <= r.pa2 <= 13 and abs(r.pa2 - (right.pa2 - 6)) < 0.01  # the check on the range cannot see it
    assert said(r, "1 mM or more", "nM or µM", "'units' menu")
    assert not said(right, "1 mM or more")


def test_a_pa2_bound_beyond_where_antagonists_lie_is_called_unbounded():
    """A new-user trial saw "pA2 9.58, 95 % 8.65 to 26.89" with no word: a Fieller bound far above
    13 is not a limit the points set. The table says unbounded on that side, and a warning says to
    read pA2 as at least the lower bound."""
    b = np.array([0, 3e-9, 1e-8, 3e-8])
    ec50 = 2e-7 * (1 + b / 10**-9.5) * 10 ** np.random.default_rng(4).normal(0, 0.15, 4)
    r = analyse_schild(
        pd.DataFrame({"ec50_M": ec50, "antagonist_M": b}), ec50="ec50_M", antagonist="antagonist_M"
    )
    assert r.pa2_ci is not None and 8 < r.pa2_ci[0] < 9.5 and r.pa2_ci[1] > 13  # Fieller's bounds, kept
    row = r.summary().set_index("quantity").loc["pA2 (Schild plot)"]
    assert row["95% high"] == "unbounded" and row["95% low"] == round(r.pa2_ci[0], 2)
    assert said(r, "reaches above 13", f"at least {r.pa2_ci[0]:.2f}")
    # an interval inside 3-13 is shown as it is, with no such warning
    clean = 2e-7 * (1 + b / 10**-9.5)
    r_clean = analyse_schild(
        pd.DataFrame({"ec50_M": clean * [1, 1.05, 0.95, 1.02], "antagonist_M": b}),
        ec50="ec50_M",
        antagonist="antagonist_M",
    )
    assert not said(r_clean, "reaches above") and "unbounded" not in set(r_clean.summary().iloc[0])


def test_a_unit_chosen_over_a_column_name_that_states_another_is_said():
    """A trial chose nM in the analyser's units menu for correct _M columns and read pA2 18.58 with
    only range warnings: the report now says the unit given overrides the column's own, and how to
    take the names instead. Without units= (or with the same unit) nothing is said."""
    b = np.array([0, 1e-9, 1e-8, 1e-7])
    table = pd.DataFrame({"ec50_M": 1e-7 * (1 + b / 10**-8.5), "antagonist_M": b})
    r = analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M", units="nM")
    assert said(r, "overrides", "'antagonist_M'", "from column names") and said(r, "'ec50_M'")
    assert not said(analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M"), "overrides")
    assert not said(analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M", units="M"), "overrides")
