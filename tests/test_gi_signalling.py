"""The Gi/o cascade model: closed forms, invariants, an independent simulation, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import pharmacology as ph

conc = st.floats(min_value=1e-13, max_value=1e-4)
kd = st.floats(min_value=1e-12, max_value=1e-5)
tau = st.floats(min_value=0.01, max_value=1000)


def test_lif_rate_matches_the_closed_form_by_hand():
    # V_inf = -65 + 220/10 = -43 mV; tau_m = 200/10 = 20 ms; ISI = 2 + 20 ln(22/7) ms
    expected = 1000.0 / (2.0 + 20.0 * math.log(22.0 / 7.0))
    assert ph.lif_rate_hz(220.0) == pytest.approx(expected, rel=1e-12)


def test_lif_rate_agrees_with_a_direct_simulation():
    """Integrate C dV/dt = -gL(V-EL) - gK(V-EK) + I with small Euler steps and count spikes."""
    g_l, g_k, c, drive = 10.0, 1.0, 200.0, 220.0
    dt, t_end = 0.005, 2000.0  # ms
    v, t, refractory_until, spikes = -65.0, 0.0, -1.0, []
    while t < t_end:
        if t >= refractory_until:
            v += dt * (-g_l * (v + 65.0) - g_k * (v + 90.0) + drive) / c
            if v >= -50.0:
                spikes.append(t)
                v = -65.0
                refractory_until = t + 2.0
        t += dt
    simulated = 1000.0 / np.mean(np.diff(spikes))
    assert ph.lif_rate_hz(drive, g_l, g_k) == pytest.approx(simulated, rel=0.01)


def test_lif_is_silent_when_the_steady_voltage_stays_below_threshold():
    # V_inf = -65 + 140/10 = -51 mV < -50 mV
    assert ph.lif_rate_hz(140.0) == 0.0
    assert ph.lif_rate_hz(220.0, g_k_nS=100.0) == 0.0  # a huge K+ conductance clamps it near E_K


def test_more_girk_conductance_never_raises_the_rate():
    rates = ph.lif_rate_hz(220.0, g_k_nS=np.linspace(0, 5, 51))
    assert np.all(np.diff(rates) <= 1e-12)
    assert rates[0] > rates[-1]


def test_no_agonist_leaves_everything_at_rest():
    s = ph.gi_cascade(0.0, 1e-9, 10.0, antagonist=1e-8, kb=1e-9)
    assert s.g_active == 0 and s.camp_rel == 1 and s.calcium_rel == 1 and s.girk_open == 0
    assert s.firing_hz == pytest.approx(s.basal_firing_hz)
    assert s.antagonist_occupancy == pytest.approx(10 / 11)


def test_cascade_follows_the_stated_equations():
    p = ph.GiParameters()
    s = ph.gi_cascade(1e-9, 1e-9, 3.0)
    # operational model at [A] = K_A: tau*A / (K_A + (1+tau) A) = 3 / 5
    assert s.agonist_occupancy == pytest.approx(0.5)
    assert s.g_active == pytest.approx(3 / 5)
    assert s.camp_rel == pytest.approx(1 - p.camp_max_inhibition * 0.6)
    assert s.calcium_rel == pytest.approx(1 - p.calcium_max_inhibition * 0.6)
    assert s.firing_hz == pytest.approx(ph.lif_rate_hz(p.drive_pA, p.g_leak_nS, 0.6 * p.girk_max_nS))


@settings(max_examples=60, deadline=None)
@given(a=conc, ka=kd, t=tau, b=conc, kb=kd)
def test_antagonist_is_surmounted_by_the_dose_ratio(a, ka, t, b, kb):
    """Competitive antagonism: agonist x (1 + [B]/K_B) restores every readout (Gaddum/Schild)."""
    free = ph.gi_cascade(a, ka, t)
    r = ph.dose_ratio(b, kb)
    blocked = ph.gi_cascade(a * r, ka, t, antagonist=b, kb=kb)
    assert blocked.g_active == pytest.approx(free.g_active, rel=1e-6, abs=1e-12)
    assert blocked.firing_hz == pytest.approx(free.firing_hz, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(a1=conc, a2=conc, ka=kd, t=tau)
def test_more_agonist_means_less_camp_and_slower_firing(a1, a2, ka, t):
    lo, hi = sorted((a1, a2))
    s_lo, s_hi = ph.gi_cascade(lo, ka, t), ph.gi_cascade(hi, ka, t)
    assert s_hi.g_active >= s_lo.g_active - 1e-12
    assert s_hi.camp_rel <= s_lo.camp_rel + 1e-12
    assert s_hi.firing_hz <= s_lo.firing_hz + 1e-9
    assert 0 <= s_hi.g_active <= t / (1 + t) + 1e-12  # the operational-model ceiling


def test_a_partial_agonist_cannot_silence_what_a_full_agonist_can():
    full = ph.gi_cascade(1e-5, 1e-9, 100.0)
    partial = ph.gi_cascade(1e-5, 1e-9, 0.3)
    assert full.firing_hz == 0.0
    assert partial.firing_hz > 0.5 * partial.basal_firing_hz
    assert partial.g_active == pytest.approx(0.3 / 1.3, rel=1e-3)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"agonist": -1e-9}, "agonist must be >= 0"),
        ({"agonist": float("nan")}, "agonist must not be NaN"),
        ({"ka": 0.0}, "ka must be > 0"),
        ({"tau": -1.0}, "tau must be finite and >= 0"),
        ({"antagonist": -1.0}, "antagonist must be >= 0"),
        ({"kb": 0.0}, "kb must be > 0"),
        ({"agonist": [1e-9, 2e-9]}, "agonist must be a single number"),
    ],
)
def test_bad_cascade_input_names_the_argument(kwargs, words):
    args = {"agonist": 1e-9, "ka": 1e-9, "tau": 10.0, **kwargs}
    with pytest.raises(ValueError, match=words):
        ph.gi_cascade(**args)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"drive_pA": float("inf")}, "drive_pA must be finite"),
        ({"drive_pA": "lots"}, "drive_pA must be a number"),
        ({"g_leak_nS": 0.0}, "g_leak_nS must be > 0"),
        ({"g_k_nS": -1.0}, "g_k_nS must be finite and >= 0"),
        ({"v_threshold_mV": -70.0}, "v_threshold_mV must be above v_reset_mV"),
    ],
)
def test_bad_neuron_input_names_the_argument(kwargs, words):
    args = {"drive_pA": 200.0, **kwargs}
    with pytest.raises(ValueError, match=words):
        ph.lif_rate_hz(**args)


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="camp_max_inhibition must be between 0 and 1"):
        ph.GiParameters(camp_max_inhibition=1.5)
    with pytest.raises(ValueError, match="girk_max_nS"):
        ph.GiParameters(girk_max_nS=-1.0)
