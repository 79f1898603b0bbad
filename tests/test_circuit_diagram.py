"""The SVG diagram's frames: what set_frames sends, which frame a time shows, and bad input."""

import json

import pytest

from widgets.display.circuit_diagram import CircuitDiagram

STYLES = {"excitatory": {"colour": "#009E73", "dash": "", "end": "arrow", "legend": "excites"}}


def _diagram():
    nodes = [
        {"id": "a", "name": ["A", "cells"], "x": 10, "y": 10, "shape": "circle", "label": "above"},
        {"id": "b", "name": ["B"], "x": 90, "y": 10, "shape": "square", "label": "right"},
    ]
    links = [
        {
            "id": "a-b",
            "kind": "excitatory",
            "label": "",
            "points": [[30, 10], [70, 10]],
            "label_at": None,
            "aria_name": "A excites B",
        }
    ]
    return CircuitDiagram(nodes, links, STYLES, (100, 40), title="t", description="d")


def test_frames_travel_in_one_synced_value_with_constant_columns_sent_once():
    d = _diagram()
    d.set_frames(
        [0, 10, 20],
        nodes={"a": {"radius": [20, 25, 30], "fill": ["#eeeeee"] * 3, "words": ["x", "y", "z"]}},
        links={"a-b": {"width": [2, 2, 2]}},
    )
    assert d.revision == 1
    assert d.frames["nodes"]["a"] == {"radius": [20, 25, 30], "fill": "#eeeeee", "words": ["x", "y", "z"]}
    assert d.frames["links"]["a-b"] == {"width": 2}
    json.dumps(d.frames)  # it must travel as JSON
    d.set_frames([0], nodes={"b": {"value": ["on"]}})
    assert d.revision == 2 and "a" not in d.frames["nodes"]


def test_the_time_shows_the_nearest_frame_and_names_it_in_words():
    d = _diagram()
    d.set_frames([0, 10, 20], nodes={"a": {"radius": [20, 25, 30], "words": ["x", "y", "z"]}})
    expected = {0: 20, 4.9: 20, 5: 20, 5.1: 25, 14: 25, 19: 30, 99: 30, -3: 20}  # a tie takes the earlier
    for time, radius in expected.items():
        d.time = time
        assert d.node("a")["radius"] == radius, time
    d.time = 20
    assert d.node("a")["aria"] == "A cells: z"  # the name lines joined, then the words
    d.set_frames([0], links={"a-b": {"words": ["driven at 5%"]}})
    assert d.link("a-b")["aria"] == "A excites B: driven at 5%"
    assert "fill" not in d.node("b")  # never given a value: only its geometry


def test_bad_frames_and_unknown_ids_are_named_in_the_error():
    d = _diagram()
    with pytest.raises(KeyError, match="no node 'c'"):
        d.set_frames([0], nodes={"c": {"fill": ["#000000"]}})
    with pytest.raises(KeyError, match="no link 'b-a'"):
        d.link("b-a")
    with pytest.raises(KeyError, match="cannot change \\['x'\\]"):
        d.set_frames([0], nodes={"a": {"x": [3]}})
    with pytest.raises(ValueError, match="node 'a': radius has 1 values for 2 times"):
        d.set_frames([0, 1], nodes={"a": {"radius": [3]}})
    with pytest.raises(ValueError, match="times must increase"):
        d.set_frames([0, 0])
    with pytest.raises(ValueError, match="non-empty list of finite"):
        d.set_frames([0, float("nan")])
    with pytest.raises(ValueError, match="kind 'inhibitory' has no style"):
        CircuitDiagram([], [{"id": "l", "kind": "inhibitory"}], STYLES, (1, 1), "t", "d")
    assert d.revision == 0  # nothing was replaced by a bad call


def test_the_live_module_installs_the_page_guard_itself_and_the_picture_stays_lean():
    """a11y.js (keys on sliders, Ctrl+S through a focused control) came to a page with the
    diagram only if another widget had loaded it: the diagram's module now carries it in front
    and calls its guard; the still picture imports the drawing alone."""
    from widgets.display.figure_transport import module_face

    live = CircuitDiagram._esm
    assert live.index("function a11yInstallPageGuard") < live.index(
        'typeof a11yInstallPageGuard === "function"'
    )
    face = module_face(_diagram(), "test diagram")
    assert "a11yInstallPageGuard" in face  # the guarded call, from the drawing module
    assert "function a11yInstallPageGuard" not in face
