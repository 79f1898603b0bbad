"""The one way figures reach the browser: a small anywidget that draws with plotly.js.

Why not plotly's ``FigureWidget``? Measured here (plotly 7.1): each FigureWidget ships the
whole plotly.js bundle (about 4.8 MB) to the browser when it is created, so a lesson with
five figures sends 25 MB, which takes seconds per figure on a remote JupyterHub. The naive
``interact`` pattern re-sends a whole figure (about 19 KB) on every change.

``LivePlot`` instead:

* sends plotly.js once per kernel, gzip-compressed (about 1.5 MB), through one hidden
  ``PlotlyLibrary`` model that every LivePlot references; the browser evaluates it once
  per page;
* sends a figure's full JSON only when the figure is first displayed;
* names each trace by its plotly ``uid``, given where the figure is built: ``update`` and
  ``trace`` take that key, never a position, and an update's property names and values are
  checked as plotly's own ``Figure`` checks them before anything is sent (widgets/display/figure_checks.py;
  on the wire the kernel sends positions, as plotly.js addresses traces);
* sends only what changed on an update (a few traces' arrays as float32 binary buffers, a few
  layout keys and the summary text) as one custom message, which the browser applies with the
  cheapest plotly call that is correct for it (static/live_plot.js, ``cheapCall``): the traces
  alone (``Plotly.animate`` without a redraw, so axes, shapes, annotations and legend are not
  drawn again) when no autoranged axis can move, else ``Plotly.update``/``restyle`` of the changed
  traces; ``Plotly.relayout`` of the changed layout keys (annotations item by item); a whole
  ``Plotly.react`` only for the first draw, a resize, or a view that fell behind. Axes with a
  fixed ``range`` therefore make updates cheapest. After each finished redraw the view sets
  ``data-drawn-revision`` on its root element (tests and ``bench/run.py`` wait for it): when the
  figure's SVG shows the update (for traces redrawn alone, as soon as plotly has drawn them,
  not when its animation promise settles, a timer and an animation frame later).

The figure state kept in the kernel is the same dict the widget syncs, mutated in place
(mutation does not trigger a re-sync), so a page reload still shows the current figure.

Reload and still pictures: a widget holding figures (a LivePlot, or any ipywidgets Box holding
one, which is what a lesson cell usually shows) is displayed as two outputs (``display_with_face``):
its live view, which Jupyter saves and re-attaches to the kernel's models after a reload or in a
reopened tab, and its still picture (``text/html``: each figure drawn by plotly.js with its
summary), which shows only where no kernel holds the widget (a new kernel, a restart: the view says
its model is gone) and on pages without Jupyter (nbconvert HTML, the site), where it also removes the
view. The picture follows the widget: after each cell the kernel updates it in place, and once the
widgets are still it writes it to Jupyter's runtime folder, from which the server's pre-save hook
(widgets.classroom_tools.server_settings) puts the newest picture into the saved notebook and a page fetches it.

How plotly.js reaches a still picture: inside Jupyter from the package's server extension
(``opioid-lessons/plotly.min.js``), so a saved lesson stays small; in a kernel with no Jupyter
server (``jupyter nbconvert --execute``, no cell ids in its requests) the first picture embeds it
once (the gzip bytes PlotlyLibrary already holds, base64, about 2 MB), so the exported page draws
offline. A page that loads plotly.js itself (the book site) can drop the
``<script class="ol-plotlyjs">`` element.
"""

from __future__ import annotations

import base64
import copy
import gzip
import html
import json
import os
import threading
import time
import uuid
from pathlib import Path

import anywidget
import ipywidgets as ipw
import numpy as np
import plotly
import plotly.graph_objects as go
import traitlets
from ipywidgets import widget_serialization

from .figure_checks import UnknownTrace, check_layout_update, check_trace_update, trace_index

STATIC = Path(__file__).resolve().parent / "static"


def compose_static(*names: str) -> str:
    """One ES module (or style sheet) from several files in static/, in order. a11y.js goes
    first: the widget modules call its functions, which the shared module scope makes visible."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in names)


class PlotlyLibrary(anywidget.AnyWidget):
    """Holds gzip-compressed plotly.js for the browser. Never displayed; one per kernel."""

    _esm = "export default { render() {} };"
    source_gz = traitlets.Bytes().tag(sync=True)
    version = traitlets.Unicode().tag(sync=True)


_LIBRARY: PlotlyLibrary | None = None


def plotly_library() -> PlotlyLibrary:
    """The kernel's single PlotlyLibrary, created (and compressed) on first use."""
    global _LIBRARY
    if _LIBRARY is None or _LIBRARY.comm is None:  # comm is None after close()
        bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        _LIBRARY = PlotlyLibrary(
            source_gz=gzip.compress(bundle.read_bytes(), compresslevel=6),
            version=plotly.__version__,
        )
    return _LIBRARY


def encode_array(values) -> dict | list:
    """Numeric arrays as plotly.js typed-array specs (base64 float32); other lists as is."""
    arr = np.asarray(values)
    if arr.dtype.kind in "fiub" and arr.ndim == 1:
        return {"dtype": "f4", "bdata": base64.b64encode(arr.astype("<f4").tobytes()).decode()}
    return arr.tolist() if isinstance(values, np.ndarray) else values


def _encode_props(props: dict) -> dict:
    out = {}
    for key, value in props.items():
        if isinstance(value, dict):
            out[key] = _encode_props(value)
        elif isinstance(value, (np.ndarray, list, tuple)) and key in _ARRAY_KEYS:
            out[key] = encode_array(value)
        else:
            out[key] = value.tolist() if isinstance(value, np.ndarray) else value
    return out


def with_buffers(message: dict) -> tuple[dict, list[bytes]]:
    """``message`` for the wire: each one-dimensional typed-array spec ``{dtype, bdata}`` becomes
    ``{dtype, buffer: i}`` with its bytes as binary buffer ``i`` of the returned list (a third
    fewer bytes than base64 text, and no decoding in the browser: anywidget's advice for arrays).
    Specs with a ``shape`` (2-D) stay as they are; static/live_plot.js ``withBuffers`` undoes this."""
    buffers: list[bytes] = []

    def wire(value):
        if isinstance(value, dict):
            if "bdata" in value and "dtype" in value and "shape" not in value:
                buffers.append(base64.b64decode(value["bdata"]))
                return {"dtype": value["dtype"], "buffer": len(buffers) - 1}
            return {key: wire(v) for key, v in value.items()}
        if isinstance(value, list):
            return [wire(v) for v in value]
        return value

    return wire(message), buffers


# Trace properties that hold per-point numbers and so travel as typed arrays.
_ARRAY_KEYS = {"x", "y", "z", "size", "opacity", "customdata", "error_x", "error_y", "array"}


def _raw_props(props: dict) -> dict:
    """Trace properties as kept for reading back: per-point lists become numpy arrays."""
    return {
        k: _raw_props(v) if isinstance(v, dict) else (np.asarray(v) if k in _ARRAY_KEYS else v)
        for k, v in props.items()
    }


def _decoded(props: dict) -> dict:
    """Trace properties with plotly's typed-array specs ({dtype, bdata}, as Figure.to_dict gives
    for numpy arrays) back as numpy arrays."""
    out = {}
    for key, value in props.items():
        if isinstance(value, dict) and "bdata" in value and "dtype" in value:
            arr = np.frombuffer(
                base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<")
            )
            shape = value.get("shape")
            if isinstance(shape, str):
                shape = tuple(int(n) for n in shape.split(","))
            out[key] = arr.reshape(shape) if shape else arr
        elif isinstance(value, dict):
            out[key] = _decoded(value)
        else:
            out[key] = value
    return out


def _deep_merge(target: dict, changes: dict) -> None:
    """Merge ``changes`` into ``target``: dicts merge key by key, everything else replaces."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and "bdata" not in value:
            _deep_merge(target[key], value)
        else:
            target[key] = value


class LivePlot(anywidget.AnyWidget):
    """A plotly figure plus a one-line live text summary, updated in place.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The initial figure (built with :mod:`widgets.display.theme`).
    summary : str
        One sentence saying what the figure shows, for screen readers and readers.
    description : str
        What the figure is, used as its accessible name (aria-label).
    min_width : int
        Narrowest width (px) the figure is drawn at; in a narrower notebook it scrolls sideways
        instead of squeezing its panels and labels into each other. 0 = follow the notebook.
    """

    _esm = compose_static("a11y.js", "live_plot.js")
    _css = compose_static("a11y.css", "live_plot.css")
    _library = traitlets.Instance(PlotlyLibrary).tag(sync=True, **widget_serialization)
    # {"figure": {"data": [...], "layout": {...}}, "summary": str, "description": str,
    #  "revision": int (count of updates, so a late view can tell it is behind)}
    _state = traitlets.Dict().tag(sync=True)

    def __init__(
        self, figure: go.Figure, summary: str = "", description: str = "", min_width: int = 0, **kwargs
    ):
        spec = figure.to_plotly_json()  # numpy arrays arrive as base64 typed-array specs
        # Keep the raw values too, so code and tests can read what is drawn.
        self._traces = [_decoded(copy.deepcopy(dict(t))) for t in figure.to_dict()["data"]]
        self._index = trace_index(self._traces)
        super().__init__(
            _library=plotly_library(),
            _state={
                "figure": spec,
                "summary": summary,
                "description": description,
                "revision": 0,
                "min_width": int(min_width),
            },
            **kwargs,
        )
        self._synced_revision = 0  # the revision the browser's copy of _state holds
        self.on_msg(self._on_browser_message)
        register_static_faces()

    def static_face_html(self) -> str:
        return static_face(self)

    # -- reading what is shown (tests and summaries use these) ------------------------
    @property
    def summary(self) -> str:
        return self._state["summary"]

    @property
    def layout(self) -> dict:
        return self._state["figure"]["layout"]

    def trace(self, key: str) -> dict:
        """Properties of the trace named ``key`` (its ``uid``) as last set, arrays as numpy arrays."""
        return self._traces[self._index_of(key)]

    @property
    def trace_keys(self) -> list[str]:
        """The keys (uids) of the named traces, in drawing order."""
        return list(self._index)

    @property
    def n_traces(self) -> int:
        return len(self._traces)

    def _index_of(self, key: str) -> int:
        try:
            return self._index[key]
        except (KeyError, TypeError):
            raise UnknownTrace(key, list(self._index)) from None

    # -- changing it --------------------------------------------------------------------
    def update(
        self, traces: dict[str, dict] | None = None, layout: dict | None = None, summary: str | None = None
    ) -> None:
        """Change some trace properties, layout keys and/or the summary, in place.

        ``traces`` maps a trace's key (the ``uid`` it was given when the figure was built) to the
        properties to change. Every name and value is checked as plotly's own ``Figure`` checks it
        (:mod:`widgets.display.figure_checks`), before anything changes: an unknown key raises
        :class:`UnknownTrace`, an unknown property or a bad value ``ValueError`` naming it.
        Only the changes travel to the browser, in one message (traces by position there, as
        plotly.js addresses them).
        """
        message: dict = {"type": "update"}
        figure = self._state["figure"]
        if traces:
            indexed = {self._index_of(key): (key, props) for key, props in traces.items()}
            for index, (key, props) in indexed.items():
                check_trace_update(key, self._traces[index].get("type", "scatter"), props)
        if layout:
            check_layout_update(layout)
        if traces:
            encoded = {}
            for index, (_key, props) in indexed.items():
                enc = _encode_props(props)
                encoded[str(index)] = enc
                _deep_merge(figure["data"][index], enc)
                _deep_merge(self._traces[index], _raw_props(props))
            message["traces"] = encoded
        if layout:
            enc_layout = _encode_props(layout)
            _deep_merge(figure["layout"], enc_layout)
            message["layout"] = enc_layout
        if summary is not None:
            self._state["summary"] = summary
            message["summary"] = summary
        if len(message) > 1:
            self._state["revision"] += 1
            message["revision"] = self._state["revision"]
            self.send(*with_buffers(message))
            face_changed(self)

    def sync_view_state(self) -> None:
        """Send the current ``_state`` to the browser's copy of the model, if it is behind.

        ``update`` changes ``_state`` in place (only the change travels, as a message), so the
        browser's copy keeps the figure as it was built. A view created from that copy asks for
        the rest (``hello``); called when the widget is displayed, this makes the new view start
        from the current figure without depending on that round trip (in CI a view once stayed
        on the empty figure it was built with).
        """
        if self._synced_revision != self._state["revision"]:
            self.send_state("_state")
            self._synced_revision = self._state["revision"]

    def _on_browser_message(self, _widget, content, _buffers) -> None:
        """The browser's model says which revision it holds (``{"type": "hello", "revision": n}``).

        It merges every update from the moment its module has loaded (static/live_plot.js,
        ``initialize``); updates sent before that it asks for. The answer is the current figure
        in one message when it is behind, else ``{"type": "current"}``: always an answer, so a
        model that hears none knows no message reaches it.
        """
        if content.get("type") != "hello":
            return
        revision = self._state["revision"]
        if content.get("revision") != revision:
            full = {
                "type": "full",
                "figure": self._state["figure"],
                "summary": self._state["summary"],
                "revision": revision,
            }
            self.send(*with_buffers(full))
        else:
            self.send({"type": "current", "revision": revision})


# -- the static face ----------------------------------------------------------------------
#
# A widget holding figures is shown as TWO outputs (see display_with_face):
#   1. the live widget view (application/vnd.jupyter.widget-view+json, text/plain "");
#   2. its still picture (text/html, output metadata {"opioid_lessons": {"face_of": model id}}).
# Jupyter keeps saving (1), so a reload or a reopened tab re-attaches the live widget to the
# kernel that still holds it, as stock ipywidgets does. (2) shows only where no kernel holds the
# widget: its script (static/face_output.js) watches output (1) and reveals the picture when that
# output says the model is gone (a new kernel, a restart) or holds nothing; on a page with no
# Jupyter (an nbconvert export, the site) it removes output (1) and draws at once.
#
# The picture is kept at the LAST state: after every cell run the kernel updates output (2) of
# each changed widget (update_display: nbclient and any front end that routes it), and shortly
# after every change it writes the face to a file in Jupyter's runtime folder, from which the
# server's pre-save hook (widgets.classroom_tools.server_settings) puts it into the saved notebook.

FACE_KEY = "opioid_lessons"  # output metadata key of a still picture: {"face_of": model id}
FACE_WRITE_DELAY_S = 0.4  # the face file is written once the widgets were still this long

# The display that carries plotly.js (kernels without a Jupyter server only): its display id.
_library_carrier: str | None = None
# Widgets shown with a face: model id -> the widget.
_shown: dict[str, ipw.Widget] = {}
# Model ids of faced widgets changed since the last cell ended / since the face files were written.
_changed_since_cell: set[str] = set()
_changed_since_write: set[str] = set()
_write_timer = None
_write_lock = threading.Lock()


def _current_cell_id() -> str | None:
    """Cell id of the cell running now; None when the front end does not send it (JupyterLab and
    Notebook 7 do; nbclient, i.e. nbconvert --execute, does not)."""
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent("shell")
        return parent.get("metadata", {}).get("cellId")
    except Exception:  # no IPython kernel (plain Python, tests)
        return None


def _plotly_js_script() -> str:
    """A script that makes window.Plotly on a page with no Jupyter and no live widgets (the gzip
    bytes PlotlyLibrary already holds, base64, about 2 MB, unpacked with DecompressionStream)."""
    packed = base64.b64encode(plotly_library().source_gz).decode()
    # No `module`/`define` in scope: plotly.min.js (UMD) then sets window.Plotly, also on a
    # page that has require.js.
    return (
        '<script class="ol-plotlyjs" type="text/javascript">'
        "if (!window.Plotly && !window.olPlotlyReady) { window.olPlotlyReady = (async () => {"
        f'const bytes = Uint8Array.from(atob("{packed}"), (c) => c.charCodeAt(0));'
        'const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));'
        'new Function("module", "exports", "define", await new Response(stream).text()).call(window);'
        "return window.Plotly; })(); }</script>"
    )


def _plain(value):
    """numpy scalars and arrays as plain JSON values."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


def _script_json(value) -> str:
    """JSON safe inside an inline <script> ('</' cannot end the element early)."""
    return json.dumps(value, separators=(",", ":"), default=_plain).replace("</", "<\\/")


def _static_js(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


# A still picture is a few hundred pixels wide: a line with more points than this is drawn from
# each stretch's lowest and highest point (its shape, peaks and troughs kept; a saved lesson small).
FACE_MAX_POINTS = 400


def _numbers(value) -> np.ndarray | None:
    """A trace's per-point numbers (a typed-array spec or a list) as a 1-D float array, else None."""
    if isinstance(value, dict) and "bdata" in value:
        value = _decoded({"v": value})["v"]
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if arr.ndim == 1 else None


def _as_float32(trace: dict) -> dict:
    """x and y of ``trace`` as float32 typed arrays (half the bytes of float64; a picture needs no more)."""
    out = dict(trace)
    for key in ("x", "y"):
        value = trace.get(key)
        if isinstance(value, dict) and value.get("dtype") == "f8" and "shape" not in value:
            numbers = _numbers(value)
            if numbers is not None:
                out[key] = encode_array(numbers)
    return out


def _thinned(trace: dict) -> dict:
    """``trace`` for a still picture: numbers as float32, and a plain line (no markers, no gaps, no
    per-point extras) with more than FACE_MAX_POINTS points keeps the lowest and highest point of
    each of FACE_MAX_POINTS / 2 stretches, in order."""
    x, y = _numbers(trace.get("x")), _numbers(trace.get("y"))
    if x is None or y is None or len(y) <= FACE_MAX_POINTS or len(x) != len(y):
        return _as_float32(trace)
    if "markers" in str(trace.get("mode", "lines")) or trace.get("type", "scatter") not in (
        "scatter",
        "scattergl",
    ):
        return _as_float32(trace)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return _as_float32(trace)  # gaps (NaN) separate pieces that thinning would join
    if {"text", "hovertext", "customdata", "ids", "error_x", "error_y"} & set(trace):
        return _as_float32(trace)
    edges = np.linspace(0, len(y), FACE_MAX_POINTS // 2 + 1).astype(int)
    keep = {0, len(y) - 1}
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            keep.update((a + int(np.argmin(y[a:b])), a + int(np.argmax(y[a:b]))))
    index = np.array(sorted(keep))
    return {**trace, "x": encode_array(x[index]), "y": encode_array(y[index])}


def static_face(plot: LivePlot) -> str:
    """HTML showing ``plot``'s figure as it is now and its summary, for pages with no live widgets.

    Root ``<div class="ol-static-figure">`` (accessible name = the plot's description) holding
    the plotly div and ``<p class="ol-summary">``; an inline script draws it with plotly.js
    (static/face_output.js, ``olFace.figure``: window.Plotly, the copy a page embeds, or, inside
    Jupyter, plotly.js served by the package's server extension). Inside a face output that is
    hidden, drawing waits until the output is shown. After drawing, the root gets
    ``data-drawn="true"``.
    """
    state = plot._state
    layout = state["figure"]["layout"]
    height = int(layout.get("height") or 450)
    min_width = int(state.get("min_width") or 0)
    name = html.escape(state.get("description") or "figure", quote=True)
    div_id = f"ol-static-{uuid.uuid4().hex}"
    figure = {"data": [_thinned(t) for t in state["figure"]["data"]], "layout": {**layout, "autosize": True}}
    style = f"height:{height}px" + (f";min-width:{min_width}px" if min_width else "")
    return (
        f'<div class="ol-static-figure" id="{div_id}" role="figure" aria-label="{name}"'
        ' style="overflow-x:auto">'
        f'<div class="ol-static-plot" role="img" aria-label="{name}" style="{style}"></div>'
        f'<script type="text/javascript">{_face_runtime()}'
        f"olFace.figure({_script_json(div_id)}, {_script_json(figure)});</script>"
        f'<p class="ol-summary">{html.escape(state.get("summary") or "")}</p></div>'
    )


def module_face(widget: anywidget.AnyWidget, name: str) -> str:
    """Static face of an anywidget whose own ES module can draw it from its synced ``_state``.

    The page imports the widget's module (from a blob URL) and calls its ``render`` with a
    stand-in model that holds the values the widget's ``face_values()`` gives (default: its
    ``_state``) and ignores messages; the drawing is the same one the live widget shows.
    Root ``<div class="ol-static-figure">``, ``data-drawn`` set when drawn. (Used by the reward
    circuit's SVG diagram.)
    """
    module = getattr(widget, "_face_esm", widget._esm)  # a widget may give its picture a leaner module
    source = module.read_text(encoding="utf-8") if isinstance(module, Path) else module
    css = widget._css.read_text(encoding="utf-8") if isinstance(widget._css, Path) else (widget._css or "")
    values = widget.face_values() if hasattr(widget, "face_values") else {"_state": widget._state}
    div_id = f"ol-static-{uuid.uuid4().hex}"
    return (
        f'<div class="ol-static-figure" id="{div_id}" role="figure"'
        f' aria-label="{html.escape(name, quote=True)}"><style>{css}</style>'
        '<div class="ol-static-drawing"></div>'
        f'<script type="text/javascript">{_face_runtime()}'
        f"olFace.module({_script_json(div_id)}, {_script_json(source)}, {_script_json(values)});"
        "</script></div>"
    )


def _face_runtime() -> str:
    """static/face_output.js, which defines window.olFace once per page (every face carries it:
    any one of them may be the first on the page)."""
    return f"if (!window.olFace) {{ {_face_js()} }}"


_FACE_JS: str | None = None


def _face_js() -> str:
    global _FACE_JS
    if _FACE_JS is None:
        from plotly.offline import get_plotlyjs_version

        lines = (
            _static_js("face_output.js").replace("__PLOTLY_VERSION__", get_plotlyjs_version()).splitlines()
        )
        # inlined in every saved picture: without its comments and indentation
        _FACE_JS = "\n".join(t for line in lines if (t := line.strip()) and not t.startswith("//"))
    return _FACE_JS


def _faced(widget) -> list:
    """The widgets inside ``widget`` (box children, depth first, or itself) that have a static face."""
    if callable(getattr(widget, "static_face_html", None)):
        return [widget]
    found = []
    for child in getattr(widget, "children", ()) if isinstance(widget, ipw.Box) else ():
        found.extend(_faced(child))
    return found


def box_static_face(box: ipw.Widget) -> str | None:
    """The still picture of a widget holding figures (its faces, in order, under the hint), as
    the face output shows it; None if it holds none."""
    faced = _faced(box)
    if not faced:
        return None
    return face_output_html(box, faced)


RERUN_HINT = (
    "A still picture of this widget as it was last shown. Its controls are not running: the kernel "
    "that made them has stopped or restarted. Run the lesson's cells again (Run ▸ Run All Cells) to "
    "start them, from the beginning."
)


def face_output_html(widget: ipw.Widget, faced: list | None = None, library: bool = False) -> str:
    """The face output of ``widget``: a root ``<div class="ol-face">`` holding a hint to re-run
    the cell (shown only inside Jupyter, where the face shows only when the kernel that held the
    widget is gone) and the faces of the widgets inside it, and the script deciding whether it shows
    (static/face_output.js, ``olFace.output``)."""
    faced = _faced(widget) if faced is None else faced
    # the runtime once, at the top of the output, rather than in every face's script
    faces = "".join(w.static_face_html() for w in faced).replace(_face_runtime(), "")
    root_id = f"ol-face-{uuid.uuid4().hex}"
    # A widget that can save its work says how to get it back (``still_picture_note``).
    notes = dict.fromkeys(n for w in (widget, *faced) if (n := getattr(w, "still_picture_note", "")))
    hint = " ".join([RERUN_HINT, *notes])
    return (
        f'<div class="ol-face" id="{root_id}" data-face-of="{html.escape(widget.model_id or "")}">'
        + (_plotly_js_script() if library else "")
        + f'<script type="text/javascript">{_face_runtime()}</script>'
        + '<p class="ol-static-hint" role="note" hidden'
        ' style="margin:0.3em 0;padding:0.3em 0.6em;border-left:4px solid #0072B2;background:#eef5fb">'
        f"{html.escape(hint)}</p>{faces}"
        f'<script type="text/javascript">olFace.output({_script_json(root_id)});</script>'
        "</div>"
    )


def _face_display_id(model_id: str) -> str:
    return f"ol-face-{model_id}"


def display_with_face(widget: ipw.Widget) -> None:
    """Show ``widget`` as its live view and, after it, its still picture (two outputs).

    Registered (``register_static_faces``) as IPython's display printer for ipywidgets Boxes and
    LivePlots, so a lesson cell whose last expression is a widget gets both. A Box that holds no
    figure is shown as ipywidgets shows it.
    """
    from IPython.display import publish_display_data

    global _library_carrier
    data = widget._repr_mimebundle_()
    metadata = {}
    if isinstance(data, tuple):
        data, metadata = data
    faced = _faced(widget)
    if not faced or WIDGET_VIEW not in data:
        publish_display_data(data, metadata or None)
        return
    for figure in faced:
        if callable(getattr(figure, "sync_view_state", None)):
            figure.sync_view_state()  # before the view exists: it starts from the current figure
    view = {WIDGET_VIEW: data[WIDGET_VIEW], "text/plain": ""}
    publish_display_data(view, metadata or None)
    display_id = _face_display_id(widget.model_id)
    library = False
    if _current_cell_id() is None and _library_carrier in (None, display_id):
        library, _library_carrier = True, display_id  # no Jupyter server to fetch plotly.js from
    _shown[widget.model_id] = widget
    publish_display_data(
        {"text/html": face_output_html(widget, faced, library=library)},
        {FACE_KEY: {"face_of": widget.model_id}},
        transient={"display_id": display_id},
    )
    _changed_since_write.add(widget.model_id)
    _schedule_face_write()


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def face_changed(widget: ipw.Widget) -> None:
    """Note that what ``widget`` shows has changed: the still pictures holding it are brought up
    to date after the cell (or, for a change from the browser, in the face file) ."""
    _changed_since_cell.add(widget.model_id)
    _changed_since_write.add(widget.model_id)
    if _shown:
        _schedule_face_write()


def _inside(widget) -> list:
    """``widget`` and every widget in it (box children, depth first)."""
    found = [widget]
    for child in getattr(widget, "children", ()) or ():
        if isinstance(child, ipw.Widget):
            found.extend(_inside(child))
    return found


def _stale(changed: set[str]) -> list[str]:
    """Model ids of shown widgets holding any widget in ``changed`` (at any depth: a widget with a
    face of its own, such as the organ bath, changes through the LivePlot inside it)."""
    return [mid for mid, top in list(_shown.items()) if any(w.model_id in changed for w in _inside(top))]


def _refresh_faces_after_cell(*_args) -> None:
    """post_run_cell: update the face output of every shown widget that changed."""
    if not _changed_since_cell:
        return
    from IPython.display import publish_display_data

    changed = set(_changed_since_cell)
    _changed_since_cell.clear()
    for mid in _stale(changed):
        top = _shown.get(mid)
        if top is None or top.comm is None:
            _shown.pop(mid, None)
            continue
        display_id = _face_display_id(mid)
        publish_display_data(
            {"text/html": face_output_html(top, library=_library_carrier == display_id)},
            {FACE_KEY: {"face_of": mid}},
            transient={"display_id": display_id},
            update=True,
        )


def face_dir() -> Path:
    """Where the kernel leaves each shown widget's newest still picture for the server's pre-save
    hook: ``<jupyter runtime dir>/opioid-lessons-faces/<model id>.html``."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir()) / "opioid-lessons-faces"


_last_change = 0.0


def _schedule_face_write() -> None:
    """Write the face files once the widgets have been still for FACE_WRITE_DELAY_S (a debounce:
    while a student drags a slider nothing is written, so redraws are not slowed)."""
    global _write_timer, _last_change
    _last_change = time.monotonic()
    with _write_lock:
        if _write_timer is not None:
            return
        _write_timer = threading.Timer(FACE_WRITE_DELAY_S, _write_faces)
        _write_timer.daemon = True
        _write_timer.start()


def _write_faces(force: bool = False) -> None:
    """Write the face file of every shown widget changed since the last write (timer thread)."""
    global _write_timer
    with _write_lock:
        _write_timer = None
        quiet = time.monotonic() - _last_change
        if not force and quiet < FACE_WRITE_DELAY_S:  # changed again meanwhile: wait for quiet
            _write_timer = threading.Timer(FACE_WRITE_DELAY_S - quiet, _write_faces)
            _write_timer.daemon = True
            _write_timer.start()
            return
        changed = set(_changed_since_write)
        _changed_since_write.clear()
    retry = set()
    try:
        folder = face_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    for mid in _stale(changed):
        top = _shown.get(mid)
        if top is None:
            continue
        try:
            text = face_output_html(top)
            tmp = folder / f".{mid}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, folder / f"{mid}.html")
        except RuntimeError:  # the kernel changed the figure while it was read: next time
            retry.add(mid)
        except OSError:
            pass
    if retry:
        _changed_since_write.update(retry)
        _schedule_face_write()


def write_faces_now() -> None:
    """Write every pending face file at once (tests)."""
    global _write_timer
    with _write_lock:
        if _write_timer is not None:
            _write_timer.cancel()
            _write_timer = None
    _write_faces(force=True)


def _prune_face_files(max_age_days: float = 14.0) -> None:
    """Face files of widgets from long ago go (each is tens of KB)."""
    try:
        cutoff = time.time() - max_age_days * 86400
        for path in face_dir().glob("*.html"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
    except OSError:
        pass


_registered_shell = None


def register_static_faces(display_formatter=None, shell=None) -> None:
    """Show every ipywidgets Box (and LivePlot) with its still picture as a second output
    (``display_with_face``), and bring the pictures up to date after each cell.

    Registered once with IPython's display printer (a Box without figures is shown as usual).
    Without an IPython shell this does nothing.
    """
    global _registered_shell
    if display_formatter is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        display_formatter = shell.display_formatter
    printer = display_formatter.ipython_display_formatter
    if printer.type_printers.get(ipw.Box) is not display_with_face:
        printer.for_type(ipw.Box, display_with_face)
        printer.for_type(LivePlot, display_with_face)
    if shell is not None and _registered_shell is not shell:
        shell.events.register("post_run_cell", _refresh_faces_after_cell)
        _registered_shell = shell
        _prune_face_files()
