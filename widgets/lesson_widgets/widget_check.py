"""Lesson 00's first widget: one slider and one small plot, to check widgets work."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from .. import pharmacology as ph
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, new_figure

_X = np.linspace(0, 10, 101)  # concentration in multiples of K_D


def describe(multiple_of_kd: float) -> str:
    """Text for the check widget: where the slider is and the occupancy it gives."""
    return (
        f"The slider is at {multiple_of_kd:.1f} × K_D, where {ph.occupancy(multiple_of_kd, 1.0):.0%} "
        "of receptors are occupied. If this sentence and the dot change when you move "
        "the slider, widgets work."
    )


class WidgetCheck(ipw.VBox):
    """A slider moving a dot along an occupancy curve: 'can I use the widgets?'."""

    def __init__(self, value: float = 1.0):
        if not 0 <= value <= 10:
            raise ValueError(f"value must be between 0 and 10 (multiples of K_D), got {value!r}")
        self.slider = ipw.FloatSlider(
            description="Drug level",
            value=value,
            min=0,
            max=10,
            step=0.5,
            readout_format=".1f",
            style={"description_width": "90px"},
        )
        fig = new_figure(
            height=300,
            showlegend=False,
            xaxis={"title": {"text": "drug concentration (× K_D)"}},
            yaxis={"title": {"text": "% receptors occupied"}, "range": [-3, 103]},
        )
        fig.add_scatter(
            x=_X,
            y=100 * ph.occupancy(_X, 1.0),
            mode="lines",
            line={"color": OKABE_ITO["blue"], "width": 3},
            uid="curve",
        )
        fig.add_scatter(
            x=[value],
            y=[100 * ph.occupancy(value, 1.0)],
            mode="markers",
            marker={"color": OKABE_ITO["vermillion"], "size": 16, "symbol": "diamond"},
            uid="dot",
        )
        self.plot = LivePlot(
            fig, summary=describe(value), description="An occupancy curve with a dot at the slider's value."
        )
        self.slider.observe(self._moved, "value")
        super().__init__([self.slider, self.plot])

    def _moved(self, change) -> None:
        x = change["new"]
        self.plot.update(traces={"dot": {"x": [x], "y": [100 * ph.occupancy(x, 1.0)]}}, summary=describe(x))
