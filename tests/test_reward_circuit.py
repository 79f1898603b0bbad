"""The reward-circuit rate model: rest, invariants, closed forms, published anchors, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_table
from widgets import pharmacology as ph

# Affinities in nM, chosen here (not read from the code) so the closed forms below are independent.
KI = {"opioid_ki_nM": 4.0, "endorphin_ki_nM": 1.0, "naltrexone_ki_mor_nM": 0.25, "naltrexone_ki_kor_nM": 1.0}
RATES = ("gaba", "dopamine_neurons", "nac_dopamine")

opioid = st.floats(0, 1000, allow_nan=False)
alcohol = st.floats(0, 3, allow_nan=False)
ntx = st.floats(0, 1000, allow_nan=False)


def run(opioid_nM=0.0, alcohol_g_per_kg=0.0, naltrexone_nM=0.0, **kw):
    return ph.simulate_reward_circuit(opioid_nM, alcohol_g_per_kg, naltrexone_nM, **{**KI, **kw})


# -- rest ---------------------------------------------------------------------------------
def test_with_no_input_the_circuit_rests_at_baseline():
    r = run()
    for name in RATES:
        np.testing.assert_array_equal(getattr(r, name), 1.0)
    assert np.all(r.dynorphin == 0) and np.all(r.mor_agonist_occupancy == 0)
    assert np.all(r.alcohol_level == 0)
    assert r.time_min[0] == 0 and r.time_min[-1] == pytest.approx(180)


def test_naltrexone_alone_leaves_the_resting_circuit_at_baseline():
    # The model has no resting opioid tone, so an antagonist alone has nothing to block.
    r = run(naltrexone_nM=50)
    for name in RATES:
        np.testing.assert_array_equal(getattr(r, name), 1.0)
    assert r.naltrexone_mor_occupancy == pytest.approx(50 / 50.25)


def test_before_the_inputs_arrive_nothing_moves():
    r = run(opioid_nM=20, alcohol_g_per_kg=1, opioid_start_min=60, drink_min=60)
    before = r.time_min <= 60
    for name in RATES:
        np.testing.assert_array_equal(getattr(r, name)[before], 1.0)


# -- invariants ----------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(o=opioid, a=alcohol, b=ntx)
def test_rates_are_never_negative(o, a, b):
    r = run(o, a, b)
    for name in (*RATES, "dynorphin"):
        assert np.all(getattr(r, name) >= 0), name
    assert np.all((r.mor_agonist_occupancy >= 0) & (r.mor_agonist_occupancy <= 1))
    assert np.all((r.kor_agonist_occupancy >= 0) & (r.kor_agonist_occupancy < 1))


@settings(max_examples=30, deadline=None)
@given(o=opioid, a=alcohol)
def test_rates_stay_non_negative_when_inhibition_is_strong_enough_to_rectify(o, a):
    strong = ph.CircuitParameters(mor_inhibition=3.0, kor_inhibition=5.0, w_disinhibition=4.0)
    r = run(o, a, params=strong)
    assert all(np.all(getattr(r, name) >= 0) for name in RATES)
    if o > 50:  # MOR mostly occupied: 1 - 3 p < 0, so the GABA rate is clipped to zero
        assert r.gaba[-1] == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(o=opioid, a=alcohol, b1=ntx, b2=ntx)
def test_naltrexone_never_increases_mor_driven_activity(o, a, b1, b2):
    low, high = sorted((b1, b2))
    r_low, r_high = run(o, a, low), run(o, a, high)
    assert np.all(r_high.mor_agonist_occupancy <= r_low.mor_agonist_occupancy + 1e-12)
    assert np.all(r_high.gaba >= r_low.gaba - 1e-12)  # less MOR drive: interneurons less quiet


@settings(max_examples=100, deadline=None)
@given(o=st.floats(0, 200, allow_nan=False), a=alcohol, b1=ntx, b2=ntx)
def test_naltrexone_never_increases_opioid_driven_dopamine(o, a, b1, b2):
    # Up to 200 nM opioid (50 K_A): four times the widget's top and far beyond its range.
    low, high = sorted((b1, b2))
    r_low, r_high = run(o, a, low), run(o, a, high)
    assert np.all(r_high.nac_dopamine <= r_low.nac_dopamine + 1e-9)
    assert np.all(r_high.dopamine_neurons <= r_low.dopamine_neurons + 1e-9)


@pytest.mark.parametrize("o, a, b", [(50, 3, 1e-4), (200, 3, 0.01), (200, 0, 1e-3), (100, 1, 0.1)])
def test_naltrexone_never_increases_dopamine_at_the_edges_of_the_range(o, a, b):
    assert np.all(run(o, a, b).nac_dopamine <= run(o, a, 0).nac_dopamine + 1e-9)


def test_at_a_saturating_opioid_dose_the_kor_block_can_add_a_sliver_of_dopamine():
    # A known limit of the model, stated rather than hidden: when MOR is > 99 % held by
    # the agonist, naltrexone can no longer lower MOR drive, but it still loosens the
    # dynorphin/KOR brake, so dopamine rises by well under 1 % of baseline.
    base = run(1000, 0, 0)
    assert base.mor_agonist_occupancy[-1] > 0.99
    diff = run(1000, 0, 1.0).nac_dopamine - base.nac_dopamine
    assert 0 < diff.max() < 0.01


@settings(max_examples=40, deadline=None)
@given(o1=opioid, o2=opioid, b=ntx)
def test_more_opioid_never_lowers_dopamine(o1, o2, b):
    low, high = sorted((o1, o2))
    assert np.all(run(high, 0, b).nac_dopamine >= run(low, 0, b).nac_dopamine - 1e-9)


def test_opioid_quiets_gaba_interneurons_and_disinhibits_dopamine():
    r = run(opioid_nM=10)
    assert r.gaba[-1] < 1 < r.dopamine_neurons[-1]
    assert r.nac_dopamine.max() > 1.2


# -- closed forms -------------------------------------------------------------------------
def test_mor_occupancy_follows_the_gaddum_equation():
    # Morphine alone, long after it arrived: p = A / (A + K_A (1 + B / K_B)).
    a, b = 8.0, 0.5
    r = run(opioid_nM=a, naltrexone_nM=b)
    expected = a / (a + 4.0 * (1 + b / 0.25))
    assert r.mor_agonist_occupancy[-1] == pytest.approx(expected, rel=1e-9)
    assert r.mor_agonist_occupancy[-1] == pytest.approx(ph.gaddum_occupancy(a, 4.0, b, 0.25), rel=1e-9)


def test_steady_state_without_the_kor_brake_matches_the_closed_form():
    p = ph.CircuitParameters(kor_inhibition=0.0)
    a = 6.0
    r = run(opioid_nM=a, params=p, t_end_min=300)
    occ = a / (a + 4.0)
    gaba = 1 - p.mor_inhibition * occ
    da = 1 + p.w_disinhibition * (1 - gaba)
    assert r.gaba[-1] == pytest.approx(gaba, rel=1e-6)
    assert r.dopamine_neurons[-1] == pytest.approx(da, rel=1e-6)
    assert r.nac_dopamine[-1] == pytest.approx(da, rel=1e-6)


def test_alcohol_level_is_a_bateman_curve_peaking_at_the_dose():
    p = ph.CircuitParameters()
    t = np.linspace(0, 400, 40001)
    c = ph.alcohol_level(t, 0.8, 30.0)
    t_peak = math.log(p.alcohol_ka_per_min / p.alcohol_ke_per_min) / (
        p.alcohol_ka_per_min - p.alcohol_ke_per_min
    )
    assert t[np.argmax(c)] == pytest.approx(30 + t_peak, abs=0.02)
    assert c.max() == pytest.approx(0.8, rel=1e-6)
    assert np.all(c[t <= 30] == 0)


def test_the_kor_brake_lowers_the_dopamine_rise():
    braked = run(alcohol_g_per_kg=1.0)
    unbraked = run(alcohol_g_per_kg=1.0, params=ph.CircuitParameters(kor_inhibition=0.0))
    assert braked.nac_dopamine.max() < unbraked.nac_dopamine.max()
    assert braked.kor_agonist_occupancy.max() > 0


def test_the_time_step_does_not_change_the_answer_much():
    coarse, fine = run(10, 0.8, 1, dt_min=1.0), run(10, 0.8, 1, dt_min=0.1)
    assert coarse.nac_dopamine.max() == pytest.approx(fine.nac_dopamine.max(), rel=0.02)


# -- published magnitudes ----------------------------------------------------------------
def _magnitude(quantity):
    return load_table("reward_circuit_magnitudes").set_index("quantity").loc[quantity]


def test_moderate_alcohol_raises_accumbens_dopamine_into_the_published_range():
    # Di Chiara & Imperato 1988 (approximate): 150-200 % of baseline after moderate ethanol.
    row = _magnitude("nac_dopamine_peak_after_ethanol")
    peak = 100 * run(alcohol_g_per_kg=0.8).nac_dopamine.max()
    assert row["value_low"] <= peak <= row["value_high"]


def test_naltrexone_reverses_the_alcohol_dopamine_rise_dose_dependently():
    # Benjamin et al. 1993: dose-dependent reversal; Gonzales & Weiss 1998: prevented.
    doses = [0, 0.03, 0.1, 0.3, 1, 3, 10, 30]
    rises = [run(alcohol_g_per_kg=0.8, naltrexone_nM=b).nac_dopamine.max() - 1 for b in doses]
    assert all(x > y for x, y in zip(rises, rises[1:]))
    # A level holding > 90 % of MOR removes most of the rise.
    blocking = next(b for b in doses if b / (b + 0.25) > 0.9)
    assert rises[doses.index(blocking)] < 0.5 * rises[0]


def test_naltrexone_block_is_surmountable_by_more_opioid():
    blocked = run(opioid_nM=2, naltrexone_nM=1)
    unblocked = run(opioid_nM=2)
    overcome = run(opioid_nM=2 * (1 + 1 / 0.25), naltrexone_nM=1)  # times the dose ratio 1 + B/K_B
    assert blocked.nac_dopamine[-1] < unblocked.nac_dopamine[-1]
    # The dose ratio restores MOR occupancy exactly (Gaddum/Schild) ...
    assert overcome.mor_agonist_occupancy[-1] == pytest.approx(unblocked.mor_agonist_occupancy[-1], rel=1e-9)
    # ... and dopamine nearly (naltrexone also loosens the KOR brake a little).
    assert overcome.nac_dopamine[-1] == pytest.approx(unblocked.nac_dopamine[-1], rel=0.05)


def test_every_circuit_link_and_magnitude_has_a_source():
    refs = set(load_table("references")["key"])
    for table in ("reward_circuit_links", "reward_circuit_magnitudes"):
        rows = load_table(table)
        assert set(rows["source"]) <= refs
        assert set(rows["verification"]) <= {"verified", "secondary", "approximate"}
    links = load_table("reward_circuit_links")
    assert set(links["magnitude"]) == {"qualitative"}


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"opioid_nM": -1}, "opioid_nM"),
        ({"opioid_nM": float("nan")}, "opioid_nM"),
        ({"opioid_nM": [1, 2]}, "opioid_nM"),
        ({"alcohol_g_per_kg": -0.1}, "alcohol_g_per_kg"),
        ({"alcohol_g_per_kg": 5}, "alcohol_g_per_kg"),
        ({"alcohol_g_per_kg": "a lot"}, "alcohol_g_per_kg"),
        ({"naltrexone_nM": float("inf")}, "naltrexone_nM"),
        ({"opioid_ki_nM": 0}, "opioid_ki_nM"),
        ({"naltrexone_ki_kor_nM": -2}, "naltrexone_ki_kor_nM"),
        ({"dt_min": 10}, "dt_min"),
        ({"dt_min": 0}, "dt_min"),
        ({"t_end_min": 5000}, "t_end_min"),
        ({"drink_min": -5}, "drink_min"),
    ],
)
def test_bad_input_raises_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        run(**kwargs)
