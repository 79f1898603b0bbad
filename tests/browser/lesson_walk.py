"""The lesson walk: after Run All, every figure follows its first slider's arrow keys, drop-downs
take the arrow keys, nothing shows an error and figures keep their height.

Walked in JupyterLab by test_accessibility.py (on the lesson it has open, after its own checks) and
in Notebook 7 by test_lessons_in_notebook7.py."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS
from .lab import (
    ROOT,
    assert_lesson_figures,
    drawn_revision,
    frozen_widget_report,
    kernel_caught_up,
    next_frames,
    note_recovered_freeze,
    nudge_slider,
    open_lesson_and_run_all,
    reload_page,
    save_notebook,
    wait_for_redraw,
)

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _plot_signature(liveplot):
    """Everything drawn in a plot: trace paths and point positions."""
    return liveplot.evaluate(
        "el => [...el.querySelectorAll('.scatterlayer path, .scatterlayer .point')]"
        ".map(p => p.getAttribute('d') + (p.getAttribute('transform') || '')).join('|')"
    )


def _keys_move_the_figure(page, plot, lesson: str, i: int) -> tuple[tuple, str | None]:
    """Press 6 arrow keys on the first slider of plot ``i``'s widget and wait (30 s) for its summary
    to change. Returns the plot's state before the keys (summary, drawing, drawn revision) and None
    if it changed, else what the view and the kernel held."""
    plot.scroll_into_view_if_needed()
    before = (plot.locator(".ol-summary").text_content(), _plot_signature(plot), drawn_revision(plot))
    before_text = before[0]
    # The widget's own first slider: the nearest output area holding this plot.
    area = plot.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    handle = area.locator(".noUi-handle").first
    handle.focus()
    label = handle.get_attribute("aria-label")
    assert label, f"{lesson}: a focused slider has no accessible name"
    start = handle.get_attribute("aria-valuenow")
    for _ in range(6):
        nudge_slider(page, handle)
    try:
        page.wait_for_function(
            "([el, text]) => el.querySelector('.ol-summary').textContent !== text",
            arg=[plot.element_handle(), before_text],
            # 30 s, not 10: under a full CI run at load 7-10 the kernel, still writing Run All's
            # still pictures, answered lesson 04's second slider after more than 10 s
            timeout=30_000,
        )
        return before, None
    except PlaywrightTimeout:
        focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        # What the view knew: the newest revision its model merged, the one drawn, and whether
        # the kernel ever answered its model (widgets/display/static/live_plot.js); then what the kernel held.
        known = plot.evaluate("el => [el.dataset.stateRevision, el.dataset.drawnRevision, el.dataset.link]")
        return before, (
            f"{lesson}: plot {i}'s summary did not change in 30 s after 6 keys on {label!r} "
            f"({start} -> {handle.get_attribute('aria-valuenow')}; focus on {focused!r}; view's revision "
            f"{known[0]}, drawn {known[1]}, link {known[2] or 'not marked silent'}; "
            f"{frozen_widget_report(page, label)})"
        )


def run_all_and_use_every_widget(page, server, lesson, ui):
    base, token = server
    open_lesson_and_run_all(page, base, token, lesson, ui=ui)
    use_every_widget(page, lesson, ui)


def use_every_widget(page, lesson, ui="lab"):
    """The walk on a lesson already open and run in ``page`` (a page from conftest's ``_new_page``,
    which records console errors)."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = Path(lesson).stem if ui == "lab" else f"nb7-{Path(lesson).stem}"

    notebook_text = page.inner_text(".jp-Notebook")
    assert "Traceback" not in notebook_text, f"{lesson}: an error output is shown"
    assert "Error displaying widget" not in notebook_text, f"{lesson}: a widget failed to display"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0

    toasts = page.locator(".Toastify__toast").all_inner_texts()  # (JupyterLab's news; Notebook 7 has none)
    assert not [t for t in toasts if "news" in t.lower()], (
        f"{lesson}: a news pop-up covers the lesson: {toasts}"
    )
    _figures_keep_their_height(page, lesson, resize=False)  # also those drawn off-screen during Run All

    plots = page.locator(".ol-liveplot")
    for i in range(assert_lesson_figures(page, lesson)):
        plot = plots.nth(i)
        before, frozen = _keys_move_the_figure(page, plot, lesson, i)
        if frozen:
            # A figure that does not follow its control after Run All: seen in CI about once in
            # ten lesson walks on a loaded machine, never reproduced on a quiet one (the report
            # says what the kernel held). A student's remedy is a save and a reload, which
            # re-attaches the live widgets to the kernel (issue 28): the test does the same, and
            # fails if the figure still does not follow. The first failure stays on record.
            save_notebook(page)
            reload_page(page)
            plot = plots.nth(i)
            before, again = _keys_move_the_figure(page, plot, lesson, i)
            if again:
                raise AssertionError(f"{frozen}; after a save and a reload: {again}")
            note_recovered_freeze(f"{lesson} ({ui}): {frozen}")
        before_text, before_fig, before_rev = before
        summary = plot.locator(".ol-summary")
        # The kernel has answered every key, and the figure has drawn a new revision.
        kernel_caught_up(page)
        wait_for_redraw(page, plot, before_rev)
        assert summary.text_content() != before_text
        assert _plot_signature(plot) != before_fig, f"{lesson}: plot {i} did not redraw"
        plot.screenshot(path=str(ARTIFACTS / f"{stem}-widget{i}.png"))

    _drop_downs_take_the_arrow_keys(page, lesson)
    _figures_keep_their_height(page, lesson)

    own_errors = [e for e in page.console_errors if "LivePlot" in e or "anywidget" in e]
    assert not own_errors, f"{lesson}: console errors from our widgets: {own_errors}"
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)


def _drop_downs_take_the_arrow_keys(page, lesson):
    """↓ on a focused widget drop-down picks the next option; it must not move the notebook to another cell."""
    selects = page.locator(".jupyter-widgets.widget-dropdown select")
    for i in range(selects.count()):
        select = selects.nth(i)
        if select.is_disabled() or select.evaluate("e => e.selectedIndex >= e.options.length - 1"):
            continue
        select.scroll_into_view_if_needed()
        select.focus()
        active = page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex")
        before = select.evaluate("e => e.value")
        page.keyboard.press("ArrowDown")
        next_frames(page)  # JupyterLab would move to another cell on the key press itself
        assert page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex") == active, (
            f"{lesson}: the arrow key on a drop-down moved the notebook to another cell"
        )
        assert select.evaluate("e => e.value") != before, (
            f"{lesson}: the arrow key did not change the drop-down"
        )
        kernel_caught_up(page)  # the change reaches the kernel before the next check resizes the page
        return


_HEIGHTS = """() => [...document.querySelectorAll('.ol-plot[data-figure-height]')]
    .map(gd => [Number(gd.dataset.figureHeight), Number(gd.querySelector('.main-svg').getAttribute('height'))])"""


_SQUEEZED = """() => [...document.querySelectorAll('.ol-plot[data-min-width]')]
    .map(gd => [Number(gd.dataset.minWidth), Number(gd.querySelector('.main-svg').getAttribute('width'))])
    .filter(([min, got]) => got < min - 1)"""


# Figures on screen have followed a new window width (those off screen redraw when scrolled to).
_REDRAWN_AT_WIDTH = """() => [...document.querySelectorAll('.ol-plot')].every(gd => {
    const box = gd.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= innerHeight) return true;
    const svg = gd.querySelector('.main-svg');
    const want = Math.max(gd.clientWidth, Number(gd.dataset.minWidth || 0));
    return svg && (gd.clientWidth === 0 || Math.abs(Number(svg.getAttribute('width')) - want) <= 2);
})"""


def _figures_keep_their_height(page, lesson, resize=True):
    """Every figure is drawn at its own height, also those drawn off-screen and after the window is resized."""
    for width in (None, 1000) if resize else (None,):
        if width:
            page.set_viewport_size({"width": width, "height": 900})
            # Each figure follows its new width (a redraw at the same revision): wait until
            # every drawing is as wide as its space (or its minimum width) again.
            page.wait_for_function(_REDRAWN_AT_WIDTH, timeout=10_000)
            next_frames(page)
        heights = page.evaluate(_HEIGHTS)
        assert heights or page.locator(".ol-liveplot").count() == 0, f"{lesson}: no figure reports its height"
        wrong = [(want, got) for want, got in heights if abs(want - got) > 1]
        assert not wrong, f"{lesson}: figures drawn at the wrong height (wanted, drawn): {wrong}"
        squeezed = page.evaluate(_SQUEEZED)
        assert not squeezed, (
            f"{lesson}: figures drawn narrower than their minimum width (min, drawn): {squeezed}"
        )
