"""The SVG diagram transport: what an update sends, and how a late view catches up."""

import pytest

from widgets.circuit_diagram import CircuitDiagram

STYLES = {"excitatory": {"colour": "#009E73", "dash": "", "end": "arrow", "legend": "excites"}}


def _diagram():
    nodes = [
        {
            "id": "a",
            "name": ["A"],
            "x": 10,
            "y": 10,
            "shape": "circle",
            "label": "above",
            "fill": "#eeeeee",
            "radius": 20,
            "value": "x1",
            "aria": "A at rest",
        },
        {"id": "b", "name": ["B"], "x": 90, "y": 10, "shape": "square", "label": "right"},
    ]
    links = [
        {
            "id": "a-b",
            "kind": "excitatory",
            "label": "",
            "points": [[30, 10], [70, 10]],
            "label_at": None,
            "width": 2,
            "opacity": 1,
        }
    ]
    return CircuitDiagram(nodes, links, STYLES, (100, 40), title="t", description="d")


def _sent(diagram, monkeypatch):
    messages = []
    monkeypatch.setattr(diagram, "send", lambda msg, buffers=None: messages.append(msg))
    return messages


def test_an_update_sends_only_what_changed_with_the_next_revision(monkeypatch):
    d = _diagram()
    sent = _sent(d, monkeypatch)
    d.update(nodes={"a": {"fill": "#eeeeee", "radius": 25}}, links={"a-b": {"width": 2}})
    assert sent == [{"type": "update", "nodes": {"a": {"radius": 25}}, "revision": 1}]
    assert d.node("a")["radius"] == 25 and d.revision == 1
    d.update(nodes={"a": {"radius": 25}})  # nothing changed: nothing sent
    assert len(sent) == 1 and d.revision == 1


def test_a_view_that_is_behind_gets_every_value_in_one_message(monkeypatch):
    d = _diagram()
    d.update(links={"a-b": {"width": 5}})
    sent = _sent(d, monkeypatch)
    d._on_browser_message(d, {"type": "hello", "revision": 1}, [])
    assert sent == []  # up to date: nothing to send
    d._on_browser_message(d, {"type": "hello", "revision": 0}, [])
    (full,) = sent
    assert full["type"] == "full" and full["revision"] == 1
    assert full["links"]["a-b"]["width"] == 5 and full["nodes"]["a"]["value"] == "x1"


def test_unknown_ids_kinds_and_values_are_named_in_the_error():
    d = _diagram()
    with pytest.raises(KeyError, match="no node 'c'"):
        d.update(nodes={"c": {"fill": "#000000"}})
    with pytest.raises(KeyError, match="cannot change \\['x'\\]"):
        d.update(nodes={"a": {"x": 3}})
    with pytest.raises(ValueError, match="kind 'inhibitory' has no style"):
        CircuitDiagram([], [{"id": "l", "kind": "inhibitory"}], STYLES, (1, 1), "t", "d")
