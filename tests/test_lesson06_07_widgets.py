"""Lessons 06 and 07 widgets driven headless: set a control, check the figure and the summary."""

import math

import numpy as np
import pytest

from widgets import DisplacementSimulator, EvidenceForest, ExtinctionSimulator
from widgets import pharmacology as ph
from widgets.data_access.affinities import representative_ki_nM
from widgets.lesson_widgets.displacement_simulator import N_SITES, NTX_GRID_M, TIME_H
from widgets.lesson_widgets.evidence_forest import ICON_GROUPS, clinical_outcomes, icon_counts


# -- extinction simulator ---------------------------------------------------------------
@pytest.fixture
def extinction():
    return ExtinctionSimulator(treatment_weeks=12, reward_blocked=0.5)


def test_extinction_figure_matches_the_model(extinction):
    expected = ph.extinction_course(
        78, "targeted", treatment_weeks=12, reward_blocked=0.5, learning_rate=0.1, occasions_per_week=4.0
    )
    assert extinction.plot.trace("targeted strength")["y"] == pytest.approx(100 * expected.strength)
    assert extinction.plot.trace("abstinent strength")["y"] == pytest.approx(
        np.full(79, 100.0)
    )  # abstinent: unchanged
    assert "After 12 weeks on naltrexone" in extinction.plot.summary
    assert f"{expected.strength[12]:.0%} of its starting strength" in extinction.plot.summary


def test_abstinence_on_naltrexone_draws_no_drinking_until_the_band_ends(extinction):
    """Each week's occasions are a step across that week, so the line stays at 0 under the band."""
    abstinent = extinction.plot.trace("abstinent drinking")  # lower panel, "abstinent"
    assert abstinent["line"]["shape"] == "hv"
    x, y = np.asarray(abstinent["x"]), np.asarray(abstinent["y"])
    assert (y[x < 12] == 0).all() and y[x == 12][0] > 0  # treatment_weeks=12
    assert x[-1] == 78 and not np.isnan(y).any()  # the last week's step reaches the horizon


def test_weeks_slider_moves_the_end_marker_shading_and_summary(extinction):
    before = extinction.plot.summary
    extinction.weeks.value = 30
    assert extinction.plot.trace("targeted at the end of treatment")["x"][0] == 30
    assert extinction.plot.layout["shapes"][0]["x1"] == 30
    assert extinction.plot.summary != before and "After 30 weeks" in extinction.plot.summary
    # a longer course extinguishes further (closer to λ = 0.5)
    assert (
        extinction.plot.trace("targeted at the end of treatment")["y"][0]
        < 100 * ph.extinction_course(78, "targeted", treatment_weeks=12).strength[12]
    )


def test_more_blockade_extinguishes_more(extinction):
    extinction.blocked.value = 0.9
    assert extinction.plot.trace("targeted strength")["y"][12] < 50
    extinction.blocked.value = 0.0
    assert extinction.plot.trace("targeted strength")["y"] == pytest.approx(np.full(79, 100.0))


def test_extinction_bad_constructor_arguments():
    with pytest.raises(ValueError, match="treatment_weeks must be a whole number from 4 to 52"):
        ExtinctionSimulator(treatment_weeks=100)
    with pytest.raises(ValueError, match="reward_blocked must be between 0 and 1"):
        ExtinctionSimulator(reward_blocked=2)


def _error_x(trace):
    """error_x as set (LivePlot's read-back keeps a nested dict wrapped in a 0-d array)."""
    err = trace["error_x"]
    return err.item() if isinstance(err, np.ndarray) and err.ndim == 0 else err


# -- evidence forest -------------------------------------------------------------------------
@pytest.fixture
def forest():
    return EvidenceForest(outcome="return to heavy drinking", placebo_risk=0.5)


def test_forest_shows_the_data_rows_for_the_outcome(forest):
    table = clinical_outcomes()
    rows = table[(table.outcome == "return to heavy drinking") & (table.effect_measure == "risk difference")]
    verified = rows[rows.verification.eq("verified") & rows.estimate.notna()]
    assert sorted(forest.plot.trace("verified results")["x"]) == sorted(verified.estimate)
    labels = forest.plot.layout["yaxis"]["ticktext"]
    assert len(labels) == len(rows)
    assert any("NNT 12 (8–26)" in label for label in labels)  # Jonas 2014, as published
    # McPheeters 2023 as published, no longer marked approximate; Anton 2006 is not on this scale
    assert any(
        "McPheeters" in label and "NNT 11 (5–41)" in label and "[approximate]" not in label
        for label in labels
    )
    # the confidence interval is drawn from the data: Jonas -0.09 (-0.13 to -0.04)
    i = list(forest.plot.trace("verified results")["x"]).index(-0.09)
    assert _error_x(forest.plot.trace("verified results"))["arrayminus"][i] == pytest.approx(0.04)
    assert _error_x(forest.plot.trace("verified results"))["array"][i] == pytest.approx(0.05)


def test_placebo_risk_slider_changes_icons_and_summary(forest):
    before = forest.plot.summary
    forest.outcome.value = ("return to heavy drinking", "risk ratio")  # Rösner RR 0.83
    forest.placebo_risk.value = 0.65
    p1 = 0.65 * 0.83
    either, spared, _ = icon_counts(0.65, p1)
    assert len(forest.plot.trace("outcome on drug or placebo")["x"]) == either
    assert len(forest.plot.trace("spared by the drug")["x"]) == spared
    assert sum(len(forest.plot.trace(k)["x"]) for k in ICON_GROUPS) == 100
    nnt = ph.number_needed_to_treat(0.65, p1)
    assert f"about {math.ceil(nnt)} people must be treated" in forest.plot.summary
    assert forest.plot.summary != before
    assert forest.plot.layout["xaxis"]["type"] == "log"


def test_every_outcome_can_be_shown(forest):
    for label, value in forest.outcome.options:
        forest.outcome.value = value
        assert forest.plot.summary.startswith(label.split(" · ")[0])
        n_rows = len(forest.plot.layout["yaxis"]["ticktext"])
        drawn = sum(
            len(forest.plot.trace(k)["y"]) for k in ("verified results", "secondary results", "no estimate")
        )
        assert drawn == n_rows


def test_every_update_carries_the_whole_figure(forest):
    """A view that missed a message must not be left with half a figure (the slider's
    browser round-trip can send an update before the view has the first full state)."""
    sent = []
    forest.plot.send = lambda msg, buffers=None: sent.append(msg)
    forest.placebo_risk.value = 0.3
    forest.outcome.value = ("return to any drinking", "risk difference")
    assert len(sent) == 2
    for msg in sent:
        assert sorted(int(i) for i in msg["traces"]) == list(range(forest.plot.n_traces))
        assert {"xaxis", "yaxis", "annotations"} <= set(msg["layout"])


def test_continuous_outcome_disables_the_nnt_panel(forest):
    forest.outcome.value = ("% heavy drinking days", "mean difference (percentage points)")
    assert forest.placebo_risk.disabled
    assert len(forest.plot.trace("outcome on drug or placebo")["x"]) == 0
    assert "An NNT needs a yes/no outcome" in forest.plot.summary
    forest.outcome.value = ("return to any drinking", "risk difference")
    assert not forest.placebo_risk.disabled


def test_rows_without_an_estimate_are_labelled_not_plotted(forest):
    forest.outcome.value = ("OPRM1 A118G moderation", "none reported here")
    assert len(forest.plot.trace("verified results")["x"]) == 0
    assert len(forest.plot.trace("no estimate")["y"]) == 3
    assert "P = .32" in forest.table_view.value


def test_forest_bad_constructor_arguments():
    with pytest.raises(ValueError, match="outcome must be one of"):
        EvidenceForest(outcome="happiness")
    with pytest.raises(ValueError, match="placebo_risk must be between"):
        EvidenceForest(placebo_risk=1.5)


# -- displacement simulator --------------------------------------------------------------------
@pytest.fixture
def displacement():
    return DisplacementSimulator(agonist="morphine", agonist_multiple=9.0, naltrexone_M=1e-10)


def _gaddum(a_multiple, ntx_M):
    """Gaddum occupancies with the agonist given as a multiple of its own K_A."""
    kb = representative_ki_nM("naltrexone", "MOR") * 1e-9
    a, b = a_multiple / 1.0, ntx_M / kb
    return a / (1 + a + b), b / (1 + a + b)


def test_naltrexone_slider_collapses_agonist_occupancy(displacement):
    before = displacement.plot.trace("agonist now")["y"][0]
    displacement.naltrexone.value = 1e-8
    p_a, p_b = _gaddum(9.0, 1e-8)
    assert displacement.plot.trace("agonist now")["y"][0] == pytest.approx(100 * p_a)
    assert displacement.plot.trace("naltrexone now")["y"][0] == pytest.approx(100 * p_b)
    assert displacement.plot.trace("agonist now")["y"][0] < before - 50
    assert "precipitates withdrawal" in displacement.plot.summary
    held = [len(displacement.plot.trace(k)["x"]) for k in ("agonist sites", "naltrexone sites", "free sites")]
    assert sum(held) == N_SITES and held[0] == round(100 * p_a)


def test_curves_and_time_course_match_the_model(displacement):
    ka = representative_ki_nM("morphine", "MOR") * 1e-9
    kb = representative_ki_nM("naltrexone", "MOR") * 1e-9
    p_a, _, _ = ph.competitive_occupancies(9 * ka, ka, NTX_GRID_M, kb)
    assert displacement.plot.trace("agonist curve")["y"] == pytest.approx(100 * p_a)
    t_a, _, _ = ph.competitive_occupancies(9 * ka, ka, 1e-10 * ph.arrival_profile(TIME_H), kb)
    assert displacement.plot.trace("agonist over time")["y"] == pytest.approx(100 * t_a)
    assert displacement.plot.trace("agonist over time")["y"][0] == pytest.approx(90.0)  # before the dose


def test_little_agonist_little_to_displace(displacement):
    displacement.naltrexone.value = 1e-8
    displacement.agonist_level.value = 0.1
    assert displacement.plot.trace("agonist over time")["y"][0] < 10
    assert "opioid-free interval" in displacement.plot.summary


def test_agonist_choice_uses_its_affinity_from_data(displacement):
    displacement.agonist.value = "fentanyl"
    ka = representative_ki_nM("fentanyl", "MOR") * 1e-9
    assert displacement.state.agonist_M == pytest.approx(9 * ka)
    assert "fentanyl" in displacement.plot.summary


def test_displacement_bad_constructor_arguments():
    with pytest.raises(ValueError, match="agonist must be one of"):
        DisplacementSimulator(agonist="naloxone")
    with pytest.raises(ValueError, match="agonist_multiple must be between"):
        DisplacementSimulator(agonist_multiple=0)
    with pytest.raises(ValueError, match="naltrexone_M must be between"):
        DisplacementSimulator(naltrexone_M=1.0)


def test_the_displacement_sentence_writes_multiples_without_exponents():
    w = DisplacementSimulator(agonist="morphine", agonist_multiple=100.0, naltrexone_M=1e-6)
    assert "(100× its K_i)" in w.plot.summary and "e+0" not in w.plot.summary


# -- issue 28: labels and markers stay whole and readable ------------------------------------------
def test_no_estimate_notes_sit_on_a_white_band_over_the_gridlines(forest):
    """'no estimate: see the table' was crossed by the vertical gridlines."""
    forest.outcome.value = ("OPRM1 A118G moderation", "none reported here")
    rows = list(forest.plot.trace("no estimate")["y"])
    bands = [s for s in forest.plot.layout["shapes"] if s.get("type") == "rect"]
    assert len(bands) == len(rows) == 3
    for band, y in zip(bands, rows):
        assert band["layer"] == "between" and band["fillcolor"] == "white"  # above the grid, below the text
        assert band["y0"] < y < band["y1"] and band["xref"] == "x" and band["x1"] >= 165
        assert band["xanchor"] == forest.plot.trace("no estimate")["x"][0]  # where the note starts
    forest.outcome.value = ("return to any drinking", "risk difference")
    assert len([s for s in forest.plot.layout["shapes"] if s.get("type") == "rect"]) == len(
        forest.plot.trace("no estimate")["y"]
    )


def test_the_now_markers_are_drawn_whole_at_the_ends_of_the_slider(displacement):
    """At the slider's ends the markers sat on the axis edge, half cut off by plotly's clipping."""
    displacement.naltrexone.value = 10**displacement.naltrexone.max
    for key in ("agonist now", "naltrexone now"):
        assert displacement.plot.trace(key)["cliponaxis"] is False
