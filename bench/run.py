"""Interaction benchmark (`make bench`): prints tables; it is not a test and asserts nothing.

Per widget (every ipywidgets Box exported by `widgets` that builds with no arguments):
  kernel time per update (median, p95), bytes kernel -> browser per update and at first display.
Per lesson: headless execution time (nbclient) and kernel memory after it (VmRSS).
In the browser (JupyterLab + headless Chromium): key press -> redrawn plot (median, p95, page
clock) and bytes received on Run All, with and without the project's server config
(TCP_NODELAY on the kernel websocket).
A naive reference of the binding explorer (build and show a new figure on every change, as
`interact` does) is measured in the same run, and our/naive ratios printed.

Usage: python bench/run.py [--quick] [--no-browser]
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
from widgets.figure_transport import PlotlyLibrary, plotly_library  # noqa: E402

SENT: list[int] = []


def _record_sends() -> None:
    """Count every kernel -> browser widget message (state updates and custom messages)."""
    original = Widget._send

    def counting_send(self, msg, buffers=None):
        SENT.append(len(json.dumps(msg, default=str)) + sum(len(memoryview(b).cast("B")) for b in (buffers or [])))
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
        if isinstance(w, (ipw.FloatSlider, ipw.FloatLogSlider, ipw.IntSlider, ipw.SelectionSlider)) and not w.disabled:
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
    widget = cls()
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
    return {"widget": cls.__name__, "control": slider.description, "median_ms": med, "p95_ms": p95,
            "bytes_update": float(np.median(sizes)), "bytes_first": first_bytes}


def bench_naive_binding(n: int) -> dict:
    """The naive pattern: every change builds a whole new figure and displays it again."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from widgets import pharmacology as ph
    from widgets.binding_explorer import CONC_GRID_M

    renderer = pio.renderers["plotly_mimetype"]
    ka, tau = 3e-9, 10.0
    times, sizes = [], []
    for conc in np.logspace(-12, -5, n):
        t0 = time.perf_counter()
        fig = go.Figure()
        fig.add_scatter(x=CONC_GRID_M * 1e9, y=100 * ph.occupancy(CONC_GRID_M, ka), name="occupancy")
        fig.add_scatter(x=CONC_GRID_M * 1e9, y=100 * ph.operational_effect(CONC_GRID_M, ka, tau), name="response")
        fig.add_scatter(x=[conc * 1e9], y=[100 * ph.occupancy(conc, ka)], mode="markers")
        fig.update_xaxes(type="log")
        bundle = renderer.to_mimebundle(fig)
        payload = json.dumps({"output_type": "display_data", "data": bundle, "metadata": {}})
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(payload))
    med, p95 = _percentiles(times)
    return {"widget": "naive interact (binding)", "control": "concentration", "median_ms": med,
            "p95_ms": p95, "bytes_update": float(np.median(sizes)), "bytes_first": float(sizes[0])}


def bench_lessons_headless() -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(
            "print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"))
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        t0 = time.perf_counter()
        client.execute()
        elapsed = time.perf_counter() - t0
        rss_kb = int(nb.cells[-1].outputs[0]["text"].strip())
        rows.append({"lesson": path.stem, "exec_s": elapsed, "kernel_mb": rss_kb / 1024})
    return rows


def bench_browser(presses: int, with_config: bool) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.lab import (SERVER_CONFIG, jupyter_lab, launch_chromium, nudge_slider,
                                   open_lesson_and_run_all)

    rows = []
    with jupyter_lab(SERVER_CONFIG if with_config else None) as (base, token), sync_playwright() as pw:
        browser = launch_chromium(pw)
        for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            received = []
            page.on("websocket", lambda ws: ws.on(
                "framereceived", lambda payload: received.append(len(payload))))
            run_s = open_lesson_and_run_all(page, base, token, path.name)
            page.wait_for_timeout(500)
            run_bytes = sum(received)
            plots = page.locator(".ol-liveplot")
            for i in range(plots.count()):
                plot = plots.nth(i)
                area = plot.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
                handle = area.locator(".noUi-handle").first
                if handle.count() == 0:
                    continue
                plot.scroll_into_view_if_needed()
                handle.focus()
                # In the page's clock: keydown time, then the first change to the plot's SVG.
                plot.evaluate("""el => {
                    window.__bench = {t0: 0, t1: 0};
                    document.addEventListener('keydown', () => { window.__bench.t0 = performance.now(); window.__bench.t1 = 0; }, true);
                    new MutationObserver(() => { if (window.__bench.t0 && !window.__bench.t1) window.__bench.t1 = performance.now(); })
                      .observe(el.querySelector('.main-svg').parentNode, {subtree: true, childList: true, attributes: true});
                }""")
                lags, frame_bytes = [], []
                for _ in range(presses):
                    received.clear()
                    nudge_slider(page, handle)
                    page.wait_for_function("() => window.__bench.t1 > 0", timeout=5000)
                    lags.append(page.evaluate("() => window.__bench.t1 - window.__bench.t0"))
                    page.wait_for_timeout(120)
                    frame_bytes.append(sum(received))
                med, p95 = _percentiles(lags)
                rows.append({"lesson": path.stem, "plot": i, "key_redraw_median_ms": med,
                             "key_redraw_p95_ms": p95, "bytes_per_key": float(np.median(frame_bytes)),
                             "run_all_s": run_s, "run_all_bytes": run_bytes})
            page.context.close()
        browser.close()
    return rows


def _table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    header = " | ".join(title for _, title, _ in columns)
    lines = [header, " | ".join("---" for _ in columns)]
    for row in rows:
        lines.append(" | ".join(format(row[key], fmt) if fmt else str(row[key]) for key, _, fmt in columns))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-browser", action="store_true", help="skip the JupyterLab/Chromium part")
    args = parser.parse_args()
    n = 50 if args.quick else 200
    presses = 10 if args.quick else 30

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
    cols = [("widget", "widget", ""), ("control", "control", ""), ("median_ms", "kernel ms/update median", ".3f"),
            ("p95_ms", "p95", ".3f"), ("bytes_update", "bytes/update", ",.0f"),
            ("bytes_first", "bytes at first display", ",.0f")]
    print(_table(rows + [naive], cols))
    ours = next((r for r in rows if r["widget"] == "BindingExplorer"), None)
    if ours:
        print(f"\nBindingExplorer / naive: time {ours['median_ms'] / naive['median_ms']:.2f}x, "
              f"bytes per update {ours['bytes_update'] / naive['bytes_update']:.2f}x")
    lib = plotly_library()
    print(f"plotly.js: sent once per kernel, {len(lib.source_gz):,} bytes gzip-compressed "
          "(FigureWidget would send ~4.8 MB per figure)\n")

    print("## Lessons executed headless (nbclient)\n")
    print(_table(bench_lessons_headless(), [("lesson", "lesson", ""), ("exec_s", "execution s", ".2f"),
                                            ("kernel_mb", "kernel memory after, MB", ".0f")]))

    if not args.no_browser:
        for with_config in (True, False):
            label = "with" if with_config else "WITHOUT"
            print(f"\n## In JupyterLab + headless Chromium, {label} the project's server config "
                  "(TCP_NODELAY)\n")
            print(_table(bench_browser(presses, with_config), [
                ("lesson", "lesson", ""), ("plot", "plot", ""),
                ("key_redraw_median_ms", "key->redraw median ms", ".1f"),
                ("key_redraw_p95_ms", "p95 ms", ".1f"), ("bytes_per_key", "bytes/key", ",.0f"),
                ("run_all_s", "Run All s", ".1f"), ("run_all_bytes", "bytes on Run All", ",.0f")]))
    print("\nTargets: key->redraw <= 30 ms median; kernel update <= 1 ms median; <= 5 KB per update; "
          "every lesson executes headless in <= 10 s.")


if __name__ == "__main__":
    main()
