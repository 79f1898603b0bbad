"""Lesson 09's file analyser, driven headless: a good file gives the report, a bad one a plain message."""

import html
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from widgets import ExperimentAnalyser  # noqa: E402
from widgets.lesson_widgets.schild_report import report_figure, report_html, report_sentence  # noqa: E402

TEMPLATE = Path(__file__).resolve().parents[1] / "lessons" / "my_experiment_template.csv"


def test_the_template_gives_a_report_with_figure_and_warnings():
    a = ExperimentAnalyser()
    report = a.analyse_path(str(TEMPLATE))
    assert report is not None and report.pkb is not None
    # the message names the file the report is about, and is no alert
    assert "my_experiment_template.csv" in a.message.value and "alert" not in a.message.value
    assert "pK_B" in report_sentence(report)
    html = report_html(report)
    assert "Warnings" in html and "control 2" in html
    fig = report_figure(report)
    assert len(fig.data) >= 10  # five curves: points and fits, plus the Schild plot


@pytest.mark.parametrize(
    "text, words",
    [
        ("a,b\n1,2\n", "cannot find"),
        ("curve,agonist_M,response,antagonist_M\n1,1e-8,abc,0\n2,1e-8,5,1e-9\n", "not a number"),
        ("", "not a readable CSV"),
        ("curve,agonist_M,response,antagonist_M\n1,1e-8,10,1e-9\n1,1e-7,50,1e-9\n", "control"),
    ],
)
def test_a_bad_file_is_a_message_not_a_traceback(text, words):
    a = ExperimentAnalyser()
    assert a.analyse_text(text) is None
    assert 'role="alert"' in a.message.value
    assert words in a.message.value


def test_a_missing_path_is_a_message():
    a = ExperimentAnalyser()
    assert a.analyse_path("no/such/file.csv") is None
    assert "no such file" in a.message.value
    # a relative path says where it was looked for (a trial typed lessons/... from inside lessons/)
    import os

    assert html.escape(os.getcwd()) in a.message.value and "folder the notebook is in" in a.message.value
    assert "lessons/" not in a.path.placeholder  # the hint is a path from the lesson's own folder


def test_upload_of_a_non_text_file_is_a_message():
    a = ExperimentAnalyser()
    a._on_upload({"new": [{"name": "x.csv", "content": memoryview(b"\xff\xfe\x00\x81")}]})
    assert 'role="alert"' in a.message.value


def test_an_upload_is_named_in_its_report_and_in_its_refusal():
    """A class uploads many files: the message says which one the report (or the refusal) is about."""
    a = ExperimentAnalyser()
    good = TEMPLATE.read_bytes()
    a._on_upload({"new": [{"name": "group 3 <ileum>.csv", "content": memoryview(good)}]})
    assert a.report is not None
    assert "group 3 &lt;ileum&gt;.csv" in a.message.value and "alert" not in a.message.value
    a._on_upload({"new": [{"name": "group4.csv", "content": memoryview(b"a,b\n1,2\n")}]})
    assert a.report is None
    assert 'role="alert"' in a.message.value and "Could not analyse the file group4.csv" in a.message.value


def test_warnings_show_as_sentences_not_a_python_list():
    from widgets.display.table_display import sentences_html

    report = ExperimentAnalyser().analyse_path(str(TEMPLATE))
    shown = sentences_html(report.warnings)
    assert report.warnings and shown.count("<li>") == len(report.warnings)
    assert "['" not in shown and html.escape(report.warnings[0]) in shown


def test_the_slider_moves_the_slope_1_prediction_and_the_report_has_a_static_face():
    from widgets.display.figure_transport import box_static_face

    a = ExperimentAnalyser()
    report = a.analyse_path(str(TEMPLATE))
    panel = a.out.children[0]  # a Box, not an Output widget: nbclient (make site) and static faces need it
    panel.log_b.value = -7.0
    r = 1 + 10 ** (-7.0 + report.pkb)
    assert f"dose ratio of {r:.3g}" in panel.plot.summary
    star = panel.plot.trace("predicted Schild point")
    assert star["x"][0] == -7.0 and abs(star["y"][0] - np.log10(r - 1)) < 1e-9
    assert "ol-static-figure" in box_static_face(a.widget)


def test_a_folder_typed_as_the_path_is_a_message_and_clears_the_old_report(tmp_path):
    """A trial typed a folder: IsADirectoryError went to the status bar and the previous
    file's report stayed on screen under the new path."""
    a = ExperimentAnalyser()
    assert a.analyse_path(str(TEMPLATE)) is not None and a.out.children
    assert a.analyse_path(str(tmp_path)) is None
    assert 'role="alert"' in a.message.value and "is a folder" in a.message.value
    assert not a.out.children


def test_a_semicolon_csv_reads_like_a_comma_csv():
    text = TEMPLATE.read_text(encoding="utf-8")
    a, b = ExperimentAnalyser(), ExperimentAnalyser()
    comma = a.analyse_text(text)
    semicolon = b.analyse_text(
        "\n".join(line if line.startswith("#") else line.replace(",", ";") for line in text.splitlines())
    )
    assert semicolon is not None and semicolon.pkb == pytest.approx(comma.pkb)


def test_the_report_says_its_sentence_once():
    a = ExperimentAnalyser()
    report = a.analyse_path(str(TEMPLATE))
    sentence = report_sentence(report)

    def texts(widget):
        own = [getattr(widget, k) for k in ("value", "summary") if isinstance(getattr(widget, k, None), str)]
        return own + [t for child in getattr(widget, "children", ()) for t in texts(child)]

    shown = " ".join(texts(a.out))
    assert shown.count(sentence) == 1, shown


def test_nM_typed_into_molar_columns_is_a_sentence_that_says_what_to_do():
    """The template's readings with nM typed into the _M columns: the analyser refuses with the
    column, its largest value and the fix (its own units menu), not a report with odd numbers."""
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("curve,"))
    rows = []
    for line in lines[header + 1 :]:
        curve, agonist, response, antagonist, tissue = line.split(",")
        rows.append(f"{curve},{float(agonist) * 1e9:g},{response},{float(antagonist) * 1e9:g},{tissue}")
    a = ExperimentAnalyser()
    assert a.analyse_text("\n".join([lines[header], *rows])) is None
    message = a.message.value
    assert 'role="alert"' in message and "Traceback" not in message
    text = html.unescape(message)
    assert "Could not analyse this file: column 'antagonist_M' is read in M" in text
    assert "100 M" in text and "nM or µM" in text and "the 'units' menu" in text
    assert not a.out.children


def test_an_ec50_table_report_is_not_titled_as_curves():
    """A table of EC50s draws one point per EC50, no curve: the top panel and the figure's
    accessible name said "Concentration–response curves" all the same."""
    import pandas as pd

    from widgets.pharmacology import analyse_schild

    table = pd.DataFrame({"ec50_M": [1e-8, 3e-8, 1.1e-7, 1e-6], "antagonist_M": [0, 1e-9, 1e-8, 1e-7]})
    report = analyse_schild(table, ec50="ec50_M", antagonist="antagonist_M")
    titles = [a.text for a in report_figure(report).layout.annotations]
    assert "EC50" in titles[0] and "curve" not in titles[0].lower()
    assert titles[1] == "Schild plot"
    a = ExperimentAnalyser()
    a.analyse_text(table.to_csv(index=False))
    description = a.out.children[0].plot._state["description"]
    assert "curves" not in description.split(";")[0] and "EC50" in description
    # raw curves keep their title
    raw = ExperimentAnalyser().analyse_path(str(TEMPLATE))
    assert report_figure(raw).layout.annotations[0].text == "Concentration–response curves"


def test_the_html_curves_table_says_undefined_never_none():
    """Lesson 09's curves table showed "None" (an EC50 table's missing interval, bottom, top and
    Hill) beside "undefined" (a NaN), and "undefined" for a control's dose ratio, which is 1."""
    import pandas as pd

    a = ExperimentAnalyser()
    table = pd.DataFrame({"ec50_M": [1e-8, 3e-8, 1.1e-7, 1e-6], "antagonist_M": [0, 1e-9, 1e-8, 1e-7]})
    report = a.analyse_text(table.to_csv(index=False))
    shown = html.unescape(report_html(report))
    curves = shown.split("<h4>Curves</h4>", 1)[1].split("<h4>", 1)[0]
    assert "None" not in curves and "NaN" not in curves and "nan" not in curves
    assert curves.count("<td>undefined</td>") == 4 * 5  # per row: the interval (2), bottom, top, Hill
    assert curves.count("<td>1 (by definition)</td>") == 1
    # the template: two controls, both 1 by definition, and nothing undefined
    template = report_html(ExperimentAnalyser().analyse_path(str(TEMPLATE)))
    curves = template.split("<h4>Curves</h4>", 1)[1].split("<h4>", 1)[0]
    assert curves.count("<td>1 (by definition)</td>") == 2 and "undefined" not in curves


def _ec50_table_figure():
    import pandas as pd

    from widgets.pharmacology import analyse_schild

    t = pd.DataFrame({"ec50_M": [1e-8, 4.1e-8, 3.2e-7, 2.9e-6], "antagonist_M": [0.0, 3e-9, 3e-8, 3e-7]})
    return report_figure(analyse_schild(t, ec50="ec50_M", antagonist="antagonist_M"))


def test_an_ec50_tables_figure_draws_the_control_on_its_own_row():
    """The control EC50 has no log [B]: it was left out of the figure (issue 24 trial); now it is a
    point on a row whose tick says "control", below the lowest [B]."""
    fig = _ec50_table_figure()
    upper = [t for t in fig.data if t.xaxis == "x" and t.name and "control" in t.name]
    assert len(upper) == 1 and upper[0].x[0] == pytest.approx(-8.0)
    axis = fig.layout.yaxis
    row = axis.tickvals[list(axis.ticktext).index("control")]
    assert upper[0].y[0] == row < np.log10(3e-9)


def test_schild_points_do_not_share_a_symbol_with_any_curve():
    from widgets.display import theme

    fig = _ec50_table_figure()
    schild = next(t for t in fig.data if t.name == "Schild points")
    assert schild.marker.symbol not in theme.MARKER_SYMBOLS


def test_concentration_axes_name_their_unit():
    fig = _ec50_table_figure()
    assert fig.layout.xaxis.title.text.endswith("(M)")
    assert fig.layout.yaxis.title.text.endswith("(M)")
    assert fig.layout.xaxis2.title.text.endswith("(M)")
