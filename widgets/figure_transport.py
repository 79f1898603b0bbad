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
* sends only what changed on an update (a few traces' arrays as base64 float32, a few
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

Static face: where no live widget front-end runs (nbconvert HTML, a rendered book, GitHub's
viewer), a LivePlot -- and any ipywidgets Box holding LivePlots, which is what a lesson cell
usually shows -- also carries a ``text/html`` representation: the figure as it is when
displayed, drawn by plotly.js, and its one-line summary (see :func:`static_face`). Live
front-ends (JupyterLab, Notebook 7) prefer the widget view and never render it.

How plotly.js reaches such a page: the first face in a kernel embeds it once (the gzip bytes
PlotlyLibrary already holds, base64, about 2 MB, unpacked in the browser with
DecompressionStream), as plotly's own ``notebook`` renderer embeds its library once; every later
face draws with ``window.Plotly``. A page that loads plotly.js itself (a book site) can drop the
``<script class="ol-plotlyjs">`` element. nbconvert picks the face only for outputs whose
widget has no saved widget state (a notebook saved from JupyterLab or Notebook 7, whose default
is not to save it, or executed with ``store_widget_state=False``); with saved state it renders
the widget view through the widget manager on a CDN instead.
"""

from __future__ import annotations

import base64
import copy
import gzip
import html
import json
import uuid
from pathlib import Path

import anywidget
import ipywidgets as ipw
import numpy as np
import plotly
import plotly.graph_objects as go
import traitlets
from ipywidgets import widget_serialization

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
        The initial figure (built with :mod:`widgets.theme`).
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
        self.on_msg(self._on_browser_message)
        register_static_faces()

    def static_face_html(self) -> str:
        return static_face(self)

    def _repr_mimebundle_(self, **kwargs):
        """The live widget view plus the static face (text/html) for pages without widgets."""
        data, metadata = super()._repr_mimebundle_(**kwargs)
        return {**data, "text/html": with_rerun_hint(static_face(self))}, metadata

    # -- reading what is shown (tests and summaries use these) ------------------------
    @property
    def summary(self) -> str:
        return self._state["summary"]

    @property
    def layout(self) -> dict:
        return self._state["figure"]["layout"]

    def trace(self, index: int) -> dict:
        """Properties of trace ``index`` as last set, with arrays as numpy arrays."""
        return self._traces[index]

    @property
    def n_traces(self) -> int:
        return len(self._traces)

    # -- changing it --------------------------------------------------------------------
    def update(
        self, traces: dict[int, dict] | None = None, layout: dict | None = None, summary: str | None = None
    ) -> None:
        """Change some trace properties, layout keys and/or the summary, in place.

        Only the changes travel to the browser, in one message.
        """
        message: dict = {"type": "update"}
        figure = self._state["figure"]
        if traces:
            encoded = {}
            for index, props in traces.items():
                if not 0 <= index < len(self._traces):
                    raise IndexError(f"trace index {index} out of range (0..{len(self._traces) - 1})")
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
            self.send(message)

    def _on_browser_message(self, _widget, content, _buffers) -> None:
        """A view that has just rendered says which revision it drew.

        Custom messages reach only views that exist when they arrive; during Run All a
        figure is often updated before its view exists, so the view then asks, and gets
        the current figure in one message if it is behind.
        """
        if content.get("type") == "hello" and content.get("revision") != self._state["revision"]:
            self.send(
                {
                    "type": "full",
                    "figure": self._state["figure"],
                    "summary": self._state["summary"],
                    "revision": self._state["revision"],
                }
            )


# -- the static face ----------------------------------------------------------------------
# The cell run whose face carries plotly.js: (cell id, execution count); None until one has.
_face_library_run: tuple | None = None


def _current_cell_run() -> tuple:
    """(cell id, execution count) of the cell running now; the id is None when the front end
    does not send it (JupyterLab and Notebook 7 do; nbclient does not)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        parent = shell.kernel.get_parent("shell")
        return (parent.get("metadata", {}).get("cellId"), shell.execution_count)
    except Exception:  # no IPython kernel (plain Python, tests): one run
        return (None, None)


def _plotly_js_once() -> str:
    """A script that makes window.Plotly on a page without a live front-end: in the first face
    of the kernel, and again when the cell that carried it runs again (its new output replaces
    the one that carried the library; without it, a saved notebook's faces stay blank)."""
    global _face_library_run
    run = _current_cell_run()
    if _face_library_run is not None:
        carrier_cell, carrier_count = _face_library_run
        if run[0] is None or run[0] != carrier_cell or run[1] == carrier_count:
            return ""
    _face_library_run = run
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


def static_face(plot: LivePlot) -> str:
    """HTML showing ``plot``'s figure as it is now and its summary, for pages with no live widgets.

    Root ``<div class="ol-static-figure">`` (accessible name = the plot's description) holding
    the plotly div, drawn by an inline script when plotly.js is there (window.Plotly, or the
    library this kernel's first face embeds), and ``<p class="ol-summary">``. After drawing, the
    root gets ``data-drawn="true"``.
    """
    state = plot._state
    layout = state["figure"]["layout"]
    height = int(layout.get("height") or 450)
    min_width = int(state.get("min_width") or 0)
    name = html.escape(state.get("description") or "figure", quote=True)
    div_id = f"ol-static-{uuid.uuid4().hex}"
    figure = {"data": state["figure"]["data"], "layout": {**layout, "autosize": True}}
    config = {"displaylogo": False, "responsive": True, "showSendToCloud": False}
    style = f"height:{height}px" + (f";min-width:{min_width}px" if min_width else "")
    script = (
        "(() => { const root = document.getElementById(" + _script_json(div_id) + ");"
        f"const figure = {_script_json(figure)};"
        "const draw = (Plotly) => Plotly && Plotly.newPlot(root.querySelector('.ol-static-plot'),"
        f" figure.data, figure.layout, {_script_json(config)})"
        ".then(() => root.setAttribute('data-drawn', 'true'));"
        "if (window.Plotly) draw(window.Plotly);"
        "else if (window.olPlotlyReady) window.olPlotlyReady.then(draw);"
        "else window.addEventListener('load', () => draw(window.Plotly));"
        "})();"
    )
    return (
        f'<div class="ol-static-figure" id="{div_id}" role="figure" aria-label="{name}"'
        ' style="overflow-x:auto">'
        f"{_plotly_js_once()}"
        f'<div class="ol-static-plot" role="img" aria-label="{name}" style="{style}"></div>'
        f'<script type="text/javascript">{script}</script>'
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
    source = widget._esm.read_text(encoding="utf-8") if isinstance(widget._esm, Path) else widget._esm
    css = widget._css.read_text(encoding="utf-8") if isinstance(widget._css, Path) else (widget._css or "")
    values = widget.face_values() if hasattr(widget, "face_values") else {"_state": widget._state}
    div_id = f"ol-static-{uuid.uuid4().hex}"
    script = (
        "(async () => { const root = document.getElementById(" + _script_json(div_id) + ");"
        f"const source = {_script_json(source)}; const state = {_script_json(values)};"
        "const url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));"
        "const mod = await import(url); URL.revokeObjectURL(url);"
        "const model = {get: (key) => state[key],"
        " on() {}, off() {}, send() {}};"
        "mod.default.render({model, el: root.querySelector('.ol-static-drawing')});"
        "root.setAttribute('data-drawn', 'true'); })();"
    )
    return (
        f'<div class="ol-static-figure" id="{div_id}" role="figure"'
        f' aria-label="{html.escape(name, quote=True)}"><style>{css}</style>'
        '<div class="ol-static-drawing"></div>'
        f'<script type="text/javascript">{script}</script></div>'
    )


def _faced(widget) -> list:
    """The widgets inside ``widget`` (box children, depth first, or itself) that have a static face."""
    if callable(getattr(widget, "static_face_html", None)):
        return [widget]
    found = []
    for child in getattr(widget, "children", ()) if isinstance(widget, ipw.Box) else ():
        found.extend(_faced(child))
    return found


def box_static_face(box: ipw.Box) -> str | None:
    """text/html for a Box holding figures: their static faces, in order; None if it holds none."""
    faces = "".join(w.static_face_html() for w in _faced(box))
    return with_rerun_hint(faces) if faces else None


RERUN_HINT = (
    "A still picture of this figure, saved with the notebook: its controls need the kernel. "
    "Run the cell (Shift+Enter) to use them."
)


def with_rerun_hint(faces: str) -> str:
    """Static faces preceded by a hint to re-run the cell, shown only in Jupyter itself.

    In JupyterLab or Notebook 7 a face shows only when the widget could not be drawn, as
    after reopening a saved lesson (the kernel that made the widget is gone): there the
    student needs to know how to get the controls back. On an exported page or the lessons'
    website there is no kernel to run, so the hint stays hidden. A page served by Jupyter
    carries ``<script id="jupyter-config-data">``; the inline script looks for it.
    """
    hint_id = f"ol-hint-{uuid.uuid4().hex}"
    script = (
        "if (document.getElementById('jupyter-config-data'))"
        f" document.getElementById({_script_json(hint_id)}).hidden = false;"
    )
    return (
        f'<p class="ol-static-hint" id="{hint_id}" role="note" hidden'
        ' style="margin:0.3em 0;padding:0.3em 0.6em;border-left:4px solid #0072B2;background:#eef5fb">'
        f"{html.escape(RERUN_HINT)}</p>"
        f'<script type="text/javascript">{script}</script>{faces}'
    )


def register_static_faces(display_formatter=None) -> None:
    """Give every ipywidgets Box holding a LivePlot the static face as its text/html.

    A lesson cell usually shows the widget's Box, not the LivePlot, so the face is registered
    once for all boxes with IPython's text/html formatter (IPython adds it next to the widget
    view the Box's own _repr_mimebundle_ returns). Without an IPython shell this does nothing.
    """
    if display_formatter is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        display_formatter = shell.display_formatter
    html_formatter = display_formatter.formatters["text/html"]
    if html_formatter.type_printers.get(ipw.Box) is not box_static_face:
        html_formatter.for_type(ipw.Box, box_static_face)
