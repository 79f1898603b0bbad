"""The project stands on sources a reader can look up (issue 13, parts 4 and 5).

Guards: no text points at a file outside the repository or says a figure is "from recall";
every reference key used in data/, the quiz and the lessons' reference lists exists; and the
figures corrected by the second science review keep their published values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from widgets.data_access import affinities
from widgets.data_access.data_tables import data_dir, load_table

REPO = data_dir().parent
TEXT_DIRS = ("data", "lessons", "widgets", "instructor", "tests", "bench")
TEXT_SUFFIXES = {".csv", ".json", ".md", ".py", ".ipynb", ".txt", ".cff", ".toml"}
THIS_FILE = Path(__file__).resolve()

# A path or marker that only exists on the machine of whoever wrote the text.
# A file:// URL naming a real path is caught; the scheme itself, as code and help text name it
# (``file:///path/to/clone``, ``file:///…``, "file:///"), is not a path.
OUTSIDE_FILE = re.compile(
    r"/work/|/home/|/tmp/|file://(?!/(path\b|…|[\"'`,)]))|shared/reference|pharmacology_facts|"
    r"research notes|compiled2026",
    re.IGNORECASE,
)


def _project_text_files():
    files = [REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / "CITATION.cff"]
    for folder in TEXT_DIRS:
        files += [
            p
            for p in (REPO / folder).rglob("*")
            if p.suffix in TEXT_SUFFIXES and ".ipynb_checkpoints" not in p.parts
        ]
    return [p for p in files if p.is_file() and p.resolve() != THIS_FILE]


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _offending_lines(pattern: re.Pattern, skip=frozenset()):
    hits = []
    for path in _project_text_files():
        if _rel(path) in skip:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{_rel(path)}:{number}: {line.strip()[:120]}")
    return hits


# Tests and the hub's load test drive local servers and git clones (file:// URLs, /home/jovyan);
# what they point at is made by the test itself, not cited.
MACHINE_PATHS_ALLOWED = re.compile(r"^(tests/|classroom/hub/)")


def test_nothing_points_at_a_file_outside_the_repository():
    hits = [
        h
        for h in _offending_lines(OUTSIDE_FILE)
        if not (
            MACHINE_PATHS_ALLOWED.match(h)
            and not re.search(r"shared/reference|pharmacology_facts|compiled2026", h)
        )
    ]
    assert not hits, "text points outside the repository:\n" + "\n".join(hits)


def test_no_figure_or_citation_is_said_to_be_from_recall():
    hits = _offending_lines(re.compile(r"from recall|from memory", re.IGNORECASE))
    assert not hits, (
        'say "not confirmed in the source read" or mark the row approximate with its '
        "reason instead:\n" + "\n".join(hits)
    )


def test_lesson_03_says_why_naloxones_kb_is_approximate():
    """The sentence that once said "from recall" gives the value, the reason it is approximate and a check."""
    text = _lesson_markdown("03_competitive_blocking.ipynb")
    kb = load_table("organ_bath_parameters").set_index("parameter").loc["kb_naloxone"]
    assert kb.verification == "approximate" and kb.value == 1.5e-9
    sentence = next(line for line in text.splitlines() if "Naloxone's K_B in this simulated tissue" in line)
    assert "is set to 1.5 nM" in sentence and "*approximate*" in sentence
    assert "Kosterlitz & Watt 1968" in sentence and "not checked" in sentence
    assert "1.39 nM (Romero et al. 1999)" in sentence
    assert "1.39" in load_table("references").set_index("key").loc["romero1999", "note"]


def test_the_guard_recognises_what_it_looks_for(tmp_path):
    assert OUTSIDE_FILE.search("Project notes (shared/reference/pharmacology_facts.md)")
    assert OUTSIDE_FILE.search("see /work/shared/DESIGN.md")
    assert not OUTSIDE_FILE.search("data/references.csv, line 3")


# -- reference keys ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reference_keys():
    return set(load_table("references")["key"])


def _show_reference_keys(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    keys = []
    for call in re.findall(r"show_references\(\s*\[(.*?)\]", code, flags=re.DOTALL):
        keys += re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", call)
    return keys


@pytest.mark.parametrize(
    "notebook", sorted((REPO / "lessons").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_every_key_in_a_lessons_reference_list_exists(notebook, reference_keys):
    keys = _show_reference_keys(notebook)
    if notebook.stem.startswith(("00", "08")) and not keys:
        return  # the start and review lessons may have no reference list
    assert keys, f"{notebook.name}: no show_references([...]) list found"
    missing = sorted(set(keys) - reference_keys)
    assert not missing, f"{notebook.name}: not in data/references.csv: {missing}"


def test_every_key_used_in_data_exists(reference_keys):
    for path in sorted(data_dir().glob("*.csv")):
        table = load_table(path.stem)
        if "source" in table.columns:
            missing = sorted(set(table["source"].dropna()) - reference_keys)
            assert not missing, f"{path.name}: not in references.csv: {missing}"


def test_a_secondary_web_page_never_backs_a_verified_figure():
    refs = load_table("references").set_index("key")
    secondary = {k for k, j in refs["journal"].items() if "wikipedia" in str(j).lower()}
    assert secondary, "the test expects the one secondary web source still in use"
    for path in sorted(data_dir().glob("*.csv")):
        table = load_table(path.stem)
        if {"source", "verification"} <= set(table.columns):
            rows = table[table["source"].isin(secondary)]
            assert not (rows["verification"] == "verified").any(), path.name


# -- figures corrected in issue 13 --------------------------------------------------------------
def test_mcpheeters_heavy_drinking_nnt_is_the_published_value():
    row = load_table("clinical_outcomes").set_index("id").loc["mcpheeters2023_ntx50_heavy"]
    assert (row.nnt, row.nnt_ci_low, row.nnt_ci_high) == (11, 5, 41)
    assert row.verification == "verified"
    assert "NNT 11 (95% CI 5 to 41)" in row.result


def test_butelman_page_range_is_not_left_dangling():
    ref = load_table("references").set_index("key").loc["butelman1998"]
    assert re.fullmatch(r"285\(2\):595(-\d+)?", ref.volume_pages), ref.volume_pages


def _lesson_markdown(name: str) -> str:
    cells = json.loads((REPO / "lessons" / name).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_lesson_02_quotes_naltrexones_ki_range_from_the_table():
    text = _lesson_markdown("02_binding_occupancy_efficacy.ipynb")
    found = re.search(r"Naltrexone binds MOR with a K_i of about ([\d.]+)–([\d.]+) nM", text)
    assert found, "the exercise sentence quoting naltrexone's K_i was not found"
    rows = load_table("ligand_affinities")
    binding = rows[(rows.ligand == "naltrexone") & (rows.receptor == "MOR") & (rows.measure == "binding Ki")]
    assert (float(found[1]), float(found[2])) == (binding.ki_low_nM.min(), binding.ki_high_nM.max())
    assert affinities.ki_range_nM("naltrexone", "MOR")[0] <= float(found[1])


def test_alcohol_opioid_release_cites_human_pet_and_the_vta_step_cites_rat_slices():
    links = load_table("reward_circuit_links").set_index("link")
    release = links.loc["alcohol_releases_opioids"]
    assert release.source == "mitchell2012" and release.verification == "verified"
    assert "nucleus accumbens" in release.finding and "orbitofrontal" in release.finding
    assert "VTA" not in release.finding and "does not say which" in release.finding
    for link in ("mor_on_gaba", "alcohol_opioids_at_vta_gaba"):
        assert links.loc[link, "source"] == "johnson1992" and "rat" in links.loc[link, "finding"]
    assert links.loc["alcohol_opioids_at_vta_gaba", "verification"] == "approximate"  # a model assumption


def test_lessons_and_quiz_say_the_tracer_does_not_name_the_peptide():
    lesson05 = _lesson_markdown("05_reward_pathway.ipynb")
    overview = lesson05.split("## Overview", 1)[1].split("###", 1)[0]
    summary = lesson05.split("## Summary", 1)[1].split("###", 1)[0]
    for part in (overview, summary):
        assert "does not say which" in part
    quiz = load_table("quiz_questions").set_index("question_id").loc["q05_alcohol_opioids"]
    assert "does not say which" in quiz.explanation
    lesson06 = _lesson_markdown("06_alcohol_hypotheses.ipynb")
    hypothesis_1 = next(line for line in lesson06.splitlines() if line.startswith("| 1 |"))
    assert "Johnson & North 1992" in hypothesis_1 and "Rat brain slices" in hypothesis_1
    assert "Mitchell 2012" in hypothesis_1 and "orbitofrontal" in hypothesis_1
    assert "does not show the VTA step" in hypothesis_1


# -- references checked in the second science pass (issue 13, part 5) ---------------------------
def test_references_keep_only_the_identifiers_that_were_checked():
    refs = load_table("references").set_index("key")
    assert (
        pd.isna(refs.loc["lew1995", "doi"]) or refs.loc["lew1995", "doi"] == ""
    )  # not confirmed: not listed
    assert refs.loc["lew1995", "volume_pages"] == "16:328-337"
    assert (refs.loc["henderson1975", "doi"], str(refs.loc["henderson1975", "pmid"])) == (
        "10.2307/2529430",
        "1174616",
    )
    assert (
        str(refs.loc["raynor1994", "pmid"]) == "8114680"
        and refs.loc["raynor1994", "volume_pages"] == "45(2):330-334"
    )
    assert refs.loc["pert1973", "doi"] == "10.1126/science.182.4119.1359"
    assert refs.loc["yanceywrona2009", "doi"] == "10.1016/j.lfs.2009.06.016"
    assert str(refs.loc["yanceywrona2009", "pmid"]) == "19583969"
    assert refs.loc["yanceywrona2011", "doi"] == "10.1111/j.1526-4637.2011.01279.x"


def test_the_labels_are_cited_as_labels():
    refs = load_table("references").set_index("key")
    vivitrol = refs.loc["vivitrol_pi"]
    assert "NDA 021897" in vivitrol.journal and "cd11c435-b0f0-4bb9-ae78-60f101f3703f" in vivitrol.journal
    assert "vivitrolhcp" not in vivitrol.journal
    revia = refs.loc["revia_label"]
    assert "REVIA" in revia.title and "10/2013" in revia.title and "Duramed" in revia.authors


def test_6beta_naltrexol_uses_primary_sources_where_they_exist():
    pk = load_table("naltrexone_pk").set_index("key")
    assert pk.loc["naltrexol_brain_weight", "source"] == "yanceywrona2011"
    assert "11.1" in pk.loc["halflife_naltrexol_h", "note"]  # Yancey-Wrona et al. 2011, i.v. 6beta-naltrexol
    # the binding Ki values have no primary source that could be read: they stay secondary
    ki = load_table("ligand_affinities")
    naltrexol = ki[ki.ligand == "6beta_naltrexol"]
    assert set(naltrexol.source) == {"wikipedia2026naltrexol"} and set(naltrexol.verification) == {
        "secondary"
    }
    assert sorted(naltrexol.ki_low_nM) == [2.12, 7.24, 213]


def test_the_label_rows_quote_what_the_labels_say():
    se = load_table("side_effects").set_index("effect")
    mood = se.loc["depression and suicidal thoughts"]
    assert (
        mood.verification == "verified" and "monitored for depression or suicidal thoughts" in mood.frequency
    )
    block = se.loc["life-threatening effects when the blockade is overcome"]
    assert "may lead to fatal overdose" in block.frequency
    assert "excessive symptoms of histamine release in experimental subjects" in block.frequency
    assert (
        block.verification == "approximate"
    )  # the histamine sentence was not found in the US label copy read


@pytest.mark.parametrize("lesson", ["04_naltrexone_in_the_body.ipynb", "07_safety.ipynb"])
def test_lessons_do_not_call_the_histamine_release_life_threatening(lesson):
    """The label: attempts to overcome the block may lead to fatal overdose; very high doses that overcame
    full blockade caused excessive histamine release in experimental subjects. Two statements, not one."""
    text = _lesson_markdown(lesson)
    assert "may lead to fatal overdose" in text
    assert "histamine release in experimental subjects" in text
    assert not re.search(r"life-threatening effects,? including histamine", text)
