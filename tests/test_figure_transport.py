"""The figure transport sends small in-place updates and keeps its state current."""

import base64
import copy
import json

import numpy as np
import pytest

from widgets.display.figure_transport import (
    LivePlot,
    UnknownTrace,
    encode_array,
    plotly_library,
    with_buffers,
)
from widgets.display.theme import new_figure


class Recorder:
    """Stands in for the widget's comm and records what would be sent to the browser."""

    def __init__(self):
        self.messages = []
        self.buffers = []

    def __call__(self, content, buffers=None):
        self.messages.append(content)
        self.buffers.append(list(buffers or []))


@pytest.fixture
def plot(monkeypatch):
    fig = new_figure()
    fig.add_scatter(x=np.linspace(0, 1, 200), y=np.zeros(200), uid="curve")
    fig.add_scatter(x=[0.5], y=[0.0], mode="markers", uid="point")
    p = LivePlot(fig, summary="start", description="test plot")
    recorder = Recorder()
    monkeypatch.setattr(p, "send", recorder)
    p.recorder = recorder
    return p


def test_encode_array_round_trips_as_float32():
    values = np.array([1e-12, 0.5, 3.0, 1e4])
    spec = encode_array(values)
    decoded = np.frombuffer(base64.b64decode(spec["bdata"]), dtype="<f4")
    assert spec["dtype"] == "f4"
    np.testing.assert_allclose(decoded, values, rtol=1e-7)


def test_update_sends_only_the_changes_in_one_small_message(plot):
    new_y = np.linspace(0, 1, 200)
    plot.update(traces={"curve": {"y": new_y}}, summary="changed")
    assert len(plot.recorder.messages) == 1
    msg = plot.recorder.messages[0]
    assert set(msg) == {"type", "traces", "summary", "revision"}
    assert set(msg["traces"]) == {"0"} and set(msg["traces"]["0"]) == {"y"}
    # the 200 numbers travel as one binary buffer of float32, not as base64 text in the JSON
    assert msg["traces"]["0"]["y"] == {"dtype": "f4", "buffer": 0}
    (buffer,) = plot.recorder.buffers[0]
    np.testing.assert_allclose(np.frombuffer(buffer, dtype="<f4"), new_y, rtol=1e-6)
    size = len(json.dumps(msg)) + len(buffer)
    assert size < 1100, f"update of one 200-point trace took {size} bytes"


def test_with_buffers_moves_every_flat_typed_array_out_of_the_json_and_keeps_2d_specs():
    flat = encode_array(np.arange(5.0))
    shaped = {"dtype": "f8", "bdata": "AAAAAAAA8D8AAAAAAAAAQA==", "shape": "1,2"}
    message = {"type": "full", "figure": {"data": [{"x": flat, "y": [1, 2]}, {"z": shaped}]}, "revision": 3}
    wire, buffers = with_buffers(message)
    assert wire["figure"]["data"][0]["x"] == {"dtype": "f4", "buffer": 0}
    assert wire["figure"]["data"][0]["y"] == [1, 2] and wire["figure"]["data"][1]["z"] == shaped
    assert np.frombuffer(buffers[0], dtype="<f4").tolist() == [0, 1, 2, 3, 4]
    assert len(buffers) == 1 and "bdata" not in json.dumps(wire["figure"]["data"][0])
    assert message["figure"]["data"][0]["x"] is flat  # the state it was made from is left as it was


def test_state_follows_updates_so_a_reloaded_page_shows_the_current_figure(plot):
    plot.update(
        traces={"point": {"x": [0.9], "y": [0.7]}}, layout={"title": {"text": "now"}}, summary="moved"
    )
    state = plot._state
    assert state["summary"] == "moved"
    assert state["figure"]["layout"]["title"]["text"] == "now"
    assert plot.trace("point")["y"].tolist() == [0.7]
    decoded = np.frombuffer(base64.b64decode(state["figure"]["data"][1]["y"]["bdata"]), dtype="<f4")
    assert decoded.tolist() == pytest.approx([0.7])


def test_a_view_that_is_behind_gets_the_current_figure_once(plot):
    plot.update(traces={"point": {"x": [0.2], "y": [0.3]}}, summary="later")
    plot.recorder.messages.clear()
    plot._on_browser_message(plot, {"type": "hello", "revision": 0}, [])
    assert [m["type"] for m in plot.recorder.messages] == ["full"]
    assert plot.recorder.messages[0]["summary"] == "later"
    plot._on_browser_message(plot, {"type": "hello", "revision": 1}, [])
    # up to date: only a short answer, so the browser knows its messages get through
    assert plot.recorder.messages[1:] == [{"type": "current", "revision": 1}]


def test_plotly_library_is_shared_and_compressed():
    a, b = plotly_library(), plotly_library()
    assert a is b
    assert 0 < len(a.source_gz) < 3_000_000  # plotly.min.js is ~4.8 MB before gzip


def test_traces_are_addressed_by_their_key_and_travel_by_position(plot):
    assert plot.trace_keys == ["curve", "point"]
    plot.update(traces={"point": {"y": [0.4]}})
    assert plot.recorder.messages[-1]["traces"].keys() == {"1"}  # plotly.js addresses traces by position


@pytest.mark.parametrize("key", ["crve", 0, "0"])
def test_an_unknown_trace_key_is_a_clear_error_and_nothing_is_sent(plot, key):
    with pytest.raises(UnknownTrace, match=rf"no trace with key {key!r}.*'curve', 'point'"):
        plot.update(traces={key: {"y": [1]}}, summary="never")
    with pytest.raises(UnknownTrace):
        plot.trace(key)
    assert plot.recorder.messages == [] and plot.summary == "start"


def test_a_misspelt_key_gets_a_suggestion(plot):
    with pytest.raises(UnknownTrace, match="did you mean 'curve'"):
        plot.update(traces={"crve": {"y": [1]}})


@pytest.mark.parametrize(
    "traces, layout, words",
    [
        ({"curve": {"yy": [1]}}, None, r"trace 'curve' \(scatter\) has no property 'yy'; did you mean 'y'"),
        (
            {"point": {"marker": {"colour": "red"}}},
            None,
            r"marker has no property 'colour'; did you mean 'color'",
        ),
        ({"curve": {"y": "up"}}, None, r"trace 'curve' \(scatter\)\.y: Invalid value"),
        ({"point": {"line": {"dash": "wiggly"}}}, None, r"line\.dash: Invalid value"),
        ({"point": {"marker": {"color": ["red", "not a colour"]}}}, None, r"marker\.color: Invalid value"),
        ({"point": {"marker": {"size": np.array([3.0, -1.0])}}}, None, r"marker\.size: Invalid value"),
        (None, {"titel": {"text": "x"}}, r"layout has no property 'titel'; did you mean 'title'"),
        (None, {"shapes": [{"type": "line", "lin": {}}]}, r"layout\.shapes\[0\] has no property 'lin'"),
        (None, {"xaxis2": {"rang": [0, 1]}}, r"layout\.xaxis2 has no property 'rang'"),
    ],
)
def test_an_invalid_property_or_value_is_refused_naming_it_as_plotly_would(plot, traces, layout, words):
    """The checks plotly's own Figure makes (property names, value kinds), before anything changes."""
    before = copy.deepcopy(plot._state)
    with pytest.raises(ValueError, match=words):
        plot.update(traces=traces, layout=layout, summary="never")
    assert plot.recorder.messages == [] and plot._state == before


def test_what_plotly_takes_passes_the_checks(plot):
    plot.update(
        traces={
            "curve": {
                "y": np.linspace(0, 1, 200),
                "name": "new",
                "line": {"dash": "dot", "color": "#0072B2"},
            },
            "point": {"marker": {"color": ["red", "#999"], "size": np.array([3, 4])}, "text": ["a", None]},
        },
        layout={
            "shapes": [{"type": "line", "x0": 1, "x1": 1, "line": {"width": 2}}],
            "xaxis2": {"range": [0, 1]},
        },
    )
    assert len(plot.recorder.messages) == 1


def test_two_traces_with_one_key_are_refused():
    fig = new_figure()
    fig.add_scatter(x=[1], y=[1], uid="same")
    fig.add_scatter(x=[1], y=[1], uid="same")
    with pytest.raises(ValueError, match="two traces have the key \\(uid\\) 'same'"):
        LivePlot(fig)


def test_nested_trace_properties_read_back_as_dicts(plot):
    plot.update(traces={"point": {"error_y": {"type": "data", "array": [0.1]}}})
    error_y = plot.trace("point")["error_y"]
    assert isinstance(error_y, dict) and error_y["array"].tolist() == [0.1]


# -- the still picture (an output of its own, for pages where no kernel holds the widget) ----
import gzip  # noqa: E402
import re  # noqa: E402

import ipywidgets as ipw  # noqa: E402

from widgets.display import figure_transport  # noqa: E402
from widgets.display.figure_transport import display_with_face, static_face  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def published(monkeypatch, tmp_path):
    """What display_with_face publishes, as in a new kernel (no face has carried plotly.js yet),
    with the face files in a temporary runtime folder."""
    calls = []
    monkeypatch.setattr(
        "IPython.display.publish_display_data",
        lambda data, metadata=None, **kw: calls.append((data, metadata or {}, kw)),
    )
    monkeypatch.setattr(figure_transport, "_library_carrier", None)
    monkeypatch.setattr(figure_transport, "_shown", {})
    monkeypatch.setattr(figure_transport, "_changed_since_cell", set())
    monkeypatch.setattr(figure_transport, "_changed_since_write", set())
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    return calls


def _figure_json(face: str) -> dict:
    found = re.search(r"olFace\.figure\(\"[^\"]+\", (\{.*?\})\);</script>", face)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_a_figure_is_shown_as_its_live_view_then_its_still_picture(plot, published):
    display_with_face(plot)
    (view, view_meta, _), (face, face_meta, kw) = published
    # the live view: JupyterLab saves it and re-attaches it to the kernel after a reload
    assert set(view) == {WIDGET_VIEW, "text/plain"} and view["text/plain"] == ""
    assert view[WIDGET_VIEW]["model_id"] == plot.model_id and view_meta == {}
    # the still picture, a second output that names its widget and can be updated
    assert set(face) == {"text/html"}
    assert face_meta == {"opioid_lessons": {"face_of": plot.model_id}}
    assert kw["transient"]["display_id"] == f"ol-face-{plot.model_id}"
    html_text = face["text/html"]
    assert html_text.startswith('<div class="ol-face" id="ol-face-') and plot.model_id in html_text
    hint = re.search(r'<p class="ol-static-hint"[^>]*>', html_text).group(0)
    assert " hidden" in hint  # shown by the page's script only inside Jupyter
    assert "cells again (Run ▸ Run All Cells)" in html_text and "olFace.output(" in html_text
    assert 'aria-label="test plot"' in html_text and 'role="figure"' in html_text
    assert '<p class="ol-summary">start</p>' in html_text
    assert len(_figure_json(html_text)["data"]) == 2


def test_a_figure_changed_before_it_is_shown_reaches_the_browser_with_its_view(plot, published, monkeypatch):
    """The view then starts from the current figure, not the one built (which it would only
    leave on the answer to its hello)."""
    sent = []
    monkeypatch.setattr(plot, "send_state", lambda key=None: sent.append((key, copy.deepcopy(plot._state))))
    plot.update(traces={"point": {"y": [0.6]}}, summary="changed before display")
    display_with_face(plot)
    assert [key for key, _ in sent] == ["_state"]
    assert sent[0][1]["revision"] == 1 and sent[0][1]["summary"] == "changed before display"
    display_with_face(plot)  # shown again, nothing changed: nothing to send
    assert len(sent) == 1
    plot.update(summary="and again")
    display_with_face(plot)
    assert [state["revision"] for _, state in sent] == [1, 2]


def test_the_face_shows_the_figure_as_it_is_now(plot):
    plot.update(traces={"point": {"x": [0.25], "y": [0.75]}}, summary="after <one> change")
    face = static_face(plot)
    assert '<p class="ol-summary">after &lt;one&gt; change</p>' in face
    marker = _figure_json(face)["data"][1]
    decoded = np.frombuffer(base64.b64decode(marker["y"]["bdata"]), dtype="<f4")
    assert decoded.tolist() == pytest.approx([0.75])


def test_text_cannot_close_the_inline_script(plot):
    plot.update(layout={"title": {"text": "</script><b>x</b>"}}, summary="</script>")
    face = static_face(plot)
    script = re.search(r'<script type="text/javascript">(.*?)</script>', face, re.S).group(1)
    assert "</" not in script
    assert _figure_json(face)["layout"]["title"]["text"] == "</script><b>x</b>"


def test_without_a_jupyter_server_the_first_picture_carries_plotly_js_once(plot, published, monkeypatch):
    """nbconvert --execute (no cell ids): the page must draw offline, so one picture embeds
    plotly.js; in JupyterLab (cell ids) none does: the server extension serves it."""
    display_with_face(plot)
    display_with_face(LivePlot(new_figure(), summary="another"))
    first, second = published[1][0]["text/html"], published[3][0]["text/html"]
    assert first.count('class="ol-plotlyjs"') == 1 and 'class="ol-plotlyjs"' not in second
    packed = re.search(r'atob\("([A-Za-z0-9+/=]+)"\)', first).group(1)
    library = gzip.decompress(base64.b64decode(packed))
    bundle = figure_transport.Path(figure_transport.plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert library == bundle.read_bytes()
    published.clear()
    monkeypatch.setattr(figure_transport, "_library_carrier", None)
    monkeypatch.setattr(figure_transport, "_current_cell_id", lambda: "a-cell-id")
    display_with_face(plot)
    assert 'class="ol-plotlyjs"' not in published[1][0]["text/html"]


def test_a_box_holding_a_liveplot_gets_a_picture_and_other_boxes_do_not(published):
    from widgets import WidgetCheck

    check = WidgetCheck()
    display_with_face(check)
    assert published[0][0][WIDGET_VIEW]["model_id"] == check.model_id
    assert published[1][0]["text/html"].count('class="ol-static-figure"') == 1
    assert check.plot.summary.split(" K_D")[0] in published[1][0]["text/html"]
    published.clear()
    display_with_face(ipw.VBox([ipw.HBox([WidgetCheck()]), ipw.Button()]))
    assert len(published) == 2 and published[1][0]["text/html"].count('class="ol-static-figure"') == 1
    published.clear()
    display_with_face(ipw.VBox([ipw.Button(description="no figure")]))
    assert len(published) == 1 and "text/html" not in published[0][0] and WIDGET_VIEW in published[0][0]


def test_after_a_cell_the_picture_of_a_changed_widget_is_updated_in_place(published):
    from widgets import WidgetCheck

    check, other = WidgetCheck(), WidgetCheck()
    display_with_face(check)
    display_with_face(other)
    published.clear()
    figure_transport._refresh_faces_after_cell()
    assert published == []  # nothing changed
    check.slider.value = 7.0
    figure_transport._refresh_faces_after_cell()
    assert len(published) == 1
    data, metadata, kw = published[0]
    assert kw["update"] is True and kw["transient"]["display_id"] == f"ol-face-{check.model_id}"
    assert "7" in check.plot.summary and check.plot.summary.split(",")[0] in data["text/html"]


def test_a_change_from_the_browser_reaches_the_face_file_for_the_save_hook(published, tmp_path):
    """A slider moved in the browser runs no cell: the kernel writes the newest picture to the
    runtime folder, where the server's pre-save hook finds it."""
    from widgets import WidgetCheck

    check = WidgetCheck()
    display_with_face(check)
    check.slider.value = 3.0
    figure_transport.write_faces_now()
    path = tmp_path / "opioid-lessons-faces" / f"{check.model_id}.html"
    assert path.exists()
    assert check.plot.summary.split(",")[0] in path.read_text()
    check.slider.value = 9.0  # written shortly after, without being asked
    deadline = figure_transport.time.time() + 5
    while check.plot.summary.split(",")[0] not in path.read_text():
        assert figure_transport.time.time() < deadline, "the face file was not rewritten"
        figure_transport.time.sleep(0.05)


def test_initial_numpy_traces_read_back_as_arrays():
    fig = new_figure()
    fig.add_scatter(x=np.linspace(0, 1, 5), y=np.arange(5), uid="line")
    p = LivePlot(fig)
    assert isinstance(p.trace("line")["x"], np.ndarray)
    np.testing.assert_allclose(p.trace("line")["x"], np.linspace(0, 1, 5))
    assert p.trace("line")["y"].tolist() == [0, 1, 2, 3, 4]


def test_a_diagram_in_a_widget_box_gets_its_own_static_face():
    """The reward circuit's box shows two faces: the SVG diagram (drawn by its own module from
    its state as it is now) and the time-course plot."""
    from widgets import RewardCircuit
    from widgets.display.figure_transport import box_static_face

    circuit = RewardCircuit()
    html = box_static_face(circuit)
    assert html.count('class="ol-static-figure"') == 2
    assert html.index("ol-static-drawing") < html.index('class="ol-static-plot"')  # diagram first
    assert '"title"' in html and "mod.default.render" in html


def test_a_long_line_is_thinned_in_the_still_picture_keeping_its_peaks():
    """Lesson 04's timelines hold thousands of points a line: the picture keeps each stretch's
    lowest and highest point (a saved lesson stays small), the live figure keeps them all."""
    t = np.linspace(0, 84, 8065)
    y = np.where((t % 1.0) < 0.01, 100.0, 10.0) + t  # a spike every day
    fig = new_figure()
    fig.add_scatter(x=t, y=y, mode="lines", uid="timeline")
    fig.add_scatter(x=t[:50], y=y[:50], mode="markers")
    p = LivePlot(fig)
    drawn = _figure_json(static_face(p))["data"]
    x0 = np.frombuffer(base64.b64decode(drawn[0]["x"]["bdata"]), dtype="<f4")
    y0 = np.frombuffer(base64.b64decode(drawn[0]["y"]["bdata"]), dtype="<f4")
    assert len(y0) <= figure_transport.FACE_MAX_POINTS and np.all(np.diff(x0) > 0)
    assert y0.max() == pytest.approx(y.max(), rel=1e-6) and y0.min() == pytest.approx(y.min(), rel=1e-6)
    assert (y0 > 99).sum() >= 84  # every daily spike is still there
    assert len(p.trace("timeline")["y"]) == len(y)  # the live figure is untouched
    markers = drawn[1]["y"]
    assert markers["dtype"] == "f4"  # float32 in a picture: half the bytes
    assert len(np.frombuffer(base64.b64decode(markers["bdata"]), dtype="<f4")) == 50


def test_a_widget_with_its_own_face_is_stale_when_a_plot_inside_it_changes(published):
    """The organ bath draws its own face (a worked example while empty); its changes arrive
    through its LivePlot, and the picture must follow them."""
    from widgets import OrganBath

    bath = OrganBath()
    display_with_face(bath)
    published.clear()
    bath.run_curve.click()
    figure_transport._refresh_faces_after_cell()
    assert len(published) == 1 and "12 of 12 doses" in published[0][0]["text/html"]
