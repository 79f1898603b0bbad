"""Lesson 03's organ bath saves its experiment to a CSV beside the lesson and loads it back, so a
kernel restart or another day need not lose the curves (issue 28)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from widgets import OrganBath
from widgets.pharmacology import DOSES_M

COLUMNS = ["curve", "agonist_M", "response", "antagonist_M"]


def _experiment(tmp_path, drug="naloxone", seed=11, **kw) -> OrganBath:
    bath = OrganBath(drug=drug, seed=seed, **kw)
    bath.experiment_file = tmp_path / "organ_bath_experiment.csv"
    bath.run_curve.click()
    for b in (1e-8, 1e-7):
        bath.antagonist.value = b
        bath.run_curve.click()
    bath.antagonist.value = 1e-6
    bath.add_dose.click()
    bath.add_dose.click()
    return bath


def test_the_saved_curves_are_a_long_table_with_the_agreed_columns(tmp_path):
    bath = _experiment(tmp_path)
    bath.save_button.click()
    with open(bath.experiment_file, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:4] == COLUMNS and reader.fieldnames[4] == "tissue"
    assert len(rows) == 12 * 3 + 2  # one row per dose given
    first = [r for r in rows if r["curve"] == "1"]
    assert [float(r["agonist_M"]) for r in first] == pytest.approx(DOSES_M.tolist())
    assert {float(r["antagonist_M"]) for r in first} == {0.0}
    assert [float(r["response"]) for r in first] == pytest.approx(bath.curves[0].responses.tolist())
    assert {r["tissue"] for r in rows} == {"1"} and {r["drug"] for r in rows} == {"naloxone"}
    assert "Saved 4 curves to organ_bath_experiment.csv" in bath.message.value


def test_a_new_bath_loads_the_experiment_and_carries_on_as_before(tmp_path):
    bath = _experiment(tmp_path)
    bath.save_experiment()
    again = OrganBath()  # e.g. after a kernel restart: default drug and seed
    again.experiment_file = bath.experiment_file
    again.load_button.click()
    assert "Loaded 4 curves from organ_bath_experiment.csv" in again.message.value
    assert again.drug.value == "naloxone" and again.antagonist.value == 1e-6
    assert again.describe() == bath.describe()
    assert again.plot.summary == bath.plot.summary
    for a, b in zip(again.curves, bath.curves):
        assert a.antagonist_M == b.antagonist_M and a.n_given == b.n_given
        np.testing.assert_allclose(a.responses, b.responses, rtol=1e-12)
    # the next dose is the one the original bath would have given, noise included
    bath.add_dose.click()
    again.add_dose.click()
    assert again.curves[-1].responses[-1] == pytest.approx(bath.curves[-1].responses[-1])
    bath.fit_button.click()
    again.fit_button.click()
    assert again.analysis.global_fit.pkb == pytest.approx(bath.analysis.global_fit.pkb)


def test_the_unknown_antagonist_comes_back_with_its_name_or_id(tmp_path):
    bath = OrganBath(drug="unknown", student_id="ada")
    bath.experiment_file = tmp_path / "x.csv"
    bath.run_curve.click()
    bath.save_experiment()
    again = OrganBath()
    again.load_experiment(bath.experiment_file)
    assert again.student.value == "ada" and again.true_kb == bath.true_kb
    assert again.describe() == bath.describe()


def test_loading_a_missing_or_broken_file_says_what_is_wrong_in_place(tmp_path):
    bath = OrganBath()
    bath.experiment_file = tmp_path / "none.csv"
    bath.load_button.click()
    assert 'role="alert"' in bath.message.value and "No saved experiment yet: none.csv" in bath.message.value
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="columns must start with curve, agonist_M, response, antagonist_M"):
        bath.load_experiment(bad)
    good = _experiment(tmp_path)
    good.save_experiment()
    text = good.experiment_file.read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[2], "lots", 1)
    bad.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=r"bad.csv, row 4, column response: 'lots' is not valid"):
        bath.load_experiment(bad)
    assert bath.curves[0].n_given == 0  # nothing half loaded


def test_the_saved_file_is_what_analyse_schild_reads(tmp_path):
    """The CSV is the long form of a practical's readings: the science core's analyse_schild takes it."""
    import pandas as pd

    from widgets import pharmacology as ph

    bath = _experiment(tmp_path)
    bath.save_experiment()
    table = pd.read_csv(bath.experiment_file)
    report = ph.analyse_schild(
        table, concentration="agonist_M", response="response", antagonist="antagonist_M", curve="curve"
    )
    assert len(report.curves) == 4 and report.pa2 is not None
    bath.fit_button.click()  # the bath's own Schild regression on the same curves
    assert report.pa2 == pytest.approx(bath.analysis.schild.pA2, abs=0.5)


def test_lesson_03s_saved_experiments_give_a_schild_result_in_lesson_09(tmp_path):
    """An audit of issue 24: curves saved from this bath (naltrexone 3, 10 and 30 nM; the doses stop
    at 316 µM, before the most shifted curve's plateau) came back from lesson 09's analyser as
    "insurmountable, not competitive" in 8 of 20 seeds, its readings being lower than the
    control's. A curve whose points fit the control's maximum is a shifted curve (F test): every
    seed now gives pK_B, near the bath's own, and the warnings say which curves stopped short."""
    from widgets.pharmacology import drug_model
    from widgets.pharmacology.analyse import analyse_file, read_table

    refused, short, pkbs = 0, 0, []
    for seed in range(20):
        bath = OrganBath(drug="naltrexone", seed=seed)
        bath.experiment_file = tmp_path / f"bath{seed}.csv"
        bath.run_curve.click()
        for b in (3e-9, 1e-8, 3e-8):
            bath.antagonist.value = b
            bath.run_curve.click()
        bath.save_experiment()
        report = analyse_file(read_table(str(bath.experiment_file)))
        refused += any("insurmountable" in w for w in report.warnings)
        short += any("has not reached its plateau" in w for w in report.warnings)
        if report.pkb is not None:
            pkbs.append(report.pkb)
    assert refused == 0 and len(pkbs) == 20
    assert short >= 5  # said, not silently refitted
    true_pkb = -np.log10(drug_model("naltrexone")[1])
    assert abs(np.median(pkbs) - true_pkb) < 0.2, (np.median(pkbs), true_pkb)
