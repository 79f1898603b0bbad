"""Lesson 01's signalling-cascade widget, driven headless: controls change the diagram and summary."""

import html

import numpy as np
import pytest

from widgets import SignallingCascade
from widgets import pharmacology as ph
from widgets.data_access.affinities import representative_ki_nM
from widgets.lesson_widgets.signalling_cascade import N_CAMP, N_G, READOUTS, diagram_data


@pytest.fixture
def cascade():
    return SignallingCascade(agonist="morphine", agonist_M=1e-9)


def _readout(c, name):
    return float(c.plot.trace("readout values")["x"][READOUTS.index(name)])


def _expected(agonist_M, antagonist_M=0.0, agonist="morphine", tau=10.0, antagonist="naltrexone"):
    ka = representative_ki_nM(agonist, "MOR") * 1e-9
    kb = representative_ki_nM(antagonist, "MOR") * 1e-9
    return ph.gi_cascade(agonist_M, ka, tau, antagonist=antagonist_M, kb=kb)


def test_initial_readouts_match_the_model(cascade):
    s = _expected(1e-9)
    assert _readout(cascade, "G proteins active") == pytest.approx(100 * s.g_active, rel=1e-5)
    assert _readout(cascade, "cAMP") == pytest.approx(100 * s.camp_rel, rel=1e-5)
    assert _readout(cascade, "Firing rate") == pytest.approx(100 * s.firing_hz / s.basal_firing_hz, rel=1e-5)
    assert cascade.plot.summary.startswith("1 nM of morphine leaves")
    assert f"fires {s.firing_hz:.0f} Hz instead of {s.basal_firing_hz:.0f} Hz" in cascade.plot.summary


def test_more_agonist_separates_more_g_proteins_and_silences_spikes(cascade):
    before_active = len(cascade.plot.trace("G-alpha GTP")["x"])
    before_spikes = int(np.isnan(cascade.plot.trace("spikes")["x"]).sum())
    before_camp = len(cascade.plot.trace("cAMP")["x"])
    cascade.agonist_concentration.value = 1e-7
    s = _expected(1e-7)
    assert len(cascade.plot.trace("G-alpha GTP")["x"]) == round(N_G * s.g_active) > before_active
    assert len(cascade.plot.trace("G-alpha GDP")["x"]) == N_G - round(
        N_G * s.g_active
    )  # the rest stay together
    assert len(cascade.plot.trace("cAMP")["x"]) == round(N_CAMP * s.camp_rel) < before_camp
    assert int(np.isnan(cascade.plot.trace("spikes")["x"]).sum()) < before_spikes
    assert "100 nM of morphine" in cascade.plot.summary


def test_agonist_off_returns_everything_to_rest(cascade):
    cascade.agonist_on.value = False
    assert _readout(cascade, "G proteins active") == 0
    assert _readout(cascade, "cAMP") == pytest.approx(100)
    assert _readout(cascade, "Firing rate") == pytest.approx(100)
    assert len(cascade.plot.trace("agonist")["x"]) == 0  # no agonist drawn
    assert len(cascade.plot.trace("G-alpha GTP")["x"]) == 0
    assert cascade.plot.summary.startswith("No agonist")


def test_antagonist_present_blocks_and_is_surmountable(cascade):
    free_g = _readout(cascade, "G proteins active")
    cascade.antagonist_on.value = True  # 10 nM naltrexone by default
    assert not cascade.antagonist_concentration.disabled
    blocked_g = _readout(cascade, "G proteins active")
    assert blocked_g < free_g
    s = _expected(1e-9, 1e-8)
    assert _readout(cascade, "MOR held by antagonist") == pytest.approx(
        100 * s.antagonist_occupancy, rel=1e-5
    )
    assert "with 10 nM naltrexone holding" in cascade.plot.summary
    # raising morphine by the dose ratio restores the response (Gaddum)
    kb = representative_ki_nM("naltrexone", "MOR") * 1e-9
    cascade.agonist_concentration.value = 1e-9 * ph.dose_ratio(1e-8, kb)
    assert _readout(cascade, "G proteins active") == pytest.approx(free_g, rel=1e-3)


def test_antagonist_alone_changes_nothing(cascade):
    cascade.agonist_on.value = False
    cascade.antagonist_on.value = True
    assert _readout(cascade, "Firing rate") == pytest.approx(100)
    assert "neutral antagonist" in cascade.plot.summary
    assert len(cascade.plot.trace("antagonist")["x"]) == 1  # the antagonist is drawn


def test_partial_agonist_has_a_lower_ceiling():
    c = SignallingCascade(agonist="buprenorphine", agonist_M=1e-5)
    assert _readout(c, "G proteins active") == pytest.approx(50, rel=1e-3)  # tau = 1: ceiling 1/2
    assert _readout(c, "Firing rate") > 0


def test_diagram_data_is_consistent_for_any_state():
    for g in (0.0, 0.33, 1.0):
        state = ph.GiState(
            agonist_occupancy=g,
            antagonist_occupancy=0.0,
            g_active=g,
            camp_rel=1 - 0.8 * g,
            girk_open=g,
            calcium_rel=1 - 0.6 * g,
            firing_hz=40 * (1 - g),
            basal_firing_hz=40.0,
        )
        d = diagram_data(state, True, False)
        assert len(d["G-alpha GDP"]["x"]) + len(d["G-alpha GTP"]["x"]) == N_G
        assert len(d["G-alpha GTP"]["x"]) == len(d["free G-beta-gamma"]["x"])
        gap_girk = d["GIRK pore"]["x"][3] - d["GIRK pore"]["x"][0]
        gap_ca = d["Ca channel pore"]["x"][3] - d["Ca channel pore"]["x"][0]
        assert gap_girk == pytest.approx(0.32 + 0.34 * g)  # pore widens as GIRK opens
        assert gap_ca == pytest.approx(0.32 + 0.34 * (1 - 0.6 * g))  # Ca channel narrows


def test_a_typed_value_between_slider_steps_is_used_as_typed(cascade):
    """The slider (steps of 0.05 in log10) has no 3 nM or 0.5 nM: it goes to the nearest step,
    but the widget computes with, shows and describes the value typed (not 3.2 nM or 501 pM)."""
    cascade.typed_agonist.value = "3 nM"
    assert cascade.agonist_concentration.value == pytest.approx(10**-8.5)  # the grid point nearest 3 nM
    assert cascade.message.value == ""  # nothing changed behind the student's back: nothing to explain
    assert cascade.plot.summary.startswith("3 nM of morphine")
    assert html.unescape(cascade.agonist_label.value) == "<b>3 nM</b>"
    typed = cascade.state
    cascade.agonist_concentration.value = 3e-9  # the same concentration set exactly, for comparison
    assert typed == cascade.state
    cascade.typed_agonist.value = "0.5nM"
    assert cascade.message.value == "" and cascade.plot.summary.startswith("500 pM of morphine")
    cascade.agonist_concentration.value = 1e-8  # the slider moved by hand: its own value again
    assert cascade.plot.summary.startswith("10 nM of morphine")
    cascade.agonist_concentration.value = 10**-9.3  # back on the step the typed 0.5 nM used: the step
    assert cascade.plot.summary.startswith("501 pM of morphine")


def test_a_typed_value_on_the_step_the_slider_already_shows_redraws(cascade):
    cascade.agonist_concentration.value = 10**-8.5
    assert cascade.plot.summary.startswith("3.2 nM of morphine")
    cascade.typed_agonist.value = "3 nM"  # the slider stays where it is; the figure follows the box
    assert cascade.plot.summary.startswith("3 nM of morphine")


def test_the_summary_does_not_compare_a_rate_with_itself(cascade):
    cascade.antagonist_on.value = True
    cascade.antagonist_concentration.value = 1e-6  # naltrexone takes nearly every receptor
    cascade.agonist_concentration.value = 1e-12
    s = cascade.state
    assert f"{s.firing_hz:.0f}" == f"{s.basal_firing_hz:.0f}"
    summary = cascade.plot.summary
    assert "instead of" not in summary and f"still fires {s.basal_firing_hz:.0f} Hz, as at rest" in summary


def test_bad_constructor_arguments_are_value_errors():
    with pytest.raises(ValueError, match="agonist must be one of"):
        SignallingCascade(agonist="naltrexone")
    with pytest.raises(ValueError, match="antagonist must be one of"):
        SignallingCascade(antagonist="morphine")
    with pytest.raises(ValueError, match="agonist_M must be between"):
        SignallingCascade(agonist_M=0.0)
    with pytest.raises(ValueError, match="antagonist_M must be between"):
        SignallingCascade(antagonist_M=1e-3)


def test_kappa_and_delta_selective_tools_are_not_offered_as_mor_agonists(cascade):
    keys = [k for _, k in cascade.agonist.options]
    assert "u50488" not in keys and "dpdpe" not in keys
    assert "morphine" in keys and "buprenorphine" in keys
