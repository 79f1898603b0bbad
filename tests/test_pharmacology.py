"""Unit tests of the science core against closed forms, invariants and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from widgets import pharmacology as ph

# Concentrations and constants spanning the pharmacological range, in molar.
conc = st.floats(min_value=1e-14, max_value=1e-2, allow_nan=False)
const = st.floats(min_value=1e-12, max_value=1e-4, allow_nan=False)
taus = st.floats(min_value=0.01, max_value=1000, allow_nan=False)


# -- occupancy -------------------------------------------------------------------------
def test_occupancy_half_at_kd_and_hill_closed_form():
    assert ph.occupancy(3e-9, 3e-9) == pytest.approx(0.5)
    # [A] = 10 K with nH = 2: 100 / (100 + 1)
    assert ph.occupancy(1e-8, 1e-9, hill=2) == pytest.approx(100 / 101)
    assert ph.occupancy(0.0, 1e-9) == 0.0


def test_occupancy_keeps_scalars_scalar_and_arrays_arrays():
    assert isinstance(ph.occupancy(1e-9, 1e-9), float)
    out = ph.occupancy(np.array([1e-9, 9e-9]), 1e-9)
    assert out.shape == (2,)
    assert out == pytest.approx([0.5, 0.9])


@given(a=conc, b=conc, kd=const, hill=st.floats(0.3, 3))
def test_occupancy_bounded_and_monotone(a, b, kd, hill):
    pa, pb = ph.occupancy(a, kd, hill), ph.occupancy(b, kd, hill)
    assert 0.0 <= pa <= 1.0
    if a < b:
        assert pa <= pb


# -- competitive antagonism ------------------------------------------------------------
def test_dose_ratio_closed_form():
    assert ph.dose_ratio(0.0, 1e-9) == 1.0
    assert ph.dose_ratio(1e-8, 1e-9) == pytest.approx(11.0)


@given(a=conc, ka=const, b=conc, kb=const)
def test_gaddum_is_a_parallel_shift_by_the_dose_ratio(a, ka, b, kb):
    """Multiplying [A] by 1 + [B]/KB restores the occupancy without antagonist."""
    r = ph.dose_ratio(b, kb)
    shifted = ph.gaddum_occupancy(a * r, ka, b, kb)
    assert shifted == pytest.approx(ph.occupancy(a, ka), rel=1e-9, abs=1e-12)
    assert ph.gaddum_occupancy(a, ka, b, kb) <= ph.occupancy(a, ka) + 1e-15


def test_gaddum_without_antagonist_is_hill_langmuir():
    a = np.logspace(-12, -6, 13)
    assert ph.gaddum_occupancy(a, 2e-9, 0.0, 1e-9) == pytest.approx(ph.occupancy(a, 2e-9))


# -- operational model -----------------------------------------------------------------
@given(ka=const, tau=taus)
def test_operational_ec50_and_maximum(ka, tau):
    top = tau / (1 + tau)
    ec50 = ph.operational_ec50(ka, tau)
    assert ec50 == pytest.approx(ka / (1 + tau))
    assert ph.operational_effect(ec50, ka, tau) == pytest.approx(top / 2, rel=1e-9)
    assert ph.operational_effect(ka * 1e9, ka, tau) == pytest.approx(top, rel=1e-6)


@given(a=conc, ka=const, tau=taus, b=conc, kb=const)
def test_operational_competitive_shift(a, ka, tau, b, kb):
    r = ph.dose_ratio(b, kb)
    with_b = ph.operational_effect(a * r, ka, tau, antagonist=b, kb=kb)
    assert with_b == pytest.approx(ph.operational_effect(a, ka, tau), rel=1e-9, abs=1e-12)


def test_operational_receptor_reserve_and_neutral_antagonist():
    # tau = 30: half the maximum at 1/31 of KA, i.e. a full response at low occupancy.
    ka = 1e-8
    assert ph.operational_effect(ka / 31, ka, 30) == pytest.approx(0.5 * 30 / 31)
    assert ph.occupancy(ka / 31, ka) == pytest.approx(1 / 32)
    assert ph.operational_effect(1e-6, ka, 0.0) == 0.0


def test_operational_slope_n_closed_form():
    # n = 2 at [A] = KA, tau = 1: 1 / ((2)^2 + 1) = 0.2
    assert ph.operational_effect(1e-9, 1e-9, 1.0, n=2.0) == pytest.approx(0.2)


# -- Cheng–Prusoff ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "ki, radioligand, kd", [(1e-9, 1e-9, 1e-9), (3e-10, 5e-9, 1e-9), (2e-8, 1e-10, 4e-9)]
)
def test_cheng_prusoff_recovers_ki_from_a_simulated_competition_curve(ki, radioligand, kd):
    """Simulate radioligand binding against an inhibitor, find IC50 numerically, invert it."""

    def specific(i):
        return ph.gaddum_occupancy(radioligand, kd, i, ki)

    half = specific(0.0) / 2
    ic50 = brentq(lambda log_i: specific(10**log_i) - half, -15, -3)
    assert ph.cheng_prusoff_ki(10**ic50, radioligand, kd) == pytest.approx(ki, rel=1e-6)


# -- Schild ----------------------------------------------------------------------------
def test_schild_exact_data_gives_slope_one_and_pkb():
    kb = 2e-10
    b = np.array([1e-9, 1e-8, 1e-7, 1e-6])
    fit = ph.schild_fit(b, ph.dose_ratio(b, kb))
    assert fit.slope == pytest.approx(1.0)
    assert fit.pA2 == pytest.approx(-math.log10(kb))
    assert fit.pkb_slope1 == pytest.approx(-math.log10(kb))
    assert fit.kb == pytest.approx(kb)


def test_schild_detects_a_non_unit_slope():
    b = np.array([1e-9, 1e-8, 1e-7, 1e-6])
    r = 1 + (b / 1e-8) ** 0.5  # log(r-1) = 0.5 log B + 4
    fit = ph.schild_fit(b, r)
    assert fit.slope == pytest.approx(0.5)
    assert fit.pA2 == pytest.approx(8.0)
    assert not (fit.slope_ci[0] <= 1.0 <= fit.slope_ci[1])


def test_schild_confidence_intervals_cover_the_truth_about_95_percent():
    """Coverage check: with log-normal noise on r - 1, the 95 % intervals hold the truth.

    400 replicates: the binomial 99.9 % band around 0.95 is about 0.92..0.98.
    """
    rng = np.random.default_rng(7)
    b = np.logspace(-9, -6, 4)
    true_pkb = 9.3
    hits_slope = hits_pa2 = 0
    n_rep = 400
    for _ in range(n_rep):
        r = 1 + (b * 10**true_pkb) * 10 ** rng.normal(0, 0.1, b.size)
        fit = ph.schild_fit(b, r)
        hits_slope += fit.slope_ci[0] <= 1.0 <= fit.slope_ci[1]
        hits_pa2 += fit.pA2_ci is not None and fit.pA2_ci[0] <= true_pkb <= fit.pA2_ci[1]
    assert 0.92 <= hits_slope / n_rep <= 0.98
    assert 0.92 <= hits_pa2 / n_rep <= 0.98


def test_schild_two_points_have_no_slope_interval():
    fit = ph.schild_fit([1e-9, 1e-8], [3.0, 21.0])
    assert fit.slope_ci is None and fit.pA2_ci is None
    assert fit.n_points == 2


# -- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: ph.occupancy(-1e-9, 1e-9), "conc must be >= 0"),
        (lambda: ph.occupancy(float("nan"), 1e-9), "conc must not be NaN"),
        (lambda: ph.occupancy(1e-9, 0.0), "kd must be > 0"),
        (lambda: ph.occupancy(1e-9, -1e-9), "kd must be > 0"),
        (lambda: ph.occupancy("10 nM", 1e-9), "conc must be a number"),
        (lambda: ph.occupancy(1e-9, 1e-9, hill=0), "hill must be > 0"),
        (lambda: ph.gaddum_occupancy(1e-9, 1e-9, -1.0, 1e-9), "antagonist must be >= 0"),
        (lambda: ph.dose_ratio(1e-9, 0), "kb must be > 0"),
        (lambda: ph.operational_effect(1e-9, 1e-9, -1.0), "tau must be finite and >= 0"),
        (lambda: ph.operational_effect(1e-9, 1e-9, 1.0, emax=0), "emax must be > 0"),
        (lambda: ph.cheng_prusoff_ki(0, 1e-9, 1e-9), "ic50 must be > 0"),
        (lambda: ph.cheng_prusoff_ki(1e-9, -1, 1e-9), "radioligand must be >= 0"),
        (
            lambda: ph.schild_fit([0.0, 1e-8, 1e-7], [1.5, 3, 20]),
            "antagonist concentrations must be finite and > 0",
        ),
        (lambda: ph.schild_fit([1e-9, 1e-8], [1.0, 3.0]), "dose_ratios must be finite and > 1"),
        (lambda: ph.schild_fit([1e-9], [3.0]), "at least 2 antagonist concentrations"),
        (lambda: ph.schild_fit([1e-9, 1e-8], [3.0]), "same length"),
        (lambda: ph.schild_fit([1e-9, 1e-9], [3.0, 4.0]), "2 different antagonist concentrations"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(call, words):
    with pytest.raises(ValueError, match=words):
        call()
