"""live_plot.js in headless Chromium, driven by a real LivePlot's messages (no JupyterLab).

A small stand-in for the widget model (get/on/send, the PlotlyLibrary bytes) lets the test feed
the browser side exactly what the kernel sends, count which plotly calls it makes, and compare
what is drawn with the kernel's own record of the figure: after many updates, after a reload
(a new view from the synced state) and in a view that appears late (behind, asks for the
whole figure).
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from widgets.display.figure_transport import LivePlot, plotly_library
from widgets.display.theme import new_figure

pytestmark = pytest.mark.browser

ORIGIN = "http://liveplot.test"
N_UPDATES = 40

# A fake model for initialize() and render(): state, custom messages in and out, the PlotlyLibrary bytes.
_FAKE_MODEL = """async ([state, id, withView = true]) => {
  const mod = await import('%s/live_plot.js');
  const lib = new Uint8Array(await (await fetch('%s/plotly.gz')).arrayBuffer());
  const handlers = [];
  const model = {
    get: (key) => (key === '_state' ? state : key === '_library' ? 'IPY_MODEL_lib' : undefined),
    on: (event, handler) => event === 'msg:custom' && handlers.push(handler),
    off: () => {},
    send: (msg) => model.sent.push(msg),
    sent: [],
    widget_manager: { get_model: async () => ({ get: () => lib }) },
    // a message recorded by _record: its binary buffers (base64) go to the handlers as DataViews
    deliver: ({ _buffers = [], ...msg }) => {
      const views = _buffers.map((b) => new DataView(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)).buffer));
      handlers.forEach((h) => h(msg, views));
    },
  };
  const el = document.createElement('div');
  el.id = id;
  el.style.width = '900px';
  document.body.append(el);
  const view = () => mod.default.render({ model, el });
  (window.views ??= {})[id] = { model, el, view };
  mod.default.initialize({ model });  // as anywidget does, once per model, before its views
  if (withView) view();
}""" % (ORIGIN, ORIGIN)

# What a view draws: per trace, x and y as plotly holds them; shapes' x0; annotation texts.
_DRAWN = """id => {
  const gd = window.views[id].el.querySelector('.js-plotly-plot');
  return {
    traces: gd._fullData.map((t) => [Array.from(t.x ?? []), Array.from(t.y ?? [])]),
    sizes: gd._fullData.map((t) => t.marker?.size ?? null),
    yrange: gd._fullLayout.yaxis.range,
    shapes: gd._fullLayout.shapes.map((s) => s.x0),
    annotations: gd._fullLayout.annotations.map((a) => a.text),
    summary: window.views[id].el.querySelector('.ol-summary').textContent,
    // each subplot's trace groups in drawing order (later = on top)
    groups: [...gd.querySelectorAll('.scatterlayer')].map((layer) =>
      [...layer.querySelectorAll(':scope > .trace')].map((g) => g.__data__[0].trace.index)),
  };
}"""


# From here on, window.calls counts plotly's calls by name.
_COUNT_PLOTLY_CALLS = """() => { window.calls = {};
  for (const f of ['react', 'newPlot', 'restyle', 'relayout', 'update', 'animate']) {
    const original = Plotly[f];
    Plotly[f] = function (...args) { window.calls[f] = (window.calls[f] || 0) + 1; return original.apply(this, args); };
  } }"""


def _two_panels_with_legend():
    """An empty figure: two side-by-side panels on fixed axes (0 to 10), with a legend."""
    return new_figure(
        height=300,
        showlegend=True,
        xaxis={"domain": [0, 0.45], "range": [0, 10]},
        yaxis={"range": [0, 10]},
        xaxis2={"domain": [0.55, 1], "anchor": "y2", "range": [0, 10]},
        yaxis2={"anchor": "x2", "range": [0, 10]},
    )


@pytest.fixture
def page_with_module(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    js = LivePlot._esm  # the module as anywidget serves it (a11y.js + live_plot.js)
    routes = {
        "/": ("text/html", b"<!doctype html><html><body></body></html>"),
        "/live_plot.js": ("text/javascript", js.encode()),
        "/plotly.gz": ("application/octet-stream", plotly_library().source_gz),
    }

    def serve(route):
        path = route.request.url[len(ORIGIN) :] or "/"
        content_type, body = routes[path]
        route.fulfill(status=200, content_type=content_type, body=body)

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    page.errors = errors
    yield page
    context.close()


def _two_panel_plot(autorange: bool) -> LivePlot:
    """Curves (left), markers (right, on an autoranged y axis if ``autorange``), shapes, annotations."""
    yaxis2 = {"anchor": "x2"} if autorange else {"anchor": "x2", "range": [-100, 100]}
    fig = new_figure(
        height=400,
        xaxis={"domain": [0, 0.45], "range": [0, 10]},
        yaxis={"range": [-1, 11]},
        xaxis2={"domain": [0.55, 1], "anchor": "y2", "range": [-1, 3]},
        yaxis2=yaxis2,
        shapes=[{"type": "line", "x0": 1, "x1": 1, "y0": 0, "y1": 10}],
        annotations=[
            {"text": "fixed note", "x": 5, "y": 10, "showarrow": False},
            {"text": "step 0", "x": 5, "y": 5, "showarrow": False},
        ],
    )
    grid = np.linspace(0, 10, 50)
    fig.add_scatter(x=grid, y=grid / 2, uid="curve")
    fig.add_scatter(x=[1.0], y=[0.5], mode="markers", uid="point")
    fig.add_scatter(x=[0, 1, 2], y=[3, 1, 2], mode="markers", xaxis="x2", yaxis="y2", uid="panel 2")
    return LivePlot(fig, summary="step 0", description="test figure")


def _record(plot: LivePlot, into: list) -> None:
    """Make ``plot`` append what it sends to ``into``: each message as JSON carries it, with its
    binary buffers as base64 under "_buffers" when it has any (the fake model's ``deliver`` hands
    them to the handlers as DataViews, as the front end does)."""

    def send(msg, buffers=None):
        wire = json.loads(json.dumps(msg))
        if buffers:
            wire["_buffers"] = [base64.b64encode(bytes(b)).decode() for b in buffers]
        into.append(wire)

    plot.send = send


def _drive(plot: LivePlot) -> list[dict]:
    """N_UPDATES updates of every kind the widgets send; returns the messages sent."""
    sent = []
    _record(plot, sent)
    grid = np.linspace(0, 10, 50)
    for k in range(1, N_UPDATES + 1):
        traces = {"point": {"x": [k % 10], "y": [(k % 10) / 2]}}
        layout = None
        if k % 3 == 0:
            traces["curve"] = {"y": grid / (1 + k % 4)}
        if k % 4 == 0:
            traces["panel 2"] = {"y": [k, -k, 2 * k]}
        if k % 6 == 0:  # nested properties, on both paths
            traces["point"]["marker"] = {"size": 6 + k % 7}
            traces["panel 2"] = {**traces.get("panel 2", {}), "marker": {"size": 4 + k % 5}}
            layout = {"yaxis": {"range": [-1, 11 + k % 3]}}
        if k % 5 == 0:
            layout = {
                **(layout or {}),
                "shapes": [{"type": "line", "x0": k % 10, "x1": k % 10, "y0": 0, "y1": 10}],
                "annotations": [
                    {"text": "fixed note", "x": 5, "y": 10, "showarrow": False},
                    {"text": f"step {k}", "x": 5, "y": 5, "showarrow": False},
                ],
            }
        plot.update(traces=traces, layout=layout, summary=f"step {k}")
    return sent


def _expected(plot: LivePlot) -> dict:
    """The figure as the kernel records it (float32, as it travels)."""
    return {
        "traces": [
            [
                np.asarray(plot.trace(key)["x"], dtype="f4").tolist(),
                np.asarray(plot.trace(key)["y"], dtype="f4").tolist(),
            ]
            for key in plot.trace_keys
        ],
        "sizes": [plot.trace(key).get("marker", {}).get("size") for key in plot.trace_keys],
        "yrange": plot.layout["yaxis"]["range"],
        "shapes": [s["x0"] for s in plot.layout["shapes"]],
        "annotations": [a["text"] for a in plot.layout["annotations"]],
        "summary": plot.summary,
        # every trace still drawn, in its own subplot, in trace order
        "groups": _groups_by_subplot(plot),
    }


def _groups_by_subplot(plot: LivePlot) -> list[list[int]]:
    subplots: dict[str, list[int]] = {}
    for i, key in enumerate(plot.trace_keys):  # positions: as the browser reports them
        t = plot.trace(key)
        subplots.setdefault(t.get("xaxis", "x") + t.get("yaxis", "y"), []).append(i)
    return list(subplots.values())


def _assert_shows(page, view: str, expected: dict) -> None:
    drawn = page.evaluate(_DRAWN, view)
    for i, ((x, y), (ex, ey)) in enumerate(zip(drawn["traces"], expected["traces"])):
        np.testing.assert_allclose(x, ex, rtol=1e-6, err_msg=f"{view}: trace {i} x")
        np.testing.assert_allclose(y, ey, rtol=1e-6, err_msg=f"{view}: trace {i} y")
    for i, (size, want) in enumerate(zip(drawn["sizes"], expected["sizes"])):
        if want is not None:
            assert size == want, f"{view}: trace {i} marker size"
    assert drawn["yrange"] == expected["yrange"]
    assert drawn["shapes"] == expected["shapes"]
    assert drawn["annotations"] == expected["annotations"]
    assert drawn["summary"] == expected["summary"]
    assert drawn["groups"] == expected["groups"], f"{view}: trace groups per subplot"


def _wait_drawn(page, view: str, revision: int) -> None:
    page.wait_for_function(
        "([id, rev]) => window.views[id].el.getAttribute('data-drawn-revision') === String(rev)",
        arg=[view, revision],
        timeout=20_000,
    )


@pytest.mark.parametrize("autorange", [False, True], ids=["fixed-axes", "an-autoranged-axis"])
def test_updates_take_the_cheap_path_and_every_view_shows_the_current_figure(page_with_module, autorange):
    page = page_with_module
    plot = _two_panel_plot(autorange)
    initial = json.loads(json.dumps(plot._state))
    messages = _drive(plot)
    assert len(messages) == N_UPDATES
    # arrays travel as binary buffers, none as base64 text in the JSON
    assert all(m.get("_buffers") for m in messages) and "bdata" not in json.dumps(messages)

    page.evaluate(_FAKE_MODEL, [initial, "live"])
    _wait_drawn(page, "live", 0)
    # Count plotly's calls from here on: the first draw was the one whole-figure react.
    page.evaluate(_COUNT_PLOTLY_CALLS)
    for msg in messages:  # as fast as they come: the view queues and applies them in order
        page.evaluate("msg => window.views.live.model.deliver(msg)", msg)
    _wait_drawn(page, "live", N_UPDATES)
    calls = page.evaluate("() => window.calls")
    assert calls.get("react", 0) == 0 and calls.get("newPlot", 0) == 0, calls
    # Update 1 sets trace 1 to what it already shows: no call at all. Traces are redrawn alone
    # (Plotly.animate) unless an update moves data on an autoranged axis: then plotly's own
    # restyle/update, which recomputes the range.
    moves_autoranged = sum(1 for m in messages if "2" in m["traces"]) if autorange else 0
    assert calls.get("animate", 0) == N_UPDATES - 1 - moves_autoranged, calls
    assert calls.get("update", 0) + calls.get("restyle", 0) == moves_autoranged, calls
    expected = _expected(plot)
    _assert_shows(page, "live", expected)

    # Reload: a new view starts from the synced state, which the kernel kept current.
    page.evaluate(_FAKE_MODEL, [json.loads(json.dumps(plot._state)), "reloaded"])
    _wait_drawn(page, "reloaded", N_UPDATES)
    _assert_shows(page, "reloaded", expected)

    # A late view that missed the updates hears only the last one: it asks, and the kernel's
    # answer brings it to the current figure.
    page.evaluate(_FAKE_MODEL, [initial, "late"])
    _wait_drawn(page, "late", 0)
    page.evaluate("msg => window.views.late.model.deliver(msg)", messages[-1])
    hello = page.evaluate("() => window.views.late.model.sent.filter(m => m.type === 'hello').at(-1)")
    assert hello == {"type": "hello", "revision": 0}
    replies = []
    _record(plot, replies)
    plot._on_browser_message(plot, hello, [])
    assert [r["type"] for r in replies] == ["full"]
    page.evaluate("msg => window.views.late.model.deliver(msg)", replies[0])
    _wait_drawn(page, "late", N_UPDATES)
    _assert_shows(page, "late", expected)
    assert not page.errors, page.errors


def test_updates_before_any_view_are_kept_so_the_first_view_shows_them_without_asking(page_with_module):
    """During Run All a figure is updated before its view exists: the model merges each update
    as it arrives (initialize), so the first view draws the current figure at once; its one
    hello, sent when the model was made, is answered "current"."""
    page = page_with_module
    plot = _two_panel_plot(autorange=False)
    initial = json.loads(json.dumps(plot._state))
    messages = _drive(plot)
    page.evaluate(_FAKE_MODEL, [initial, "unseen", False])
    for msg in messages:
        page.evaluate("msg => window.views.unseen.model.deliver(msg)", msg)
    page.evaluate("() => window.views.unseen.view()")
    _wait_drawn(page, "unseen", N_UPDATES)
    _assert_shows(page, "unseen", _expected(plot))
    sent = page.evaluate("() => window.views.unseen.model.sent")
    assert sent == [{"type": "hello", "revision": 0}], sent  # asked once, on creation: not behind now
    replies = []
    _record(plot, replies)
    plot._on_browser_message(plot, {"type": "hello", "revision": N_UPDATES}, [])
    assert replies == [{"type": "current", "revision": N_UPDATES}]
    assert not page.errors, page.errors


def test_a_renamed_trace_shows_its_new_name_in_the_legend(page_with_module):
    """A new name (e.g. the ligand chosen in lesson 02) redraws the legend: the traces-only
    path (Plotly.animate) would leave the old name there."""
    page = page_with_module
    fig = new_figure()
    fig.update_layout(showlegend=True, xaxis={"range": [0, 10]}, yaxis={"range": [0, 10]})
    fig.add_scatter(x=[1, 2, 3], y=[1, 2, 3], name="site occupied by morphine", uid="sites")
    plot = LivePlot(fig, summary="start", description="legend test")
    initial = json.loads(json.dumps(plot._state))
    sent = []
    _record(plot, sent)
    plot.update(traces={"sites": {"name": "site occupied by naloxone", "y": [2, 3, 4]}}, summary="naloxone")
    page.evaluate(_FAKE_MODEL, [initial, "legend"])
    _wait_drawn(page, "legend", 0)
    page.evaluate("msg => window.views.legend.model.deliver(msg)", sent[0])
    _wait_drawn(page, "legend", 1)
    legend = page.evaluate(
        "() => [...window.views.legend.el.querySelectorAll('.legendtext')].map(t => t.textContent)"
    )
    assert legend == ["site occupied by naloxone"], legend


def test_redrawing_some_traces_keeps_the_others_in_place(page_with_module):
    """An update of traces 0 and 2 of a three-trace panel, with a second panel untouched: the
    untouched trace keeps its place between them (drawing order) and the untouched panel keeps
    all its traces (plotly drops the drawing of traces an animation does not list); a new name
    reaches the legend on the way."""
    page = page_with_module
    fig = _two_panels_with_legend()
    for k in range(3):
        fig.add_scatter(x=[1, 5, 9], y=[k + 1] * 3, name=f"line {k}", uid=f"line {k}")
    fig.add_scatter(x=[1, 9], y=[5, 5], xaxis="x2", yaxis="y2", name="other panel")
    fig.add_scatter(x=[], y=[], xaxis="x2", yaxis="y2", name="other panel, empty")
    fig.add_scatter(
        x=[2, 8], y=[6, 6], xaxis="x2", yaxis="y2", name="other panel, text", mode="text", text=["a", "b"]
    )
    plot = LivePlot(fig, summary="start", description="order test")
    initial = json.loads(json.dumps(plot._state))
    sent = []
    _record(plot, sent)
    plot.update(traces={"line 0": {"y": [7, 7, 7]}, "line 2": {"y": [8, 8, 8], "name": "line 2, moved"}})
    page.evaluate(_FAKE_MODEL, [initial, "order"])
    _wait_drawn(page, "order", 0)
    page.evaluate(_COUNT_PLOTLY_CALLS)
    before = page.evaluate(_DRAWN, "order")["groups"]
    assert before[0] == [0, 1, 2] and 3 in before[1] and 5 in before[1], before
    page.evaluate("msg => window.views.order.model.deliver(msg)", sent[0])
    _wait_drawn(page, "order", 1)
    drawn = page.evaluate(_DRAWN, "order")
    assert drawn["groups"] == before  # nothing dropped or reordered (lesson 06's forest points were)
    assert [y[0] for _, y in drawn["traces"] if len(y)] == [7, 2, 8, 5, 6]
    calls = page.evaluate("() => window.calls")
    assert calls == {"animate": 1, "restyle": 1}, calls  # data alone, then the name alone
    legend = page.evaluate(
        "() => [...window.views.order.el.querySelectorAll('.legendtext')].map(t => t.textContent)"
    )
    assert "line 2, moved" in legend, legend


_POINTS = """id => Object.fromEntries([...window.views[id].el.querySelectorAll('.scatterlayer .trace')]
  .map((g) => [g.__data__[0].trace.index,
               [g.querySelectorAll('.point').length, g.querySelectorAll('.errorbar').length]]))"""


def test_curves_filled_emptied_and_error_bars_stay_drawn(page_with_module):
    """What the lessons' widgets do besides moving points: a new curve appears with its legend
    entry (the organ bath's next curve), a panel's markers empty and fill again (lesson 07's
    receptor grid), points move with their error bars (lesson 06's forest plot)."""
    page = page_with_module
    fig = _two_panels_with_legend()
    fig.add_scatter(x=[1, 2, 3], y=[1, 2, 3], mode="markers", name="1: control", uid="control")
    fig.add_scatter(x=[], y=[], mode="markers", name="", showlegend=False, uid="next curve")
    fig.add_scatter(
        x=[1, 2, 3], y=[5, 5, 5], mode="markers", xaxis="x2", yaxis="y2", showlegend=False, uid="grid"
    )
    fig.add_scatter(
        x=[4, 6],
        y=[8, 9],
        mode="markers",
        error_x={"type": "data", "array": [1, 1]},
        showlegend=False,
        uid="with error bars",
    )
    plot = LivePlot(fig, summary="start", description="lifecycle test")
    initial = json.loads(json.dumps(plot._state))
    sent = []
    _record(plot, sent)
    plot.update(traces={"next curve": {"x": [4, 5], "y": [4, 5], "name": "2: drug", "showlegend": True}})
    plot.update(traces={"grid": {"x": [], "y": []}})
    plot.update(traces={"grid": {"x": [2, 4], "y": [6, 6]}})
    plot.update(traces={"with error bars": {"x": [5, 7], "y": [8, 9], "error_x": {"array": [2, 2]}}})
    page.evaluate(_FAKE_MODEL, [initial, "life"])
    _wait_drawn(page, "life", 0)
    for msg in sent:
        page.evaluate("msg => window.views.life.model.deliver(msg)", msg)
        _wait_drawn(page, "life", msg["revision"])
        if msg["revision"] == 1:
            legend = page.evaluate(
                "() => [...window.views.life.el.querySelectorAll('.legendtext')].map(t => t.textContent)"
            )
            assert legend == ["1: control", "2: drug"], legend
        if msg["revision"] == 2:
            assert page.evaluate(_POINTS, "life").get("2", [0])[0] == 0
    # The data-drawn-revision mark comes as soon as plotly has drawn the traces; the points and
    # error bars of the last one settle with plotly's animation: wait for them, then check.
    try:
        page.wait_for_function(
            f"id => {{ const p = ({_POINTS})(id); return p['1'] && p['1'][0] === 2 && p['2'] && p['2'][0] === 2"
            " && p['3'] && p['3'][0] === 2 && p['3'][1] === 2; }",
            arg="life",
            timeout=10_000,
        )
    except PlaywrightTimeout:
        pass  # the asserts below say what is drawn
    points = page.evaluate(_POINTS, "life")
    assert points["1"][0] == 2 and points["2"][0] == 2, points  # the new curve; the grid drawn again
    assert points["3"] == [2, 2], points  # both points with their error bars
    drawn = page.evaluate(_DRAWN, "life")
    assert drawn["traces"][3][0] == [5, 7] and drawn["traces"][2][0] == [2, 4]
    assert not page.errors, page.errors
