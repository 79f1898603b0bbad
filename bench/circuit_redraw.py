"""Lesson 05: key press -> redrawn reward circuit, in JupyterLab + headless Chromium.

Focuses the circuit widget's Time slider, presses an arrow key and measures, in the page's
clock, keydown -> the diagram root (`.ol-diagram`) setting `data-drawn-revision` to a new
value (the SVG's attributes are then set). The diagram follows the slider in the browser, so
this has no kernel round trip in it; the round trip (key -> summary sentence) is printed too. With ``--old-root`` it also measures a
checkout of the project whose circuit is a plotly figure (keydown -> the end of the first
synchronous change to that figure's SVG, as bench/run.py measures plots), in the same run.
``--screenshots DIR`` saves lesson 05 at 1400x900 with the file browser open, closed and
at 150 % zoom.

Usage: python bench/circuit_redraw.py [--presses 30] [--old-root DIR] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import lab  # noqa: E402

LESSON = "05_reward_pathway.ipynb"

_WATCH_DIAGRAM = """el => {
    window.__circuit = {t0: 0, t1: 0};
    document.addEventListener('keydown', () => { window.__circuit = {t0: performance.now(), t1: 0}; }, true);
    new MutationObserver(() => { if (window.__circuit.t0 && !window.__circuit.t1) window.__circuit.t1 = performance.now(); })
      .observe(el, {attributes: true, attributeFilter: ['data-drawn-revision']});
    performance.clearMeasures('ol-diagram-update');
}"""
_WATCH_PLOTLY = """el => {
    window.__circuit = {t0: 0, t1: 0};
    document.addEventListener('keydown', () => { window.__circuit = {t0: performance.now(), t1: 0}; }, true);
    new MutationObserver(() => { if (window.__circuit.t0 && !window.__circuit.t1) window.__circuit.t1 = performance.now(); })
      .observe(el.querySelector('.main-svg').parentNode, {subtree: true, childList: true, attributes: true});
}"""


# keydown -> the summary sentence changes: the round trip through the kernel (both versions set
# it as soon as the time-course message arrives, before drawing), the floor under any redraw.
_WATCH_SUMMARY = """el => {
    window.__summary = {t0: 0, t1: 0};
    document.addEventListener('keydown', () => { window.__summary = {t0: performance.now(), t1: 0}; }, true);
    new MutationObserver(() => { if (window.__summary.t0 && !window.__summary.t1) window.__summary.t1 = performance.now(); })
      .observe(el, {childList: true, characterData: true, subtree: true});
}"""


def _circuit_area(page):
    """The output area of the cell that shows the RewardCircuit (the one with a Play button)."""
    return page.locator(".jp-OutputArea-output", has=page.locator(".widget-play")).first


def measure(page, presses: int) -> list[float]:
    area = _circuit_area(page)
    diagram = area.locator(".ol-diagram")
    if diagram.count():
        diagram.first.evaluate(_WATCH_DIAGRAM)
    else:
        area.locator(".ol-plot").first.evaluate(_WATCH_PLOTLY)
    area.locator(".ol-summary").first.evaluate(_WATCH_SUMMARY)
    area.scroll_into_view_if_needed()
    handle = area.locator(".noUi-handle").first  # Time (min), the widget's first slider
    handle.focus()
    # Before the drink (minute 30) the circuit rests and a step changes nothing in the diagram
    # (no message, nothing to draw): measure from minute 60, where every step changes it.
    for _ in range(60):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    lags, trips = [], []
    for _ in range(presses):
        lab.nudge_slider(page, handle)
        page.wait_for_function("() => window.__circuit.t1 > 0 && window.__summary.t1 > 0", timeout=5000)
        lags.append(page.evaluate("() => window.__circuit.t1 - window.__circuit.t0"))
        trips.append(page.evaluate("() => window.__summary.t1 - window.__summary.t0"))
        page.wait_for_timeout(150)  # let the time-course plot finish too
    print(f"  round trip through the kernel (key -> summary text): median {statistics.median(trips):.1f} ms")
    applied = page.evaluate("() => performance.getEntriesByName('ol-diagram-update').map(e => e.duration)")
    if applied:
        print(
            f"  the browser's share (drawing a frame): median {statistics.median(applied):.2f} ms, "
            f"max {max(applied):.2f} ms, n = {len(applied)}"
        )
    return lags


def toggle_file_browser(page) -> None:
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.wait_for_timeout(800)


def set_zoom(page, zoom: float) -> None:
    """CSS zoom on the page root: JupyterLab lays out again at 1/zoom of the CSS width, as with Ctrl +."""
    page.evaluate(
        f"document.documentElement.style.zoom = '{zoom}'; window.dispatchEvent(new Event('resize'))"
    )
    page.wait_for_timeout(1200)


def screenshots(page, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    area = _circuit_area(page)

    def shoot(name):
        area.scroll_into_view_if_needed()
        area.locator(".noUi-handle").nth(1).scroll_into_view_if_needed()
        area.locator(".noUi-handle").nth(1).evaluate("h => h.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(folder / f"05-circuit-{name}.png"))

    shoot("file-browser-open")
    toggle_file_browser(page)
    shoot("file-browser-closed")
    toggle_file_browser(page)
    set_zoom(page, 1.5)
    shoot("zoom-150")
    set_zoom(page, 1.0)


def run(root: Path, presses: int, shots: Path | None) -> list[float]:
    from playwright.sync_api import sync_playwright

    lab.ROOT = root  # jupyter_lab serves root/lessons
    env_before = os.environ.get("PYTHONPATH")
    if root != ROOT:  # the kernel imports that checkout's widgets package
        os.environ["PYTHONPATH"] = str(root)
    try:
        with lab.jupyter_lab() as (base, token), sync_playwright() as pw:
            browser = lab.launch_chromium(pw)
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            lab.open_lesson_and_run_all(page, base, token, LESSON)
            page.wait_for_timeout(1000)
            if shots:
                screenshots(page, shots)
            lags = measure(page, presses)
            if shots:  # the circuit after the drink, as measured
                page.wait_for_timeout(500)
                _circuit_area(page).screenshot(path=str(shots / "05-circuit-after-the-drink.png"))
            browser.close()
            return lags
    finally:
        lab.ROOT = ROOT
        if env_before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_before


def _report(label: str, lags: list[float]) -> None:
    lags_sorted = sorted(lags)
    p95 = lags_sorted[min(len(lags) - 1, int(0.95 * len(lags)))]
    print(
        f"{label}: key -> redrawn circuit median {statistics.median(lags):.1f} ms, "
        f"p95 {p95:.1f} ms, n = {len(lags)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--old-root", type=Path, help="a checkout whose circuit is drawn by plotly")
    parser.add_argument("--screenshots", type=Path, help="folder for screenshots of lesson 05")
    args = parser.parse_args()
    _report("SVG diagram (this checkout)", run(ROOT, args.presses, args.screenshots))
    if args.old_root:
        _report(f"plotly figure ({args.old_root})", run(args.old_root.resolve(), args.presses, None))


if __name__ == "__main__":
    main()
