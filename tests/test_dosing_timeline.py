"""The dosing timeline driven headless: set a control, check the figure data and the summary."""

import html

import numpy as np
import pytest

from widgets import DosingTimeline
from widgets import pharmacology as ph
from widgets.dosing_timeline import SMOOTH_STRIDE, Regimen, parse_skipped

MOR_TRACE, PLASMA_TRACE, TAKEN, SKIPPED = 4, 0, 2, 3


@pytest.fixture
def tl():
    return DosingTimeline(route="oral", n_doses=7, opioid="morphine")


def test_initial_figure_is_the_model(tl):
    expected = ph.naltrexone_profile(np.arange(7) * 24.0, 50.0, "oral", 6 * 24 + 14 * 24, 0.25)
    # Slow curves are drawn from every SMOOTH_STRIDE-th grid point; plasma naltrexone from all of them.
    np.testing.assert_allclose(tl.plot.trace(MOR_TRACE)["y"], 100 * expected["mor_occupancy"][::SMOOTH_STRIDE])
    np.testing.assert_allclose(tl.plot.trace(MOR_TRACE)["x"], expected["time_h"][::SMOOTH_STRIDE] / 24)
    np.testing.assert_allclose(tl.plot.trace(PLASMA_TRACE)["x"], expected["time_h"] / 24)
    assert len(tl.plot.trace(TAKEN)["x"]) == 7
    assert "50 mg tablet × 7, every 24 h" in tl.plot.summary
    assert "morphine would need" in tl.plot.summary


def test_first_slider_is_the_dose_and_changes_plot_and_summary(tl):
    first_slider = next(w for w in tl.children[0].children[0].children if "Slider" in type(w).__name__)
    assert first_slider is tl.dose
    before_y, before_summary = tl.plot.trace(PLASMA_TRACE)["y"].copy(), tl.plot.summary
    tl.dose.value = 100
    assert np.allclose(tl.plot.trace(PLASMA_TRACE)["y"].max(), 2 * before_y.max(), rtol=1e-6)
    assert tl.plot.summary != before_summary
    assert "100 mg tablet" in tl.plot.summary


def test_cursor_reads_the_model_and_the_dose_ratio(tl):
    tl.cursor.value = 10.0  # 4 days after the 7th (last) dose on day 6
    expected = ph.naltrexone_profile(np.arange(7) * 24.0, 50.0, "oral", 480.0, 0.25)
    i = int(np.argmin(np.abs(expected["time_h"] - 240)))
    mor = expected["mor_occupancy"].iloc[i]
    assert tl.moment.mor == pytest.approx(mor)
    # Schild/Gaddum: dose ratio 1 + [B]/K_B = 1 / (1 - occupancy)
    assert tl.moment.dose_ratio == pytest.approx(1 / (1 - mor), rel=1e-9)
    assert f"MOR {mor:.0%} blocked" in tl.plot.summary
    assert "4.0 days after the last dose" in tl.plot.summary
    text = html.unescape(tl.readout.value)
    assert "surmountable" in text and "tolerance is lost" in text


def test_opioid_choice_uses_data_affinities(tl):
    tl.opioid.value = "fentanyl"
    assert "fentanyl would need" in tl.plot.summary
    # the dose ratio does not depend on the agonist (Schild), the concentrations do
    ratio = tl.moment.dose_ratio
    tl.opioid.value = "methadone"
    assert tl.moment.dose_ratio == ratio
    assert "methadone needs" in tl.readout.value


def test_skipped_doses_lower_blockade_and_are_marked(tl):
    tl.cursor.value = 6.0
    before = tl.moment.mor
    tl.skipped.value = "5-7"
    assert len(tl.plot.trace(TAKEN)["x"]) == 4
    np.testing.assert_allclose(tl.plot.trace(SKIPPED)["x"], [4, 5, 6])
    assert tl.moment.mor < before
    assert "doses 5, 6, 7 skipped" in tl.plot.summary


def test_bad_skip_text_shows_a_message_and_keeps_the_last_schedule(tl):
    tl.skipped.value = "3"
    summary = tl.plot.summary
    tl.skipped.value = "twelve"
    assert "Could not read" in html.unescape(tl.message.value)
    assert tl.plot.summary == summary
    tl.skipped.value = "9"
    assert "does not exist" in html.unescape(tl.message.value)
    tl.skipped.value = "2"
    assert tl.message.value == ""
    assert "dose 2 skipped" in tl.plot.summary


def test_injection_route(tl):
    tl.route.value = "injection"
    assert tl.dose.value == 380 and tl.interval.value == 672.0
    assert "380 mg injection × 2" in tl.plot.summary
    expected = ph.naltrexone_profile([0.0, 672.0], 380.0, "injection", 672 + 56 * 24, 1.0)
    np.testing.assert_allclose(tl.plot.trace(MOR_TRACE)["y"], 100 * expected["mor_occupancy"][::SMOOTH_STRIDE])
    assert tl.cursor.max == pytest.approx((672 + 56 * 24) / 24)
    tl.route.value = "oral"
    assert tl.dose.value == 50


def test_parse_skipped():
    assert parse_skipped("", 5) == ()
    assert parse_skipped("1, 3-4", 5) == (1, 3, 4)
    for bad in ("0", "4-2", "x", "6"):
        with pytest.raises(ValueError):
            parse_skipped(bad, 5)


def test_regimen_end_covers_the_wash_out():
    assert Regimen("oral", 50, 24, 3).t_end_h == 48 + 14 * 24


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="route"):
        DosingTimeline(route="iv")
    with pytest.raises(ValueError, match="opioid"):
        DosingTimeline(opioid="naltrexone")
    with pytest.raises(ValueError, match="n_doses"):
        DosingTimeline(n_doses=100)


def test_pet_comparison_scan_time_moves_the_model_curve():
    from widgets import PetComparison
    from widgets.pet_comparison import DOSES_MG

    pet = PetComparison(scan_time_h=2.0)
    early = pet.plot.trace(0)["y"].copy()
    summary = pet.plot.summary
    pet.scan_time.value = 8.0
    late = pet.plot.trace(0)["y"]
    assert np.abs(late - early).max() > 1  # the model curve moves with the scan time
    axis = pet.plot.layout["xaxis"]
    assert axis["type"] == "log" and [float(v) for v in axis["tickvals"]] == [0.5, 1, 2, 5, 10, 20, 50, 100, 200]
    assert list(axis["ticktext"]) == ["0.5", "1", "2", "5", "10", "20", "50", "100", "200"]  # clean 1-2-5 labels
    df = ph.simulate_naltrexone(50.0, t_end_h=8.0, dt_h=0.25)
    i50 = int(np.argmin(np.abs(DOSES_MG - 50)))
    expected = ph.simulate_naltrexone(float(DOSES_MG[i50]), t_end_h=8.0, dt_h=0.25)["mor_occupancy"].iloc[-1]
    assert late[i50] == pytest.approx(100 * expected, rel=1e-6)
    assert pet.plot.summary != summary and "At 8 h" in pet.plot.summary
    assert f"{df['mor_occupancy'].iloc[-1]:.0%} at 50 mg (measured 92%, 98%)" in pet.plot.summary
    with pytest.raises(ValueError, match="scan_time_h"):
        PetComparison(scan_time_h=12)


@pytest.mark.parametrize("hours, words", [(672, "4 weeks"), (168, "week"), (48, "2 days"), (24, "24 h"), (12, "12 h")])
def test_dosing_intervals_read_as_people_say_them(hours, words):
    from widgets.dosing_timeline import interval_words

    assert interval_words(hours) == words
