"""The server's pre-save hook keeps live widgets re-attachable, their still pictures current and
the saved lesson small (widgets.classroom_tools.server_settings.save_live_widgets_small)."""

from __future__ import annotations

import copy

from widgets.classroom_tools.server_settings import save_live_widgets_small

VIEW = "application/vnd.jupyter.widget-view+json"
MODEL = "0123456789abcdef0123456789abcdef"


def _notebook(face_html: str) -> dict:
    view = {
        "output_type": "display_data",
        "metadata": {},
        "data": {VIEW: {"model_id": MODEL}, "text/plain": ""},
    }
    face = {
        "output_type": "display_data",
        "metadata": {"opioid_lessons": {"face_of": MODEL}},
        "data": {"text/html": face_html},
    }
    table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table></table>"}}
    cell = {"cell_type": "code", "source": "w", "metadata": {}, "outputs": [view, face, table]}
    return {"type": "notebook", "content": {"cells": [cell], "metadata": {"widgets": {"state": "big"}}}}


def test_widget_views_stay_so_a_reload_reattaches_them(tmp_path):
    model = _notebook("<div>first state</div>")
    save_live_widgets_small(model, face_dir=tmp_path)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[0]["data"][VIEW] == {"model_id": MODEL}
    assert "widgets" not in model["content"]["metadata"]  # no saved widget state (it held plotly.js)


def test_the_still_picture_is_the_newest_the_kernel_wrote(tmp_path):
    (tmp_path / f"{MODEL}.html").write_text("<div>last state</div>", encoding="utf-8")
    model = _notebook(["<div>first ", "state</div>"])  # nbformat may split text into lines
    save_live_widgets_small(model, face_dir=tmp_path)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[1]["data"]["text/html"] == "<div>last state</div>"
    assert outputs[2]["data"]["text/html"] == "<table></table>"  # other outputs untouched


def test_no_saved_output_carries_plotly_js(tmp_path):
    carried = (
        '<div class="ol-face"><script class="ol-plotlyjs" type="text/javascript">BIG</script><p>x</p></div>'
    )
    model = _notebook(carried)
    save_live_widgets_small(model, face_dir=tmp_path)
    assert (
        model["content"]["cells"][0]["outputs"][1]["data"]["text/html"]
        == '<div class="ol-face"><p>x</p></div>'
    )


def test_other_files_and_odd_ids_are_left_alone(tmp_path):
    (tmp_path / "..html").write_text("no", encoding="utf-8")
    model = _notebook("<div>kept</div>")
    model["content"]["cells"][0]["outputs"][1]["metadata"]["opioid_lessons"]["face_of"] = "../x"
    before = copy.deepcopy(model)
    save_live_widgets_small(model, face_dir=tmp_path)
    assert model["content"]["cells"] == before["content"]["cells"]
    directory = {"type": "directory", "content": []}
    save_live_widgets_small(directory, face_dir=tmp_path)
    assert directory == {"type": "directory", "content": []}
