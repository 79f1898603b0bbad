"""Honest pA2 and Schild-slope intervals (issue 24).

Every dose ratio is divided by the same control EC50, so the control's error moves every Schild
point together: the residuals about the Schild line cannot see it, yet it moves pA2 by the same
amount divided by the slope. Expected values here come from the simulation's truth (pK_B 9,
slope 1) or from closed forms, not from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.test_analyse_schild import TRUE_PKB, simulate
from widgets import pharmacology as ph
from widgets.pharmacology.analyse import analyse_schild

RAW = {"concentration": "agonist_M", "response": "response", "antagonist": "antagonist_M", "curve": "curve"}


def experiment(seed, b, drift, point_sd, controls=1):
    """An organ-bath Schild experiment (test_analyse_schild's simulator), analysed from raw curves."""
    return analyse_schild(simulate(seed, b, controls=controls, drift=drift, point_sd=point_sd), **RAW)


def test_pa2_interval_is_never_narrower_than_the_control_ec50_error():
    """Three antagonist concentrations: the control EC50's own error shifts pA2 by that error over
    the slope, so no honest pA2 interval is narrower than the control EC50's interval divided by
    the slope. The residual-only interval was, in 3 of these 60 seeds (pA2 8.82 (8.81-8.82) in the
    trial)."""
    narrow, bounded = [], 0
    for seed in range(60):
        r = experiment(seed, [3e-9, 3e-8, 3e-7], drift=0.05, point_sd=3.0)
        if r.pa2_ci is None:
            continue
        bounded += 1
        ctrl = r.curves[r.curves["antagonist_M"] == 0].iloc[0]
        ctrl_half = (math.log10(ctrl["ec50_high_M"]) - math.log10(ctrl["ec50_low_M"])) / 2
        half = (r.pa2_ci[1] - r.pa2_ci[0]) / 2
        if half * abs(r.slope) < ctrl_half:
            narrow.append((seed, r.pa2, r.pa2_ci))
    assert not narrow, f"pA2 intervals narrower than the control's own error: {narrow}"
    assert bounded >= 45, f"only {bounded} of 60 pA2 intervals bounded"


def test_pa2_interval_covers_the_truth_when_the_drift_moves_the_control():
    """Six concentrations two-fold apart, a drift of 0.1 log units: the Schild points lie close to
    their line (the residuals have 4 degrees of freedom), so the residual-only interval is narrow,
    while the control's drift moves them all. It missed pK_B in 16 of these 100 experiments; a 95 %
    interval should miss about 5 (at most 7 in a test that allows chance)."""
    b = 3e-9 * 2.0 ** np.arange(6)
    pa2_miss = slope_miss = unbounded = 0
    for seed in range(100):
        r = experiment(seed, b, drift=0.1, point_sd=2.0)
        assert r.pa2 is not None and r.slope_ci is not None
        if r.pa2_ci is None:
            unbounded += 1
        else:
            pa2_miss += not r.pa2_ci[0] <= TRUE_PKB <= r.pa2_ci[1]
        slope_miss += not r.slope_ci[0] <= 1.0 <= r.slope_ci[1]
    assert unbounded <= 10
    assert pa2_miss <= 7, f"pA2 interval missed the truth in {pa2_miss} of 100"
    assert slope_miss <= 7, f"slope interval missed 1 in {slope_miss} of 100"


def test_schild_fit_shared_control_error_widens_pa2_by_its_sd_over_the_slope():
    """Exact dose ratios on a line of slope 1 (pK_B 9), large ratios (r/(r-1) close to 1): a
    control variance v common to every point adds v to pA2's variance and leaves the slope's
    interval as the independent errors make it."""
    b = np.array([1e-7, 1e-6, 1e-5])
    r = 1.0 + b * 1e9
    indep = 0.01**2
    z = 1.959964
    alone = ph.schild_fit(b, r, log_ratio_cov=ph.dose_ratio_covariance([indep] * 3, [1e-12]))
    shared = ph.schild_fit(b, r, log_ratio_cov=ph.dose_ratio_covariance([indep] * 3, [0.2**2]))
    assert alone.pA2 == pytest.approx(9.0, abs=1e-6) and alone.slope == pytest.approx(1.0, abs=1e-6)
    # The x-intercept (log[B] = -9) is 3 log units below the mean log[B] (-6): by the delta
    # method var(pA2) = var(intercept at the mean) + 3^2 var(slope), with var(slope) = 0.01^2 / 2
    # (sxx = 2) and var(intercept) = 0.01^2 / 3 + the common variance.
    width_alone = alone.pA2_ci[1] - alone.pA2_ci[0]
    assert width_alone == pytest.approx(2 * z * math.sqrt(indep / 3 + 9 * indep / 2), rel=0.02)
    width_shared = shared.pA2_ci[1] - shared.pA2_ci[0]
    assert width_shared == pytest.approx(2 * z * math.sqrt(0.2**2 + indep / 3 + 9 * indep / 2), rel=0.02)
    # slope: sxx = 2 (log10 [B] at -7, -6, -5), SD 0.01/sqrt(2); the common shift does not tilt the line
    for s in (alone, shared):
        assert s.slope_ci[1] - s.slope_ci[0] == pytest.approx(2 * z * 0.01 / math.sqrt(2), rel=0.02)


def test_schild_fit_plain_mode_is_unchanged_without_a_covariance():
    """Without ``log_ratio_cov`` the textbook calculation (residual scatter, t on n - 2) stands."""
    b = np.array([1e-8, 1e-7, 1e-6])
    y = np.array([1.05, 1.98, 3.02])  # log10(r - 1)
    s = ph.schild_fit(b, 1 + 10**y)
    x = np.log10(b)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    se = math.sqrt((resid**2).sum() / 1) / math.sqrt(((x - x.mean()) ** 2).sum())
    t1 = 12.706205
    assert s.slope == pytest.approx(slope)
    assert s.slope_ci[1] - s.slope_ci[0] == pytest.approx(2 * t1 * se, rel=1e-4)


def test_schild_fit_refuses_a_covariance_of_the_wrong_shape():
    with pytest.raises(ValueError, match="3 x 3"):
        ph.schild_fit([1e-8, 1e-7, 1e-6], [3, 20, 200], log_ratio_cov=np.eye(2))
    with pytest.raises(ValueError, match="dof"):
        ph.schild_fit([1e-8, 1e-7, 1e-6], [3, 20, 200], dof=3)


def test_an_ec50_table_exactly_on_the_line_gets_no_interval_rather_than_a_zero_width_one():
    import pandas as pd

    b = np.array([0.0, 1e-8, 1e-7, 1e-6])
    table = pd.DataFrame({"ec50_M": 1e-8 * (1 + b / 1e-9), "antagonist_M": b})
    r = analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M")
    assert r.pa2 == pytest.approx(9.0) and r.slope == pytest.approx(1.0) and r.pkb == pytest.approx(9.0)
    assert r.pa2_ci is None and r.slope_ci is None and r.pkb_ci is None
    assert any("exactly" in w and "no interval" in w for w in r.warnings)
    assert not any("unbounded" in w for w in r.warnings)


def test_an_ec50_table_with_scatter_gets_intervals_that_hold_the_truth():
    """A table (no standard errors): the EC50s' scatter about the Gaddum/Schild fit measures their
    error, the control's included, so the intervals are not zero and hold pK_B 9 and slope 1."""
    import pandas as pd

    b = np.array([0.0, 1e-8, 1e-7, 1e-6])
    wobble = np.array([0.05, -0.04, 0.06, -0.03])  # log units
    table = pd.DataFrame({"ec50_M": 1e-8 * (1 + b / 1e-9) * 10**wobble, "antagonist_M": b})
    r = analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M")
    assert r.pa2_ci[0] < 9.0 < r.pa2_ci[1] and r.slope_ci[0] < 1.0 < r.slope_ci[1]
    # the control's error alone (the table's SD of about 0.05) shifts pA2 by as much
    assert r.pa2_ci[1] - r.pa2_ci[0] > 2 * 1.96 * 0.04
