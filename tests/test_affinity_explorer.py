"""Lesson 01's affinity explorer and its data, driven headless."""

import html
import shutil

import numpy as np
import pytest

from widgets import AffinityExplorer, ligand_profile
from widgets import pharmacology as ph
from widgets.data_access.affinities import ki_range_nM
from widgets.data_access.data_tables import DataFileError, data_dir, load_table
from widgets.lesson_widgets.affinity_explorer import (
    CONC_GRID_M,
    occupancy_at,
    selectivity_pattern,
    selectivity_ratios,
)

LESSON01_LIGANDS = [
    "6beta_naltrexol",
    "nalmefene",
    "oxycodone",
    "met_enkephalin",
    "leu_enkephalin",
    "dynorphin_a",
    "u50488",
    "u69593",
    "dpdpe",
]


# -- data -------------------------------------------------------------------------------
@pytest.mark.parametrize("ligand", LESSON01_LIGANDS)
def test_new_ligands_have_all_three_receptors_with_sources(ligand):
    rows = load_table("ligand_affinities")
    rows = rows[rows.ligand == ligand]
    assert set(rows.receptor) == {"MOR", "DOR", "KOR"}
    assert rows[["species", "assay", "source", "verification"]].notna().all().all()


def test_single_values_from_sources_are_as_published():
    """Values read in the primary sources (see data/references.csv): a typo in data/ would fail here."""
    assert ki_range_nM("6beta_naltrexol", "MOR") == (2.12, 2.12)
    assert ki_range_nM("6beta_naltrexol", "DOR") == (213.0, 213.0)
    assert ki_range_nM("6beta_naltrexol", "KOR") == (7.24, 7.24)
    rows = load_table("ligand_affinities").set_index(["ligand", "receptor", "source", "measure"])
    assert rows.loc[("nalmefene", "MOR", "michel1985", "binding IC50"), "ki_low_nM"] == 1.0
    assert rows.loc[("u69593", "KOR", "butelman1998", "binding Kd"), "ki_low_nM"] == 1.2


def test_approximate_rows_say_why_in_their_note():
    """A typical range not read in a primary table says so, and what its cited source does show."""
    rows = load_table("ligand_affinities")
    approx = rows[rows.verification == "approximate"]
    assert len(approx) > 20
    typical = approx[approx.note.str.startswith("Approximate: a typical literature range")]
    derived = approx[approx.note.str.startswith("Derived")]
    assert len(typical) + len(derived) == len(approx)
    assert (derived.source == "michel1985").all() and (derived.ligand == "naloxone").all()
    # the note goes on to name what the source shows, not just the disclaimer
    assert (
        typical.note.str.len()
        > len("Approximate: a typical literature range, not read in a primary Ki table. ") + 20
    ).all()


def test_ligands_table_marks_selective_tools_as_negligible_at_mor():
    table = load_table("ligands").set_index("ligand")
    for key, receptor in (("u50488", "KOR"), ("u69593", "KOR"), ("dpdpe", "DOR")):
        assert table.loc[key, "action_at_mor"] == "negligible"
        assert table.loc[key, "principal_action"] == "agonist"
        assert table.loc[key, "selective_for"] == receptor


def test_a_bad_principal_action_names_file_line_and_column(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    path = target / "ligands.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("dpdpe,"))
    lines[line_no - 1] = lines[line_no - 1].replace(",negligible,agonist,", ",negligible,booster,")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(
        DataFileError, match=rf"ligands.csv, line {line_no}, column principal_action: 'booster'"
    ):
        load_table("ligands", target)


# -- science of the explorer --------------------------------------------------------------
def test_naltrexone_pattern_is_mor_about_kor_much_greater_than_dor():
    prof = ligand_profile("naltrexone")
    assert selectivity_pattern(prof) == "MOR ≈ KOR ≫ DOR"
    ratios = selectivity_ratios(prof)
    assert ratios["MOR"] == 1.0
    assert ratios["DOR"] > 20 and ratios["KOR"] < 5
    # Trostheim et al. 2022 use 1 : 79 : 2; the data's typical values agree within the ranges' spread
    assert 79 / 3 < ratios["DOR"] < 79 * 3
    assert 2 / 3 < ratios["KOR"] < 2 * 3


@pytest.mark.parametrize(
    "ligand, first",
    [
        ("u50488", "KOR"),
        ("u69593", "KOR"),
        ("dynorphin_a", "KOR"),
        ("dpdpe", "DOR"),
        ("met_enkephalin", "DOR"),
        ("leu_enkephalin", "DOR"),
        ("damgo", "MOR"),
        ("morphine", "MOR"),
    ],
)
def test_selective_ligands_prefer_their_receptor(ligand, first):
    assert selectivity_pattern(ligand_profile(ligand)).startswith(first + " ")


def test_beta_endorphin_binds_mor_and_dor_alike():
    assert selectivity_pattern(ligand_profile("beta_endorphin")) in ("MOR ≈ DOR ≫ KOR", "DOR ≈ MOR ≫ KOR")


def test_occupancy_at_is_mass_action_with_the_range_ends():
    prof = ligand_profile("naltrexone")
    occ = occupancy_at(prof, 1e-9)
    lo, hi = prof.range_nM["MOR"]
    typical, low, high = occ["MOR"]
    assert typical == pytest.approx(1.0 / (1.0 + prof.ki_nM["MOR"]))
    assert low == pytest.approx(1.0 / (1.0 + hi)) and high == pytest.approx(1.0 / (1.0 + lo))
    assert low <= typical <= high


# -- the widget ---------------------------------------------------------------------------
@pytest.fixture
def explorer():
    return AffinityExplorer(focus="naltrexone", concentration_M=1e-9)


def test_initial_summary_states_occupancy_and_pattern(explorer):
    s = explorer.plot.summary
    assert s.startswith("At 1 nM, naltrexone (antagonist) would occupy about")
    assert "Pattern MOR ≈ KOR ≫ DOR" in s
    ki = ligand_profile("naltrexone").ki_nM
    assert f"{1 / (1 + ki['MOR']):.0%} of MOR" in s


def test_concentration_moves_the_line_and_the_occupancy_markers(explorer):
    explorer.concentration.value = 1e-8
    ki = ligand_profile("naltrexone").ki_nM
    for r in ("MOR", "DOR", "KOR"):
        marker = explorer.plot.trace(f"{r} occupancy now")
        assert marker["x"][0] == pytest.approx(10.0)
        assert marker["y"][0] == pytest.approx(100 * ph.occupancy(10.0, ki[r]))
    np.testing.assert_allclose(explorer.plot.trace("Ki chart concentration")["x"], [10.0, 10.0])
    assert explorer.plot.summary.startswith("At 10 nM,")
    assert "% MOR" in html.unescape(explorer.selectivity_table.value)


def test_occupancy_curves_follow_the_focus_ligand(explorer):
    explorer.focus.value = "dpdpe"
    ki = ligand_profile("dpdpe").ki_nM
    np.testing.assert_allclose(
        explorer.plot.trace("DOR occupancy")["y"],
        100 * ph.occupancy(CONC_GRID_M, ki["DOR"] * 1e-9),
        rtol=1e-6,
    )
    assert "DPDPE (agonist)" in explorer.plot.summary
    assert "mosberg1983" not in explorer.sources_table.value  # shown as a citation, not a key
    assert "Mosberg et al. 1983" in html.unescape(explorer.sources_table.value)


def test_ki_chart_draws_every_source_row_of_the_ligands_shown(explorer):
    rows = load_table("ligand_affinities")
    shown = explorer.shown
    n_rows = len(rows[rows.ligand.isin(shown)])
    n_segments = sum(
        int(np.isnan(explorer.plot.trace(f"{r} Ki range {q}")["x"]).sum())
        for r in ("MOR", "DOR", "KOR")
        for q in ("measured", "approximate")
    )
    assert n_segments == n_rows
    # typical-Ki markers: one per ligand at each receptor, at the profile's value
    mor = explorer.plot.trace("MOR typical Ki")
    assert len(mor["x"]) == len(shown)
    top = shown[0]
    assert mor["x"][0] == pytest.approx(ligand_profile(top).ki_nM["MOR"])
    assert explorer.plot.layout["yaxis"]["ticktext"][0] == ligand_profile(top).label
    assert "<b>Naltrexone (antagonist)</b>" in explorer.plot.layout["yaxis"]["ticktext"]  # the focus


def test_selectivity_table_lists_ratios_and_occupancy(explorer):
    table = html.unescape(explorer.selectivity_table.value)
    prof = ligand_profile("naltrexone")
    r = selectivity_ratios(prof)
    assert f"MOR ≈ KOR ≫ DOR (1 : {r['KOR']:.2g} : {r['DOR']:,.0f})" in table
    assert table.count("<tr>") == 1 + len(explorer.shown)


def test_approximate_rows_are_drawn_dotted_and_verified_solid(explorer):
    assert explorer.plot.trace("MOR Ki range measured")["line"]["dash"] == "solid"
    assert explorer.plot.trace("MOR Ki range approximate")["line"]["dash"] == "dot"
    # naltrexone's approximate MOR range 0.1-0.5 nM is in the dotted MOR trace
    x = explorer.plot.trace("MOR Ki range approximate")["x"]
    assert np.any(np.isclose(x, 0.1)) and np.any(np.isclose(x, 0.5))


def test_ticking_a_ligand_adds_its_row(explorer):
    n = len(explorer.shown)
    explorer.checks["u50488"].value = True
    assert len(explorer.shown) == n + 1
    assert "U-50488 (agonist)" in explorer.plot.layout["yaxis"]["ticktext"]
    assert f"{n + 1} ligands shown" in explorer.plot.summary


def test_unticking_everything_shows_a_message_and_stays_usable(explorer):
    for box in explorer.checks.values():
        box.value = False
    assert "Tick at least one ligand" in html.unescape(explorer.message.value)
    assert len(explorer.plot.trace("MOR typical Ki")["x"]) == 0
    explorer.concentration.value = 3e-9  # still responds
    assert explorer.plot.summary.startswith("At 3 nM,")
    explorer.checks["naltrexone"].value = True
    assert explorer.message.value == ""


def test_bad_constructor_arguments_are_value_errors():
    with pytest.raises(ValueError, match="ligand must be one of"):
        AffinityExplorer(focus="aspirin")
    with pytest.raises(ValueError, match="ligand must be one of"):
        AffinityExplorer(shown=["naltrexone", "heroine"])
    with pytest.raises(ValueError, match="concentration_M must be between"):
        AffinityExplorer(concentration_M=1.0)


def test_the_selectivity_table_writes_ki_without_e_notation():
    from widgets import AffinityExplorer

    table = AffinityExplorer().selectivity_table.value
    assert "e+" not in table and "e-" not in table
    assert "<td>3,162</td>" in table  # [Met]enkephalin at KOR, 3.16e+03 before
