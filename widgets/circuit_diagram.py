"""A node-and-link diagram drawn as SVG in the browser, updated in place.

A sibling of :class:`widgets.figure_transport.LivePlot` for figures that are diagrams, not
plots (lesson 05's reward circuit). The SVG has a ``viewBox``, so it scales with the notebook
at any width and zoom instead of being laid out by plotly's margins. Every node and link is
an element with an accessible name. An update is one small custom message that changes a few
attributes (a node's fill, size and value text; a link's width and opacity; their accessible
names); the browser never rebuilds the drawing. After applying an update the browser sets
``data-drawn-revision`` on the diagram root (class ``ol-diagram``) to the update's revision,
so tests and the benchmark can tell when it is drawn.

Geometry (in viewBox units) is fixed when the diagram is created:

* a node: ``id``, ``name`` (a list of lines), ``x``, ``y``, ``shape`` ("circle", "square",
  "diamond"), ``label`` (where the name goes: "above", "above-left", "left", "right"),
  ``label_gap`` (distance of the name from the centre, default 40);
* a link: ``id``, ``points`` (list of [x, y], the first on its source and the last on its
  target node, already stopped short of the nodes), ``kind`` (a key of ``link_styles``),
  ``label`` (text or "") and ``label_at`` ([x, y, "start" | "middle" | "end"]).

Values that change: node ``fill``, ``radius``, ``value`` (text shown under its name) and
``aria`` (accessible name); link ``width``, ``opacity`` and ``aria``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import anywidget
import traitlets

STATIC = Path(__file__).resolve().parent / "static"

NODE_VALUES = ("fill", "radius", "value", "aria")
LINK_VALUES = ("width", "opacity", "aria")


class CircuitDiagram(anywidget.AnyWidget):
    """An SVG node-and-link diagram whose node and link values update in place.

    Parameters
    ----------
    nodes, links : list of dict
        Geometry and initial values (see the module docstring).
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

    _esm = STATIC / "circuit_diagram.js"

    _css = STATIC / "circuit_diagram.css"
    # {"view_box", "title", "description", "nodes", "links", "link_styles", "node_key",
    #  "revision": count of updates, so a view created late can tell it is behind}
    _state = traitlets.Dict().tag(sync=True)

    def static_face_html(self) -> str:
        """The diagram as it is now, for pages without live widgets (see figure_transport)."""
        from .figure_transport import module_face

        return module_face(self, self._state.get("title") or "diagram")

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
                "revision": 0,
            },
            **kwargs,
        )
        self._node_index = {n["id"]: i for i, n in enumerate(self._state["nodes"])}
        self._link_index = {k["id"]: i for i, k in enumerate(self._state["links"])}
        self.on_msg(self._on_browser_message)

    # -- reading what is shown ----------------------------------------------------------
    @property
    def revision(self) -> int:
        return self._state["revision"]

    @property
    def title(self) -> str:
        return self._state["title"]

    @property
    def description(self) -> str:
        return self._state["description"]

    def node(self, node_id: str) -> dict:
        """A node's geometry and current values."""
        return self._state["nodes"][self._node_index[node_id]]

    def link(self, link_id: str) -> dict:
        """A link's geometry and current values."""
        return self._state["links"][self._link_index[link_id]]

    @property
    def node_ids(self) -> list[str]:
        return list(self._node_index)

    @property
    def link_ids(self) -> list[str]:
        return list(self._link_index)

    # -- changing it --------------------------------------------------------------------
    def update(self, nodes: dict[str, dict] | None = None, links: dict[str, dict] | None = None) -> None:
        """Change some node and link values; only what changed travels, in one message."""
        message: dict = {"type": "update"}
        for key, index, allowed, changes in (
            ("nodes", self._node_index, NODE_VALUES, nodes),
            ("links", self._link_index, LINK_VALUES, links),
        ):
            sent = {}
            for item_id, values in (changes or {}).items():
                if item_id not in index:
                    raise KeyError(f"no {key[:-1]} {item_id!r} in the diagram (known: {list(index)})")
                unknown = set(values) - set(allowed)
                if unknown:
                    raise KeyError(
                        f"{key[:-1]} {item_id!r}: cannot change {sorted(unknown)} (only {allowed})"
                    )
                item = self._state[key][index[item_id]]
                diff = {k: v for k, v in values.items() if item.get(k) != v}
                if diff:
                    item.update(diff)
                    sent[item_id] = diff
            if sent:
                message[key] = sent
        if len(message) > 1:
            self._state["revision"] += 1
            message["revision"] = self._state["revision"]
            self.send(message)

    def _on_browser_message(self, _widget, content, _buffers) -> None:
        """A view that has just rendered says which revision it drew; send all values if it is behind.

        Custom messages reach only views that exist when they are sent (during Run All a
        diagram is often updated before it has a view).
        """
        if content.get("type") == "hello" and content.get("revision") != self._state["revision"]:
            self.send(
                {
                    "type": "full",
                    "revision": self._state["revision"],
                    "nodes": {n["id"]: {k: n.get(k) for k in NODE_VALUES} for n in self._state["nodes"]},
                    "links": {k["id"]: {v: k.get(v) for v in LINK_VALUES} for k in self._state["links"]},
                }
            )
