"""The reward-circuit widget driven headless: set a control, check the diagram, the time courses and the summary."""

import html
import itertools

import ipywidgets as ipw
import numpy as np
import pytest

from widgets import RewardCircuit
from widgets import pharmacology as ph
from widgets.data_access.affinities import representative_ki_nM
from widgets.lesson_widgets.reward_circuit_widget import BAND_TRACE as BAND
from widgets.lesson_widgets.reward_circuit_widget import CURSOR_BOTTOM_TRACE as CURSOR_BOTTOM
from widgets.lesson_widgets.reward_circuit_widget import DA_NEURON_TRACE as DA_NEURONS
from widgets.lesson_widgets.reward_circuit_widget import EDGE_IDS, EDGES, NODE_IDS, NODES, run_circuit
from widgets.lesson_widgets.reward_circuit_widget import GABA_TRACE as GABA
from widgets.lesson_widgets.reward_circuit_widget import NAC_TRACE as NAC
from widgets.lesson_widgets.reward_circuit_widget import NOW_BOTTOM_TRACE as NOW_BOTTOM
from widgets.lesson_widgets.reward_circuit_widget import REFERENCE_TRACE as REFERENCE


def _radius(w, node_id):
    return w.diagram.node(node_id)["radius"]


def _rgb(hex_colour):
    return tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))


@pytest.fixture
def circuit():
    return RewardCircuit()


def _summary(w):
    return html.unescape(w.plot.summary)


def test_diagram_has_every_node_and_link_each_with_an_accessible_name(circuit):
    d = circuit.diagram
    assert d.node_ids == NODE_IDS and len(NODE_IDS) == len(NODES)
    assert d.link_ids == EDGE_IDS and len(EDGE_IDS) == len(EDGES)
    assert d.node("gaba")["aria"] == "VTA GABA interneurons: firing 1.00 times rest"
    assert d.link("gaba-dopamine_neurons")["aria"].startswith(
        "Inhibitory link from VTA GABA interneurons to VTA dopamine neurons, GABA: driven at"
    )
    assert all(d.link(i)["aria"] for i in EDGE_IDS)
    assert "sentence under the time courses" in d.description
    # Shape, dash and a number carry the meaning too, not colour alone.
    assert {n["shape"] for n in map(d.node, NODE_IDS)} == {"circle", "square", "diamond"}
    styles = d._state["link_styles"]
    assert len({(s["dash"], s["end"]) for s in styles.values()}) == len(styles)
    assert d.node("nac")["value"] == "100%"


def test_time_courses_figure_has_the_curves_then_cursor_traces(circuit):
    assert circuit.plot.n_traces == 10
    assert circuit.plot.trace(GABA)["name"] == "VTA GABA interneurons"
    assert circuit.plot.trace(NAC)["name"].startswith("accumbens dopamine")
    assert circuit.plot.trace(REFERENCE)["name"] == "without naltrexone"


def test_default_episode_is_boileaus_dose_and_matches_the_model(circuit):
    assert circuit.alcohol.value == pytest.approx(0.8)  # 1 mL/kg ethanol x 0.789 g/mL
    expected = run_circuit(0.0, 0.8, 0.0)
    np.testing.assert_allclose(circuit.plot.trace(NAC)["y"], expected.nac_dopamine_pct)
    np.testing.assert_allclose(circuit.plot.trace(GABA)["y"], expected.gaba)
    assert len(circuit.plot.trace(REFERENCE)["x"]) == 0  # no naltrexone: no comparison line
    assert _summary(circuit).startswith("Minute 0 of 180")
    assert "100% of baseline" in _summary(circuit)


def test_the_first_slider_is_time_and_play_is_linked_to_it(circuit):
    def sliders(w):
        for child in getattr(w, "children", ()):
            if isinstance(child, (ipw.IntSlider, ipw.FloatSlider, ipw.FloatLogSlider)):
                yield child
            yield from sliders(child)

    assert next(sliders(circuit)) is circuit.time
    assert isinstance(circuit.play, ipw.Play)
    assert (circuit.play.min, circuit.play.max) == (circuit.time.min, circuit.time.max)
    # Play stops when its next step would pass the end: from every minute it must land on 180.
    assert all((circuit.play.max - start) % circuit.play.step == 0 for start in range(181))


def test_moving_time_moves_the_cursor_and_the_diagram_not_the_curves(circuit):
    nac_before = circuit.plot.trace(NAC)["y"].copy()
    radius_gaba, radius_da = _radius(circuit, "gaba"), _radius(circuit, "dopamine_neurons")
    revision = circuit.diagram.revision
    circuit.time.value = 70
    assert circuit.diagram.revision == revision  # the diagram already holds every minute's frame
    assert circuit.diagram.time == 70
    assert list(circuit.plot.trace(CURSOR_BOTTOM)["x"]) == [70, 70]
    np.testing.assert_array_equal(circuit.plot.trace(NAC)["y"], nac_before)
    state = circuit.result.at(70)
    assert circuit.plot.trace(NOW_BOTTOM)["y"][0] == pytest.approx(100 * state["nac_dopamine"])
    assert state["nac_dopamine"] > 1.3 and state["gaba"] < 0.8
    assert _radius(circuit, "gaba") < radius_gaba  # GABA interneurons shrink (quieter)
    assert _radius(circuit, "dopamine_neurons") > radius_da  # dopamine neurons grow
    r, _, b = _rgb(circuit.diagram.node("dopamine_neurons")["fill"])
    assert r > b  # towards orange: above rest
    r, _, b = _rgb(circuit.diagram.node("gaba")["fill"])
    assert b > r  # towards blue: below rest
    assert circuit.diagram.node("nac")["value"] == f"{100 * state['nac_dopamine']:.0f}%"
    assert _summary(circuit).startswith("Minute 70 of 180")
    assert f"{100 * state['nac_dopamine']:.0f}% of baseline" in _summary(circuit)


def test_naltrexone_lowers_the_peak_and_says_how_much_it_holds(circuit):
    before = circuit.plot.trace(NAC)["y"].max()
    circuit.naltrexone_on.value = True
    after = circuit.plot.trace(NAC)["y"].max()
    assert after < before
    np.testing.assert_allclose(circuit.plot.trace(REFERENCE)["y"].max(), before)
    mor = ph.occupancy(1.0, representative_ki_nM("naltrexone", "MOR"))
    kor = ph.occupancy(1.0, representative_ki_nM("naltrexone", "KOR"))
    text = _summary(circuit)
    assert f"holds {mor:.0%} of MOR and {kor:.0%} of KOR" in text
    assert "of the" in text and "rise without it" in text
    assert circuit.diagram.node("naltrexone")["value"] == f"MOR {mor:.0%}"
    assert circuit.diagram.link("naltrexone-gaba")["opacity"] == 1.0
    # More naltrexone, less dopamine (Benjamin et al. 1993: dose dependent).
    circuit.naltrexone.value = 10.0
    assert circuit.plot.trace(NAC)["y"].max() < after
    assert not circuit.naltrexone.disabled


def test_naltrexone_switched_off_fades_its_links_and_ignores_its_slider(circuit):
    assert circuit.naltrexone.disabled
    assert "(off)" in circuit.naltrexone_label.value and "<b>" not in circuit.naltrexone_label.value
    blocks = [EDGE_IDS[i] for i, e in enumerate(EDGES) if e[2] == "block"]
    assert blocks and all(circuit.diagram.link(i)["opacity"] < 1 for i in blocks)
    assert all(circuit.diagram.link(i)["aria"].endswith("naltrexone absent") for i in blocks)
    nac = circuit.plot.trace(NAC)["y"].copy()
    circuit.naltrexone.value = 50.0
    np.testing.assert_array_equal(circuit.plot.trace(NAC)["y"], nac)


def test_opioid_quiets_gaba_and_raises_dopamine_from_minute_10():
    w = RewardCircuit(opioid_nM=10.0, alcohol_g_per_kg=0.0)
    gaba = w.plot.trace(GABA)["y"]
    t = w.plot.trace(GABA)["x"]
    assert np.all(gaba[t <= 10] == 1.0) and gaba[-1] < 0.7
    assert w.plot.trace(NAC)["y"].max() > 150


def test_no_input_shows_a_resting_circuit():
    w = RewardCircuit(opioid_nM=0.0, alcohol_g_per_kg=0.0, naltrexone=True)
    np.testing.assert_array_equal(w.plot.trace(NAC)["y"], 100.0)
    assert "no rise above baseline" in _summary(w)
    assert "nothing for it to block" in _summary(w)


def test_the_published_band_is_drawn_from_the_data_table(circuit):
    band = circuit.plot.trace(BAND)
    assert min(band["y"]) == 150 and max(band["y"]) == 200
    assert "approximate" in band["name"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"opioid_nM": -1},
        {"alcohol_g_per_kg": 9},
        {"naltrexone_nM": 0},
        {"time_min": 500},
        {"opioid_nM": "some"},
    ],
)
def test_bad_constructor_arguments_raise(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RewardCircuit(**kwargs)


def test_headless_sweep_over_every_control():
    w = RewardCircuit()
    for o, a, on, b in itertools.product([0, 5, 50], [0, 0.8, 2], [False, True], [0.01, 1, 100]):
        w.opioid.value, w.alcohol.value, w.naltrexone_on.value, w.naltrexone.value = o, a, on, b
        for t in (0, 45, 180):
            w.time.value = t
            for key in (GABA, DA_NEURONS, NAC):
                y = w.plot.trace(key)["y"]
                assert np.all(np.isfinite(y)) and np.all(y >= 0)
            radii = [_radius(w, n) for n in NODE_IDS]
            assert all(12 <= r <= 32 for r in radii)
            assert w.plot.summary.startswith(f"Minute {t} ")
        if on and (o or a):
            assert w.plot.trace(NAC)["y"].max() <= w.plot.trace(REFERENCE)["y"].max() + 1e-6


def test_the_diagram_follows_the_slider_in_the_browser_and_the_kernel_does_not_echo_it(circuit):
    link = circuit.diagram_link
    assert (link.source, link.target) == ((circuit.time, "value"), (circuit.diagram, "time"))
    # A move made in the browser reaches the kernel as a state message (set_state): the
    # browser link has already moved the diagram, so the kernel must not set it again (an
    # older time could overtake the browser's while Play runs).
    circuit.time.set_state({"value": 70})
    assert circuit.diagram.time == 0
    assert _summary(circuit).startswith("Minute 70 of 180")  # the time courses still follow


def test_every_minute_has_a_frame_matching_the_model(circuit):
    d = circuit.diagram
    assert d.frames["times"] == list(range(0, 181))
    circuit.opioid.value = 10.0
    for minute in (0, 15, 70, 180):
        circuit.time.value = minute
        state = circuit.result.at(minute)
        assert d.node("gaba")["words"] == f"firing {state['gaba']:.2f} times rest"
        assert d.node("drug")["value"] == f"{state['opioid_nM']:.1f} nM"


def test_the_cursor_at_0_and_180_minutes_stands_clear_of_the_plot_edge(circuit):
    """At 180 min the cursor sat on the plot's right edge and its markers were cut in half."""
    from widgets.lesson_widgets.reward_circuit_widget import T_END_MIN

    for axis in ("xaxis", "xaxis2"):
        lo, hi = circuit.plot.layout[axis]["range"]
        assert lo <= -3 and hi >= T_END_MIN + 3
    markers = [k for k in circuit.plot.trace_keys if circuit.plot.trace(k).get("mode") == "markers"]
    assert markers and all(circuit.plot.trace(k)["cliponaxis"] is False for k in markers)


def test_the_event_labels_do_not_crowd_each_other(circuit):
    """'opioid' and 'drink' side by side in one strip nearly touched at narrow widths (20 min apart:
    33 px at the plot's minimum width): each labels its dotted line in a panel of its own."""
    labels = {a["text"]: a for a in circuit.plot.layout["annotations"] if a["text"] in ("opioid", "drink")}
    assert set(labels) == {"opioid", "drink"}
    assert labels["opioid"]["yref"] != labels["drink"]["yref"]
    assert all(
        a["y"] == 1.0 and a["yanchor"] == "top" and a["yref"].endswith("domain") for a in labels.values()
    )
