"""The figure transport sends small in-place updates and keeps its state current."""

import base64
import json

import numpy as np
import pytest

from widgets.figure_transport import LivePlot, encode_array, plotly_library
from widgets.theme import new_figure


class Recorder:
    """Stands in for the widget's comm and records what would be sent to the browser."""

    def __init__(self):
        self.messages = []

    def __call__(self, content, buffers=None):
        self.messages.append(content)


@pytest.fixture
def plot(monkeypatch):
    fig = new_figure()
    fig.add_scatter(x=np.linspace(0, 1, 200), y=np.zeros(200))
    fig.add_scatter(x=[0.5], y=[0.0], mode="markers")
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
    plot.update(traces={0: {"y": new_y}}, summary="changed")
    assert len(plot.recorder.messages) == 1
    msg = plot.recorder.messages[0]
    assert set(msg) == {"type", "traces", "summary", "revision"}
    assert set(msg["traces"]) == {"0"} and set(msg["traces"]["0"]) == {"y"}
    size = len(json.dumps(msg))
    assert size < 1500, f"update of one 200-point trace took {size} bytes"


def test_state_follows_updates_so_a_reloaded_page_shows_the_current_figure(plot):
    plot.update(traces={1: {"x": [0.9], "y": [0.7]}}, layout={"title": {"text": "now"}}, summary="moved")
    state = plot._state
    assert state["summary"] == "moved"
    assert state["figure"]["layout"]["title"]["text"] == "now"
    assert plot.trace(1)["y"].tolist() == [0.7]
    decoded = np.frombuffer(base64.b64decode(state["figure"]["data"][1]["y"]["bdata"]), dtype="<f4")
    assert decoded.tolist() == pytest.approx([0.7])


def test_a_view_that_is_behind_gets_the_current_figure_once(plot):
    plot.update(traces={1: {"x": [0.2], "y": [0.3]}}, summary="later")
    plot.recorder.messages.clear()
    plot._on_browser_message(plot, {"type": "hello", "revision": 0}, [])
    assert [m["type"] for m in plot.recorder.messages] == ["full"]
    assert plot.recorder.messages[0]["summary"] == "later"
    plot._on_browser_message(plot, {"type": "hello", "revision": 1}, [])
    assert len(plot.recorder.messages) == 1  # up to date: nothing more is sent


def test_plotly_library_is_shared_and_compressed():
    a, b = plotly_library(), plotly_library()
    assert a is b
    assert 0 < len(a.source_gz) < 3_000_000  # plotly.min.js is ~4.8 MB before gzip


def test_bad_trace_index_is_a_clear_error(plot):
    with pytest.raises(IndexError, match="trace index 5 out of range"):
        plot.update(traces={5: {"y": [1]}})


def test_nested_trace_properties_read_back_as_dicts(plot):
    plot.update(traces={1: {"error_y": {"type": "data", "array": [0.1]}}})
    error_y = plot.trace(1)["error_y"]
    assert isinstance(error_y, dict) and error_y["array"].tolist() == [0.1]


# -- the static face (text/html for pages without a live widget front-end) ----------------
import gzip  # noqa: E402
import re  # noqa: E402

import ipywidgets as ipw  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402

from widgets import figure_transport  # noqa: E402
from widgets.figure_transport import register_static_faces, static_face  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def fresh_kernel(monkeypatch):
    """As in a new kernel: no face has embedded plotly.js yet."""
    monkeypatch.setattr(figure_transport, "_face_library_run", None)


def _figure_json(face: str) -> dict:
    return json.loads(re.search(r"const figure = (\{.*?\});const draw", face).group(1).replace("<\\/", "</"))


def test_liveplot_shows_the_live_view_and_a_static_face(plot, fresh_kernel):
    data, _ = plot._repr_mimebundle_()
    assert data[WIDGET_VIEW]["model_id"] == plot.model_id  # live front-ends keep the widget
    face = data["text/html"]
    # a hint to re-run the cell, hidden unless the page is Jupyter's own, then the face
    assert face.startswith('<p class="ol-static-hint"') and " hidden " in face.split(">")[0] + " "
    assert "Run the cell (Shift+Enter)" in face and "jupyter-config-data" in face
    face = face[face.index('<div class="ol-static-figure"') :]
    assert face.startswith('<div class="ol-static-figure"')
    assert 'aria-label="test plot"' in face and 'role="figure"' in face
    assert '<p class="ol-summary">start</p>' in face
    assert len(_figure_json(face)["data"]) == 2


def test_the_face_shows_the_figure_as_it_is_now(plot, fresh_kernel):
    plot.update(traces={1: {"x": [0.25], "y": [0.75]}}, summary="after <one> change")
    face = static_face(plot)
    assert '<p class="ol-summary">after &lt;one&gt; change</p>' in face
    marker = _figure_json(face)["data"][1]
    decoded = np.frombuffer(base64.b64decode(marker["y"]["bdata"]), dtype="<f4")
    assert decoded.tolist() == pytest.approx([0.75])


def test_text_cannot_close_the_inline_script(plot, fresh_kernel):
    plot.update(layout={"title": {"text": "</script><b>x</b>"}}, summary="</script>")
    face = static_face(plot)
    script = re.search(r'<script type="text/javascript">(.*?)</script>', face, re.S).group(1)
    assert "</" not in script
    assert _figure_json(face)["layout"]["title"]["text"] == "</script><b>x</b>"


def test_the_first_face_in_a_kernel_embeds_plotly_js_once(plot, fresh_kernel):
    first, second = static_face(plot), static_face(plot)
    assert first.count('class="ol-plotlyjs"') == 1 and 'class="ol-plotlyjs"' not in second
    packed = re.search(r'atob\("([A-Za-z0-9+/=]+)"\)', first).group(1)
    library = gzip.decompress(base64.b64decode(packed))
    bundle = figure_transport.Path(figure_transport.plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert library == bundle.read_bytes()


def test_plotly_js_goes_again_with_the_cell_that_carried_it_when_that_cell_runs_again(
    plot, fresh_kernel, monkeypatch
):
    """A saved notebook keeps only the newest output of each cell: if the cell whose face
    carried plotly.js is run again and its new face does not carry it, every face is blank
    after a reload."""
    runs = iter([("cell-a", 1), ("cell-a", 1), ("cell-b", 2), ("cell-a", 3), ("cell-b", 4)])
    monkeypatch.setattr(figure_transport, "_current_cell_run", lambda: next(runs))
    carried = ['class="ol-plotlyjs"' in static_face(plot) for _ in range(5)]
    # cell a's first face; not its second face in the same run; not cell b; cell a run again; not b
    assert carried == [True, False, False, True, False]


def test_a_box_holding_a_liveplot_gets_the_face_and_other_boxes_do_not(fresh_kernel):
    from widgets import WidgetCheck

    formatter = DisplayFormatter()
    register_static_faces(formatter)
    check = WidgetCheck()
    data, _ = formatter.format(check)
    assert data[WIDGET_VIEW]["model_id"] == check.model_id
    assert data["text/html"].count('class="ol-static-figure"') == 1
    assert check.plot.summary.split(" K_D")[0] in data["text/html"]
    nested, _ = formatter.format(ipw.VBox([ipw.HBox([WidgetCheck()]), ipw.Button()]))
    assert nested["text/html"].count('class="ol-static-figure"') == 1
    plain, _ = formatter.format(ipw.VBox([ipw.Button(description="no figure")]))
    assert "text/html" not in plain and WIDGET_VIEW in plain


def test_initial_numpy_traces_read_back_as_arrays():
    fig = new_figure()
    fig.add_scatter(x=np.linspace(0, 1, 5), y=np.arange(5))
    p = LivePlot(fig)
    assert isinstance(p.trace(0)["x"], np.ndarray)
    np.testing.assert_allclose(p.trace(0)["x"], np.linspace(0, 1, 5))
    assert p.trace(0)["y"].tolist() == [0, 1, 2, 3, 4]


def test_a_diagram_in_a_widget_box_gets_its_own_static_face():
    """The reward circuit's box shows two faces: the SVG diagram (drawn by its own module from
    its state as it is now) and the time-course plot."""
    from widgets import RewardCircuit
    from widgets.figure_transport import box_static_face

    circuit = RewardCircuit()
    html = box_static_face(circuit)
    assert html.count('class="ol-static-figure"') == 2
    assert html.index("ol-static-drawing") < html.index('class="ol-static-plot"')  # diagram first
    assert '"title"' in html and "mod.default.render" in html
