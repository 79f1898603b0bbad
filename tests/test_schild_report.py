"""Lesson 09's file analyser, driven headless: a good file gives the report, a bad one a plain message."""

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from widgets import ExperimentAnalyser  # noqa: E402
from widgets.schild_report import report_html, report_sentence  # noqa: E402

TEMPLATE = Path(__file__).resolve().parents[1] / "lessons" / "my_experiment_template.csv"


def test_the_template_gives_a_report_with_figure_and_warnings():
    a = ExperimentAnalyser()
    report = a.analyse_path(str(TEMPLATE))
    assert report is not None and report.pkb is not None
    assert a.message.value == ""
    assert "pK_B" in report_sentence(report)
    html = report_html(report)
    assert "Warnings" in html and "control 2" in html
    fig = report.figure()
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


def test_upload_of_a_non_text_file_is_a_message():
    a = ExperimentAnalyser()
    a._on_upload({"new": [{"name": "x.csv", "content": memoryview(b"\xff\xfe\x00\x81")}]})
    assert 'role="alert"' in a.message.value
