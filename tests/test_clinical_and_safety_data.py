"""Clinical-evidence, side-effect and regulatory tables: published values, consistency, broken files."""

import shutil

import pytest

from widgets.data_access.data_tables import DataFileError, data_dir, load_table


@pytest.fixture(scope="module")
def outcomes():
    return load_table("clinical_outcomes").set_index("id")


@pytest.mark.parametrize(
    "row_id, estimate, low, high, nnt",
    [
        # Jonas et al. 2014 JAMA 311:1889 (oral naltrexone 50 mg)
        ("jonas2014_ntx50_any", -0.05, -0.10, -0.002, 20),
        ("jonas2014_ntx50_heavy", -0.09, -0.13, -0.04, 12),
        ("jonas2014_acamp_any", -0.09, -0.14, -0.04, 12),
        # Rösner et al. 2010 Cochrane CD001867.pub3
        ("rosner2010_heavy", 0.83, 0.76, 0.90, 9),
        ("rosner2010_any", 0.96, 0.92, 1.00, None),
        # Hendershot et al. 2017 (human laboratory)
        ("hendershot2017_craving", -0.286, -0.416, -0.156, None),
        # Mann et al. 2013 ESENSE 1
        ("mann2013_hdd", -2.3, -3.8, -0.8, None),
    ],
)
def test_published_values(outcomes, row_id, estimate, low, high, nnt):
    row = outcomes.loc[row_id]
    assert (row.estimate, row.ci_low, row.ci_high) == pytest.approx((estimate, low, high))
    if nnt is not None:
        assert row.nnt == nnt
    assert row.verification == "verified"


def test_nnt_is_consistent_with_the_risk_difference(outcomes):
    """A published NNT is 1/|RD| from the unrounded RD: the rounded RD must give a nearby value."""
    rows = outcomes[
        (outcomes.effect_measure == "risk difference") & outcomes.estimate.notna() & outcomes.nnt.notna()
    ]
    assert len(rows) >= 3
    for row_id, row in rows.iterrows():
        implied = 1 / abs(row.estimate)
        assert row.nnt_ci_low <= implied <= row.nnt_ci_high, row_id
        assert abs(implied - row.nnt) / row.nnt < 0.25, row_id


def test_only_verified_figures_are_marked_verified(outcomes):
    # A figure not confirmed in the source read must not pass as verified.
    assert outcomes.loc["anton2006_hdd", "verification"] == "approximate"
    assert "not confirmed" in outcomes.loc["anton2006_hdd", "result"]
    # every row says what it found in words, and names a population
    assert outcomes.result.str.len().min() > 10
    assert outcomes.population.str.len().min() > 5


def test_issue_studies_are_all_present(outcomes):
    sources = set(outcomes.source)
    for key in (
        "jonas2014",
        "rosner2010",
        "mcpheeters2023",
        "garbutt2005",
        "anton2006",
        "mann2013",
        "hendershot2017",
        "oslin2003",
        "oslin2015",
        "anton2008",
    ):
        assert key in sources, key


def test_oprm1_prospective_trial_is_a_null_result(outcomes):
    assert "P = .32" in outcomes.loc["oslin2015_oprm1", "result"]
    assert outcomes.loc["oslin2015_oprm1", "n"] == 221


def test_side_effects_published_values():
    se = load_table("side_effects")
    nausea = se[(se.effect == "nausea") & (se.measure == "risk difference vs placebo")].iloc[0]
    assert (nausea.value, nausea.ci_low, nausea.ci_high) == pytest.approx((0.10, 0.07, 0.13))
    assert nausea.source == "rosner2010" and nausea.verification == "verified"
    stop = se[se.effect == "stopping because of nausea"].iloc[0]
    assert stop.value == pytest.approx(100 * 5 / 93, abs=0.05)
    unconfirmed = se[se.note.fillna("").str.contains("not confirmed")]
    assert len(unconfirmed) and (unconfirmed.verification == "approximate").all()


def test_regulatory_events_2013_boxed_warning_removals():
    ev = load_table("regulatory_events")
    removals = ev[ev.change.str.contains("Boxed warning")]
    assert sorted(removals.date) == ["2013-07", "2013-10"]
    assert ev.change.str.contains("7-10 days").any()


# -- broken files ------------------------------------------------------------------------
@pytest.fixture
def damaged(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)

    def damage(filename, needle, old, new):
        path = target / filename
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        line_no = next(i for i, line in enumerate(lines, 1) if needle in line)
        assert old in lines[line_no - 1]
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        path.write_text("".join(lines), encoding="utf-8")
        return target, line_no

    return damage


def test_estimate_outside_its_ci_names_file_line_and_column(damaged):
    folder, line = damaged(
        "clinical_outcomes.csv", "jonas2014_ntx50_heavy,", "-0.09,-0.13,-0.04", "-0.19,-0.13,-0.04"
    )
    with pytest.raises(DataFileError, match=rf"clinical_outcomes.csv, line {line}, column ci_low"):
        load_table("clinical_outcomes", folder)


def test_non_numeric_nnt_names_file_line_and_column(damaged):
    folder, line = damaged("clinical_outcomes.csv", "jonas2014_ntx50_any,", ",20,11,500,", ",twenty,11,500,")
    with pytest.raises(
        DataFileError, match=rf"clinical_outcomes.csv, line {line}, column nnt: 'twenty' is not a number"
    ):
        load_table("clinical_outcomes", folder)


def test_unknown_effect_measure_and_bad_verification(damaged):
    folder, line = damaged("clinical_outcomes.csv", "rosner2010_any,", "risk ratio", "vibes ratio")
    with pytest.raises(DataFileError, match=rf"line {line}, column effect_measure"):
        load_table("clinical_outcomes", folder)
    folder, line = damaged("side_effects.csv", "daytime sleepiness", ",verified,", ",trust me,")
    with pytest.raises(DataFileError, match=rf"side_effects.csv, line {line}, column verification"):
        load_table("side_effects", folder)


def test_unknown_source_in_regulatory_events(damaged):
    folder, line = damaged("regulatory_events.csv", "2013-07", "vivitrol_label2013", "vivitrol_label2099")
    with pytest.raises(DataFileError, match=rf"regulatory_events.csv, line {line}, column source"):
        load_table("regulatory_events", folder)


def test_a_broken_table_shows_in_the_widget_constructor_as_the_data_error(damaged, monkeypatch):
    folder, line = damaged("clinical_outcomes.csv", "garbutt2005_380,", ",true,", ",maybe,")
    import widgets.lesson_widgets.evidence_forest as ef

    monkeypatch.setattr(ef, "load_table", lambda name: load_table(name, folder))
    with pytest.raises(DataFileError, match=rf"line {line}, column lower_is_better"):
        ef.EvidenceForest()


def test_label_warnings_on_mood_and_on_overcoming_the_block():
    """Issue 13: depression/suicidal thoughts and the histamine-release note are in side_effects, cited."""
    se = load_table("side_effects")
    mood = se[se.effect.str.contains("depression") & se.effect.str.contains("suicid")]
    assert (
        len(mood) == 1 and mood.iloc[0].source == "vivitrol_pi" and mood.iloc[0].measure == "listed in label"
    )
    block = se[se.frequency.str.contains("histamine release")]
    assert len(block) == 1 and block.iloc[0].source == "revia_label"
    assert "overcome" in block.iloc[0].frequency


def test_heroin_challenge_durations_from_the_label():
    """US label: 50 mg blocks 25 mg i.v. heroin up to 24 h; 100 mg 48 h; 150 mg about 72 h."""
    hc = load_table("heroin_challenge").set_index("dose_mg")
    assert hc["blockade_h"].to_dict() == {50.0: 24.0, 100.0: 48.0, 150.0: 72.0}
    assert (hc["challenge_dose_mg"] == 25).all() and (hc["challenge_route"] == "intravenous").all()
    assert (hc["source"] == "revia_label").all()
    assert set(hc["source"]) <= set(load_table("references")["key"])
