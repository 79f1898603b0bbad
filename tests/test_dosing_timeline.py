"""The dosing timeline driven headless: set a control, check the figure data and the summary."""

import html
import math

import numpy as np
import pytest

from widgets import DosingTimeline, load_table
from widgets import pharmacology as ph
from widgets.lesson_widgets.dosing_timeline import PLASMA_FLOOR, SMOOTH_STRIDE, Regimen, parse_skipped

MOR_TRACE, PLASMA_TRACE, TAKEN, SKIPPED, HEROIN_BAR = (
    "MOR blocked",
    "plasma naltrexone",
    "dose taken",
    "dose skipped",
    "heroin challenge",
)


@pytest.fixture
def tl():
    return DosingTimeline(route="oral", n_doses=7, opioid="morphine")


def test_initial_figure_is_the_model(tl):
    expected = ph.naltrexone_profile(np.arange(7) * 24.0, 50.0, "oral", 6 * 24 + 14 * 24, 0.25)
    # Slow curves are drawn from every SMOOTH_STRIDE-th grid point; plasma naltrexone from all of them.
    np.testing.assert_allclose(
        tl.plot.trace(MOR_TRACE)["y"], 100 * expected["mor_occupancy"][::SMOOTH_STRIDE]
    )
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
    assert "Could not read 'twelve'" in html.unescape(tl.message.value)
    assert tl.plot.summary == summary
    tl.skipped.value = "9"
    message = html.unescape(tl.message.value)
    assert "no dose 9" in message and "from 1 to 7" in message
    tl.skipped.value = "2"
    assert tl.message.value == ""
    assert "dose 2 skipped" in tl.plot.summary


@pytest.mark.parametrize(
    "typed, says",
    [
        ("10 mg", ["'10 mg' looks like an amount", "dose numbers from 1 to 7"]),  # second user trial
        ("day 3", ["looks like an amount or a time", "such as 4 or 2, 5-7"]),
        ("1-7", ["skips every dose", "at least one of the 7 doses"]),  # second user trial
        ("0", ["no dose 0", "counted from 1"]),
        ("6-4", ["runs backwards", "such as 4-6"]),
    ],
)
def test_skip_messages_say_what_was_wrong_and_what_is_accepted(tl, typed, says):
    summary = tl.plot.summary
    tl.skipped.value = typed
    message = html.unescape(tl.message.value)
    for words in says:
        assert words in message, (typed, message)
    assert "no dose taken yet" not in tl.plot.summary and tl.plot.summary == summary


def test_skip_ranges_with_spaces_are_read():
    assert parse_skipped("5 - 7", 7) == (5, 6, 7)
    assert parse_skipped("2, 4–5", 7) == (2, 4, 5)


def test_label_heroin_challenge_drawn_beside_occupancy(tl):
    """The orange bar: one window per tablet, the label's duration for that dose (data/heroin_challenge.csv)."""
    from widgets import load_table

    label = load_table("heroin_challenge").set_index("dose_mg")["blockade_h"]
    tl.n_doses.value = 3
    tl.interval.value = 48.0  # every other day: gaps open between the windows
    bar = tl.plot.trace(HEROIN_BAR)
    xs = [x for x in bar["x"] if x is not None]
    hours = label.loc[50.0] / 24
    np.testing.assert_allclose(xs, [0, hours, 2, 2 + hours, 4, 4 + hours])
    tl.dose.value = 100
    xs = [x for x in tl.plot.trace(HEROIN_BAR)["x"] if x is not None]
    assert label.loc[100.0] == 48  # 100 mg every 48 h: the windows touch and merge into one bar
    np.testing.assert_allclose(xs, [0, 4 + 2])
    tl.dose.value = 65  # between the label's doses: the label reports nothing for 65 mg
    assert [x for x in tl.plot.trace(HEROIN_BAR)["x"] if x is not None] == []
    assert "label reports" not in html.unescape(tl.readout.value)
    assert "only for 50, 100 and 150 mg tablets" in html.unescape(tl.readout.value)
    tl.dose.value = 50
    tl.cursor.value = 1.5  # 36 h after the first tablet: outside the label's 24 h, occupancy still high
    text = html.unescape(tl.readout.value)
    assert "Outside the orange bar" in text and f"{tl.moment.mor:.0%} of mu receptors held" in text
    assert tl.moment.mor > 0.5
    assert "later than the 24 h for which the label reports" in tl.plot.summary
    tl.cursor.value = 0.5
    assert "within the 24 h for which the label reports" in tl.plot.summary


def test_no_bar_where_the_label_gives_no_figure(tl):
    tl.dose.value = 25
    assert [x for x in tl.plot.trace(HEROIN_BAR)["x"] if x is not None] == []
    assert "only for 50, 100 and 150 mg" in html.unescape(tl.readout.value)
    tl.route.value = "injection"
    assert [x for x in tl.plot.trace(HEROIN_BAR)["x"] if x is not None] == []


def test_first_dose_marker_is_not_cut_at_the_left_edge(tl):
    lo, hi = tl.plot.layout["xaxis"]["range"]
    assert lo < 0 < tl.plot.trace(TAKEN)["x"][0] + 1e-9 and (0 - lo) >= 0.01 * hi


def test_the_cursor_markers_on_the_last_day_are_inside_the_axes(tl):
    """The third trial: at day 84 of the injection the cursor's markers were half cut at the right
    edge, and plasma naltrexone's marker was below the log axis."""
    tl.route.value = "injection"
    tl.cursor.value = tl.cursor.max
    for axis in ("xaxis", "xaxis2"):
        lo, hi = tl.plot.layout[axis]["range"]
        assert hi - tl.cursor.max >= 0.01 * (hi - lo)
    y_lo, y_hi = tl.plot.layout["yaxis"]["range"]
    marker = tl.plot.trace("plasma now")["y"][0]
    assert tl.moment.naltrexone_ng_ml < PLASMA_FLOOR  # the case the trial saw: below the floor
    assert y_lo <= math.log10(marker) <= y_hi


def test_injection_route(tl):
    tl.route.value = "injection"
    assert tl.dose.value == 380 and tl.interval.value == 672.0
    assert "380 mg injection × 2" in tl.plot.summary
    expected = ph.naltrexone_profile([0.0, 672.0], 380.0, "injection", 672 + 56 * 24, 1.0)
    np.testing.assert_allclose(
        tl.plot.trace(MOR_TRACE)["y"], 100 * expected["mor_occupancy"][::SMOOTH_STRIDE]
    )
    assert tl.cursor.max == pytest.approx((672 + 56 * 24) / 24)
    tl.route.value = "oral"
    assert tl.dose.value == 50


def test_parse_skipped():
    assert parse_skipped("", 5) == ()
    assert parse_skipped("1, 3-4", 5) == (1, 3, 4)
    for bad in ("0", "4-2", "x", "6", "1-5", "10 mg"):
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
    from widgets.lesson_widgets.pet_comparison import DOSES_MG

    pet = PetComparison(scan_time_h=2.0)
    early = pet.plot.trace("brain_pool at scan time")["y"].copy()
    summary = pet.plot.summary
    pet.scan_time.value = 8.0
    late = pet.plot.trace("brain_pool at scan time")["y"]
    assert np.abs(late - early).max() > 1  # the model curve moves with the scan time
    axis = pet.plot.layout["xaxis"]
    assert axis["type"] == "log" and [float(v) for v in axis["tickvals"]] == [
        0.5,
        1,
        2,
        5,
        10,
        20,
        50,
        100,
        200,
    ]
    assert list(axis["ticktext"]) == [
        "0.5",
        "1",
        "2",
        "5",
        "10",
        "20",
        "50",
        "100",
        "200",
    ]  # clean 1-2-5 labels
    df = ph.simulate_naltrexone(50.0, t_end_h=8.0, dt_h=0.25)
    i50 = int(np.argmin(np.abs(DOSES_MG - 50)))
    expected = ph.simulate_naltrexone(float(DOSES_MG[i50]), t_end_h=8.0, dt_h=0.25)["mor_occupancy"].iloc[-1]
    assert late[i50] == pytest.approx(100 * expected, rel=1e-6)
    assert pet.plot.summary != summary and "At 8 h" in pet.plot.summary
    assert f"{df['mor_occupancy'].iloc[-1]:.0%} at 50 mg (measured 92%, 98%)" in pet.plot.summary
    with pytest.raises(ValueError, match="scan_time_h"):
        PetComparison(scan_time_h=12)


@pytest.mark.parametrize(
    "hours, words", [(672, "4 weeks"), (168, "week"), (48, "2 days"), (24, "24 h"), (12, "12 h")]
)
def test_dosing_intervals_read_as_people_say_them(hours, words):
    from widgets.lesson_widgets.dosing_timeline import interval_words

    assert interval_words(hours) == words


def test_day_0_sentence_is_true_before_the_first_tablet_acts():
    """Issue 28: at Day 0 (the first tablet taken, 0 % blocked) the sentence said heroin 'was still
    blocked this long after a tablet'. Now it says nothing is blocked yet, and names no heroin window."""
    from widgets.lesson_widgets.dosing_timeline import (
        Regimen,
        describe,
        label_note_html,
        moment,
        regimen_profile,
    )

    reg = Regimen("oral", 50.0, 24.0, 7)
    mo = moment(regimen_profile(reg), reg, 0.0)
    assert mo.mor == 0 and mo.hours_since_last_dose is None
    text = describe(mo, reg, "morphine")
    assert "nothing is blocked yet" in text and "heroin" not in text
    assert label_note_html(mo, reg) == ""


def test_trough_48h_after_a_tablet_is_outside_the_labels_24h():
    """Issue 28: 48 h after the last 50 mg tablet (the trough, as the next tablet is taken) the sentence
    said heroin was still blocked. The label reports blockade for as long as 24 h after 50 mg, so this
    moment is later than that, and the sentence and the note say so (without claiming blockade failed)."""
    from widgets.lesson_widgets.dosing_timeline import (
        Regimen,
        describe,
        inside_label_window,
        label_note_html,
        moment,
        regimen_profile,
    )

    hours = float(load_table("heroin_challenge").set_index("dose_mg").loc[50, "blockade_h"])
    reg = Regimen("oral", 50.0, 48.0, 7)
    prof = regimen_profile(reg)
    for t in (48.0, 6 * 48.0 + 48.0):  # a trough between tablets; 48 h after the last one
        mo = moment(prof, reg, t)
        assert mo.hours_since_last_dose == pytest.approx(48.0)
        assert 0.3 < mo.mor < 0.95  # a partial trough, as in the issue
        assert not inside_label_window(t, reg)
        text = describe(mo, reg, "morphine")
        assert f"later than the {hours:.0f} h for which the label reports" in text
        assert "still blocked" not in text and "no longer blocked" not in text
        assert "Outside the orange bar" in label_note_html(mo, reg)
    mo = moment(prof, reg, 12.0)
    assert inside_label_window(12.0, reg)
    assert f"within the {hours:.0f} h for which the label reports" in describe(mo, reg, "morphine")


def test_pet_figure_gives_every_legend_entry_its_own_style_and_a_readable_1_percent():
    """Issue 28: two legend entries shared a style (solid blue; dotted grey). Every entry shown in the
    legend now differs from every other in colour, dash or marker; the right axis is logarithmic with
    1 % inside its range (Think 3 asks when plasma falls below 1 % of its peak)."""
    from widgets import PetComparison

    pet = PetComparison(scan_time_h=3.0)
    styles = {}
    for key in pet.plot.trace_keys:
        trace = pet.plot.trace(key)
        if trace.get("showlegend") is False or not trace.get("name"):
            continue
        line, marker = trace.get("line") or {}, trace.get("marker") or {}
        style = (
            trace.get("mode"),
            line.get("color"),
            line.get("dash", "solid"),
            marker.get("symbol") if "markers" in (trace.get("mode") or "") else None,
            trace.get("fill"),
        )
        assert style not in styles.values(), (trace["name"], styles)
        styles[trace["name"]] = style
    assert len(styles) >= 7
    axis = pet.plot.layout["yaxis2"]
    assert axis["type"] == "log" and axis["range"][0] < math.log10(1.0) < axis["range"][1]
