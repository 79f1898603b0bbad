"""simulate_naltrexone against the published figures in data/, invariants, and bad input.

Published values are read from data/ (never from the model's own output). Each check states
its tolerance. "Calibration" checks confirm that a figure used to set a parameter is
reproduced; "independent" checks compare with figures the model was not fitted to.
"""

import math

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


def published(key):
    return float(PK.loc[key, "value_low"]), float(PK.loc[key, "value_high"])


@pytest.fixture(scope="module")
def single_50mg():
    return ph.simulate_naltrexone(50.0, t_end_h=168.0, dt_h=0.05)


@pytest.fixture(scope="module")
def daily_50mg():
    return ph.simulate_naltrexone(50.0, interval_h=24.0, n_doses=28, t_end_h=28 * 24.0)


@pytest.fixture(scope="module")
def injection():
    return ph.simulate_naltrexone(380.0, route="injection", t_end_h=42 * 24.0, dt_h=0.5)


def test_signature_and_columns():
    df = ph.simulate_naltrexone()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == COLUMNS == ["time_h", "naltrexone_ng_ml", "naltrexol_ng_ml",
                                           "mor_occupancy", "kor_occupancy", "dor_occupancy"]
    assert df["time_h"].iloc[0] == 0 and df["time_h"].iloc[-1] == pytest.approx(168.0)
    assert np.allclose(np.diff(df["time_h"]), 0.25)


# -- calibration: the published figures that set parameters are reproduced ---------------------
def test_oral_cmax_and_tmax_of_naltrexone(single_50mg):
    """Swiss PI: Cmax 13.3 ng/mL at about 1 h (tolerance 2 % and one 0.05 h step)."""
    c = single_50mg["naltrexone_ng_ml"]
    assert c.max() == pytest.approx(published("oral_cmax_naltrexone")[0], rel=0.02)
    assert single_50mg["time_h"][c.idxmax()] == pytest.approx(published("oral_tmax_h")[0], abs=0.05)


def test_oral_cmax_of_naltrexol_and_its_tmax(single_50mg):
    """Cmax 108 ng/mL (2 %); Tmax 'about 1 h' within 1 h (the model peaks later: a known gap)."""
    c = single_50mg["naltrexol_ng_ml"]
    assert c.max() == pytest.approx(published("oral_cmax_naltrexol")[0], rel=0.02)
    assert abs(single_50mg["time_h"][c.idxmax()] - published("oral_tmax_h")[0]) <= 1.0


def test_plasma_half_lives(single_50mg):
    """Terminal log-linear slopes give 4 h (naltrexone) and 11.1-13 h (6β-naltrexol), within 5 %."""
    t = single_50mg["time_h"].to_numpy()
    late = (t >= 24) & (t <= 48)
    for col, key in (("naltrexone_ng_ml", "halflife_naltrexone_h"), ("naltrexol_ng_ml", "halflife_naltrexol_h")):
        slope = np.polyfit(t[late], np.log(single_50mg[col].to_numpy()[late]), 1)[0]
        lo, hi = published(key)
        assert lo * 0.95 <= math.log(2) / -slope <= hi * 1.05


def test_lee_1988_blockade_half_time(single_50mg):
    """Brain MOR blockade half-time after 50 mg, fitted at 48-168 h, inside Lee's 72-108 h."""
    half = ph.blockade_halftime_h(single_50mg["time_h"], single_50mg["mor_occupancy"])
    lo, hi = published("brain_blockade_halftime_h")
    assert lo <= half <= hi


def test_injection_timeline(injection):
    """Label: first peak 1-3 h, second peak 2-3 days; Dunbar 2006: apparent half-life 5-7 days."""
    t, c = injection["time_h"].to_numpy(), injection["naltrexone_ng_ml"].to_numpy()
    peaks = t[1:-1][(c[1:-1] > c[:-2]) & (c[1:-1] >= c[2:])]
    lo, hi = published("xr_first_peak_h")
    assert any(lo <= p <= hi for p in peaks)
    lo, hi = published("xr_second_peak_d")
    assert any(lo * 24 <= p <= hi * 24 for p in peaks)
    sel = (t >= 14 * 24) & (t <= 28 * 24)
    slope = np.polyfit(t[sel], np.log(c[sel]), 1)[0]
    lo, hi = published("xr_halflife_d")
    assert lo <= math.log(2) / -slope / 24 <= hi


# -- independent checks: figures the model was not fitted to ------------------------------------
@pytest.mark.parametrize("dose", sorted(PET.loc[PET["study"] == "rabiner2011", "dose_mg"].unique()))
def test_rabiner_2011_dose_occupancy(dose):
    """Every Rabiner PET point (< 8 h) lies within 10 percentage points of the model's 2-8 h range.

    The MOR affinity comes from data/ligand_affinities.csv, not from these points.
    """
    df = ph.simulate_naltrexone(float(dose), t_end_h=8.0, dt_h=0.05)
    occ = 100 * df.loc[df["time_h"] >= 2, "mor_occupancy"]
    for value in PET.loc[(PET["study"] == "rabiner2011") & (PET["dose_mg"] == dose), "occupancy_pct"]:
        assert occ.min() - 10 <= value <= occ.max() + 10, (dose, value, occ.min(), occ.max())


def test_trostheim_ed50_lies_in_the_models_range():
    """At a fixed time occupancy is D/(D + ED50); Trøstheim's ED50 5.59 mg lies in the 2-8 h range."""
    df = ph.simulate_naltrexone(50.0, t_end_h=8.0, dt_h=0.05).set_index("time_h")["mor_occupancy"]
    ed50 = [50.0 * (1 - o) / o for o in df.loc[[2.0, 8.0]]]
    assert min(ed50) <= published("trostheim_ed50_mg")[0] <= max(ed50)


@pytest.mark.parametrize("receptor", ["MOR", "DOR"])
def test_weerts_2008_steady_state_blockade(daily_50mg, receptor):
    """Weerts 2008 (50 mg/day): mean blockade within 1 SD of the model's day-28 mean."""
    row = PET[(PET["study"] == "weerts2008") & (PET["receptor"] == receptor)].iloc[0]
    last = daily_50mg[daily_50mg["time_h"] >= 27 * 24]
    model = 100 * last[f"{receptor.lower()}_occupancy"].mean()
    assert abs(model - row["occupancy_pct"]) <= row["sd_pct"]


def test_naltrexol_ratio_and_bioavailability(daily_50mg):
    """Steady-state 6β-naltrexol:naltrexone within 10-30 (±10 %); bioavailability within 5-40 %."""
    last = daily_50mg[daily_50mg["time_h"] >= 27 * 24]
    ratio = last["naltrexol_ng_ml"].mean() / last["naltrexone_ng_ml"].mean()
    lo, hi = published("naltrexol_to_naltrexone_ratio")
    assert lo * 0.9 <= ratio <= hi * 1.1
    lo, hi = published("oral_bioavailability")
    assert lo <= ph.naltrexone_model().bioavailability <= hi


def test_injection_measurable_after_a_month_and_less_naltrexol(injection, daily_50mg):
    """Dunbar 2006: measurable >= 31 days (> 0.1 ng/mL here); less 6β-naltrexol than oral dosing."""
    t = injection["time_h"].to_numpy()
    assert injection["naltrexone_ng_ml"].to_numpy()[np.argmin(np.abs(t - 31 * 24))] > 0.1
    xr_ratio = injection["naltrexol_ng_ml"].sum() / injection["naltrexone_ng_ml"].sum()
    oral_ratio = daily_50mg["naltrexol_ng_ml"].sum() / daily_50mg["naltrexone_ng_ml"].sum()
    assert xr_ratio < oral_ratio


def test_no_meaningful_accumulation_over_monthly_injections():
    """Dunbar 2006: no meaningful accumulation over 4 monthly doses (4th peak within 25 % of the 1st)."""
    df = ph.simulate_naltrexone(380.0, interval_h=672.0, n_doses=4, route="injection",
                                t_end_h=4 * 672.0, dt_h=1.0)
    c, t = df["naltrexone_ng_ml"].to_numpy(), df["time_h"].to_numpy()
    first = c[(t >= 24) & (t < 672)].max()
    fourth = c[(t >= 3 * 672 + 24)].max()
    assert fourth <= 1.25 * first


def test_brain_blockade_outlasts_plasma_by_days(single_50mg):
    """Lee 1988's point: 3 days after 50 mg plasma naltrexone is gone (< 0.1 % of peak), blockade is not."""
    t = single_50mg["time_h"].to_numpy()
    i = np.argmin(np.abs(t - 72))
    assert single_50mg["naltrexone_ng_ml"].iloc[i] < 1e-3 * single_50mg["naltrexone_ng_ml"].max()
    assert single_50mg["mor_occupancy"].iloc[i] > 0.5


def test_hysteresis_not_a_direct_plasma_emax(single_50mg):
    """At the same plasma level, occupancy is higher on the falling limb: an indirect relation."""
    t = single_50mg["time_h"].to_numpy()
    c = single_50mg["naltrexone_ng_ml"].to_numpy()
    occ = single_50mg["mor_occupancy"].to_numpy()
    rising, falling = t <= 1.0, (t > 1.0) & (t < 24)
    level = 5.0
    occ_up = np.interp(level, c[rising], occ[rising])
    occ_down = np.interp(level, c[falling][::-1], occ[falling][::-1])
    assert occ_down > occ_up + 0.2


# -- invariants ---------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(dose=st.floats(0, 500), extra=st.floats(0.1, 200), n=st.integers(1, 10),
       interval=st.sampled_from([12.0, 24.0, 48.0, 72.0]), route=st.sampled_from(["oral", "injection"]))
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
    # affinity order MOR > KOR > DOR (Trøstheim ratios 1:2:79) holds at every moment
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
    np.testing.assert_allclose(full["naltrexone_ng_ml"], sum(p["naltrexone_ng_ml"] for p in parts), atol=1e-12)


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, name", [
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
])
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


def test_comparison_table_lists_each_published_figure():
    table = ph.compare_naltrexone_with_published()
    assert {"quantity", "published", "model", "role", "tolerance", "agrees"} <= set(table.columns)
    assert set(table["source"]) >= {"rabiner2011", "lee1988", "dunbar2006", "weerts2008", "naltrexone_pi_ch"}
    # every 'check' row that the model is known to reproduce says so; the one known miss is reported
    misses = table.loc[table["agrees"] == "no", "quantity"].tolist()
    assert misses == ["28-day naltrexone exposure, injection vs 50 mg/day (ratio)"]
