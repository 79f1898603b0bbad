"""Numbers and names a student reads in the browser: slider readouts as people write numbers,
and chart labels that are not cut off at the figure's edge."""

from __future__ import annotations

import pytest

from .lab import kernel_caught_up, open_lesson_and_run_all

pytestmark = pytest.mark.browser


def _slider(page, label: str):
    return page.locator(".jp-OutputArea-output .widget-slider", has_text=label).first


def _readout_at_end(page, label: str) -> str:
    slider = _slider(page, label)
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("End")
    # End moves the handle to the slider's current top (widgets/display/static/a11y.js), and the readout follows.
    page.wait_for_function(
        "el => el.getAttribute('aria-valuenow') === el.getAttribute('aria-valuemax')",
        arg=handle.element_handle(),
        timeout=10_000,
    )
    kernel_caught_up(page)  # a kernel that changed the slider's format on the way has been heard
    return slider.locator(".widget-readout").text_content().strip()


def test_slider_readouts_have_no_e_notation_or_padded_zeros(lab_server, page):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, "07_safety.ipynb")
    assert _readout_at_end(page, "Agonist level") == "100"  # ".2g" showed "1.0e+2"

    open_lesson_and_run_all(page, base, token, "04_naltrexone_in_the_body.ipynb")
    day = _readout_at_end(page, "Day (cursor)")
    assert float(day) > 1 and not day.endswith(".00"), day  # a whole day reads "84", not "84.00"

    open_lesson_and_run_all(page, base, token, "02_binding_occupancy_efficacy.ipynb")
    assert _readout_at_end(page, "Efficacy τ") == "1000"  # ".3g" showed "1.00e+3"


def test_the_ki_charts_names_fit_with_the_longest_in_bold(lab_server, page):
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, "01_opioid_receptors.ipynb")
    focus = page.locator(".jp-OutputArea-output .widget-dropdown", has_text="Occupancy for").locator("select")
    focus.scroll_into_view_if_needed()
    focus.select_option(label="Buprenorphine (partial agonist)")
    chart = page.locator(".ol-liveplot", has=page.locator("text=Ki ranges")).first
    page.wait_for_function(
        "el => [...el.querySelectorAll('.ytick text')].some("
        "t => /Buprenorphine/.test(t.textContent) && /bold/.test(t.innerHTML))",  # the focus, in bold
        arg=chart.element_handle(),
        timeout=10_000,
    )
    cut = chart.evaluate(
        """el => {
        const left = el.querySelector('.main-svg').getBoundingClientRect().left;
        return [...el.querySelectorAll('.ytick text')]
          .filter(t => t.getBoundingClientRect().left < left - 0.5)
          .map(t => t.textContent);
    }"""
    )
    assert cut == [], f"names cut off at the left edge: {cut}"


def test_a_typed_concentration_between_slider_steps_stays_as_typed(lab_server, page):
    """Lesson 01's cascade: the slider has no 3 nM (steps of 0.05 in log10) and, with
    continuous_update on, the browser sends its nearest step (3.16 nM) back to the kernel; the
    widget still uses, shows and describes the 3 nM typed (issue 28: it became 3.2 nM)."""
    base, token = lab_server
    open_lesson_and_run_all(page, base, token, "01_opioid_receptors.ipynb")
    area = page.locator(
        ".jp-OutputArea-output", has=page.locator(".widget-slider", has_text="Agonist conc.")
    ).first
    # the agonist's box (the antagonist has an "or type it" box of its own)
    box = area.get_by_placeholder("e.g. 10 nM", exact=True)
    box.scroll_into_view_if_needed()
    handle = area.get_by_role("slider", name="Agonist conc.", exact=True)
    before = handle.get_attribute("aria-valuenow")
    box.fill("3 nM")
    box.press("Enter")
    summary = area.locator(".ol-summary")
    page.wait_for_function(
        "el => /^3 nM of/.test(el.textContent)", arg=summary.element_handle(), timeout=10_000
    )
    # The kernel moves the slider to 3 nM; the browser's slider, snapping to its nearest step,
    # sends that step back. Wait for the move, then until the kernel has handled what came back.
    page.wait_for_function(
        "([el, was]) => el.getAttribute('aria-valuenow') !== was",
        arg=[handle.element_handle(), before],
        timeout=10_000,
    )
    kernel_caught_up(page)
    label = (
        area.locator(".widget-slider", has_text="Agonist conc.").locator("xpath=..").locator(".widget-html")
    )
    assert label.first.inner_text().strip() == "3 nM"
    assert summary.inner_text().startswith("3 nM of"), summary.inner_text()[:80]
    assert area.locator(".ol-message").inner_text().strip() == ""
