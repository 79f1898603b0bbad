"""Kernel-side parts of the accessibility work: text colours, message areas, tables, the
composed browser module (the browser side is tested in tests/browser/test_accessibility.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from widgets.display import theme, ui
from widgets.display.figure_transport import STATIC, LivePlot
from widgets.display.table_display import dataframe_html


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1 contrast ratio of a colour against white (relative luminance definition)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#D55E00") == pytest.approx(3.87, abs=0.01)  # the audit's figure


@pytest.mark.parametrize("name", sorted(theme.OKABE_ITO))
def test_text_colours_pass_aa_for_normal_text(name):
    assert contrast_on_white(theme.TEXT_COLOURS[name]) >= 4.5


def test_text_colour_maps_line_colours_to_their_dark_shade():
    assert theme.text_colour(theme.OKABE_ITO["vermillion"]) == theme.TEXT_COLOURS["vermillion"]
    assert theme.text_colour("#123456") == "#123456"


def test_error_text_is_an_alert_in_a_dark_colour():
    html_text = ui.alert_html("Bad <value>")
    assert 'role="alert"' in html_text and "&lt;value&gt;" in html_text
    colour = re.search(r"color:(#[0-9A-Fa-f]{6})", html_text).group(1)
    assert contrast_on_white(colour) >= 4.5


def test_message_area_is_marked_for_the_browser_side():
    area = ui.message_area()
    assert "ol-message" in area._dom_classes
    assert ".ol-message" in (STATIC / "a11y.js").read_text()


class _Headers(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headers, self._in_th, self.attrs = [], False, []

    def handle_starttag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))
        if tag == "th":
            self._in_th = True
            self.headers.append("")

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th:
            self.headers[-1] += data.strip()


def _parse(frame):
    parser = _Headers()
    parser.feed(dataframe_html(frame))
    return parser


def test_default_index_is_not_shown_and_no_header_is_empty():
    parser = _parse(pd.DataFrame({"drug": ["naltrexone", "naloxone"], "Ki_nM": [0.2, 1.1]}))
    assert parser.headers == ["drug", "Ki_nM"]


def test_named_index_becomes_a_named_column():
    frame = pd.DataFrame({"ligand": ["a", "b"], "value": [1, 2]}).set_index("ligand")
    assert _parse(frame).headers == ["ligand", "value"]


def test_unnamed_index_gets_a_header():
    frame = pd.DataFrame({"value": [1, 2]}, index=["x", "y"])
    assert _parse(frame).headers == ["row", "value"]


def test_table_scroll_box_is_focusable_and_labelled():
    parser = _parse(pd.DataFrame({"a": [1], "b": [2]}))
    tag, attrs = parser.attrs[0]
    assert tag == "div" and attrs["tabindex"] == "0" and attrs["role"] == "region"
    assert "a, b" in attrs["aria-label"]


def test_live_plot_module_starts_with_the_accessibility_code():
    esm = LivePlot._esm if isinstance(LivePlot._esm, str) else LivePlot._esm.read_text()
    assert esm.index("function a11yInstallPageGuard") < esm.index("a11yInstallPageGuard();")
    assert "export default" in esm and ":focus-visible" in LivePlot._css
