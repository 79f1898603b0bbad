"""The lesson normalizer writes what JupyterLab writes on opening a lesson, and only that.

The browser test tests/browser/test_lessons_open_unmodified.py checks the result against
JupyterLab itself; these tests check the pieces without a browser.
"""

import json
import shutil
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from widgets.classroom_tools.classroom import main as classroom_main
from widgets.classroom_tools.notebook_format import dumps, normalize, normalized_text

LESSONS = sorted((Path(__file__).resolve().parents[1] / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _notebook() -> dict:
    code = {"cell_type": "code", "execution_count": None, "id": "a", "outputs": [], "source": ["x = 1"]}
    return {
        "cells": [
            dict(code, id="plain", metadata={}),
            dict(
                code,
                id="solution",
                metadata={"jupyter": {"source_hidden": True, "outputs_hidden": True}, "tags": ["solution"]},
            ),
            {
                "cell_type": "markdown",
                "id": "text",
                "metadata": {"jupyter": {"outputs_hidden": True}},
                "source": ["# Title"],
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_only_code_cells_with_hidden_output_are_marked_collapsed():
    nb = normalize(_notebook())
    collapsed = {c["id"]: c["metadata"].get("collapsed") for c in nb["cells"]}
    assert collapsed == {"plain": None, "solution": True, "text": None}


def test_language_info_is_what_the_kernel_reports():
    """Asked of a real ipykernel over the kernel protocol, as JupyterLab asks it."""
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        reply = kc.kernel_info(reply=True, timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert normalize(_notebook())["metadata"]["language_info"] == reply["content"]["language_info"]


def test_the_text_is_written_as_the_jupyter_server_writes_it():
    text = dumps(normalize(_notebook()))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    assert data["cells"][1]["source"] == ["x = 1"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_normalizing_twice_changes_nothing_and_keeps_the_lesson_clean(path):
    once = normalized_text(path.read_text(encoding="utf-8"))
    assert normalized_text(once) == once
    before, after = json.loads(path.read_text(encoding="utf-8")), json.loads(once)
    assert [c["id"] for c in after["cells"]] == [c["id"] for c in before["cells"]]
    assert [c["source"] for c in after["cells"]] == [c["source"] for c in before["cells"]]
    for cell in after["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in after["metadata"]


def test_the_command_rewrites_and_then_checks_clean(tmp_path):
    copy = tmp_path / LESSONS[-1].name
    shutil.copy(LESSONS[-1], copy)
    with pytest.raises(SystemExit) as code:
        classroom_main(["normalize-notebooks", str(copy)])
    assert code.value.code == 0
    assert copy.read_text(encoding="utf-8") == normalized_text(LESSONS[-1].read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as code:
        classroom_main(["normalize-notebooks", "--check", str(copy)])
    assert code.value.code == 0
    copy.write_text(
        LESSONS[-1].read_text(encoding="utf-8").replace('"collapsed": true,', ""), encoding="utf-8"
    )
    broken = json.loads(copy.read_text(encoding="utf-8"))
    broken["metadata"]["language_info"] = {"name": "python"}
    copy.write_text(json.dumps(broken, indent=1), encoding="utf-8")
    with pytest.raises(SystemExit) as code:
        classroom_main(["normalize-notebooks", "--check", str(copy)])
    assert code.value.code == 1
