"""Science core for lessons 06 and 07: Rescorla–Wagner, NNT, competitive occupancies, arrival."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import pharmacology as ph


# -- Rescorla–Wagner ---------------------------------------------------------------------
def test_rescorla_wagner_hand_worked_trials():
    # V: 0 -> 0 + 0.5(1 - 0) = 0.5 -> 0.5 + 0.5(1 - 0.5) = 0.75 -> 0.75 + 0.5(0 - 0.75) = 0.375
    assert ph.rescorla_wagner([1, 1, 0], 0.5) == pytest.approx([0, 0.5, 0.75, 0.375])


def test_rescorla_wagner_acquisition_closed_form():
    # Constant lambda: V_n = lambda - (lambda - V0)(1 - a)^n
    v = ph.rescorla_wagner(np.ones(40), 0.1, v0=0.2)
    n = np.arange(41)
    assert v == pytest.approx(1 - 0.8 * 0.9**n)


@given(lam=st.lists(st.floats(0, 1), min_size=1, max_size=60), rate=st.floats(0.01, 1.0), v0=st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_rescorla_wagner_stays_between_start_and_outcomes(lam, rate, v0):
    """With 0 < αβ <= 1 each step moves V part of the way toward λ, never past it."""
    v = ph.rescorla_wagner(lam, rate, v0)
    low, high = min(v0, *lam), max(v0, *lam)
    assert np.all(v >= low - 1e-12) and np.all(v <= high + 1e-12)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"outcomes": [1, -1], "learning_rate": 0.1}, "outcomes must be finite and >= 0"),
        ({"outcomes": [1], "learning_rate": 0}, "learning_rate must satisfy"),
        ({"outcomes": [1], "learning_rate": 1.5}, "learning_rate must satisfy"),
        ({"outcomes": [1], "learning_rate": float("nan")}, "learning_rate must not be NaN"),
        ({"outcomes": "lots", "learning_rate": 0.1}, "outcomes must be a number"),
        ({"outcomes": [1], "learning_rate": 0.1, "v0": float("inf")}, "v0 must be a single finite number"),
    ],
)
def test_rescorla_wagner_bad_input_names_the_argument(kwargs, words):
    with pytest.raises(ValueError, match=words):
        ph.rescorla_wagner(**kwargs)


# -- extinction course ----------------------------------------------------------------------
def test_weekly_closed_form_equals_trial_by_trial_rule():
    """Fixed 3 occasions a week: the weekly update is the rule applied 3 times."""
    c = ph.extinction_course(
        10,
        "targeted",
        treatment_weeks=6,
        reward_blocked=0.7,
        learning_rate=0.2,
        occasions_per_week=3,
        occasions_follow_strength=False,
    )
    lam = [0.3] * 18 + [1.0] * 12
    trial = ph.rescorla_wagner(lam, 0.2, v0=1.0)
    assert c.strength == pytest.approx(trial[::3])


def test_targeted_use_extinguishes_toward_the_blunted_reward_and_abstinence_does_not():
    kw = dict(treatment_weeks=52, reward_blocked=0.6, learning_rate=0.2, occasions_per_week=5)
    targeted = ph.extinction_course(52, "targeted", **kw)
    abstinent = ph.extinction_course(52, "abstinent", **kw)
    untreated = ph.extinction_course(52, "untreated", **kw)
    assert np.all(np.diff(targeted.strength) <= 1e-12)
    assert targeted.strength[-1] == pytest.approx(0.4, abs=0.01)  # asymptote λ = 1 − 0.6
    assert targeted.strength[-1] >= 0.4  # approaches from above, never below λ
    assert np.all(abstinent.strength == 1.0)  # no drinking, no trials, nothing learned
    assert np.all(abstinent.occasions[:-1] == 0)
    assert np.all(untreated.strength == 1.0)  # already at the full reward


def test_drinking_occasions_follow_the_learned_response():
    c = ph.extinction_course(20, "targeted", treatment_weeks=20, occasions_per_week=4)
    assert c.occasions[:-1] == pytest.approx(4 * c.strength[:-1])
    assert math.isnan(c.occasions[-1])


def test_response_recovers_after_treatment_stops():
    c = ph.extinction_course(60, "targeted", treatment_weeks=12)
    assert c.strength[12] < 0.6
    assert np.all(np.diff(c.strength[12:]) >= -1e-12)
    assert c.strength[-1] > 0.95
    assert list(c.on_drug[:13]) == [True] * 12 + [False]


def test_no_block_means_no_extinction():
    c = ph.extinction_course(30, "targeted", reward_blocked=0.0)
    assert np.all(c.strength == pytest.approx(1.0))


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"weeks": 10, "strategy": "sometimes"}, "strategy must be one of"),
        ({"weeks": 0, "strategy": "targeted"}, "weeks must be a whole number from 1 to 520"),
        ({"weeks": 2.5, "strategy": "targeted"}, "weeks must be a whole number"),
        (
            {"weeks": 10, "strategy": "targeted", "treatment_weeks": 11},
            "treatment_weeks must be a whole number from 0 to 10",
        ),
        ({"weeks": 20, "strategy": "targeted", "reward_blocked": 1.2}, "reward_blocked must satisfy"),
        (
            {"weeks": 20, "strategy": "targeted", "occasions_per_week": -1},
            "occasions_per_week must be finite and >= 0",
        ),
        (
            {"weeks": 20, "strategy": "targeted", "occasions_per_week": 30},
            "occasions_per_week must be a single number from 0 to 21",
        ),
        ({"weeks": 20, "strategy": "targeted", "v0": float("nan")}, "v0 must not be NaN"),
    ],
)
def test_extinction_bad_input_names_the_argument(kwargs, words):
    with pytest.raises(ValueError, match=words):
        ph.extinction_course(**kwargs)


# -- NNT ----------------------------------------------------------------------------------
def test_nnt_closed_forms():
    # Jonas 2014: RD -0.09 -> NNT 1/0.09 = 11.1, published (from the unrounded RD) as 12.
    assert ph.number_needed_to_treat(0.5, ph.treated_risk(0.5, -0.09, "risk difference")) == pytest.approx(
        1 / 0.09
    )
    # Rösner 2010: RR 0.83 at a placebo risk p0 gives NNT = 1 / (p0 (1 - RR)).
    for p0 in (0.3, 0.5, 0.65):
        p1 = ph.treated_risk(p0, 0.83, "risk ratio")
        assert p1 == pytest.approx(0.83 * p0)
        assert ph.number_needed_to_treat(p0, p1) == pytest.approx(1 / (p0 * 0.17))


def test_published_cochrane_nnt_of_9_fits_a_placebo_risk_near_two_thirds():
    """NNT 9 (PEARL summary of Rösner 2010) with RR 0.83 implies p0 = 1/(9 × 0.17) ≈ 0.65."""
    p0 = 0.65
    nnt = ph.number_needed_to_treat(p0, ph.treated_risk(p0, 0.83, "risk ratio"))
    assert 8.5 <= nnt <= 9.5


def test_no_benefit_gives_an_infinite_nnt_and_arrays_work():
    assert math.isinf(ph.number_needed_to_treat(0.4, 0.4))
    assert math.isinf(ph.number_needed_to_treat(0.4, 0.5))
    out = ph.number_needed_to_treat(np.array([0.5, 0.5]), np.array([0.25, 0.5]))
    assert out[0] == pytest.approx(4) and math.isinf(out[1])


def test_risk_difference_is_clipped_at_zero():
    assert ph.treated_risk(0.05, -0.09, "risk difference") == 0.0


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: ph.treated_risk(1.2, 0.8, "risk ratio"), "control_risk must be between 0 and 1"),
        (lambda: ph.treated_risk(0.5, -0.8, "risk ratio"), "estimate must be > 0"),
        (lambda: ph.treated_risk(0.5, -2, "risk difference"), "estimate must be between -1 and 1"),
        (lambda: ph.treated_risk(0.5, 0.8, "odds ratio"), "measure must be one of"),
        (lambda: ph.number_needed_to_treat(0.5, float("nan")), "treated_risk_ must not be NaN"),
    ],
)
def test_nnt_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# -- competitive occupancies ----------------------------------------------------------------
conc = st.floats(min_value=0, max_value=1e-5)
const = st.floats(min_value=1e-12, max_value=1e-6)


@given(a=conc, ka=const, b=conc, kb=const)
@settings(max_examples=80, deadline=None)
def test_occupancies_sum_to_one_and_match_the_gaddum_closed_form(a, ka, b, kb):
    p_a, p_b, p_free = ph.competitive_occupancies(a, ka, b, kb)
    denom = 1 + a / ka + b / kb
    assert p_a == pytest.approx((a / ka) / denom, abs=1e-12)
    assert p_b == pytest.approx((b / kb) / denom, abs=1e-12)
    assert p_a + p_b + p_free == pytest.approx(1.0, abs=1e-9)


def test_displacement_worked_example():
    # Agonist at 9 K_A (90% alone); antagonist at 10 K_B: p_A = 9/20, p_B = 10/20.
    p_a, p_b, p_free = ph.competitive_occupancies(9e-9, 1e-9, 3e-9, 0.3e-9)
    assert (p_a, p_b, p_free) == pytest.approx((0.45, 0.5, 0.05))


def test_occupancies_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="antagonist must be >= 0"):
        ph.competitive_occupancies(1e-9, 1e-9, -1e-9, 1e-9)
    with pytest.raises(ValueError, match="kb must be > 0"):
        ph.competitive_occupancies(1e-9, 1e-9, 1e-9, 0)


# -- arrival profile ----------------------------------------------------------------------------
def test_arrival_profile_peaks_at_one_at_tmax():
    ka, ke = 3.0, 0.173
    t_max = math.log(ka / ke) / (ka - ke)
    assert 0.9 < t_max < 1.1  # product information: Tmax about 1 h
    assert ph.arrival_profile(t_max) == pytest.approx(1.0)
    t = np.linspace(0, 24, 241)
    f = ph.arrival_profile(t)
    assert f[0] == 0 and f.max() <= 1.0
    # After the peak it falls with the elimination half-life (4 h): f(t + 4 h) ≈ f(t) / 2 late on.
    assert ph.arrival_profile(20.0) / ph.arrival_profile(16.0) == pytest.approx(0.5, rel=0.01)


def test_arrival_profile_bad_input():
    with pytest.raises(ValueError, match="t_h must be >= 0"):
        ph.arrival_profile(-1.0)
    with pytest.raises(ValueError, match="ka_per_h must differ"):
        ph.arrival_profile(1.0, 0.2, 0.2)
