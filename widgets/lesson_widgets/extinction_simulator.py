"""Lesson 06's extinction-learning simulation: drinking on naltrexone vs abstinence on it.

Model: :func:`widgets.pharmacology.extinction_course` (Rescorla–Wagner, one drinking
occasion = one trial). The class below only displays it, so tests drive it headless.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below

HORIZON_WEEKS = 78
LABELS = {
    "targeted": "drinking on naltrexone (targeted)",
    "abstinent": "abstinence on naltrexone",
    "untreated": "drinking, no naltrexone",
}
STYLE = {
    "targeted": {"color": OKABE_ITO["bluish_green"], "dash": "solid", "symbol": "circle"},
    "abstinent": {"color": OKABE_ITO["blue"], "dash": "dash", "symbol": "square"},
    "untreated": {"color": OKABE_ITO["vermillion"], "dash": "dot", "symbol": "diamond"},
}


def simulate(
    treatment_weeks: int, reward_blocked: float, learning_rate: float, occasions_per_week: float
) -> dict[str, ph.ExtinctionCourse]:
    """The three strategies over the widget's horizon."""
    return {
        s: ph.extinction_course(
            HORIZON_WEEKS,
            s,
            treatment_weeks=treatment_weeks,
            reward_blocked=reward_blocked,
            learning_rate=learning_rate,
            occasions_per_week=occasions_per_week,
        )
        for s in ph.STRATEGIES
    }


def describe(courses: dict[str, ph.ExtinctionCourse], treatment_weeks: int, reward_blocked: float) -> str:
    """One-paragraph text description of the figure."""
    t = treatment_weeks
    end = {s: c.strength[t] for s, c in courses.items()}
    later = min(HORIZON_WEEKS, t + 26)
    text = (
        f"After {t} weeks on naltrexone with {reward_blocked:.0%} of alcohol's reward blocked, "
        f"the learned drinking response is at {end['targeted']:.0%} of its starting strength when "
        f"people drank on the drug, {end['abstinent']:.0%} with abstinence on the drug "
        f"(no drinking, so nothing was extinguished) and {end['untreated']:.0%} without the drug."
    )
    if later > t:
        text += (
            f" {later - t} weeks after stopping, drinking off the drug has brought the targeted "
            f"group back to {courses['targeted'].strength[later]:.0%}."
        )
    return text


class ExtinctionSimulator(ipw.VBox):
    """Rescorla–Wagner extinction of a learned drinking response over weeks.

    Parameters
    ----------
    treatment_weeks : int
        Initial weeks on naltrexone (4 to 52).
    reward_blocked : float
        Initial fraction of alcohol's reward blocked while on the drug (0 to 1).
    """

    def __init__(self, treatment_weeks: int = 12, reward_blocked: float = 0.5):
        if not (isinstance(treatment_weeks, int) and 4 <= treatment_weeks <= 52):
            raise ValueError(f"treatment_weeks must be a whole number from 4 to 52, got {treatment_weeks!r}")
        if not 0 <= reward_blocked <= 1:
            raise ValueError(f"reward_blocked must be between 0 and 1, got {reward_blocked!r}")
        style = {"description_width": "200px"}
        wide = {"width": "480px"}
        self.weeks = ipw.IntSlider(
            description="Weeks on naltrexone",
            value=treatment_weeks,
            min=4,
            max=52,
            step=1,
            style=style,
            layout=wide,
        )
        self.blocked = ipw.FloatSlider(
            description="Reward blocked by the drug",
            value=reward_blocked,
            min=0,
            max=1,
            step=0.05,
            readout_format=".0%",
            style=style,
            layout=wide,
        )
        self.learning_rate = ipw.FloatSlider(
            description="Learning rate αβ per occasion",
            value=0.1,
            min=0.02,
            max=0.5,
            step=0.01,
            style=style,
            layout=wide,
        )
        self.occasions = ipw.FloatSlider(
            description="Drinking occasions per week",
            value=4.0,
            min=1,
            max=7,
            step=0.5,
            readout_format=".2",  # d3, no type: 4, 1.5 (not 4.00)
            style=style,
            layout=wide,
        )
        self.plot = LivePlot(
            self._initial_figure(),
            description=(
                "Two stacked line charts against weeks: the learned drinking response (percent of its "
                "starting strength) and drinking occasions per week, for drinking on naltrexone, "
                "abstinence on naltrexone and drinking without it; the treatment period is shaded."
            ),
        )
        for control in (self.weeks, self.blocked, self.learning_rate, self.occasions):
            control.observe(lambda _: self._refresh(), "value")
        super().__init__([self.weeks, self.blocked, self.learning_rate, self.occasions, self.plot])
        self._refresh()

    @property
    def courses(self) -> dict[str, ph.ExtinctionCourse]:
        """The model's numbers for the current control values."""
        return simulate(self.weeks.value, self.blocked.value, self.learning_rate.value, self.occasions.value)

    def _initial_figure(self):
        fig = make_subplots(
            rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08
        )
        fig.update_layout(
            template=TEMPLATE, height=520, legend=legend_below(-0.18), margin={"t": 30, "b": 60}
        )
        for strategy in ph.STRATEGIES:
            st = STYLE[strategy]
            fig.add_scatter(
                x=[],
                y=[],
                mode="lines",
                name=LABELS[strategy],
                uid=f"{strategy} strength",
                legendgroup=strategy,
                line={"color": st["color"], "dash": st["dash"], "width": 3},
                row=1,
                col=1,
            )
        for strategy in ph.STRATEGIES:
            st = STYLE[strategy]
            fig.add_scatter(
                x=[],
                y=[],
                mode="lines",
                name=LABELS[strategy],
                uid=f"{strategy} drinking",
                legendgroup=strategy,
                showlegend=False,
                # A week's count is one step across that week: a line from point to point rose
                # during the last week on naltrexone, when nobody on it drank.
                line={"color": st["color"], "dash": st["dash"], "width": 2, "shape": "hv"},
                row=2,
                col=1,
            )
        for strategy in ph.STRATEGIES:  # markers at the end of treatment
            st = STYLE[strategy]
            fig.add_scatter(
                x=[],
                y=[],
                mode="markers",
                showlegend=False,
                legendgroup=strategy,
                name=f"{LABELS[strategy]} at the end of treatment",
                uid=f"{strategy} at the end of treatment",
                marker={"color": st["color"], "symbol": st["symbol"], "size": 11},
                row=1,
                col=1,
            )
        fig.update_yaxes(title_text="learned response (%)", range=[-3, 105], row=1, col=1)
        # The band's label stays at its left edge (the band starts at week 0 and lasts at least 4
        # weeks): a label that moved with the band made each step redraw the whole figure.
        fig.add_annotation(
            text="on naltrexone",
            x=0,
            y=1.0,
            xref="x",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 13},
        )
        # Fixed ranges on every axis (the lower panel's is set in _refresh): the weeks slider then
        # only moves traces, which the browser redraws alone (widgets/display/figure_transport.py).
        fig.update_yaxes(title_text="occasions / week", row=2, col=1)
        fig.update_xaxes(range=[0, HORIZON_WEEKS], row=1, col=1)
        fig.update_xaxes(title_text="weeks", range=[0, HORIZON_WEEKS], row=2, col=1)
        return fig

    def _refresh(self) -> None:
        courses = self.courses
        t = self.weeks.value
        traces = {}
        for strategy in ph.STRATEGIES:
            c = courses[strategy]
            traces[f"{strategy} strength"] = {"x": c.week, "y": 100 * c.strength}
            # the last week's step ends at the horizon (occasions[-1] is nan: no week follows)
            traces[f"{strategy} drinking"] = {"x": c.week, "y": np.append(c.occasions[:-1], c.occasions[-2])}
            traces[f"{strategy} at the end of treatment"] = {"x": [t], "y": [100 * c.strength[t]]}
        shade = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": 0,
                "x1": t,
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(86,180,233,0.15)",
                "line": {"width": 0},
                "layer": "below",
            }
        ]
        # The lower panel from 0 to a whole number above every course's highest week: it changes
        # with the occasions control, not with the weeks on naltrexone.
        top = np.ceil(1.05 * max(float(np.nanmax(c.occasions[:-1])) for c in courses.values()) + 1e-9)
        self.plot.update(
            traces=traces,
            layout={"shapes": shade, "yaxis2": {"range": [0, float(top)]}},
            summary=describe(courses, t, self.blocked.value),
        )
