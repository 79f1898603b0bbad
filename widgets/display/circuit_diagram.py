"""A node-and-link diagram drawn as SVG in the browser, stepped through time there.

A sibling of :class:`widgets.display.figure_transport.LivePlot` for figures that are diagrams, not
plots (lesson 05's reward circuit). The SVG has a ``viewBox``, so it scales with the notebook
at any width and zoom instead of being laid out by plotly's margins. Every node and link is
an element with an accessible name.

The kernel sends the diagram's values for every time step at once (:meth:`set_frames`,
once per model run); the synced ``time`` picks the frame shown. Link a time slider to it in
the browser (``ipywidgets.jsdlink``) and a key on the slider redraws the diagram with no
round trip through the kernel: the view only changes the attributes that differ (a node's
fill, size, value text and accessible name; a link's width, opacity and accessible name).
After drawing, the diagram root (``<svg class="ol-diagram">``) sets ``data-drawn-revision``
to ``"<frames revision>@<time>"``, so tests and the benchmark can tell what it shows.

Geometry (in viewBox units) is fixed when the diagram is created:

* a node: ``id``, ``name`` (a list of lines), ``x``, ``y``, ``shape`` ("circle", "square",
  "diamond"), ``label`` (where the name goes: "above", "above-left", "left", "right"),
  ``label_gap`` (distance of the name from the centre, default 40);
* a link: ``id``, ``points`` (list of [x, y], the first on its source and the last on its
  target node, already stopped short of the nodes), ``kind`` (a key of ``link_styles``),
  ``label`` (text or ""), ``label_at`` ([x, y, "start" | "middle" | "end"]) and
  ``aria_name`` (what the link is, for its accessible name).

Values per frame: node ``fill``, ``radius``, ``value`` (text shown under its name) and
``words``; link ``width``, ``opacity`` and ``words``. An item's accessible name is
``"<name>: <words>"`` (a node's name is its name lines joined; a link's is its ``aria_name``).
"""

from __future__ import annotations

import bisect
import copy
import math
from pathlib import Path

import anywidget
import traitlets

from .figure_transport import compose_static

STATIC = Path(__file__).resolve().parent / "static"

NODE_VALUES = ("fill", "radius", "value", "words")
LINK_VALUES = ("width", "opacity", "words")


def _at(columns: dict, i: int) -> dict:
    """Frame ``i``'s values from columns (a list with a value per time, or one value for all)."""
    return {value: column[i] if isinstance(column, list) else column for value, column in columns.items()}


class CircuitDiagram(anywidget.AnyWidget):
    """An SVG node-and-link diagram that shows one of its frames, chosen by ``time``.

    Parameters
    ----------
    nodes, links : list of dict
        Geometry (see the module docstring).
    link_styles : dict
        Per link kind: ``colour``, ``dash`` (SVG stroke-dasharray or ""), ``end`` ("arrow",
        "bar", "cross") and ``legend`` (text for the key under the diagram).
    view_box : (width, height)
        The drawing's coordinate system.
    title : str
        The diagram's accessible name.
    description : str
        Its accessible description (what the shapes, lines and colours mean, and where the
        current values are said in words).
    node_key : list of (fill, text)
        Swatches for the key: what node colours mean (size and the number say it too).
    """

    # a11y.js in front, as the other widgets have it: its page guard (keys on sliders, Ctrl+S)
    # no longer depends on some other widget on the page having loaded it. The still picture
    # imports the drawing alone (``_face_esm``).
    _esm = compose_static("a11y.js", "circuit_diagram.js")
    _face_esm = STATIC / "circuit_diagram.js"
    _css = STATIC / "circuit_diagram.css"
    # Geometry and text, fixed: {"view_box", "title", "description", "nodes", "links",
    # "link_styles", "node_key"}.
    _state = traitlets.Dict().tag(sync=True)
    # {"revision": count of set_frames calls, "times": [...], "nodes": {id: {value: column}},
    #  "links": {id: {value: column}}}; a column is one value per time, or one value for all.
    frames = traitlets.Dict().tag(sync=True)
    time = traitlets.Float(0.0).tag(sync=True)

    def static_face_html(self) -> str:
        """The diagram as it is now, for pages without live widgets (see figure_transport)."""
        from .figure_transport import module_face

        return module_face(self, self._state.get("title") or "diagram")

    def face_values(self) -> dict:
        """What the module needs to draw the diagram as it is now: the frame shown, alone."""
        i = self.frame_index()
        frames = {"revision": self.revision, "times": [], "nodes": {}, "links": {}}
        if i is not None:
            frames["times"] = [self.frames["times"][i]]
            for key in ("nodes", "links"):
                frames[key] = {item_id: _at(columns, i) for item_id, columns in self.frames[key].items()}
        return {
            "_state": self._state,
            "frames": frames,
            "time": frames["times"][0] if i is not None else self.time,
        }

    def __init__(
        self,
        nodes: list[dict],
        links: list[dict],
        link_styles: dict,
        view_box: tuple[float, float],
        title: str,
        description: str,
        node_key: list[tuple[str, str]] = (),
        **kwargs,
    ):
        ids = [n["id"] for n in nodes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"node ids must be unique, got {ids}")
        for link in links:
            if link["kind"] not in link_styles:
                raise ValueError(
                    f"link {link['id']!r}: kind {link['kind']!r} has no style (known: {sorted(link_styles)})"
                )
        super().__init__(
            _state={
                "view_box": list(view_box),
                "title": title,
                "description": description,
                "nodes": copy.deepcopy(list(nodes)),
                "links": copy.deepcopy(list(links)),
                "link_styles": copy.deepcopy(dict(link_styles)),
                "node_key": [list(k) for k in node_key],
            },
            frames={"revision": 0, "times": [], "nodes": {}, "links": {}},
            **kwargs,
        )
        self._node_index = {n["id"]: i for i, n in enumerate(self._state["nodes"])}
        self._link_index = {k["id"]: i for i, k in enumerate(self._state["links"])}

    # -- reading what is shown ----------------------------------------------------------
    @property
    def revision(self) -> int:
        """How many times the frames have been replaced."""
        return self.frames["revision"]

    @property
    def title(self) -> str:
        return self._state["title"]

    @property
    def description(self) -> str:
        return self._state["description"]

    @property
    def node_ids(self) -> list[str]:
        return list(self._node_index)

    @property
    def link_ids(self) -> list[str]:
        return list(self._link_index)

    def frame_index(self, time: float | None = None) -> int | None:
        """The frame shown at ``time`` (default: now): the nearest time, the earlier on a tie."""
        times = self.frames["times"]
        if not times:
            return None
        t = self.time if time is None else time
        i = bisect.bisect_left(times, t)
        if i == len(times) or (i > 0 and t - times[i - 1] <= times[i] - t):
            i -= 1
        return i

    def node(self, node_id: str) -> dict:
        """A node's geometry, its values at the current time and its accessible name."""
        item = self._state["nodes"][self._index(self._node_index, node_id, "node")]
        return self._with_values(item, "nodes", " ".join(item["name"]))

    def link(self, link_id: str) -> dict:
        """A link's geometry, its values at the current time and its accessible name."""
        item = self._state["links"][self._index(self._link_index, link_id, "link")]
        return self._with_values(item, "links", item.get("aria_name", item["id"]))

    @staticmethod
    def _index(index: dict, item_id: str, what: str) -> int:
        if item_id not in index:
            raise KeyError(f"no {what} {item_id!r} in the diagram (known: {list(index)})")
        return index[item_id]

    def _with_values(self, item: dict, key: str, name: str) -> dict:
        shown = dict(item)
        i = self.frame_index()
        if i is not None:
            shown.update(_at(self.frames[key].get(item["id"], {}), i))
        if "words" in shown:
            shown["aria"] = f"{name}: {shown['words']}"
        return shown

    # -- changing it --------------------------------------------------------------------
    def set_frames(self, times, nodes: dict[str, dict] | None = None, links: dict[str, dict] | None = None):
        """Replace every frame: ``times`` (increasing) and, per node or link id, per value, one
        value per time. All of it travels in one message; a column whose values are all equal
        travels as one value."""
        times = [float(t) for t in times]
        if not times or any(not math.isfinite(t) for t in times):
            raise ValueError("times must be a non-empty list of finite numbers")
        if any(b <= a for a, b in zip(times, times[1:])):
            raise ValueError("times must increase")
        frames = {"revision": self.revision + 1, "times": times, "nodes": {}, "links": {}}
        for key, index, allowed, given in (
            ("nodes", self._node_index, NODE_VALUES, nodes),
            ("links", self._link_index, LINK_VALUES, links),
        ):
            for item_id, values in (given or {}).items():
                self._index(index, item_id, key[:-1])
                unknown = set(values) - set(allowed)
                if unknown:
                    raise KeyError(
                        f"{key[:-1]} {item_id!r}: cannot change {sorted(unknown)} (only {allowed})"
                    )
                columns = {}
                for value, column in values.items():
                    column = list(column)
                    if len(column) != len(times):
                        raise ValueError(
                            f"{key[:-1]} {item_id!r}: {value} has {len(column)} values for {len(times)} times"
                        )
                    columns[value] = column[0] if all(v == column[0] for v in column) else column
                frames[key][item_id] = columns
        self.frames = frames
