"""simulate_naltrexone against the published figures in data/, fit and validation kept apart.

Published values and tolerances are read from data/ (never from the model's own output).
Every published figure has one role (``role`` in data/naltrexone_fit_targets.csv and
data/pet_occupancy.csv): ``fitted`` figures are what the least-squares fit was made to meet,
``validation`` figures were never in the fit, and the tests here compute the model's value
from ``simulate_naltrexone``'s output (not from the fit code's own quantities) wherever they can.
"""

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import load_table
from widgets import pharmacology as ph
from widgets.pharmacology.naltrexone import COLUMNS

PK = load_table("naltrexone_pk").set_index("key")
PET = load_table("pet_occupancy")
TARGETS = load_table("naltrexone_fit_targets").set_index("key")


def accept(key):
    """The acceptance interval the data table states for a figure."""
    return float(TARGETS.loc[key, "accept_low"]), float(TARGETS.loc[key, "accept_high"])


def role(key):
    return TARGETS.loc[key, "role"]


def halflife(t, c, start, end):
    sel = (t >= start) & (t <= end)
    slope = np.polyfit(t[sel], np.log(c[sel]), 1)[0]
    return math.log(2) / -slope


@pytest.fixture(scope="module")
def single_50mg():
    return ph.simulate_naltrexone(50.0, t_end_h=168.0, dt_h=0.02)


@pytest.fixture(scope="module")
def daily_50mg():
    return ph.simulate_naltrexone(50.0, interval_h=24.0, n_doses=28, t_end_h=28 * 24.0)


@pytest.fixture(scope="module")
def injection():
    return ph.simulate_naltrexone(380.0, route="injection", t_end_h=42 * 24.0, dt_h=0.25)


def test_signature_and_columns():
    df = ph.simulate_naltrexone()
    assert isinstance(df, pd.DataFrame)
    assert (
        list(df.columns)
        == COLUMNS
        == [
            "time_h",
            "naltrexone_ng_ml",
            "naltrexol_ng_ml",
            "mor_occupancy",
            "kor_occupancy",
            "dor_occupancy",
        ]
    )
    assert df["time_h"].iloc[0] == 0 and df["time_h"].iloc[-1] == pytest.approx(168.0)
    assert np.allclose(np.diff(df["time_h"]), 0.25)


# -- roles: every published number has exactly one ---------------------------------------------
def test_every_published_figure_has_one_role():
    targets = load_table("naltrexone_fit_targets")
    assert targets["key"].is_unique
    assert set(targets["role"]) <= {"fitted", "tuned", "validation", "derived", "disputed", "context"}
    assert set(PET["role"]) == {"fitted", "validation"}
    # the Rabiner points are fitted once, as PET points; no fitted target repeats them
    assert not any(key.startswith("mor_1h") or key.startswith("mor_2h") for key in targets["key"])
    # the derived 48 h figure (from Lee's half-time, itself fitted) is no longer a target
    assert role("mor_48h_after_50mg") == "context" and pd.isna(TARGETS.loc["mor_48h_after_50mg", "fit_scale"])
    # the figures the review called circular are marked for what they are
    assert role("first_pass_pct") == "disputed" and role("trostheim_ed50_mg") == "derived"
    assert {role(k) for k in ("xr_first_peak_h", "xr_second_peak_d", "xr_halflife_d", "xr_day31_ng_ml")} == {
        "tuned"
    }
    # only fitted rows carry a fit scale
    assert targets.loc[targets["role"] != "fitted", "fit_scale"].isna().all()
    # only validation rows say whether a pass is independent evidence (true/false); the others leave it blank
    is_val = targets["role"] == "validation"
    assert targets.loc[is_val, "independent"].isin([True, False]).all()
    assert targets.loc[~is_val, "independent"].isna().all()
    assert targets.loc[targets["role"] == "fitted", "fit_scale"].notna().all()


def test_validation_figures_never_enter_the_fit():
    """Moving every validation figure (targets and PET) far away leaves the fit's residuals unchanged;
    moving a fitted one changes them."""
    from widgets.pharmacology import naltrexone_fit as nf

    m = ph.naltrexone_model()
    base = nf.residuals(m)
    targets = load_table("naltrexone_fit_targets")
    pet = load_table("pet_occupancy")
    moved_t, moved_p = targets.copy(), pet.copy()
    val = moved_t["role"] != "fitted"
    moved_t.loc[val, ["value_low", "value_high"]] = (1e6, 2e6)
    moved_p.loc[moved_p["role"] == "validation", "occupancy_pct"] = 0.0
    fitted_t = moved_t[moved_t["role"] == "fitted"]
    fitted_p = moved_p[moved_p["role"] == "fitted"]
    np.testing.assert_array_equal(nf.residuals(m, (fitted_t, fitted_p)), base)
    shifted = fitted_t.copy()
    shifted.loc[shifted["key"] == "mor_trough_every_other_day", ["value_low", "value_high"]] = (40.0, 45.0)
    assert (nf.residuals(m, (shifted, fitted_p)) ** 2).sum() > (base**2).sum() + 1


# -- fitted figures: each inside its stated tolerance (computed from simulate_naltrexone) --------
def test_oral_naltrexone_curve(single_50mg):
    t = single_50mg["time_h"].to_numpy()
    c = single_50mg["naltrexone_ng_ml"].to_numpy()
    lo, hi = accept("oral_cmax_naltrexone")
    assert lo <= c.max() <= hi
    lo, hi = accept("oral_tmax_naltrexone")
    assert lo <= t[c.argmax()] <= hi
    lo, hi = accept("oral_auc24_naltrexone")
    day = t <= 24
    assert lo <= np.trapezoid(c[day], t[day]) <= hi
    lo, hi = accept("halflife_naltrexone")
    assert lo <= halflife(t, c, 2, 12) <= hi


def test_oral_naltrexol_peak(single_50mg):
    t = single_50mg["time_h"].to_numpy()
    c = single_50mg["naltrexol_ng_ml"].to_numpy()
    lo, hi = accept("oral_tmax_naltrexol")
    assert lo <= t[c.argmax()] <= hi
    # the Swiss PI's 108 ng/mL peak is disputed (not fitted): with Dunbar's clearance the model's
    # peak is about a third of it, as the data row's note says
    assert role("oral_cmax_naltrexol") == "disputed"
    assert 0.2 * 108 < c.max() < 0.5 * 108


def test_naltrexol_clearance_is_dunbar_2007():
    """Dunbar et al. 2007 (population PK, 453 people): 6β-naltrexol clearance 65.1 L/h. Computed here
    from the model's plasma curve after 6β-naltrexol given i.v. (dose / AUC), so a change in how the
    model uses the clearance fails; the 13 h half-life (Swiss PI) holds at the same time, and Meyer
    et al.'s renal clearance is about a quarter of that apparent clearance (CL/f_m: a quarter of what
    is converted leaves unconjugated in urine)."""
    from widgets.pharmacology.naltrexone import MW_NALTREXOL, unit_response

    row = PK.loc["clearance_naltrexol_dunbar2007"]
    assert row["source"] == "dunbar2007" and row["use"] == "model input" and row["model_value"] == 65.1
    m = ph.naltrexone_model()
    dt, n = 0.1, int(24 * 10 / 0.1)
    iv = unit_response(m, "naltrexol_iv", dt, n)[:, 1]  # ng/mL after 1 mg of 6β-naltrexol
    t = np.arange(n + 1) * dt
    auc = np.trapezoid(iv, t) + iv[-1] * 13 / math.log(2)  # ng·h/mL, tail extrapolated
    assert 1e3 / auc == pytest.approx(65.1 * MW_NALTREXOL / 341.41, rel=0.01)  # L/h of 6β-naltrexol
    assert halflife(t, iv, 24, 96) == pytest.approx(PK.loc["halflife_naltrexol_h", "model_value"], rel=0.01)
    renal = PK.loc["renal_clearance_naltrexol_meyer1984", "value_low"]
    assert 0.2 < renal / 65.1 < 0.3


def test_half_life_sentence_agrees_with_the_curve(single_50mg):
    """Lesson 04's summary says plasma naltrexone falls with a half-life of about 3-4 h over the
    first half day: the curve's own slope over 2-12 h must be within 3-4 h (± 0.5 h)."""
    t = single_50mg["time_h"].to_numpy()
    assert 2.5 <= halflife(t, single_50mg["naltrexone_ng_ml"].to_numpy(), 2, 12) <= 4.5


def test_lee_1988_blockade_half_time():
    df = ph.simulate_naltrexone(50.0, t_end_h=168.0, dt_h=0.25)
    half = ph.blockade_halftime_h(df["time_h"], df["mor_occupancy"])
    lo, hi = accept("blockade_halftime")
    assert lo <= half <= hi


def test_trough_on_alternate_day_dosing():
    """Swiss PI: on 50 mg every other day, 70-80 % still blocked after 48 h (steady state)."""
    df = ph.simulate_naltrexone(50.0, interval_h=48.0, n_doses=11, t_end_h=11 * 48.0)
    lo, hi = accept("mor_trough_every_other_day")
    assert lo <= 100 * df["mor_occupancy"].iloc[-1] <= hi


@pytest.mark.parametrize("dose", sorted(PET.loc[PET["study"] == "rabiner2011", "dose_mg"].unique()))
def test_rabiner_2011_dose_occupancy(dose):
    """Every Rabiner PET point (< 8 h, one person each) within 15 points of the model's 1-8 h mean."""
    df = ph.simulate_naltrexone(float(dose), t_end_h=8.0, dt_h=0.25)
    model = 100 * df.loc[df["time_h"] >= 1, "mor_occupancy"].mean()
    for value in PET.loc[(PET["study"] == "rabiner2011") & (PET["dose_mg"] == dose), "occupancy_pct"]:
        assert abs(model - value) <= 15, (dose, value, model)


def test_rabiner_50mg_points_against_the_model_mean(single_50mg):
    """The review: MOR 88 % at 8 h against 92-98 %. The PET points are single people scanned at some
    time within 8 h; the model's 1-8 h mean after 50 mg must lie within 10 points of both (the
    15 mg point, 61 %, pulls a competitive one-site curve the other way)."""
    points = PET.loc[(PET["study"] == "rabiner2011") & (PET["dose_mg"] == 50), "occupancy_pct"]
    sel = (single_50mg["time_h"] >= 1) & (single_50mg["time_h"] <= 8)
    mean = 100 * single_50mg.loc[sel, "mor_occupancy"].mean()
    assert all(abs(mean - p) <= 10 for p in points)


def test_injection_timeline_tuned_by_hand(injection):
    """Label: first peak 1-3 h, second 2-3 days; Dunbar 2006: half-life 5-7 days, measurable on day 31."""
    t, c = injection["time_h"].to_numpy(), injection["naltrexone_ng_ml"].to_numpy()
    peaks = t[1:-1][(c[1:-1] > c[:-2]) & (c[1:-1] >= c[2:])]
    lo, hi = accept("xr_first_peak_h")
    assert lo <= peaks[0] <= hi
    lo, hi = accept("xr_second_peak_d")
    assert lo <= peaks[1] / 24 <= hi
    lo, hi = accept("xr_halflife_d")
    assert lo <= halflife(t, c, 14 * 24, 28 * 24) / 24 <= hi
    assert c[np.argmin(np.abs(t - 31 * 24))] >= accept("xr_day31_ng_ml")[0]


def test_injection_first_peak_reads_about_2_hours(injection):
    """The review found the first peak at 1.3 h against the label's 'about 2 h' (within 0.5 h)."""
    t, c = injection["time_h"].to_numpy(), injection["naltrexone_ng_ml"].to_numpy()
    first = t[1:-1][(c[1:-1] > c[:-2]) & (c[1:-1] >= c[2:])][0]
    assert abs(first - 2.0) <= 0.5


# -- validation figures: never in the fit, each inside its stated tolerance ------------------------
def test_validation_wall_terminal_half_life_separates_the_mechanisms():
    """Wall 1981: terminal half-life of unconjugated naltrexone after oral dosing 8.9 h (factor 2).
    Never fitted. The terminal-phase fit meets it; the default brain-pool fit falls short (its plasma
    curve is one exponential after 2 h), as the model note says."""
    assert role("terminal_halflife_naltrexone") == "validation"
    lo, hi = accept("terminal_halflife_naltrexone")
    values = {}
    for mechanism in ("brain_pool", "terminal_phase"):
        df = ph.naltrexone_profile([0.0], 50.0, t_end_h=24.0, dt_h=0.05, mechanism=mechanism)
        values[mechanism] = halflife(df["time_h"].to_numpy(), df["naltrexone_ng_ml"].to_numpy(), 12, 24)
    assert lo <= values["terminal_phase"] <= hi
    assert values["brain_pool"] < lo


def test_validation_blockade_still_detectable_at_144h():
    """PET abstract 2005: blockade still significant 144 h after 50-100 mg (model >= 10 % after 50 mg)."""
    assert role("mor_144h_after_50mg") == "validation"
    df = ph.simulate_naltrexone(50.0, t_end_h=144.0)
    assert 100 * df["mor_occupancy"].iloc[-1] >= accept("mor_144h_after_50mg")[0]


def test_validation_weerts_2008_on_the_fourth_day(daily_50mg):
    """Weerts 2008 (never fitted): 50 mg on protocol days 15-19, PET on day 18, so the 4th day of
    dosing (abstract); scan time after that tablet not given, so the model's mean over that day.
    Both are documented misses (lesson 04's model note): MOR below the mean by more than 1 SD, DOR
    too (the K_i ratio in data/ligand_affinities.csv gives little DOR blockade). The protocol is read
    from the data row, so a wrong day fails here."""
    mor = PET[(PET["study"] == "weerts2008") & (PET["receptor"] == "MOR")].iloc[0]
    dor = PET[(PET["study"] == "weerts2008") & (PET["receptor"] == "DOR")].iloc[0]
    assert mor["role"] == dor["role"] == "validation"
    assert mor["time_after_dose"] == dor["time_after_dose"] == "day 4 of daily dosing"
    day4 = daily_50mg[(daily_50mg["time_h"] >= 72) & (daily_50mg["time_h"] < 96)]
    model_mor = 100 * day4["mor_occupancy"].mean()
    assert model_mor < mor["occupancy_pct"] - mor["sd_pct"]
    assert model_mor > mor["occupancy_pct"] - 3 * mor["sd_pct"]  # a miss, not a collapse
    assert 100 * day4["dor_occupancy"].mean() < dor["occupancy_pct"] - dor["sd_pct"]
    # the 4th day is below steady state: the blockade still builds up after day 4
    last = daily_50mg[daily_50mg["time_h"] >= 27 * 24]
    assert 100 * last["mor_occupancy"].mean() > model_mor


def test_validation_meyer_1984_urinary_recovery(single_50mg):
    """Meyer 1984 (never fitted): within 48 h < 1 % of the dose in urine as naltrexone and 25 % as
    unconjugated 6β-naltrexol; renal clearances 127 and 283 mL/min in the same study. Amount excreted
    = renal clearance x plasma AUC(0-48 h), computed here from simulate_naltrexone. Naltrexone is a
    documented near miss (the fitted AUC of about 73 sits in the upper half of the bioequivalence
    study's spread); 6β-naltrexol, whose clearance comes from Dunbar et al. 2007, meets 25 %."""
    df = ph.simulate_naltrexone(50.0, t_end_h=48.0, dt_h=0.02)
    t = df["time_h"].to_numpy()
    clr_ntx = PK.loc["renal_clearance_naltrexone_meyer1984", "value_low"]  # L/h
    clr_nol = PK.loc["renal_clearance_naltrexol_meyer1984", "value_low"]
    assert clr_ntx == pytest.approx(127 * 60 / 1000, rel=0.01) and clr_nol == pytest.approx(
        283 * 60 / 1000, rel=0.01
    )
    ntx_pct = 100 * clr_ntx * np.trapezoid(df["naltrexone_ng_ml"], t) / 1000 / 50
    nol_pct = 100 * clr_nol * np.trapezoid(df["naltrexol_ng_ml"], t) / 1000 * (341.41 / 343.42) / 50
    for key in ("meyer_urine_naltrexone_pct", "meyer_urine_naltrexol_pct"):
        assert role(key) == "validation"
    lo, hi = accept("meyer_urine_naltrexone_pct")
    assert not lo <= ntx_pct <= hi and 1.0 < ntx_pct < 1.5  # just above "less than 1 %" (model note)
    lo, hi = accept("meyer_urine_naltrexol_pct")
    assert lo <= nol_pct <= hi


def test_validation_kor_occupancy_after_a_week_of_100mg():
    """KOR PET study (Mol Psychiatry 2021; never fitted): 92 ± 1 % KOR occupancy after a week of
    supervised 100 mg/day. A documented miss (model note): the model's mean over the 7th day, from
    simulate_naltrexone, is about 76 %, far outside even the wider reading of the ± 1; with Trøstheim
    et al.'s KOR:MOR ratio of 2 instead of the approximate K_i ranges it would be inside."""
    row = PET[PET["study"] == "kor_pet2021"].iloc[0]
    assert row["role"] == "validation" and row["receptor"] == "KOR" and row["dose_mg"] == 100
    df = ph.simulate_naltrexone(100.0, interval_h=24.0, n_doses=7, t_end_h=168.0)
    day7 = df[df["time_h"] >= 144].iloc[:-1]
    model = 100 * day7["kor_occupancy"].mean()
    within = row["sd_pct"] * math.sqrt(row["n_subjects"])
    assert abs(model - row["occupancy_pct"]) > within and 70 < model < 80
    level = day7["mor_occupancy"] / (1 - day7["mor_occupancy"]) / PK.loc["kor_to_mor_ratio", "value_low"]
    assert abs(100 * (level / (1 + level)).mean() - row["occupancy_pct"]) <= within
    table = ph.compare_naltrexone_with_published().set_index("key")
    assert table.loc["kor_pet2021_KOR", "agrees"] == "no" and float(
        table.loc["kor_pet2021_KOR", "model"]
    ) == round(model)


def test_bekier_2020_is_context_not_validation():
    """Levels measured in a treatment trial with unsupervised tablets cannot test a model of a person who took
    every tablet on time: context (the reason is written in the data row)."""
    assert role("steady_state_sum_8h") == "context"
    assert pd.isna(TARGETS.loc["steady_state_sum_8h", "accept_low"])
    assert "adherence not supervised" in TARGETS.loc["steady_state_sum_8h", "note"]


def test_validation_less_naltrexol_after_the_injection(injection, daily_50mg):
    """Dunbar 2006: less 6β-naltrexol relative to naltrexone after the injection than after tablets."""
    assert role("xr_naltrexol_ratio_vs_oral") == "validation"
    xr = injection["naltrexol_ng_ml"].sum() / injection["naltrexone_ng_ml"].sum()
    oral = daily_50mg["naltrexol_ng_ml"].sum() / daily_50mg["naltrexone_ng_ml"].sum()
    assert xr / oral < accept("xr_naltrexol_ratio_vs_oral")[1]


# -- issue 25: more figures the fit never saw (tolerances in the data rows, set before the model was run)
@pytest.fixture(scope="module")
def single_100mg():
    return ph.simulate_naltrexone(100.0, t_end_h=24.0, dt_h=0.02)


def test_validation_bertolotti_1997_after_100mg(single_100mg):
    """Bertolotti 1997, 7 controls with normal liver function, 100 mg: AUC(0-24 h) naltrexone 200 ± 97
    and 6β-naltrexol 2467 ± 730 ng·h/mL, 6β-naltrexol : naltrexone at 2 h 10.91 ± 4.80. Computed here
    from simulate_naltrexone. The naltrexone AUC passes (it is twice the fitted 50 mg AUC: another
    study agrees with the fitted exposure); 6β-naltrexol misses low, by more than half, and so does
    the early ratio: the model's 6β-naltrexol (Dunbar et al. 2007's clearance) is below this study's,
    on the side of the disputed Swiss PI peak, against Meyer et al.'s urine (model note)."""
    t = single_100mg["time_h"].to_numpy()
    ntx, nol = single_100mg["naltrexone_ng_ml"].to_numpy(), single_100mg["naltrexol_ng_ml"].to_numpy()
    for key in (
        "bertolotti_auc24_naltrexone_100mg",
        "bertolotti_auc24_naltrexol_100mg",
        "bertolotti_naltrexol_ratio_2h",
    ):
        assert role(key) == "validation" and TARGETS.loc[key, "source"] == "bertolotti1997"
    lo, hi = accept("bertolotti_auc24_naltrexone_100mg")
    assert (lo, hi) == (200 - 97, 200 + 97)
    assert lo <= np.trapezoid(ntx, t) <= hi
    lo, hi = accept("bertolotti_auc24_naltrexol_100mg")
    assert (lo, hi) == (2467 - 730, 2467 + 730)
    auc_nol = np.trapezoid(nol, t)
    assert auc_nol < lo and auc_nol > 0.3 * 2467  # a miss by a factor near 2, not a collapse
    lo, hi = accept("bertolotti_naltrexol_ratio_2h")
    i2 = int(np.argmin(np.abs(t - 2.0)))
    assert nol[i2] / ntx[i2] < lo


def test_validation_cone_1974_urine_over_six_days():
    """Cone 1974, 6 people, 50 mg, urine for 6 days: free naltrexone 1.2 ± 0.2 % and free 6β-naltrexol
    26.3 ± 2.2 % of the dose (mean ± SE), counted within 1 SD (SE x sqrt 6). Amount = Meyer's renal
    clearance x plasma AUC(0-144 h), from simulate_naltrexone. Both pass in the default model; the
    6β-naltrexol pass is marked not independent (it is about 17 / 65.1 L/h whatever the fit)."""
    df = ph.simulate_naltrexone(50.0, t_end_h=144.0, dt_h=0.25)
    t = df["time_h"].to_numpy()
    ntx_pct = (
        100
        * PK.loc["renal_clearance_naltrexone_meyer1984", "value_low"]
        * np.trapezoid(df["naltrexone_ng_ml"], t)
        / 1000
        / 50
    )
    nol_pct = (
        100
        * PK.loc["renal_clearance_naltrexol_meyer1984", "value_low"]
        * np.trapezoid(df["naltrexol_ng_ml"], t)
        / 1000
        * (341.41 / 343.42)
        / 50
    )
    assert accept("cone_urine_naltrexone_pct") == pytest.approx(
        (1.2 - 0.2 * math.sqrt(6), 1.2 + 0.2 * math.sqrt(6)), abs=0.005
    )
    assert accept("cone_urine_naltrexol_pct") == pytest.approx(
        (26.3 - 2.2 * math.sqrt(6), 26.3 + 2.2 * math.sqrt(6)), abs=0.05
    )
    lo, hi = accept("cone_urine_naltrexone_pct")
    assert lo <= ntx_pct <= hi
    lo, hi = accept("cone_urine_naltrexol_pct")
    assert lo <= nol_pct <= hi
    assert not TARGETS.loc["cone_urine_naltrexol_pct", "independent"]


def test_validation_king_1997_urine_ratio_at_3h():
    """King 1997: about 10 : 1 6β-naltrexol to naltrexone in urine 3 h after 50 mg (factor 2). The
    model's amounts excreted by 3 h (Meyer's renal clearances x plasma AUC(0-3 h), by mass) give about
    6: inside the loose tolerance, while Bertolotti's plasma ratio at 2 h is missed (model note)."""
    df = ph.simulate_naltrexone(50.0, t_end_h=3.0, dt_h=0.02)
    t = df["time_h"].to_numpy()
    ratio = (
        PK.loc["renal_clearance_naltrexol_meyer1984", "value_low"] * np.trapezoid(df["naltrexol_ng_ml"], t)
    ) / (
        PK.loc["renal_clearance_naltrexone_meyer1984", "value_low"] * np.trapezoid(df["naltrexone_ng_ml"], t)
    )
    lo, hi = accept("king_urine_ratio_3h")
    assert (lo, hi) == (5, 20) and role("king_urine_ratio_3h") == "validation"
    assert lo <= ratio <= hi and ratio < 10


def test_validation_blockade_24h_after_12_5mg():
    """PET abstract 2005: MOR blockade still significant 24 h after 12.5 mg (model >= 10 %)."""
    assert role("mor_24h_after_12_5mg") == "validation"
    df = ph.simulate_naltrexone(12.5, t_end_h=24.0)
    assert 100 * df["mor_occupancy"].iloc[-1] >= accept("mor_24h_after_12_5mg")[0]


def test_every_validation_figure_names_a_source_and_where_it_was_read():
    """Every validation row (targets and PET) cites a key of data/references.csv and carries a note;
    the rows whose pass is not independent evidence are exactly the documented ones, each saying why."""
    refs = set(load_table("references")["key"])
    targets = load_table("naltrexone_fit_targets")
    val = targets[targets["role"] == "validation"]
    pet_val = PET[PET["role"] == "validation"]
    assert set(val["source"]) | set(pet_val["source"]) <= refs
    assert val["note"].fillna("").str.len().gt(40).all() and pet_val["note"].fillna("").str.len().gt(40).all()
    not_independent = set(val.loc[val["independent"] == False, "key"])  # noqa: E712
    assert not_independent == NOT_INDEPENDENT
    for key in not_independent:
        assert "ot independent" in TARGETS.loc[key, "note"], key


# Validation passes that are close to guaranteed by the model's structure or fixed inputs (not evidence the fit holds)
# or re-read a figure the model was fitted to (the guide: a check that re-reads a fitted number is
# not a validation): Bertolotti's naltrexone AUC is twice the fitted 50 mg AUC in a linear model, and
# Cone's urinary naltrexone is the fitted AUC times Meyer's renal clearance.
NOT_INDEPENDENT = {
    "meyer_urine_naltrexol_pct",
    "cone_urine_naltrexol_pct",
    "xr_naltrexol_ratio_vs_oral",
    "bertolotti_auc24_naltrexone_100mg",
    "cone_urine_naltrexone_pct",
}

# The validation figures the default model misses, as the model note in lesson 04 explains them.
# (Documented here so that any change, for better or worse, fails this test and is looked at.)
MEYER = {"meyer_urine_naltrexone_pct"}
PET_MISSES = {"weerts_MOR", "weerts_DOR", "kor_pet2021_KOR"}
BERTOLOTTI = {"bertolotti_auc24_naltrexol_100mg", "bertolotti_naltrexol_ratio_2h"}
KNOWN_VALIDATION_MISSES = {
    "brain_pool": {"terminal_halflife_naltrexone"} | PET_MISSES | MEYER | BERTOLOTTI,
    "terminal_phase": PET_MISSES | MEYER | BERTOLOTTI | {"cone_urine_naltrexone_pct"},
}


@pytest.mark.parametrize("mechanism", ["brain_pool", "terminal_phase"])
def test_comparison_table_roles_and_agreement(mechanism):
    """Every fitted row agrees (and the tuned injection rows for the default model); the validation
    rows the model misses are exactly the documented ones."""
    table = ph.compare_naltrexone_with_published(mechanism)
    assert {"quantity", "published", "model", "tolerance", "agrees", "role", "source"} <= set(table.columns)
    fitted = table[table["role"].isin(["fitted", "tuned"] if mechanism == "brain_pool" else ["fitted"])]
    assert (fitted["agrees"] == "yes").all(), fitted.loc[fitted["agrees"] != "yes", "quantity"].tolist()
    validation = table[table["role"] == "validation"]
    assert len(validation) == 15
    assert set(validation.loc[validation["agrees"] == "no", "key"]) == KNOWN_VALIDATION_MISSES[mechanism]
    # a validation row is one the fit never saw
    fit_keys = set(TARGETS.index[TARGETS["role"] == "fitted"])
    assert not fit_keys & set(validation["key"])


# -- the sources the lessons cite are not contradicted ----------------------------------------------
def test_naltrexol_has_no_central_effect_at_20mg_iv():
    """Yancey-Wrona 2011: 20 mg i.v. 6β-naltrexol had no central effect. The model's brain MOR
    blockade after that dose stays below 10 % for a day."""
    from widgets.pharmacology.naltrexone import occupancy_levels, unit_response

    assert PK.loc["naltrexol_brain_weight", "source"] == "yanceywrona2011"
    m = ph.naltrexone_model()
    out = 20.0 * unit_response(m, "naltrexol_iv", 0.25, 96)
    assert out[:, 1].max() > 10  # plenty of 6β-naltrexol in plasma (ng/mL) ...
    level = occupancy_levels(m, out)["MOR"]
    assert (100 * level / (1 + level)).max() < accept("naltrexol_iv_20mg_mor")[1]  # ... and no blockade


def test_naltrexol_supplies_none_of_the_blockade_after_a_tablet():
    """The review found 6β-naltrexol supplying 57-69 % of MOR blockade 2-24 h after a tablet: now none.
    The dose ratio (1 + L) computed from naltrexone alone equals the model's."""
    df = ph.naltrexone_profile([0.0], 50.0, t_end_h=24.0)
    m = ph.naltrexone_model()
    ratio_model = 1 / (1 - df["mor_occupancy"].to_numpy())
    ratio_naltrexone = 1 + df["brain_ng_ml"].to_numpy() / m.affinity_ng_ml["MOR"]
    np.testing.assert_allclose(ratio_model, ratio_naltrexone, rtol=1e-9)
    assert m.naltrexol_brain_weight == 0.0


def test_each_route_has_its_own_apparent_clearance():
    m = ph.naltrexone_model()
    assert m.clearance_for("oral") == PK.loc["clearance_meyer1984", "model_value"]
    assert m.clearance_for("injection") == PK.loc["clearance_dunbar2007", "model_value"]
    assert "apparent" in PK.loc["clearance_dunbar2007", "quantity"]
    assert PK.loc["clearance_dunbar2007", "route"] == "injection"


def test_brain_blockade_outlasts_plasma_by_days(single_50mg):
    """Lee 1988's point: 3 days after 50 mg plasma naltrexone is below 1 % of its peak, while brain
    MOR blockade is still above 40 % of its own peak (Lee's 72-108 h half-time allows 50-70 %)."""
    t = single_50mg["time_h"].to_numpy()
    i = np.argmin(np.abs(t - 72))
    assert single_50mg["naltrexone_ng_ml"].iloc[i] < 0.01 * single_50mg["naltrexone_ng_ml"].max()
    assert single_50mg["mor_occupancy"].iloc[i] > 0.4 * single_50mg["mor_occupancy"].max()


def test_hysteresis_not_a_direct_plasma_emax(single_50mg):
    """At the same plasma level, occupancy is higher on the falling limb: an indirect relation."""
    t = single_50mg["time_h"].to_numpy()
    c = single_50mg["naltrexone_ng_ml"].to_numpy()
    occ = single_50mg["mor_occupancy"].to_numpy()
    peak = t[c.argmax()]
    rising, falling = t <= peak, (t > peak) & (t < 24)
    level = 2.0
    occ_up = np.interp(level, c[rising], occ[rising])
    occ_down = np.interp(level, c[falling][::-1], occ[falling][::-1])
    assert occ_down > occ_up + 0.05


# -- two mechanisms --------------------------------------------------------------------------------
def test_both_mechanisms_meet_the_fitted_figures():
    table = ph.compare_mechanisms()
    fitted = table[table["role"] == "fitted"]
    assert len(fitted) >= 8
    assert (fitted["agrees (brain pool)"] == "yes").all()
    assert (fitted["agrees (terminal phase)"] == "yes").all()


def test_the_mechanisms_differ_in_late_plasma_naltrexone():
    """Lee's mechanism needs naltrexone in plasma days after the tablet; the brain pool does not."""
    pool = ph.naltrexone_profile([0.0], 50.0, t_end_h=48.0, mechanism="brain_pool")
    phase = ph.naltrexone_profile([0.0], 50.0, t_end_h=48.0, mechanism="terminal_phase")
    assert phase["naltrexone_ng_ml"].iloc[-1] > 10 * pool["naltrexone_ng_ml"].iloc[-1]
    # ... while their brain blockade at 48 h is within 10 points
    assert abs(phase["mor_occupancy"].iloc[-1] - pool["mor_occupancy"].iloc[-1]) < 0.10
    with pytest.raises(ValueError, match="mechanism"):
        ph.naltrexone_profile([0.0], 50.0, mechanism="slow_dissociation")


# -- identifiability: the random starts reach one optimum; profile-likelihood intervals --------------
@pytest.mark.parametrize("mechanism", ["brain_pool", "terminal_phase"])
def test_stored_parameters_are_the_best_of_the_random_starts(mechanism):
    from widgets.pharmacology import naltrexone_fit as nf

    starts = load_table("naltrexone_fit_starts")
    starts = starts[starts["mechanism"] == mechanism]
    assert len(starts) == nf.N_STARTS >= 20
    stored = nf.error_sum(ph.naltrexone_model(mechanism))
    assert stored <= starts["error_sum"].min() + 1e-6
    # the file is what the fit gives: re-evaluate three stored optima
    for _, row in starts.sample(3, random_state=1).iterrows():
        params = {k: row[k] for k in ph.naltrexone.FREE_PARAMETERS[mechanism]}
        model = ph.naltrexone.build_model(params, mechanism)
        assert nf.error_sum(model) == pytest.approx(row["error_sum"], rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("mechanism", ["brain_pool", "terminal_phase"])
def test_at_least_20_random_starts_reach_the_same_optimum(mechanism):
    """Identifiability (issue 25): at least 20 of the stored random starts end at the best fit, the
    error sum within 0.01 and every free parameter within 2 %; the peripheral compartment the data
    could not identify is fixed off (naltrexone.FIXED_OFF)."""
    from widgets.pharmacology import naltrexone_fit as nf

    starts = load_table("naltrexone_fit_starts")
    rows = starts[starts["mechanism"] == mechanism].to_dict("records")
    best = min(rows, key=lambda r: r["error_sum"])
    assert sum(nf.same_optimum(rows, best, mechanism)) >= 20
    for name in ph.naltrexone.FREE_PARAMETERS[mechanism]:
        assert best[name] == pytest.approx(ph.naltrexone.FITTED_PARAMETERS[mechanism][name], rel=1e-6)
    assert {"k12_per_h", "k21_per_h"}.isdisjoint(ph.naltrexone.FREE_PARAMETERS[mechanism])


def test_same_optimum_can_say_no():
    from widgets.pharmacology import naltrexone_fit as nf

    best = {"error_sum": 1.0, **ph.naltrexone.FITTED_PARAMETERS["brain_pool"]}
    other = dict(best, keo_per_h=best["keo_per_h"] * 1.1)
    worse = dict(best, error_sum=1.5)
    assert nf.same_optimum([best, other, worse], best, "brain_pool") == [True, False, False]


def test_twenty_random_starts_reach_the_same_optimum_live():
    """The fit itself, run now from as many fresh random starts as the stored file has (24, another
    seed than the file's): at least 20 end at the stored optimum, the issue's criterion (slow tier:
    about a minute). With six free parameters (6β-naltrexol's volume fixed by its clearance) the first
    20 of these starts give 17, the 24 give 21: two starts end in a far local minimum (the brain pool
    switched off or V_c at its bound, error sum above 60), one stalls on a kink of the range
    residuals just beside the optimum."""
    from widgets.pharmacology import naltrexone_fit as nf

    rows = nf.fit_from_random_starts("brain_pool", n=nf.N_STARTS, seed=nf.SEED + 1)
    best = {
        "error_sum": nf.error_sum(ph.naltrexone_model("brain_pool")),
        **ph.naltrexone.FITTED_PARAMETERS["brain_pool"],
    }
    assert min(r["error_sum"] for r in rows) >= best["error_sum"] - 1e-3  # nothing better than the stored fit
    assert sum(nf.same_optimum(rows, best, "brain_pool")) >= 20


def test_one_random_start_reproduces_its_stored_optimum():
    """Bounded in time: one start of the 24 is re-fitted (a few seconds) and lands where the file says."""
    from widgets.pharmacology import naltrexone_fit as nf

    starts = load_table("naltrexone_fit_starts").set_index(["mechanism", "start"])
    begun = time.perf_counter()
    _, cost = nf.fit_naltrexone("brain_pool", nf.random_starts("brain_pool")[0])
    assert time.perf_counter() - begun < 120
    assert cost == pytest.approx(starts.loc[("brain_pool", 0), "error_sum"], rel=1e-3, abs=1e-4)


@pytest.mark.parametrize("mechanism", ["brain_pool", "terminal_phase"])
def test_profile_likelihood_intervals(mechanism):
    """Every parameter has a profile interval around its fitted value; an end the data do not limit
    is shown as "not limited (bound ...)", never as a number; the stored ends are what the fit gives."""
    from widgets.pharmacology import naltrexone_fit as nf

    prof = load_table("naltrexone_fit_profiles")
    prof = prof[prof["mechanism"] == mechanism]
    names = ph.naltrexone.FREE_PARAMETERS[mechanism]
    assert set(prof["parameter"]) == set(names) and len(prof) == 2 * len(names)
    best = nf.error_sum(ph.naltrexone_model(mechanism))
    table = ph.parameter_uncertainty(mechanism).set_index("parameter")
    for _, row in prof.iterrows():
        fitted = ph.naltrexone.FITTED_PARAMETERS[mechanism][row["parameter"]]
        assert (row["value"] < fitted) if row["side"] == "low" else (row["value"] > fitted)
        text = table.loc[row["parameter"], f"{row['side']}_95"]
        if row["bounded"]:
            assert row["error_sum"] == pytest.approx(best + nf.PROFILE_DELTA, abs=1e-6)
            assert not text.startswith("not limited")
        else:
            assert text.startswith("not limited") and row["value"] in nf.BOUNDS[row["parameter"]]
        # the parameter set stored at the end is inside the interval: its error sum is below the cut
        params = {k: row[k] for k in names}
        assert nf.error_sum(ph.naltrexone.build_model(params, mechanism)) <= best + nf.PROFILE_DELTA + 1e-3


def test_blockade_band_has_width_and_holds_the_curve():
    t, lo, hi = ph.mor_occupancy_band(50.0, 168.0, 0.25)
    central = ph.simulate_naltrexone(50.0, t_end_h=168.0)["mor_occupancy"].to_numpy()
    assert (lo <= central + 1e-9).all() and (central <= hi + 1e-9).all()
    late = t >= 24
    assert (hi[late] - lo[late]).min() > 0.005  # not a zero-width interval


# -- invariants -------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(
    dose=st.floats(0, 500),
    extra=st.floats(0.1, 200),
    n=st.integers(1, 10),
    interval=st.sampled_from([12.0, 24.0, 48.0, 72.0]),
    route=st.sampled_from(["oral", "injection"]),
)
def test_occupancy_bounded_and_more_drug_never_less_blockade(dose, extra, n, interval, route):
    a = ph.simulate_naltrexone(dose, interval, n, route, t_end_h=20 * 24.0, dt_h=1.0)
    b = ph.simulate_naltrexone(dose + extra, interval, n, route, t_end_h=20 * 24.0, dt_h=1.0)
    c = ph.simulate_naltrexone(dose, interval, n + 1, route, t_end_h=20 * 24.0, dt_h=1.0)
    for col in ("mor_occupancy", "kor_occupancy", "dor_occupancy"):
        for df in (a, b, c):
            assert df[col].between(0, 1).all()
        assert (b[col] >= a[col] - 1e-12).all()
        assert (c[col] >= a[col] - 1e-12).all()
    for col in ("naltrexone_ng_ml", "naltrexol_ng_ml"):
        assert (a[col] >= 0).all()
    assert (a["mor_occupancy"] >= a["kor_occupancy"] - 1e-12).all()
    assert (a["kor_occupancy"] >= a["dor_occupancy"] - 1e-12).all()


def test_plasma_is_linear_in_dose():
    a = ph.simulate_naltrexone(50.0, 24.0, 3)
    b = ph.simulate_naltrexone(100.0, 24.0, 3)
    np.testing.assert_allclose(b["naltrexone_ng_ml"], 2 * a["naltrexone_ng_ml"], rtol=1e-9, atol=1e-12)


def test_zero_dose_gives_nothing():
    df = ph.simulate_naltrexone(0.0)
    assert (df.drop(columns="time_h") == 0).all().all()


def test_profile_with_a_skipped_dose_equals_the_sum_of_the_doses_taken():
    full = ph.naltrexone_profile([0, 24, 72], 50.0, t_end_h=120.0)
    parts = [ph.naltrexone_profile([t], 50.0, t_end_h=120.0) for t in (0, 24, 72)]
    np.testing.assert_allclose(
        full["naltrexone_ng_ml"], sum(p["naltrexone_ng_ml"] for p in parts), atol=1e-12
    )


def test_no_meaningful_accumulation_over_monthly_injections():
    """Dunbar 2006: no meaningful accumulation over 4 monthly doses (4th peak within 25 % of the 1st)."""
    df = ph.simulate_naltrexone(
        380.0, interval_h=672.0, n_doses=4, route="injection", t_end_h=4 * 672.0, dt_h=1.0
    )
    c, t = df["naltrexone_ng_ml"].to_numpy(), df["time_h"].to_numpy()
    first = c[(t >= 24) & (t < 672)].max()
    fourth = c[(t >= 3 * 672 + 24)].max()
    assert fourth <= 1.25 * first


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"dose_mg": -1.0}, "dose_mg"),
        ({"dose_mg": float("nan")}, "dose_mg"),
        ({"dose_mg": "50 mg"}, "dose_mg"),
        ({"route": "intravenous"}, "route"),
        ({"route": "Oral"}, "route"),
        ({"n_doses": 0}, "n_doses"),
        ({"n_doses": 2.5, "interval_h": 24}, "n_doses"),
        ({"n_doses": 3}, "interval_h"),
        ({"n_doses": 3, "interval_h": -24}, "interval_h"),
        ({"n_doses": 3, "interval_h": 0.1}, "interval_h"),
        ({"t_end_h": -5}, "t_end_h"),
        ({"t_end_h": float("inf")}, "t_end_h"),
        ({"dt_h": 0}, "dt_h"),
        ({"dt_h": 0.001, "t_end_h": 17520}, "dt_h"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ph.simulate_naltrexone(**kwargs)


def test_profile_bad_input():
    with pytest.raises(ValueError, match="dose_times_h"):
        ph.naltrexone_profile([-1.0], 50.0)
    with pytest.raises(ValueError, match="doses_mg"):
        ph.naltrexone_profile([0, 24], [50.0, -50.0])
    with pytest.raises(ValueError, match="doses_mg"):
        ph.naltrexone_profile([0, 24], [50.0, 50.0, 50.0])


# -- the lesson's and quiz's sentences ------------------------------------------------------------------
def _lesson_markdown():
    import json
    from pathlib import Path

    nb = json.loads(
        (Path(__file__).resolve().parents[1] / "lessons" / "04_naltrexone_in_the_body.ipynb").read_text(
            "utf-8"
        )
    )
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_lesson_04_sentences_the_review_found_false_are_gone():
    text = _lesson_markdown()
    assert "half-life of about 4 h" not in text
    assert "measured at 48 h" not in text
    assert "all the published figures at once" not in text
    assert "no longer blocked" not in text  # the label reports how long blockade lasted, not when it failed
    assert "than before treatment" not in text
    assert "about 3–4 h over the first half day" in text  # checked against the curve above


def test_quiz_answers_the_review_found_false_are_fixed():
    q = load_table("quiz_questions").set_index("question_id")
    reserve = q.loc["q02_reserve", "explanation"]
    assert "which is why a competitive block can be surmounted" not in reserve
    assert "Gaddum" in reserve and "irreversible" in reserve and "Furchgott" in reserve
    halftime = q.loc["q04_brain_halftime"]
    assert (
        "dual-detector" in halftime["prompt"]
        and "all the published figures at once" not in halftime["explanation"]
    )


def test_instructor_notes_quote_the_current_model():
    """The lesson 04 instructor notes quote model numbers: fail when the model changes under them."""
    from pathlib import Path

    notes = (Path(__file__).resolve().parents[1] / "instructor" / "README.md").read_text(encoding="utf-8")
    section = notes[notes.index("## 04 · Naltrexone") : notes.index("## 05 · ")]
    one = ph.simulate_naltrexone(50.0, t_end_h=24 * 14)
    after_peak = one["time_h"] > one["time_h"][one["naltrexone_ng_ml"].idxmax()]
    plasma_1pct = one["time_h"][
        after_peak & (one["naltrexone_ng_ml"] < 0.01 * one["naltrexone_ng_ml"].max())
    ].iloc[0]
    mor_half = one["time_h"][after_peak & (one["mor_occupancy"] < 0.5)].iloc[0]
    assert f"plasma < 1 % of peak at {plasma_1pct:.1f} h; MOR < 50 % at {mor_half:.0f} h" in section
    at24 = ph.simulate_naltrexone(50.0, t_end_h=24.0)["mor_occupancy"].iloc[-1]
    pct = lambda x: f"{100 * x:.0f} %"  # noqa: E731  (the notes' style: "79 %")
    assert f"{pct(at24)} of MOR held, a dose ratio of\n    {1 / (1 - at24):.1f}" in section
    week = ph.naltrexone_profile(np.arange(7) * 24.0, 50.0, t_end_h=480.0).set_index("time_h")[
        "mor_occupancy"
    ]
    assert f"MOR {pct(week[13 * 24])} blocked" in section and f"day 10: MOR {pct(week[240])}" in section
    t_end = 14 * 24
    daily = ph.naltrexone_profile(np.arange(14) * 24.0, 50.0, t_end_h=t_end)
    mwf = ph.naltrexone_profile([0, 48, 96, 168, 216, 264], [100, 100, 150, 100, 100, 150], t_end_h=t_end)
    eod = ph.naltrexone_profile(np.arange(0, t_end, 48.0), 50.0, t_end_h=t_end)
    week2 = lambda df: df["mor_occupancy"][df["time_h"] >= 7 * 24].min()  # noqa: E731
    assert (
        f"daily {pct(week2(daily))}, Mon/Wed/Fri {pct(week2(mwf))}, every other day {pct(week2(eod))}"
        in section
    )


def test_lesson_04_model_note_quotes_the_current_validation_and_band():
    """The model note's validation count, its misses and its band figures are computed here from the
    model and the data: a change in either fails until the sentence is updated."""
    import re

    text = _lesson_markdown()
    from widgets.pharmacology.naltrexone_report import validation_counts

    words = dict(
        enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve "
            "thirteen fourteen fifteen sixteen seventeen eighteen".split()
        )
    )
    counts = {mechanism: validation_counts(mechanism) for mechanism in ("brain_pool", "terminal_phase")}
    n = counts["brain_pool"]["rows"]
    assert (
        f"of the {words[n]} validation figures, the default model meets {words[counts['brain_pool']['passes']]}"
        in text
    )
    assert f"the terminal-phase model {words[counts['terminal_phase']['passes']]}" in text
    # the passes not counted as evidence, and the independent count of each model
    assert (
        f"So {words[counts['brain_pool']['independent_passes']]} of them count as independent evidence"
        f" in the default model and {words[counts['terminal_phase']['independent_passes']]} in the"
        " terminal-phase model" in text
    )
    # fewer than the five independent passes issue 25 asks for: the lesson must say so
    if counts["brain_pool"]["independent_passes"] < 5:
        assert "not as validated" in text
    n_not = len(counts["brain_pool"]["not_independent"])
    assert f"{words[n_not].capitalize()} passes are close to guaranteed" in text
    model = ph.compare_naltrexone_with_published().set_index("key")["model"]
    assert f"about {float(model['bertolotti_auc24_naltrexone_100mg']):.0f} against 200 ± 97 ng·h/mL" in text
    assert f"about {float(model['cone_urine_naltrexone_pct']):.1f} % against 1.2 ± 0.5 %" in text
    assert f"about {float(model['king_urine_ratio_3h']):.0f} against about 10" in text
    assert f"about {float(model['bertolotti_auc24_naltrexol_100mg']):.0f} against 2467 ± 730 ng·h/mL" in text
    assert (
        f"about {float(model['bertolotti_naltrexol_ratio_2h']):.1f} times naltrexone 2 h after the dose"
        in text
    )
    assert f"about {float(model['weerts_MOR']):.0f} % against 94.9 ± 4.9 %" in text
    assert f"about {float(model['weerts_DOR']):.0f} % against 21 ± 14.5 %" in text
    assert f"naltrexone about {float(model['meyer_urine_naltrexone_pct']):.1f} % of the dose" in text
    assert (
        f"(Unconjugated 6β-naltrexol in the same urine, about {float(model['meyer_urine_naltrexol_pct']):.0f} % against 25 %, is a pass"
        in text
    )
    # Weerts: the scan-time sensitivity sentence (1-8 h after the 4th tablet, and the day's trough)
    week = ph.simulate_naltrexone(50.0, interval_h=24.0, n_doses=4, t_end_h=96.0)
    mor = 100 * week["mor_occupancy"]
    early = mor[(week["time_h"] >= 73) & (week["time_h"] <= 80)].mean()
    trough = mor[week["time_h"] >= 72].iloc[:-1].min()
    assert (
        f"the model gives about {early:.0f} %, inside one SD, and at the day's trough about {5 * round(trough / 5):.0f} %"
        in text
    )
    # the KOR sentence: a week of 100 mg/day, and the same with Trøstheim et al.'s KOR:MOR ratio of 2
    kor = ph.simulate_naltrexone(100.0, interval_h=24.0, n_doses=7, t_end_h=168.0)
    day7 = kor[kor["time_h"] >= 144].iloc[:-1]
    assert f"about {100 * day7['kor_occupancy'].mean():.0f} % against 92 ± 1 %" in text
    kratio = PK.loc["kor_to_mor_ratio", "value_low"]
    klevel = day7["mor_occupancy"] / (1 - day7["mor_occupancy"]) / kratio
    assert (
        f"with {kratio:.0f} the model would give about {100 * (klevel / (1 + klevel)).mean():.0f} %" in text
    )
    # the DOR sensitivity sentence: the same day with Trøstheim et al.'s MOR:DOR ratio of 79
    ratio = PK.loc["dor_to_mor_ratio", "value_low"]
    daily = ph.simulate_naltrexone(50.0, interval_h=24.0, n_doses=4, t_end_h=96.0)
    day4 = daily[daily["time_h"] >= 72].iloc[:-1]
    level = day4["mor_occupancy"] / (1 - day4["mor_occupancy"]) / ratio
    assert (
        f"with Trøstheim's {ratio:.0f} the model would give about {100 * (level / (1 + level)).mean():.0f} %"
        in text
    )
    t, lo, hi = ph.mor_occupancy_band(50.0, 168.0, 0.25)
    m = re.search(r"about (\d+)–(\d+) % of MOR at 24 h and (\d+)–(\d+) % at 72 h", text)
    assert m, "band sentence missing"
    i24, i72 = int(24 / 0.25), int(72 / 0.25)
    expected = [100 * lo[i24], 100 * hi[i24], 100 * lo[i72], 100 * hi[i72]]
    assert [int(g) for g in m.groups()] == [round(v) for v in expected]


def test_parameter_uncertainty_names_each_parameter_in_words():
    """Lesson 04's uncertainty table showed keys such as ka_per_h (third-trial audit): each row
    now has a label in words, one per free parameter, and the lesson shows the label, not the key."""
    import json
    import re
    from pathlib import Path

    from widgets.pharmacology import naltrexone as nx
    from widgets.pharmacology.naltrexone_fit import parameter_uncertainty

    key = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
    for mechanism in nx.MECHANISMS:
        table = parameter_uncertainty(mechanism)
        labels = list(table["label"])
        assert len(set(labels)) == len(labels) == len(nx.FREE_PARAMETERS[mechanism])
        assert not [label for label in labels if key.match(label)]
    root = Path(__file__).resolve().parents[1]
    lesson = json.loads((root / "lessons" / "04_naltrexone_in_the_body.ipynb").read_text(encoding="utf-8"))
    cell = "".join(
        next(c["source"] for c in lesson["cells"] if "parameter_uncertainty(" in "".join(c["source"]))
    )
    assert '"label": f"parameter (' in cell and 'drop(columns="parameter")' in cell
