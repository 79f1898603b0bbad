"""analyse_schild on real published data (data/schild_ed50_tables.csv), against the papers' own
numbers (data/schild_published_results.csv) and against an independent regression written here.

Bowen et al. (2002), Table 1: ED50s of morphine and heroin in rhesus monkeys alone and after
naltrexone, for three endpoints, each the mean (SEM) of three monkeys' own ED50s. The paper reports
naltrexone pA2 = 7.90-8.22 over the six analyses (abstract); it worked from the monkeys' data, this
package reanalyses the printed group means. The six reanalyses average 8.12, inside the range, but
three fall outside it: morphine substitution 8.38 (+0.16), morphine rate 8.29 (+0.07), heroin rate
7.71 (-0.19). That is the scatter the table's own SEMs imply: each log dose ratio from it carries a
standard error of 0.09-0.29 log units (0.434 SEM/mean for the control and the treated ED50), and a
pA2 from three such points is no more precise. So the tests ask for the mean to lie inside the
range, and for each reanalysis to lie within 0.25 log units of it and within 1.5 standard errors of
its own log dose ratios (data/README.md, lesson 09 section 4).

No second or third published data set could be found and read in full (data/README.md lists what
was tried), so this file tests one paper's six analyses.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from widgets import load_table
from widgets.pharmacology import analyse_schild

TABLE = load_table("schild_ed50_tables")
PUBLISHED = load_table("schild_published_results")
DATASETS = list(dict.fromkeys(TABLE["dataset"]))


def analyse(name):
    g = TABLE[TABLE["dataset"] == name]
    mm = float(g["antagonist_molar_mass_g_mol"].iloc[0])
    return g, analyse_schild(
        g, ec50="ed50", antagonist="antagonist_dose", curve="curve", units="mg/kg", molar_mass=mm
    )


def independent(g):
    """Schild regression by scipy.stats.linregress and Gaddum fit by curve_fit, from the table."""
    mm = float(g["antagonist_molar_mass_g_mol"].iloc[0])
    b = g["antagonist_dose"].to_numpy() * 1e-3 / mm  # mol/kg
    e = g["ed50"].to_numpy()
    ctrl = e[b == 0].mean()
    dr = e[b > 0] / ctrl
    keep = dr > 1.1  # a dose ratio of 1 (no shift) has no log(r - 1)
    x, y = np.log10(b[b > 0][keep]), np.log10(dr[keep] - 1)
    lr = stats.linregress(x, y)

    def gaddum(bb, c, pkb):
        return c + np.log10(1 + bb * 10**pkb)

    (c, pkb), _ = optimize.curve_fit(gaddum, b, np.log10(e), p0=[np.log10(ctrl), 8.0])
    return lr.slope, lr.intercept / lr.slope, pkb  # pA2 = -(x-intercept) = intercept / slope


def test_there_are_real_data_sets_with_published_answers():
    assert len(DATASETS) >= 6
    assert set(PUBLISHED["dataset"]) <= set(DATASETS)
    assert (TABLE["entry"] == "typed from table").all()


@pytest.mark.parametrize("name", DATASETS)
def test_package_agrees_with_an_independent_fit(name):
    g, r = analyse(name)
    slope, pa2, pkb = independent(g)
    assert r.slope == pytest.approx(slope, abs=0.01)
    assert r.pa2 == pytest.approx(pa2, abs=0.01)
    assert r.pkb == pytest.approx(pkb, abs=0.01)
    assert any("apparent" in w for w in r.warnings)


def log_dose_ratio_se(g, r):
    """Median standard error of the used points' log dose ratios, from the table's SEMs
    (delta method: SE of log10 ED50 = 0.434 SEM / mean; control and treated curve combined)."""
    se = 0.4343 * g["ed50_sem"].to_numpy() / g["ed50"].to_numpy()
    used = g["curve"].isin(r.points.loc[r.points["used"], "curve"]).to_numpy()
    return float(np.median(np.sqrt(se[used] ** 2 + se[g["antagonist_dose"].to_numpy() == 0][0] ** 2)))


@pytest.mark.parametrize("name", DATASETS)
def test_each_reanalysis_lies_near_the_published_range(name):
    g, r = analyse(name)
    pub = PUBLISHED[(PUBLISHED["dataset"] == name) & (PUBLISHED["quantity"] == "pA2")].iloc[0]
    outside = max(pub["value_low"] - r.pa2, r.pa2 - pub["value_high"], 0.0)
    assert outside <= 0.25
    assert outside <= 1.5 * log_dose_ratio_se(g, r)


def test_which_reanalyses_fall_outside_the_published_range():
    """The three named in data/README.md and lesson 09, no more: if this changes, so must they."""
    pub = PUBLISHED.set_index("dataset")
    outside = {
        name: round(r.pa2, 2)
        for name in DATASETS
        if not pub.loc[name, "value_low"] <= (r := analyse(name)[1]).pa2 <= pub.loc[name, "value_high"]
    }
    assert outside == {
        "bowen2002_morphine_substitution": 8.38,
        "bowen2002_morphine_rate": 8.29,
        "bowen2002_heroin_rate": 7.71,
    }


def test_the_six_reanalyses_average_inside_the_published_range():
    values = [analyse(name)[1].pa2 for name in DATASETS]
    pub = PUBLISHED[PUBLISHED["quantity"] == "pA2"]
    assert pub["value_low"].max() <= float(np.mean(values)) <= pub["value_high"].min()


def test_a_dose_ratio_of_one_in_the_paper_is_dropped_with_a_warning():
    """Heroin antinociception: 0.0032 mg/kg naltrexone left the ED50 at 0.30 mg/kg (ratio 1)."""
    _, r = analyse("bowen2002_heroin_antinociception")
    assert any("+0.0032 naltrexone" in w and "not above 1" in w for w in r.warnings)
    assert not r.points.set_index("curve").loc["+0.0032 naltrexone", "used"]


def test_an_unbounded_pa2_interval_is_called_unbounded_not_undefined():
    """Bowen's heroin antinociception: three antagonist doses whose Fieller interval for pA2 is
    unbounded (the slope's interval reaches 0). The table says so in the word the warning uses;
    'undefined' is kept for numbers that could not be computed (a student trial confused them)."""
    _, r = analyse("bowen2002_heroin_antinociception")
    assert r.pa2 is not None and r.pa2_ci is None and r.pa2_unbounded
    row = r.summary().set_index("quantity").loc["pA2 (Schild plot)"]
    assert list(row.iloc[1:]) == ["unbounded", "unbounded"]
    assert any("unbounded" in w for w in r.warnings)
