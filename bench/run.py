"""Interaction benchmark (`make bench`): prints tables; it is not a test and asserts nothing.

Per widget (every ipywidgets Box exported by `widgets` that builds with no arguments):
  kernel time per update (median, p95), bytes kernel -> browser per update and at first display.
Per lesson: headless execution time (nbclient) and kernel memory after it (VmRSS).
In the browser (JupyterLab + headless Chromium, one session): key press -> redraw finished
(median, p95, page clock; finished = the figure root's data-drawn-revision attribute changing,
the contract every figure kind keeps, or plotly's 'plotly_afterplot' for plotly's own figures;
the key goes to the first enabled slider in the figure's output, stepped first until a key
redraws the figure, since a control can sit where a step changes nothing),
bytes per key and on Run All, every figure as a multiple of lesson 00's WidgetCheck (the floor),
and plotly's own floor (Plotly.react of an empty figure).
Peers, same session, same slider on lesson 02's binding explorer: our LivePlot, plotly's
FigureWidget and the naive `interact` + new figure pattern; our/peer ratios of time and bytes
(kernel side too).

Usage: python bench/run.py [--quick] [--no-browser] [--lessons 00 02] [--without-config]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ipywidgets as ipw  # noqa: E402
from ipywidgets.widgets.widget import Widget, _remove_buffers  # noqa: E402

import widgets  # noqa: E402
from tests.browser.lab import nudge_slider  # noqa: E402
from widgets.display.figure_transport import PlotlyLibrary, plotly_library  # noqa: E402

SENT: list[int] = []


def _record_sends() -> None:
    """Count every kernel -> browser widget message (state updates and custom messages)."""
    original = Widget._send

    def counting_send(self, msg, buffers=None):
        SENT.append(
            len(json.dumps(msg, default=str)) + sum(len(memoryview(b).cast("B")) for b in (buffers or []))
        )
        return original(self, msg, buffers)

    Widget._send = counting_send


def _state_bytes(widget: Widget) -> int:
    """Bytes of a model's state as sent when it is first displayed (comm open)."""
    state, _, buffers = _remove_buffers(widget.get_state())
    return len(json.dumps(state, default=str)) + sum(len(memoryview(b).cast("B")) for b in buffers)


def _descendants(widget) -> list[Widget]:
    """The widget and every model it references, in display order (depth first).

    The shared PlotlyLibrary is left out: it is sent once per kernel, reported apart.
    """
    found, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, Widget) and not isinstance(w, PlotlyLibrary) and w not in found:
            found.append(w)
            children = []
            for name in w.keys:
                value = getattr(w, name, None)
                items = value if isinstance(value, (list, tuple)) else [value]
                children.extend(v for v in items if isinstance(v, Widget))
            stack.extend(reversed(children))
    return found


def _first_slider(widget):
    for w in _descendants(widget):
        if (
            isinstance(w, (ipw.FloatSlider, ipw.FloatLogSlider, ipw.IntSlider, ipw.SelectionSlider))
            and not w.disabled
        ):
            return w
    return None


def _slider_values(slider, n: int) -> list:
    if isinstance(slider, ipw.SelectionSlider):  # the browser sends the option's index
        values = [i for i in range(len(slider.options)) if i != slider.index]
        return (values * (n // max(len(values), 1) + 1))[:n]
    if isinstance(slider, ipw.FloatLogSlider):
        grid = slider.base ** np.linspace(slider.min, slider.max, 25)
    else:
        grid = np.linspace(slider.min, slider.max, 25)
    if isinstance(slider, ipw.IntSlider):
        grid = np.unique(grid.round().astype(int))
    values = [v.item() if hasattr(v, "item") else v for v in grid]
    values = [v for v in values if v != slider.value]
    return (values * (n // max(len(values), 1) + 1))[:n]


def _percentiles(values_ms: list[float]) -> tuple[float, float]:
    arr = np.asarray(values_ms)
    return float(np.median(arr)), float(np.percentile(arr, 95))


def bench_widget(cls, n: int) -> dict | None:
    plotly_library()  # shared, once per kernel: reported separately
    t0 = time.perf_counter()
    widget = cls()
    first_build_ms = (time.perf_counter() - t0) * 1000  # includes reading data/ the first time
    builds = []
    for _ in range(3):
        t0 = time.perf_counter()
        cls()
        builds.append((time.perf_counter() - t0) * 1000)
    slider = _first_slider(widget)
    if slider is None:
        return None
    first_bytes = sum(_state_bytes(w) for w in _descendants(widget))
    times, sizes = [], []
    for value in _slider_values(slider, n):
        SENT.clear()
        t0 = time.perf_counter()
        # set_state is what the kernel does when the browser moves a control (no echo back)
        slider.set_state({"index" if isinstance(slider, ipw.SelectionSlider) else "value": value})
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(sum(SENT))
    med, p95 = _percentiles(times)
    return {
        "widget": cls.__name__,
        "control": slider.description,
        "median_ms": med,
        "p95_ms": p95,
        "bytes_update": float(np.median(sizes)),
        "bytes_first": first_bytes,
        "first_build_ms": first_build_ms,
        "build_ms": float(np.median(builds)),
    }


def bench_naive_binding(n: int) -> dict:
    """The naive pattern: every change builds a whole new figure and displays it again."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from widgets import pharmacology as ph
    from widgets.lesson_widgets.binding_explorer import CONC_GRID_M

    renderer = pio.renderers["plotly_mimetype"]
    ka, tau = 3e-9, 10.0
    times, sizes = [], []
    for conc in np.logspace(-12, -5, n):
        t0 = time.perf_counter()
        fig = go.Figure()
        fig.add_scatter(x=CONC_GRID_M * 1e9, y=100 * ph.occupancy(CONC_GRID_M, ka), name="occupancy")
        fig.add_scatter(
            x=CONC_GRID_M * 1e9, y=100 * ph.operational_effect(CONC_GRID_M, ka, tau), name="response"
        )
        fig.add_scatter(x=[conc * 1e9], y=[100 * ph.occupancy(conc, ka)], mode="markers")
        fig.update_xaxes(type="log")
        bundle = renderer.to_mimebundle(fig)
        payload = json.dumps({"output_type": "display_data", "data": bundle, "metadata": {}})
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(payload))
    med, p95 = _percentiles(times)
    return {
        "widget": "naive interact (binding)",
        "control": "concentration",
        "median_ms": med,
        "p95_ms": p95,
        "bytes_update": float(np.median(sizes)),
        "bytes_first": float(sizes[0]),
    }


def bench_lessons_headless() -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(
            nbformat.v4.new_code_cell(
                "print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"
            )
        )
        client = NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        t0 = time.perf_counter()
        client.execute()
        elapsed = time.perf_counter() - t0
        rss_kb = int(nb.cells[-1].outputs[0]["text"].strip())
        rows.append({"lesson": path.stem, "exec_s": elapsed, "kernel_mb": rss_kb / 1024})
    return rows


# Figure roots that follow the redraw contract: after each finished redraw the root sets
# data-drawn-revision to the revision it now shows (LivePlot and the SVG diagram figures).
FIGURE_ROOTS = ".ol-liveplot, .ol-diagram"

# Installed in the page for one figure's output area: keydown -> "redraw finished", in the
# page's clock. For our figures that is the root's data-drawn-revision changing; for plotly's
# own figures (FigureWidget, a new figure per change) it is plotly's 'plotly_afterplot' event
# on the figure drawn after the key press (a new graph div for the naive pattern).
_INSTRUMENT = (
    """(area, figure) => {
  const bench = window.__bench = {t0: 0, t1: 0};
  const done = () => { if (bench.t0 && !bench.t1) bench.t1 = performance.now(); };
  // The figure measured (an output area can hold several: lesson 05's diagram and plot).
  const root = figure || area.querySelector('%s');
  let before = null;
  document.addEventListener('keydown', () => {
    bench.t0 = performance.now(); bench.t1 = 0;
    before = root ? root.getAttribute('data-drawn-revision') : null;
  }, true);
  if (root) {
    new MutationObserver(() => { if (root.getAttribute('data-drawn-revision') !== before) done(); })
      .observe(root, {attributes: true, attributeFilter: ['data-drawn-revision']});
    return 'contract';
  }
  const hooked = new WeakSet();
  const hook = () => area.querySelectorAll('.js-plotly-plot').forEach(gd => {
    if (hooked.has(gd) || !gd.on) return;
    hooked.add(gd);
    gd.on('plotly_afterplot', done);
  });
  hook();
  // A new graph div (naive pattern) may finish drawing before it can be hooked: count it
  // as drawn when it appears with its traces already drawn.
  new MutationObserver(() => {
    area.querySelectorAll('.js-plotly-plot').forEach(gd => {
      if (!hooked.has(gd) && bench.t0 && gd._fullData && gd.querySelector('.scatterlayer .trace')) done();
    });
    hook();
  }).observe(area, {subtree: true, childList: true});
  return 'afterplot';
}"""
    % FIGURE_ROOTS
)

# plotly's own floor: one Plotly.react of an empty figure, timed in the page.
_EMPTY_REACT = """async n => {
  const div = document.createElement('div');
  div.style.width = '600px';
  document.body.append(div);
  await Plotly.newPlot(div, [], {});
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await Plotly.react(div, [], {datarevision: i + 1});
    times.push(performance.now() - t0);
  }
  Plotly.purge(div);
  div.remove();
  return times;
}"""


def _peers_notebook() -> dict:
    """Lesson 02's binding explorer three ways, driven by the same code and the same slider:
    our LivePlot, plotly's FigureWidget, and the naive pattern (a new figure on every change,
    as `interact` does). Each peer replaces the explorer's plot.update, so the same traces and
    layout changes reach each figure."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in _PEER_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _peer_cells() -> tuple[str, str, str, str]:
    setup = (
        "import ipywidgets as ipw\n"
        "import plotly.graph_objects as go\n"
        "from IPython.display import display\n"
        "from widgets import BindingExplorer\n\n"
        "def as_plotly_figure(plot):\n"
        "    return go.Figure(data=[plot.trace(key) for key in plot.trace_keys], layout=plot.layout)\n"
    )
    ours = "ours = BindingExplorer()\nours"
    figure_widget = (
        "explorer = BindingExplorer()\n"
        "explorer.plot.send = lambda *args, **kwargs: None  # its own figure is not shown\n"
        "fw = go.FigureWidget(as_plotly_figure(explorer.plot))\n\n"
        "def apply_to_figure_widget(traces=None, layout=None, summary=None):\n"
        "    with fw.batch_update():\n"
        "        for key, props in (traces or {}).items():\n"
        "            fw.data[explorer.plot.trace_keys.index(key)].update(props)\n"
        "        if layout:\n"
        "            fw.layout.update(layout)\n\n"
        "explorer.plot.update = apply_to_figure_widget\n"
        "ipw.VBox([explorer.concentration, fw])"
    )
    naive = (
        "naive = BindingExplorer()\n"
        "naive.plot.send = lambda *args, **kwargs: None  # only its kernel-side state is used\n\n"
        "def show(concentration):  # what `interact` calls: build a new figure and display it\n"
        "    as_plotly_figure(naive.plot).show()\n\n"
        "out = ipw.interactive_output(show, {'concentration': naive.concentration})\n"
        "ipw.VBox([naive.concentration, out])"
    )
    return setup, ours, figure_widget, naive


_PEER_CELLS = _peer_cells()


def bench_figure_widget_binding(n: int) -> dict:
    """Kernel side of the FigureWidget peer (the notebook cell's code): time and bytes."""
    namespace: dict = {}
    exec(_PEER_CELLS[0], namespace)
    exec(_PEER_CELLS[2].rsplit("\n", 1)[0], namespace)  # all but the display line
    fw, slider = namespace["fw"], namespace["explorer"].concentration
    first_bytes = _state_bytes(fw)
    times, sizes = [], []
    for value in _slider_values(slider, n):
        SENT.clear()
        t0 = time.perf_counter()
        slider.set_state({"value": value})
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(sum(SENT))
    med, p95 = _percentiles(times)
    return {
        "widget": "plotly FigureWidget (binding)",
        "control": slider.description,
        "median_ms": med,
        "p95_ms": p95,
        "bytes_update": float(np.median(sizes)),
        "bytes_first": first_bytes,
    }


def _put_notebook(base: str, token: str, path: str, nb: dict) -> None:
    import urllib.request

    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    req = urllib.request.Request(
        f"{base}/api/contents/{path}",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(req, timeout=30).read()


def _press_and_time(page, area, presses: int, received: list, figure=None) -> dict | None:
    """Key presses on the first slider handle in ``area``: key -> redraw finished (of ``figure``,
    a figure root's locator, when given), bytes per key."""
    handle = area.locator(".noUi-target:not([disabled]) .noUi-handle").first  # skip greyed-out sliders
    if handle.count() == 0:
        return None
    area.scroll_into_view_if_needed()
    handle.focus()
    kind = area.evaluate(_INSTRUMENT, figure.element_handle() if figure is not None else None)
    # A control may sit where a step changes nothing in this figure (lesson 05's circuit rests
    # until the drink at minute 30): step until a redraw is seen (at most 60 keys), then measure.
    for _ in range(60):
        nudge_slider(page, handle)
        page.wait_for_timeout(100)
        if page.evaluate("() => window.__bench.t1 > 0"):
            break
    page.wait_for_timeout(300)
    lags, frame_bytes = [], []
    missed = 0
    for _ in range(presses):
        received.clear()
        nudge_slider(page, handle)
        try:
            page.wait_for_function("() => window.__bench.t1 > 0", timeout=10_000)
        except Exception:  # playwright's TimeoutError: no finished redraw seen for this key
            missed += 1
            continue
        lags.append(page.evaluate("() => window.__bench.t1 - window.__bench.t0"))
        page.wait_for_timeout(150)
        frame_bytes.append(sum(received))
    med, p95 = _percentiles(lags) if lags else (float("nan"), float("nan"))
    return {
        "key_redraw_median_ms": med,
        "key_redraw_p95_ms": p95,
        "bytes_per_key": float(np.median(frame_bytes)) if frame_bytes else float("nan"),
        "measured_at": kind + (f" ({missed} of {presses} keys: no redraw seen)" if missed else ""),
    }


def _new_page(browser, received: list):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    return page


def _output_area(figure):
    return figure.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")


def bench_browser(presses: int, with_config: bool, lessons: list[str] | None = None) -> dict:
    """Key -> redraw finished for every figure of every lesson, the three binding-explorer
    peers, and plotly's empty-react floor, all in one browser session."""
    from playwright.sync_api import sync_playwright

    from tests.browser.lab import SERVER_CONFIG, jupyter_lab, launch_chromium, open_lesson_and_run_all

    result: dict = {"lessons": [], "peers": [], "empty_react_ms": None}
    with jupyter_lab(SERVER_CONFIG if with_config else None) as (base, token), sync_playwright() as pw:
        browser = launch_chromium(pw)
        # Peers first: the same slider on lesson 02's binding explorer, three ways.
        received: list[int] = []
        _put_notebook(base, token, "lessons/_bench_peers.ipynb", _peers_notebook())
        page = _new_page(browser, received)
        open_lesson_and_run_all(page, base, token, "_bench_peers.ipynb")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(1000)
        outputs = page.locator(".jp-CodeCell .jp-OutputArea-output")
        for name, index in (
            ("LivePlot (ours)", 0),
            ("plotly FigureWidget", 1),
            ("naive interact + new figure", 2),
        ):
            row = _press_and_time(page, outputs.nth(index), presses, received)
            if row:
                result["peers"].append({"figure": name, **row})
        times = page.evaluate(_EMPTY_REACT, max(presses, 30))
        result["empty_react_ms"] = _percentiles(times)[0]
        page.context.close()

        for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
            if lessons and not any(path.stem.startswith(prefix) for prefix in lessons):
                continue
            received = []
            page = _new_page(browser, received)
            try:
                run_s = open_lesson_and_run_all(page, base, token, path.name)
                page.wait_for_timeout(500)
                run_bytes = sum(received)
                figures = page.locator(FIGURE_ROOTS)
                for i in range(figures.count()):
                    figure = figures.nth(i)
                    row = _press_and_time(page, _output_area(figure), presses, received, figure)
                    if row is None:
                        continue
                    label = figure.evaluate(
                        "el => (el.querySelector('[aria-label]')?.getAttribute('aria-label') || '')"
                    )
                    result["lessons"].append(
                        {
                            "lesson": path.stem,
                            "plot": i,
                            "figure": label[:48],
                            **row,
                            "run_all_s": run_s,
                            "run_all_bytes": run_bytes,
                        }
                    )
                    print(
                        f"  measured {path.stem} figure {i}: {row['key_redraw_median_ms']:.1f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
            except Exception as err:  # a slow machine: report the lesson, measure the others
                print(
                    f"  {path.stem}: not measured ({type(err).__name__}: {str(err)[:200]})",
                    file=sys.stderr,
                    flush=True,
                )
            page.context.close()
        browser.close()
    return result


def print_browser(result: dict) -> None:
    rows = result["lessons"]
    floor = next((r["key_redraw_median_ms"] for r in rows if r["lesson"].startswith("00")), None)
    for r in rows:
        r["x_floor"] = r["key_redraw_median_ms"] / floor if floor else float("nan")
    print(
        _table(
            rows,
            [
                ("lesson", "lesson", ""),
                ("plot", "plot", ""),
                ("figure", "figure", ""),
                ("key_redraw_median_ms", "key->redraw median ms", ".1f"),
                ("x_floor", "x WidgetCheck", ".2f"),
                ("key_redraw_p95_ms", "p95 ms", ".1f"),
                ("bytes_per_key", "bytes/key", ",.0f"),
                ("run_all_s", "Run All s", ".1f"),
                ("run_all_bytes", "bytes on Run All", ",.0f"),
            ],
        )
    )
    if floor:
        worst = max(rows, key=lambda r: r["x_floor"])
        print(
            f"\nFloor: lesson 00 WidgetCheck {floor:.1f} ms; slowest: {worst['lesson']} plot {worst['plot']} "
            f"at {worst['x_floor']:.2f}x (target <= 1.5x)"
        )
    if result["empty_react_ms"] is not None:
        print(
            f"plotly's own floor: Plotly.react of an empty figure {result['empty_react_ms']:.1f} ms (median)"
        )
    peers = result["peers"]
    if peers:
        print("\n### Lesson 02's binding explorer, same slider, same session\n")
        print(
            _table(
                peers,
                [
                    ("figure", "figure", ""),
                    ("key_redraw_median_ms", "key->redraw median ms", ".1f"),
                    ("key_redraw_p95_ms", "p95 ms", ".1f"),
                    ("bytes_per_key", "bytes/key", ",.0f"),
                    ("measured_at", "redraw finished at", ""),
                ],
            )
        )
        ours = peers[0]
        for other in peers[1:]:
            print(
                f"ours / {other['figure']}: time {ours['key_redraw_median_ms'] / other['key_redraw_median_ms']:.2f}x, "
                f"bytes per key {ours['bytes_per_key'] / max(other['bytes_per_key'], 1):.2f}x"
            )


def _table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    header = " | ".join(title for _, title, _ in columns)
    lines = [header, " | ".join("---" for _ in columns)]
    for row in rows:
        lines.append(
            " | ".join(
                "—" if key not in row else format(row[key], fmt) if fmt else str(row[key])
                for key, _, fmt in columns
            )
        )
    return "\n".join(lines)


def _kernel_and_headless(n: int) -> None:
    _record_sends()
    print("## Kernel side, per widget (update = one move of its first slider)\n")
    rows = []
    for name in widgets.__all__:
        cls = getattr(widgets, name)
        if isinstance(cls, type) and issubclass(cls, ipw.Box):
            try:
                row = bench_widget(cls, n)
            except TypeError:
                continue  # needs constructor arguments
            if row:
                rows.append(row)
    naive = bench_naive_binding(n)
    peer = bench_figure_widget_binding(n)
    cols = [
        ("widget", "widget", ""),
        ("control", "control", ""),
        ("median_ms", "kernel ms/update median", ".3f"),
        ("p95_ms", "p95", ".3f"),
        ("bytes_update", "bytes/update", ",.0f"),
        ("bytes_first", "bytes at first display", ",.0f"),
        ("first_build_ms", "first build ms", ".0f"),
        ("build_ms", "build ms (median of 3 after)", ".0f"),
    ]
    print(_table(rows + [peer, naive], cols))
    ours = next((r for r in rows if r["widget"] == "BindingExplorer"), None)
    if ours:
        print()
        for other in (peer, naive):
            print(
                f"BindingExplorer / {other['widget']}: kernel time {ours['median_ms'] / other['median_ms']:.2f}x, "
                f"bytes per update {ours['bytes_update'] / other['bytes_update']:.2f}x, "
                f"bytes at first display {ours['bytes_first'] / other['bytes_first']:.3f}x"
            )
    lib = plotly_library()
    print(
        f"plotly.js: sent once per kernel, {len(lib.source_gz):,} bytes gzip-compressed "
        f"(each FigureWidget carries its own {peer['bytes_first']:,.0f} bytes at first display)\n"
    )

    print("## Lessons executed headless (nbclient)\n")
    print(
        _table(
            bench_lessons_headless(),
            [
                ("lesson", "lesson", ""),
                ("exec_s", "execution s", ".2f"),
                ("kernel_mb", "kernel memory after, MB", ".0f"),
            ],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-browser", action="store_true", help="skip the JupyterLab/Chromium part")
    parser.add_argument("--browser-only", action="store_true", help="only the JupyterLab/Chromium part")
    parser.add_argument("--lessons", nargs="*", help="only these lessons in the browser (e.g. 00 02)")
    parser.add_argument(
        "--without-config",
        action="store_true",
        help="also measure without the project's server config (TCP_NODELAY)",
    )
    args = parser.parse_args()
    n = 50 if args.quick else 200
    presses = 10 if args.quick else 30

    if not args.browser_only:
        _kernel_and_headless(n)
    if not args.no_browser:
        for with_config in (True, False) if args.without_config else (True,):
            label = "with" if with_config else "WITHOUT"
            print(
                f"\n## In JupyterLab + headless Chromium, {label} the project's server config (TCP_NODELAY)\n"
            )
            print_browser(bench_browser(presses, with_config, args.lessons))
    print(
        "\nTargets: every figure's key->redraw median <= 1.5x WidgetCheck's; kernel update <= 1 ms "
        "median; <= 5 KB per update; every lesson executes headless in <= 10 s."
    )


if __name__ == "__main__":
    main()
