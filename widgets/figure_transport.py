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
  layout keys and the summary text) as one custom message, which the browser applies with
  ``Plotly.react`` -- the figure updates in place, it is never rebuilt or re-displayed.

The figure state kept in the kernel is the same dict the widget syncs, mutated in place
(mutation does not trigger a re-sync), so a page reload still shows the current figure.
"""

from __future__ import annotations

import base64
import copy
import gzip
from pathlib import Path

import anywidget
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
    return {k: _raw_props(v) if isinstance(v, dict)
            else (np.asarray(v) if k in _ARRAY_KEYS else v) for k, v in props.items()}


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

    def __init__(self, figure: go.Figure, summary: str = "", description: str = "", min_width: int = 0,
                 **kwargs):
        spec = figure.to_plotly_json()  # numpy arrays arrive as base64 typed-array specs
        # Keep the raw values too, so code and tests can read what is drawn.
        self._traces = [copy.deepcopy(dict(t)) for t in figure.to_dict()["data"]]
        super().__init__(
            _library=plotly_library(),
            _state={"figure": spec, "summary": summary, "description": description, "revision": 0,
                    "min_width": int(min_width)},
            **kwargs,
        )
        self.on_msg(self._on_browser_message)

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
    def update(self, traces: dict[int, dict] | None = None, layout: dict | None = None,
               summary: str | None = None) -> None:
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
            self.send({"type": "full", "figure": self._state["figure"],
                       "summary": self._state["summary"], "revision": self._state["revision"]})
