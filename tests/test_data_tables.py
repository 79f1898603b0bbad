"""The data tables load, are sourced, and a broken file fails naming file, line and column."""

import shutil

import pytest

from widgets.data_access import affinities
from widgets.data_access.data_tables import DataFileError, data_dir, load_table, table_names

REQUIRED_LIGANDS = [
    "naltrexone",
    "naloxone",
    "morphine",
    "fentanyl",
    "buprenorphine",
    "methadone",
    "damgo",
    "beta_endorphin",
]


@pytest.mark.parametrize("name", table_names())
def test_every_table_loads_and_has_rows(name):
    assert len(load_table(name)) > 0


def test_every_row_names_a_source_in_references():
    refs = set(load_table("references")["key"])
    for name in table_names():
        table = load_table(name)
        if "source" in table.columns:
            missing = set(table["source"].dropna()) - refs  # empty only where the schema allows it
            assert not missing, f"{name}: sources not in references.csv: {missing}"


def test_every_reference_has_a_doi_pmid_or_locator():
    refs = load_table("references")
    for _, row in refs.iterrows():
        assert row["doi"] or row["pmid"] or row["volume_pages"] or row["note"], row["key"]


@pytest.mark.parametrize("ligand", REQUIRED_LIGANDS)
def test_required_ligands_have_mor_dor_kor_ranges(ligand):
    for receptor in ("MOR", "DOR", "KOR"):
        low, high = affinities.ki_range_nM(ligand, receptor)
        assert 0 < low <= high


def test_naltrexone_selectivity_pattern_mor_kor_much_tighter_than_dor():
    """Published pattern (e.g. the 1:79:2 ratio used by Trøstheim et al. 2022): MOR ≈ KOR ≫ DOR."""
    mor = affinities.representative_ki_nM("naltrexone", "MOR")
    kor = affinities.representative_ki_nM("naltrexone", "KOR")
    dor = affinities.representative_ki_nM("naltrexone", "DOR")
    assert dor > 10 * mor
    assert dor > 5 * kor
    assert kor < 20 * mor


def test_unknown_ligand_is_a_clear_error():
    with pytest.raises(ValueError, match="ligand must be one of"):
        affinities.ki_range_nM("heroine", "MOR")


# -- broken files ----------------------------------------------------------------------
@pytest.fixture
def broken_copy(tmp_path):
    """A copy of data/ to damage; returns a function that edits one line of one file."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)

    def damage(filename, line_no, old, new):
        path = target / filename
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        assert old in lines[line_no - 1], f"test setup: {old!r} not on line {line_no}"
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        path.write_text("".join(lines), encoding="utf-8")
        return target

    return damage


def _line_of(filename, needle):
    for i, line in enumerate((data_dir() / filename).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i, line
    raise AssertionError(f"{needle!r} not found in {filename}")


def test_non_numeric_ki_names_file_line_and_column(broken_copy):
    line_no, line = _line_of("ligand_affinities.csv", "morphine,MOR,")
    low = line.split(",")[2]
    folder = broken_copy("ligand_affinities.csv", line_no, f"MOR,{low},", "MOR,abc,")
    with pytest.raises(DataFileError) as err:
        load_table("ligand_affinities", folder)
    assert f"ligand_affinities.csv, line {line_no}, column ki_low_nM" in str(err.value)
    assert "'abc' is not a number" in str(err.value)


def test_low_above_high_is_caught(broken_copy):
    line_no, line = _line_of("ligand_affinities.csv", "morphine,MOR,")
    low = line.split(",")[2]
    folder = broken_copy("ligand_affinities.csv", line_no, f"MOR,{low},", "MOR,99999,")
    with pytest.raises(DataFileError, match=rf"line {line_no}, column ki_low_nM: 99999 is greater"):
        load_table("ligand_affinities", folder)


def test_unknown_source_key_is_caught(broken_copy):
    line_no, line = _line_of("ligand_affinities.csv", "morphine,MOR,")
    source = line.split(",")[7]
    folder = broken_copy("ligand_affinities.csv", line_no, f",{source},", ",nosuchpaper2099,")
    with pytest.raises(
        DataFileError, match=rf"line {line_no}, column source: 'nosuchpaper2099' is not a key"
    ):
        load_table("ligand_affinities", folder)


def test_bad_enum_and_missing_required_value(broken_copy):
    line_no, _ = _line_of("ligand_affinities.csv", "morphine,MOR,")
    folder = broken_copy("ligand_affinities.csv", line_no, "morphine,MOR,", "morphine,XOR,")
    with pytest.raises(DataFileError, match=rf"line {line_no}, column receptor: 'XOR' is not one of"):
        load_table("ligand_affinities", folder)


def test_wrong_number_of_cells(broken_copy):
    line_no, _ = _line_of("ligands.csv", "morphine,")
    folder = broken_copy("ligands.csv", line_no, "morphine,", "morphine,extra,")
    with pytest.raises(DataFileError, match=rf"ligands.csv, line {line_no}: \d+ cells, expected"):
        load_table("ligands", folder)


def test_renamed_header_column(broken_copy):
    folder = broken_copy("references.csv", 1, "authors", "author")
    with pytest.raises(DataFileError, match=r"references.csv, line 1 \(header\).*missing \['authors'\]"):
        load_table("references", folder)


def test_duplicate_reference_key(broken_copy):
    clark_line, _ = _line_of("references.csv", "clark1926,")
    other_line = clark_line + 1
    other_key = (data_dir() / "references.csv").read_text().splitlines()[other_line - 1].split(",")[0]
    folder = broken_copy("references.csv", other_line, f"{other_key},", "clark1926,")
    with pytest.raises(DataFileError, match=rf"line {other_line}, column key: duplicate key"):
        load_table("references", folder)


def test_a_reference_without_authors_is_labelled_by_its_journal_not_authors():
    """A trial read "Authors 1983" in lesson 03's table: the label of a reference whose authors were
    not read names its journal (or the title's first words), never the word "Authors"."""
    from widgets.data_access.data_tables import reference_label

    refs = load_table("references")
    unknown = refs[refs["authors"].str.startswith("Authors not shown")]
    assert len(unknown) >= 3
    for key in unknown["key"]:
        label = reference_label(key)
        assert not label.startswith("Authors") and label.endswith(str(refs.set_index("key").loc[key, "year"]))
    assert reference_label("normorphine1983") == "J Pharmacol Exp Ther 1983"
