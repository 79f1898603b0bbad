"""show_table: every cell in full (no '…'), long text wrapped, a clear message for a wrong column."""

from pathlib import Path

import pandas as pd
import pytest

from widgets.display.table_display import table_html


def test_long_text_is_kept_whole_and_wraps():
    long = "a sentence longer than the fifty characters after which pandas cuts a cell with an ellipsis"
    html = table_html(pd.DataFrame({"quantity": [long], "value": [0.25]}))
    assert long in html and "…" not in html and "..." not in html
    assert "white-space:normal" in html and "0.25" in html


def test_columns_are_chosen_and_a_missing_one_is_named():
    frame = pd.DataFrame({"a": [1.0], "b": ["x"], "verification": ["verified"]})
    html = table_html(frame, ["a", "verification"])
    assert "verification" in html and ">b<" not in html
    with pytest.raises(ValueError, match="no column.*'c'"):
        table_html(frame, ["a", "c"])


def test_missing_values_show_as_empty_cells():
    html = table_html(pd.DataFrame({"a": [float("nan")], "b": [None]}))
    assert "nan" not in html and "None" not in html


# -- lesson tables show ligands by name ("β-Endorphin"), not by data-file key (beta_endorphin) -------
def _run_cells(lesson: str, cell_ids: list[str]) -> dict:
    """Run a lesson's code cells (by id) in one namespace; '_' holds the last cell's last expression."""
    import ast
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "lessons" / lesson
    cells = {c.get("id"): "".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}
    namespace: dict = {}
    for cid in cell_ids:
        tree = ast.parse(cells[cid])
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"{lesson}:{cid}", "exec"), namespace)
        if last is not None:
            namespace["_"] = eval(compile(ast.Expression(last.value), f"{lesson}:{cid}", "eval"), namespace)
    return namespace


@pytest.mark.parametrize(
    "lesson, cells",
    [
        ("01_opioid_receptors.ipynb", ["c01", "c08"]),
        ("02_binding_occupancy_efficacy.ipynb", ["c01", "c05"]),
        ("03_competitive_blocking.ipynb", ["c01", "c03"]),  # the organ bath's constants
    ],
)
def test_affinity_tables_in_the_lessons_name_the_ligands(lesson, cells):
    from widgets.data_access.data_tables import load_table

    names = set(load_table("ligands")["display_name"]) | {"β-Chlornaltrexamine"}  # named by the organ bath
    shown = set(_run_cells(lesson, cells)["_"]["ligand"].dropna())  # empty: a row about no ligand
    assert shown and shown <= names, f"{lesson}: ligands shown by key: {sorted(shown - names)}"


def test_the_candidate_antagonists_in_lesson_03_are_named():
    candidates = _run_cells("03_competitive_blocking.ipynb", ["c01", "c24"])["candidates"]
    assert list(candidates.index) == ["Naloxone", "Naltrexone", "Nalmefene", "6β-Naltrexol"]


def test_with_ligand_names_maps_keys_and_refuses_a_key_without_a_name():
    from widgets.data_access.affinities import with_ligand_names

    frame = pd.DataFrame({"ligand": ["beta_endorphin", "6beta_naltrexol"], "ki": [1.0, 2.0]})
    assert list(with_ligand_names(frame)["ligand"]) == ["β-Endorphin", "6β-Naltrexol"]
    assert list(frame["ligand"]) == ["beta_endorphin", "6beta_naltrexol"]  # the data frame is left as it was
    with pytest.raises(ValueError, match="no display_name for \\['aspirin'\\]"):
        with_ligand_names(pd.DataFrame({"ligand": ["aspirin"]}))
    blank = with_ligand_names(pd.DataFrame({"ligand": ["naloxone", None]}))["ligand"]
    assert blank[0] == "Naloxone" and pd.isna(blank[1])


def test_lesson_04s_pk_table_says_what_each_row_is_in_words():
    shown = _run_cells("04_naltrexone_in_the_body.ipynb", ["c01", "c03"])["_"]
    pk = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "naltrexone_pk.csv", comment="#")
    words = [q for q in pk["quantity"] if q in shown.data]
    keys = [k for k in pk["key"] if k in shown.data.replace("<wbr>", "")]
    assert len(words) >= 5 and not keys, f"shown by key: {keys}"


def test_a_dataframe_shown_in_ipython_is_the_lessons_table():
    """What a lesson cell shows: IPython's own display of a DataFrame, after `import widgets`."""
    from IPython.core.interactiveshell import InteractiveShell

    import widgets

    shell = InteractiveShell.instance()
    try:
        widgets._register_table_display()
        data, _ = shell.display_formatter.format(pd.DataFrame({"ligand": ["Naloxone"], "ki_nM": [1.5e-6]}))
    finally:
        InteractiveShell.clear_instance()
    assert 'class="ol-table-scroll"' in data["text/html"], "pandas' own table was shown"
    assert "1.5e-06" in data["text/html"] and "1.500000e-06" not in data["text/html"]


def test_row_numbers_are_not_a_column_even_after_picking_rows():
    frame = pd.DataFrame({"ligand": ["A", "B", "C"], "ki_nM": [1.0, 2.0, 3.0]})
    picked = table_html(frame[frame.ki_nM > 1])  # rows 1 and 2 of 0..2
    assert "<th" in picked and ">row<" not in picked and ">1</td>" not in picked
    named = table_html(frame.set_index("ligand"))  # a named index is a real column
    assert ">ligand</th>" in named and ">B</td>" in named


# -- issue 28: no data keys in lesson 03's and 05's tables ------------------------------------------
KEY = __import__("re").compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")  # kb_naloxone, nac_dopamine_peak_after_ethanol


@pytest.mark.parametrize(
    "lesson, cells, result",
    [
        ("03_competitive_blocking.ipynb", ["c01", "c03"], "_"),  # the organ bath's constants
        ("03_competitive_blocking.ipynb", ["c01", "c24"], "candidates"),  # the candidate antagonists
        ("05_reward_pathway.ipynb", ["c01", "c10"], "_"),  # the circuit's published magnitudes
    ],
)
def test_lesson_tables_show_words_not_data_keys(lesson, cells, result):
    """Each quantity by a readable label and each source as a short citation ('Kosterlitz & Watt
    1968'), never a key of the data files (kb_naloxone, wikipedia2026naltrexol)."""
    from widgets.data_access.data_tables import load_table

    frame = _run_cells(lesson, cells)[result]
    keys = set(load_table("references")["key"])
    for column in frame.columns:
        values = [v for v in frame[column] if isinstance(v, str)]
        assert not [v for v in values if KEY.match(v) or v in keys], (lesson, column, values[:3])
    assert "source" in frame.columns and all(" 19" in s or " 20" in s for s in frame["source"])
