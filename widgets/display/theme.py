"""Colours, line styles and base layout shared by every figure.

Colours are the Okabe–Ito palette, distinguishable with the common colour-vision
deficiencies (Okabe M, Ito K (2008) Color Universal Design, https://jfly.uni-koeln.de/color/).
Each series also gets its own line dash and marker symbol, so colour is never the only cue.
"""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Darker shades of the same hues for TEXT on white (labels, messages): several Okabe–Ito colours
# are below the 4.5:1 contrast WCAG 2.1 AA asks of normal-size text (vermillion 3.87:1, bluish
# green 3.42:1, reddish purple 3.06:1, orange 2.25:1, sky blue 2.31:1). Each shade here is at
# least 5:1 on white (tests/test_accessibility_helpers.py measures it). Lines and markers keep OKABE_ITO.
TEXT_COLOURS = {
    "orange": "#8A5A00",
    "sky_blue": "#1A6FB3",
    "bluish_green": "#007A5A",
    "yellow": "#6E6500",
    "blue": "#0072B2",
    "vermillion": "#B34F00",
    "reddish_purple": "#9E4F7C",
    "black": "#000000",
}


def text_colour(line_colour: str) -> str:
    """The text shade for a series' line colour (an Okabe–Ito colour); other colours as given."""
    for key, value in OKABE_ITO.items():
        if value.lower() == line_colour.lower():
            return TEXT_COLOURS[key]
    return line_colour


# Order used for series 0, 1, 2, ...: strong contrasts first; yellow last (weak on white).
SERIES_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]
LINE_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
MARKER_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]

# The four opioid receptors keep one colour each across all lessons.
RECEPTOR_COLOURS = {
    "MOR": OKABE_ITO["blue"],
    "KOR": OKABE_ITO["vermillion"],
    "DOR": OKABE_ITO["bluish_green"],
    "NOP": OKABE_ITO["reddish_purple"],
}


def series_style(index: int) -> dict:
    """Line colour, dash and marker symbol for the ``index``-th series of a figure."""
    return {
        "line": {
            "color": SERIES_COLOURS[index % len(SERIES_COLOURS)],
            "dash": LINE_DASHES[index % len(LINE_DASHES)],
            "width": 3,
        },
        "marker": {
            "color": SERIES_COLOURS[index % len(SERIES_COLOURS)],
            "symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)],
            "size": 10,
        },
    }


# A small template instead of plotly's default one, which adds ~8 KB to every figure.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 15, "color": "#222"},
        "colorway": SERIES_COLOURS,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 70, "r": 20, "t": 50, "b": 60},
        "xaxis": {
            "showline": True,
            "linecolor": "#444",
            "ticks": "outside",
            "gridcolor": "#e5e5e5",
            "zeroline": False,
        },
        "yaxis": {
            "showline": True,
            "linecolor": "#444",
            "ticks": "outside",
            "gridcolor": "#e5e5e5",
            "zeroline": False,
        },
        "legend": {"bgcolor": "rgba(255,255,255,0.8)"},
        "hoverlabel": {"font": {"size": 14}},
    }
)


def legend_below(y: float, **settings) -> dict:
    """A horizontal legend under the plot whose top sits at ``y`` (paper units), so that when a
    narrow notebook (or 150 % zoom) wraps it onto more rows it grows downwards, away from the
    x-axis title, and plotly makes room for it. (plotly's default anchor for a legend this low
    is its bottom: the extra rows grew up over the axis title.)"""
    return {"orientation": "h", "y": y, "yanchor": "top", **settings}


def new_figure(**layout) -> go.Figure:
    """An empty figure with the project theme and the given layout settings."""
    return go.Figure(layout={"template": TEMPLATE, **layout})
