"""The binding explorer driven headless: set a control, check the figure and the summary."""

import html

import numpy as np
import pytest

from widgets import BindingExplorer, WidgetCheck
from widgets import pharmacology as ph
from widgets.data_access.affinities import representative_ki_nM
from widgets.lesson_widgets.binding_explorer import CONC_GRID_M, N_SITES


@pytest.fixture
def explorer():
    return BindingExplorer(ligand="morphine", concentration_M=1e-9)


def _marker_y(ex, key):
    return float(ex.plot.trace(key)["y"][0])


def test_initial_figure_matches_the_model(explorer):
    ka = representative_ki_nM("morphine", "MOR") * 1e-9
    np.testing.assert_allclose(explorer.plot.trace("occupancy")["y"], 100 * ph.occupancy(CONC_GRID_M, ka))
    np.testing.assert_allclose(
        explorer.plot.trace("response")["y"], 100 * ph.operational_effect(CONC_GRID_M, ka, explorer.tau.value)
    )
    assert "Morphine at 1 nM occupies" in explorer.plot.summary


def test_moving_the_concentration_moves_the_markers_and_fills_sites(explorer):
    before_occ = _marker_y(explorer, "occupancy_now")
    before_sites = len(explorer.plot.trace("occupied_sites")["x"])
    explorer.concentration.value = 1e-7
    ka = representative_ki_nM("morphine", "MOR") * 1e-9
    assert _marker_y(explorer, "occupancy_now") == pytest.approx(100 * ph.occupancy(1e-7, ka))
    assert _marker_y(explorer, "occupancy_now") > before_occ
    occupied = len(explorer.plot.trace("occupied_sites")["x"])
    assert occupied > before_sites
    assert occupied + len(explorer.plot.trace("empty_sites")["x"]) == N_SITES
    assert occupied == round(N_SITES * ph.occupancy(1e-7, ka))
    assert "at 100 nM occupies" in explorer.plot.summary


def test_efficacy_changes_the_response_curve_not_occupancy(explorer):
    occ_before = explorer.plot.trace("occupancy")["y"].copy()
    resp_before = explorer.plot.trace("response")["y"].copy()
    explorer.tau.value = 0.5
    np.testing.assert_array_equal(explorer.plot.trace("occupancy")["y"], occ_before)
    assert explorer.plot.trace("response")["y"].max() < resp_before.max()
    assert explorer.plot.trace("response")["y"].max() == pytest.approx(100 * 0.5 / 1.5, rel=1e-3)
    assert "partial agonist" in explorer.plot.summary


def test_antagonist_occupies_without_response(explorer):
    explorer.ligand.value = "naltrexone"
    assert explorer.tau.disabled
    assert np.all(explorer.plot.trace("response")["y"] == 0)
    assert _marker_y(explorer, "occupancy_now") > 50  # 1 nM naltrexone is several times its K_i
    assert "no response" in explorer.plot.summary


def test_switching_ligand_moves_the_occupancy_curve_by_affinity(explorer):
    explorer.ligand.value = "fentanyl"
    ka = representative_ki_nM("fentanyl", "MOR") * 1e-9
    half = np.interp(50, explorer.plot.trace("occupancy")["y"], CONC_GRID_M)
    assert half == pytest.approx(ka, rel=0.05)
    assert not explorer.tau.disabled


def test_an_error_about_the_typed_box_goes_when_the_ligand_changes(explorer):
    """(The slider moving, and the rest of the box's contract: tests/test_concentration_controls.py.)"""
    explorer.typed_concentration.value = "1e99 M"
    assert "outside the range" in explorer.message.value
    explorer.ligand.value = next(k for k in explorer.ligand.options if k[1] != explorer.ligand.value)[1]
    assert explorer.message.value == "" and explorer.typed_concentration.value == ""


def test_bad_constructor_arguments_are_value_errors():
    with pytest.raises(ValueError, match="ligand must be one of"):
        BindingExplorer(ligand="aspirin")
    with pytest.raises(ValueError, match="concentration_M must be between"):
        BindingExplorer(concentration_M=-1)


def test_widget_check_slider_moves_the_dot():
    check = WidgetCheck()
    check.slider.value = 3.0
    assert check.plot.trace("dot")["y"][0] == pytest.approx(75.0)
    assert "75%" in check.plot.summary
    with pytest.raises(ValueError, match="between 0 and 10"):
        WidgetCheck(value=20)


def test_an_antagonist_shows_tau_zero_instead_of_the_greyed_slider_number(explorer):
    explorer.ligand.value = "naltrexone"
    assert explorer.tau.disabled and not explorer.tau.readout  # the slider's 10.0 no longer shows
    assert "τ = 0" in explorer.tau_note.value and "does not apply" in explorer.tau_note.value
    explorer.ligand.value = "fentanyl"
    assert not explorer.tau.disabled and explorer.tau.readout and explorer.tau_note.value == ""


def test_a_large_efficacy_is_written_as_a_plain_number(explorer):
    explorer.ligand.value = next(k for _, k in explorer.ligand.options if k in ("morphine", "fentanyl"))
    explorer.tau.value = 1000.0
    summary = html.unescape(explorer.plot.summary)
    assert "τ = 1,000" in summary and "1,001× below K_A" in summary
    assert "e+0" not in summary


def test_the_tau_readout_takes_no_typing(explorer):
    """Issue 28: text typed into τ's readout was dropped without a word; the readout is now plain
    text (widgets/display/static/a11y.js makes a readout marked ol-readonly-readout non-editable)."""
    assert "ol-readonly-readout" in explorer.tau._dom_classes
    assert explorer.tau.readout  # the value is still shown beside the slider
