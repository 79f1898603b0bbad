"""Lesson 03's OrganBath widget driven headless: its slider, text boxes, dropdown and buttons."""

import html

import numpy as np
import pytest

from widgets import OrganBath
from widgets import pharmacology as ph
from widgets.lesson_widgets.organ_bath_widget import DRUG_LABELS, MAX_CURVES
from widgets.pharmacology import CANDIDATES, DOSES_M, bath_parameters, hidden_antagonist

P = bath_parameters()
SCHILD_POINTS, SCHILD_LINE, TRUE_LINE = "Schild points", "Schild regression", "true KB"


@pytest.fixture
def bath():
    return OrganBath(drug="naloxone", seed=11)


def _run(bath, concs):
    for b in concs:
        bath.antagonist.value = b
        bath.run_curve.click()


def test_starts_equilibrated_with_no_agonist(bath):
    assert bath.plot.summary.startswith("Tissue 1, curve 1, no antagonist (control): equilibrated")
    assert bath.plot.trace("curve 1")["x"].size == 0
    twitches = bath.plot.trace("twitch")["y"][1::3]
    assert twitches.size > 0 and abs(twitches.mean() - 100) < 5


def test_slider_on_an_empty_curve_changes_the_recorder_and_summary(bath):
    before_summary, before_y = bath.plot.summary, bath.plot.trace("twitch")["y"].copy()
    bath.antagonist.value = 1e-8
    assert bath.plot.summary != before_summary and "naloxone at 10 nM" in bath.plot.summary
    assert not np.array_equal(before_y, bath.plot.trace("twitch")["y"], equal_nan=True)
    assert len(bath.curves) == 1  # still the first curve: no agonist given yet


def test_add_dose_gives_one_half_log_step_at_a_time(bath):
    assert "1 nM" in bath.add_dose.description
    for k in range(1, 4):
        bath.add_dose.click()
        assert bath.plot.trace("curve 1")["x"] == pytest.approx(DOSES_M[:k])
        assert f"{k} of 12 doses" in bath.plot.summary
    assert "32 nM" in bath.add_dose.description  # the next dose: 1 nM × 10^1.5
    # the recorder grows by one dose's twitches each time
    assert bath.plot.trace("twitch")["x"].size > 9 * 3


def test_whole_curve_follows_the_model_within_the_noise(bath):
    bath.run_curve.click()
    y = bath.plot.trace("curve 1")["y"]
    expected = ph.bath_response(DOSES_M, P["agonist_ka"], P["agonist_tau"])
    # potency drift of 0.05 log units plus 4 % point noise: no point far outside 5 SD
    assert np.abs(y - expected).max() < 20
    assert np.abs(y - expected).mean() < 8
    bath.add_dose.click()
    assert "complete" in html.unescape(bath.message.value)


def test_moving_the_slider_after_doses_starts_a_new_curve(bath):
    bath.run_curve.click()
    bath.antagonist.value = 3e-8
    assert len(bath.curves) == 2 and bath.plot.summary.startswith("Tissue 1, curve 2, naloxone at 30 nM")
    assert "1 earlier curve recorded" in bath.plot.summary
    bath.run_curve.click()
    # the antagonist shifts the curve to the right: less inhibition at every mid-range dose
    assert (bath.plot.trace("curve 2")["y"][4:8] < bath.plot.trace("curve 1")["y"][4:8]).all()


def test_wash_starts_a_replicate_and_refuses_an_empty_bath(bath):
    bath.wash.click()
    assert "add a dose first" in html.unescape(bath.message.value)
    bath.add_dose.click()
    bath.wash.click()
    assert len(bath.curves) == 2 and bath.curves[1].antagonist_M == 0
    assert "Curve 2 will be run with no antagonist (a control curve)." in bath.message.value


def test_fit_and_schild_recovers_naloxone(bath):
    _run(bath, [0.0, 3e-9, 1e-8, 3e-8, 1e-7])
    bath.fit_button.click()
    s = bath.analysis.schild
    pkb = -np.log10(P["kb_naloxone"])
    assert s is not None and s.n_points == 4
    assert abs(s.pA2 - pkb) < 0.6 and 0.6 < s.slope < 1.4
    assert bath.plot.trace(SCHILD_POINTS)["x"] == pytest.approx(np.log10([3e-9, 1e-8, 3e-8, 1e-7]))
    assert bath.plot.trace(SCHILD_LINE)["y"].size == 2
    assert bath.plot.trace(TRUE_LINE)["y"] == pytest.approx(np.array([-11.0, -5.5]) + pkb)
    assert "pA2" in bath.plot.summary and f"true pKB: {pkb:.2f}" in html.unescape(bath.results.value)
    fit_line = bath.plot.trace("fit 1")["y"]
    assert fit_line.size > 0 and fit_line.max() > 50


def test_fit_with_one_curve_explains_what_is_missing_and_stays_usable(bath):
    bath.run_curve.click()
    bath.fit_button.click()
    assert bath.analysis.schild is None
    assert "No Schild regression yet" in html.unescape(bath.results.value)
    bath.antagonist.value = 1e-8
    bath.add_dose.click()
    assert "curve 2" in bath.plot.summary


def test_fit_problems_are_messages_not_exceptions(bath):
    bath.fit_button.click()
    assert "No curves yet" in html.unescape(bath.message.value)
    bath.antagonist.value = 1e-8
    bath.add_dose.click()
    bath.add_dose.click()  # two low doses only, and no control curve
    bath.fit_button.click()
    text = html.unescape(bath.message.value)
    assert "no clear response yet" in text and "No fitted control curve" in text


def test_irreversible_antagonist_depresses_the_maximum_and_has_no_dose_ratio():
    bath = OrganBath(drug="beta_chlornaltrexamine", seed=3)
    _run(bath, [0.0, 3e-8])
    assert bath.plot.trace("curve 2")["y"].max() < 0.6 * bath.plot.trace("curve 1")["y"].max()
    bath.fit_button.click()
    assert "never reaches" in html.unescape(bath.message.value)


def test_partial_agonist_inhibits_the_twitch_on_its_own():
    bath = OrganBath(drug="buprenorphine", seed=3)
    bath.antagonist.value = 1e-8
    twitches = bath.plot.trace("twitch")["y"][1::3]
    own = ph.bath_response(
        0.0, P["agonist_ka"], P["agonist_tau"], 1e-8, P["kb_buprenorphine"], "partial", P["tau_buprenorphine"]
    )
    assert own > 25 and abs(twitches.mean() - (100 - own)) < 5


def test_unknown_antagonist_is_hidden_and_set_by_the_id():
    bath = OrganBath(drug="unknown")
    bath.add_dose.click()
    assert "name or ID first" in html.unescape(bath.message.value)
    bath.student.value = "Student 42"
    key = hidden_antagonist("Student 42")
    assert key in CANDIDATES
    assert bath.true_kb == P[f"kb_{key}"]
    _run(bath, [0.0, 1e-9, 1e-8, 1e-7])
    bath.fit_button.click()
    shown = html.unescape(bath.results.value + bath.plot.summary)
    assert "hidden" in shown and "true pKB" not in shown
    assert bath.plot.trace(TRUE_LINE)["x"].size == 0
    assert all(name not in shown.lower() for name in ("naloxone", "naltrexone", "nalmefene", "naltrexol"))


def test_the_drop_down_offers_the_drugs_the_science_core_models():
    assert set(DRUG_LABELS) == set(ph.BATH_DRUGS) | {"unknown"}
    with pytest.raises(ValueError, match="drug must be one of"):
        ph.drug_model("unknown")  # the widget resolves it to a candidate first (hidden_antagonist)


def test_different_students_get_different_runs():
    ids = [f"s{i}" for i in range(40)]
    assert {hidden_antagonist(i) for i in ids} == set(CANDIDATES)
    a, b = OrganBath(drug="unknown", student_id="s1"), OrganBath(drug="unknown", student_id="s2")
    a.run_curve.click(), b.run_curve.click()
    assert not np.array_equal(a.plot.trace("curve 1")["y"], b.plot.trace("curve 1")["y"])


def test_curve_limit_and_new_tissue(bath):
    steps = [0.0, 1e-10, 3e-10, 1e-9, 3e-9, 1e-8, 3e-8, 1e-7]
    _run(bath, steps)
    first_control = bath.plot.trace("curve 1")["y"].copy()
    bath.antagonist.value = 3e-7
    assert f"at most {MAX_CURVES}" in html.unescape(bath.message.value)
    bath.new_tissue.click()
    assert len(bath.curves) == 1 and bath.plot.trace("curve 2")["x"].size == 0
    assert bath.plot.summary.startswith("Tissue 2")
    bath.antagonist.value = 0.0
    bath.run_curve.click()  # a replicate tissue: same drug, new noise
    assert not np.array_equal(first_control, bath.plot.trace("curve 1")["y"])
    again = OrganBath(drug="naloxone", seed=11)
    again.run_curve.click()  # ... and tissue 1 of the same seed repeats exactly
    assert np.array_equal(first_control, again.plot.trace("curve 1")["y"])


def test_changing_the_drug_starts_a_new_tissue(bath):
    bath.run_curve.click()
    bath.drug.value = "naltrexone"
    bath.confirm_drug.click()
    assert len(bath.curves) == 1 and bath.curves[0].n_given == 0
    assert "New tissue" in bath.message.value


def test_changing_the_drug_with_curves_recorded_asks_first(bath):
    _run(bath, [0.0, 1e-8])
    bath.drug.value = "naltrexone"  # e.g. one arrow key on the drop-down
    assert [c.n_given for c in bath.curves] == [12, 12]  # nothing cleared yet
    assert bath.drug_confirmation.layout.display is None
    question = html.unescape(bath.drug_question.value)
    assert question.startswith(
        "Start a new tissue with Naltrexone (competitive)? Your 2 curves will be cleared."
    )
    assert bath.confirm_drug.description == "Start a new tissue with Naltrexone"
    assert bath.cancel_drug.description == "Cancel: keep Naloxone"
    assert bath.run_curve.disabled and bath.antagonist.disabled and bath.new_tissue.disabled
    bath.drug.value = "nalmefene"  # a second arrow key: the question follows the drop-down
    assert "with Nalmefene (competitive)? Your 2 curves" in html.unescape(bath.drug_question.value)
    assert bath.true_kb == P["kb_naloxone"]  # still naloxone in the bath until confirmed
    bath.confirm_drug.click()
    assert bath.drug_confirmation.layout.display == "none" and not bath.run_curve.disabled
    assert len(bath.curves) == 1 and bath.curves[0].n_given == 0 and bath.antagonist.value == 0.0
    assert bath.true_kb == P["kb_nalmefene"]


def test_cancel_keeps_the_drug_and_the_curves(bath):
    _run(bath, [0.0, 1e-8])
    recorded = bath.plot.trace("curve 2")["y"].copy()
    bath.drug.value = "buprenorphine"
    bath.cancel_drug.click()
    assert bath.drug.value == "naloxone" and bath.true_kb == P["kb_naloxone"]
    assert [c.n_given for c in bath.curves] == [12, 12]
    assert np.array_equal(bath.plot.trace("curve 2")["y"], recorded)
    assert bath.drug_confirmation.layout.display == "none" and not bath.run_curve.disabled
    assert "Kept Naloxone (competitive); your curves are still here." in html.unescape(bath.message.value)


def test_back_to_the_same_drug_before_confirming_needs_no_answer(bath):
    bath.run_curve.click()
    bath.drug.value = "naltrexone"
    bath.drug.value = "naloxone"  # arrow down, then up again
    assert bath.drug_confirmation.layout.display == "none" and not bath.run_curve.disabled
    assert bath.curves[0].n_given == 12


def test_without_recorded_curves_the_drug_changes_at_once(bath):
    bath.drug.value = "naltrexone"
    assert bath.drug_confirmation.layout.display == "none"
    assert bath.true_kb == P["kb_naltrexone"] and "New tissue" in bath.message.value


def test_constructor_bad_arguments():
    with pytest.raises(ValueError, match="drug must be one of"):
        OrganBath(drug="aspirin")
    with pytest.raises(ValueError, match="seed must be a whole number"):
        OrganBath(seed=-1)


def test_a_curve_with_no_clear_response_is_not_fitted(bath):
    bath.run_curve.click()
    bath.antagonist.value = 1e-6  # naloxone at 1 µM: ~670-fold shift
    for _ in range(5):
        bath.add_dose.click()  # up to 10 µM morphine: still no clear inhibition
    bath.fit_button.click()
    assert "no clear response yet" in html.unescape(bath.message.value)
    assert bath.plot.trace("fit 2")["y"].size == 0  # no fitted line drawn for curve 2


def test_analyse_reports_too_few_points_as_a_sentence():
    from widgets.lesson_widgets.organ_bath_widget import Curve, analyse

    planned = np.array([10, 50, 90] + [95] * 9, float)
    c = Curve(0.0, planned, np.zeros((12, 6)), np.full(9, 100.0), n_given=3)
    a = analyse([c])
    assert isinstance(a.fits[0], str) and "too few points" in a.problems[0]
    assert a.schild is None


def test_the_name_box_shows_only_for_the_unknown_antagonist():
    from widgets import OrganBath

    bath = OrganBath()
    assert bath.student.layout.display == "none"
    bath.drug.value = "unknown"
    assert bath.student.layout.display is None
    bath.drug.value = "naloxone"
    assert bath.student.layout.display == "none"


# -- the global fit is the headline; the Schild plot is the student's drawing ---------------------
def test_global_fit_is_the_headline_above_the_table(bath):
    _run(bath, [0.0, 3e-9, 1e-8, 3e-8, 1e-7])
    bath.fit_button.click()
    g = bath.analysis.global_fit
    pkb = -np.log10(P["kb_naloxone"])
    assert g is not None and g.n_curves == 5 and abs(g.pkb - pkb) < 0.5
    text = html.unescape(bath.results.value)
    headline = f"pKB {g.pkb:.2f} (95 % CI {g.pkb_ci[0]:.2f} to {g.pkb_ci[1]:.2f})"
    assert headline in text and text.index(headline) < text.index("<table")
    assert "Your Schild plot" in text and "Trust the global fit's interval" in text
    assert f"Global fit: pKB {g.pkb:.2f}" in bath.plot.summary
    # Two Schild slopes are shown (the global fit's and the regression's): each says which it is.
    s = bath.analysis.schild
    assert f"its Schild slope {g.slope:.2f}" in text
    assert f"slope {s.slope:.2f} (95 % CI" in text and "differ a little from the global fit's slope" in text
    assert f"Schild plot (regression on the dose ratios): slope {s.slope:.2f}" in bath.plot.summary


def test_results_table_has_borders_and_a_caption_with_room(bath):
    _run(bath, [0.0, 1e-8, 1e-7])
    bath.fit_button.click()
    text = bath.results.value
    assert "border-collapse:collapse" in text and "border:1px solid" in text
    caption = text[text.index("<caption") : text.index("</caption>")]
    assert "padding" in caption and len(caption.split(">", 1)[1]) < 40  # a short title, the note below
    assert "in the Schild plot" in text


def test_partial_agonist_gets_a_schild_plot_but_no_global_fit():
    bath = OrganBath(drug="buprenorphine", seed=3)
    _run(bath, [0.0, 1e-9, 1e-8])
    bath.fit_button.click()
    assert bath.analysis.global_fit is None
    assert "No global fit" in html.unescape(bath.results.value)


# -- findings of the second user trial (issue 15, section 5) ---------------------------------------
def test_irreversible_antagonist_says_which_curves_count_and_why_there_is_no_schild_plot():
    bath = OrganBath(drug="beta_chlornaltrexamine", seed=7)
    _run(bath, [0.0, 3e-9, 3e-8])
    bath.fit_button.click()
    text = html.unescape(bath.message.value)
    assert "irreversible" in text and "does not apply" in text
    assert "two or more different antagonist concentrations" not in text  # no advice that cannot help
    assert bath.analysis.schild is None and bath.analysis.global_fit is None and bath.analysis.counted == ()
    assert "needs a control curve and at least two" not in html.unescape(bath.results.value)


def test_too_few_concentrations_names_the_curves_that_count(bath):
    _run(bath, [0.0, 1e-8])
    bath.antagonist.value = 1e-6
    for _ in range(5):
        bath.add_dose.click()  # 1 µM naloxone, low doses only: no clear response, not counted
    bath.fit_button.click()
    text = html.unescape(bath.message.value)
    assert "Counted so far: curve 1 (control), curve 2 (10 nM)" in text
    assert "one more antagonist concentration" in text


def test_switching_the_drug_sets_the_antagonist_back_to_the_control(bath):
    bath.antagonist.value = 3e-8
    bath.run_curve.click()
    bath.drug.value = "buprenorphine"
    bath.confirm_drug.click()
    assert bath.antagonist.value == 0.0
    assert len(bath.curves) == 1 and bath.curves[0].antagonist_M == 0.0
    assert "Tissue 1, curve 1, no antagonist (control)" in bath.plot.summary


def test_a_negative_inhibition_is_said_in_plain_words():
    bath = OrganBath(drug="naloxone", seed=3)  # this seed's first twitch is larger than the baseline
    bath.add_dose.click()
    assert bath.curves[0].planned[0] < -1
    summary = bath.plot.summary
    assert "by -" not in summary and "larger than before" in summary


def test_typing_a_value_again_after_moving_the_slider_moves_it_back(bath):
    """Issue 16 §9: the typed box kept '10 nM' after the slider moved, so typing 10 nM again did nothing."""
    bath.typed.value = "10 nM"
    assert bath.antagonist.value == 1e-8
    bath.antagonist.value = 3e-8  # the slider moved by arrow key or mouse
    assert bath.typed.value == ""  # the box no longer claims a value the slider does not show
    bath.typed.value = "10 nM"
    assert bath.antagonist.value == 1e-8
    bath.typed.value = "12 nM"  # snaps to the 10 nM step: the box keeps what was typed
    assert bath.antagonist.value == 1e-8 and bath.typed.value == "12 nM"


def test_lesson_03_candidates_table_shows_every_note_in_full(monkeypatch):
    """Issue 15 §5: the candidates table cut its notes with '…' (pandas' default column width)."""
    import json
    from pathlib import Path

    import IPython.display

    from widgets.data_access.data_tables import load_table

    cells = json.loads((Path(__file__).parents[1] / "lessons" / "03_competitive_blocking.ipynb").read_text())[
        "cells"
    ]
    source = {c["id"]: "".join(c["source"]) for c in cells}
    shown = []  # the HTML computed when display() is called, as Jupyter does
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj._repr_html_()))
    namespace = {}
    exec(source["c01"], namespace)
    exec(source["c24"], namespace)
    assert len(shown) == 1
    notes = load_table("organ_bath_parameters").set_index("ligand").loc[list(CANDIDATES), "note"]
    for note in notes:
        assert html.escape(note, quote=False) in shown[0]
    assert "…" not in shown[0]


# -- issue 28: lesson 03's edge cases ------------------------------------------------------------
def test_an_irreversible_antagonist_draws_nothing_on_the_schild_plot():
    """'No Schild plot for an irreversible antagonist', so no point (the black diamond) on it either,
    although the table still lists the 3 nM curve's dose ratio."""
    bath = OrganBath(drug="beta_chlornaltrexamine", seed=7)
    _run(bath, [0.0, 3e-9, 3e-8])
    bath.fit_button.click()
    assert bath.analysis.ratios.size == 1  # a dose ratio exists (in the table) ...
    assert "No Schild plot for an irreversible antagonist" in html.unescape(bath.message.value)
    for trace in (SCHILD_POINTS, SCHILD_LINE, TRUE_LINE):  # ... but nothing is drawn on the Schild plot
        assert not np.isfinite(np.asarray(bath.plot.trace(trace)["x"], dtype=float)).any()


@pytest.mark.parametrize(
    "ci, words",
    [
        ((8.52, 9.30), "95 % CI 8.52 to 9.30"),
        ((8.52, 13.73), "95 % CI from 8.52, unbounded above"),  # 13.73: 3 log units past 30 nM
        ((8.39, 40.28), "95 % CI from 8.39, unbounded above"),
        ((4.1, 9.0), "95 % CI unbounded below, up to 9.00"),
        ((2.0, 179.17), "95 % CI not available: the points scatter too much to pin the line down"),
        (None, "95 % CI not available: the points scatter too much to pin the line down"),
    ],
)
def test_pa2_interval_words_never_show_an_absurd_bound(ci, words):
    from widgets.lesson_widgets.organ_bath_widget import pa2_interval_words

    assert pa2_interval_words(ci, [3e-9, 1e-8, 3e-8]) == words


def test_pa2_interval_with_two_concentrations_says_why_there_is_none():
    from widgets.lesson_widgets.organ_bath_widget import pa2_interval_words

    assert pa2_interval_words(None, [1e-8, 1e-7]).endswith("it needs 3 or more antagonist concentrations")


def test_the_bath_writes_an_unbounded_pa2_interval_in_words():
    """Seed 2 with 3, 10 and 30 nM naloxone: Fieller's upper bound is pA2 13.7 (K_B 0.2 fM)."""
    bath = OrganBath(drug="naloxone", seed=2)
    _run(bath, [0.0, 3e-9, 1e-8, 3e-8])
    bath.fit_button.click()
    s = bath.analysis.schild
    assert s.pA2_ci is not None and s.pA2_ci[1] > 12
    shown = html.unescape(bath.results.value + " " + bath.plot.summary)
    assert shown.count("unbounded above") == 2  # in the results and in the summary
    assert f"{s.pA2_ci[1]:.2f}" not in shown


def test_changing_the_name_or_id_with_curves_recorded_asks_first():
    bath = OrganBath(drug="unknown", student_id="Student 42")
    _run(bath, [0.0, 1e-8])
    recorded = bath.plot.trace("curve 2")["y"].copy()
    kb = bath.true_kb
    bath.student.value = "Student 43"  # a typo fix must not wipe the experiment unasked
    assert [c.n_given for c in bath.curves] == [12, 12] and bath.true_kb == kb
    assert bath.drug_confirmation.layout.display is None
    assert html.unescape(bath.drug_question.value).startswith(
        "Start a new tissue for the name or ID “Student 43”? It chooses the unknown antagonist and the "
        "noise, so your 2 curves will be cleared."
    )
    assert bath.run_curve.disabled and bath.new_tissue.disabled and bath.drug.disabled
    bath.cancel_drug.click()
    assert bath.student.value == "Student 42" and [c.n_given for c in bath.curves] == [12, 12]
    assert np.array_equal(bath.plot.trace("curve 2")["y"], recorded) and not bath.run_curve.disabled
    assert "Kept the name or ID “Student 42”" in html.unescape(bath.message.value)
    bath.student.value = "Student 43"
    bath.confirm_drug.click()
    assert len(bath.curves) == 1 and bath.curves[0].n_given == 0 and bath.antagonist.value == 0.0
    assert bath.true_kb == P[f"kb_{hidden_antagonist('Student 43')}"]
    assert not bath.drug.disabled and bath.drug_confirmation.layout.display == "none"


def test_the_name_or_id_changes_at_once_when_nothing_is_recorded():
    bath = OrganBath(drug="unknown")
    bath.student.value = "Student 42"
    assert bath.drug_confirmation.layout.display == "none"
    assert bath.true_kb == P[f"kb_{hidden_antagonist('Student 42')}"]
    bath.run_curve.click()
    bath.student.value = " student 42 "  # the same ID (spaces and case do not change it): nothing to ask
    assert bath.drug_confirmation.layout.display == "none" and bath.curves[0].n_given == 12
    assert bath.true_kb == P[f"kb_{hidden_antagonist('Student 42')}"]


def test_new_tissue_starts_with_a_control_curve(bath):
    """Exercise 3.5: New tissue, then run curves and fit: the first curve must be a control."""
    _run(bath, [0.0, 1e-8, 3e-8])
    bath.new_tissue.click()
    assert bath.antagonist.value == 0.0 and bath.curves[0].antagonist_M == 0.0
    assert "antagonist set back to 0" in html.unescape(bath.message.value)
    assert bath.plot.summary.startswith("Tissue 2, curve 1, no antagonist (control)")
    _run(bath, [0.0, 1e-8, 3e-8])
    bath.fit_button.click()
    assert bath.analysis.control_index == 0 and "run one first" not in html.unescape(bath.message.value)


def test_zero_typed_without_a_unit_is_a_control(bath):
    bath.antagonist.value = 1e-8
    bath.typed.value = "0"
    assert bath.antagonist.value == 0.0 and "set to 0 (control)" in html.unescape(bath.message.value)


def test_the_fitted_curves_table_shows_two_significant_figures_throughout():
    import re

    bath = OrganBath(drug="naloxone", seed=2027)  # one EC50 bound is 2.0 µM (was written '2 µM')
    _run(bath, [0.0, 1e-8, 1e-7, 1e-6])
    bath.fit_button.click()
    rows = html.unescape(bath.results.value).split("<tr>")[2:]  # after the caption and header rows
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert len(cells) == 4
    numbers = [n for row in cells for n in re.findall(r"([\d.,]+) [µnpm]?M", row[2] + " " + row[3])]
    assert len(numbers) == 12  # EC50 and its interval, per curve
    for n in numbers:
        digits = n.replace(",", "").replace(".", "").lstrip("0")
        assert len(digits) >= 2, n  # '2.0 µM', never '2 µM' beside '2.9 µM'


def test_the_schild_plot_lines_are_in_the_legend(bath):
    assert not bath.plot.trace(SCHILD_LINE).get("showlegend")
    _run(bath, [0.0, 1e-8, 3e-8, 1e-7])
    bath.fit_button.click()
    for trace, name in (
        (SCHILD_POINTS, "dose ratios"),
        (SCHILD_LINE, "Schild regression"),
        (TRUE_LINE, "true KB"),
    ):
        assert bath.plot.trace(trace)["showlegend"] is True and name in bath.plot.trace(trace)["name"]


def test_the_still_picture_of_an_empty_bath_shows_a_worked_example():
    """On the lessons' site a bath nobody has used would be empty charts: its still picture shows
    a worked example's curves, fits and Schild plot instead, and says so."""
    from widgets.lesson_widgets.organ_bath_widget import _worked_example

    face = OrganBath(drug="naloxone").static_face_html()
    assert "a worked example" in face and "Naloxone: a control curve, then 10, 30 and 100 nM" in face
    example = _worked_example("naloxone")
    assert html.escape(example.plot.summary) in face and "Global fit: pKB" in example.plot.summary
    assert [len(example.plot.trace(f"curve {i + 1}")["x"]) for i in range(4)] == [12, 12, 12, 12]
    assert len(example.plot.trace("fit 1")["x"]) > 0  # fitted curves drawn
    assert len(example.plot.trace(SCHILD_POINTS)["x"]) == 3 and len(example.plot.trace(SCHILD_LINE)["x"]) == 2
    unknown = OrganBath(drug="unknown").static_face_html()  # the unknown bath shows naloxone, named
    assert "Naloxone: a control curve" in unknown
    used = OrganBath(drug="naloxone")
    used.run_curve.click()  # once the student has run a curve, the picture is the student's own
    assert "a worked example" not in used.static_face_html()


def test_an_empty_schild_panel_keeps_a_point_with_no_value():
    """plotly.js drew an empty Schild panel's axis lines as 'MNaN,NaN…' (console errors, lines
    missing) once the other panels had data: the true-K_B trace keeps one NaN point there."""
    bath = OrganBath(drug="naloxone", seed=3)
    bath.run_curve.click()
    x = np.asarray(bath.plot.trace(TRUE_LINE)["x"], dtype=float)
    assert x.size == 1 and np.isnan(x).all()
    _run(bath, [1e-8, 3e-8])
    bath.fit_button.click()
    assert np.isfinite(np.asarray(bath.plot.trace(TRUE_LINE)["x"], dtype=float)).all()
