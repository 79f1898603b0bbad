"""Lesson 07's displacement simulator: naltrexone arriving at receptors held by an agonist.

Model: competitive occupancy of two ligands at equilibrium (Gaddum), from
:func:`widgets.pharmacology.competitive_occupancies`, with MOR affinities from data/
via :mod:`widgets.data_access.affinities`. The class only displays it, so tests drive it headless.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.affinities import ligands, representative_ki_nM
from ..data_access.units import format_molar, plain_number
from ..display.concentration_control import ConcentrationControl
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below
from ..display.ui import message_area

NTX_GRID_M = np.logspace(-12, -6, 121)
TIME_H = np.linspace(0, 8, 97)
N_SITES = 100
_SITE_ORDER = np.random.default_rng(7).permutation(N_SITES)
_SITE_X = (np.arange(N_SITES) % 10).astype(float)
_SITE_Y = (np.arange(N_SITES) // 10).astype(float)
AGONIST_COLOUR, NTX_COLOUR = OKABE_ITO["blue"], OKABE_ITO["vermillion"]


@dataclass(frozen=True)
class Displacement:
    """Who holds the mu receptors before and after naltrexone arrives."""

    agonist: str
    agonist_M: float
    ka_M: float
    naltrexone_M: float
    kb_M: float
    agonist_before: float  # fraction of receptors held by the agonist without naltrexone
    agonist_after: float
    naltrexone_after: float
    free_after: float

    @property
    def fraction_lost(self) -> float:
        """Share of the agonist's receptors that naltrexone took over (0..1)."""
        if self.agonist_before == 0:
            return 0.0
        return 1.0 - self.agonist_after / self.agonist_before


def displacement(
    agonist: str,
    agonist_multiple: float,
    naltrexone_M: float,
    ka_M: float | None = None,
    kb_M: float | None = None,
) -> Displacement:
    """Occupancies for ``agonist`` at ``agonist_multiple`` × its MOR K_i and naltrexone at ``naltrexone_M``.

    K_A and K_B come from data/ (typical MOR K_i) unless given.
    """
    ka = representative_ki_nM(agonist, "MOR") * 1e-9 if ka_M is None else ka_M
    kb = representative_ki_nM("naltrexone", "MOR") * 1e-9 if kb_M is None else kb_M
    a = agonist_multiple * ka
    before = ph.occupancy(a, ka)
    p_a, p_b, p_free = ph.competitive_occupancies(a, ka, naltrexone_M, kb)
    return Displacement(agonist, a, ka, naltrexone_M, kb, before, p_a, p_b, p_free)


def site_states(d: Displacement) -> np.ndarray:
    """0 = held by the agonist, 1 = held by naltrexone, 2 = free; a fixed order of sites."""
    n_ag = int(round(d.agonist_after * N_SITES))
    n_ntx = min(int(round(d.naltrexone_after * N_SITES)), N_SITES - n_ag)
    states = np.full(N_SITES, 2)
    states[_SITE_ORDER[:n_ag]] = 0
    states[_SITE_ORDER[n_ag : n_ag + n_ntx]] = 1
    return states


def describe(d: Displacement, name: str) -> str:
    """Text description of the figure."""
    text = (
        f"Before naltrexone, {name} at {format_molar(d.agonist_M)} ({plain_number(d.agonist_M / d.ka_M, 2)}× its "
        f"K_i) holds {d.agonist_before:.0%} of mu receptors. With naltrexone at "
        f"{format_molar(d.naltrexone_M)} ({plain_number(d.naltrexone_M / d.kb_M, 2)}× its K_i), {name} holds "
        f"{d.agonist_after:.0%} and naltrexone {d.naltrexone_after:.0%}: {name} has lost "
        f"{d.fraction_lost:.0%} of the receptors it held"
    )
    drop = d.agonist_before - d.agonist_after
    if drop >= 0.3:
        text += (
            f", a fall of {100 * drop:.0f} percentage points as the dose is absorbed (about an hour for a tablet). "
            "In someone dependent on opioids, a sudden fall like this precipitates withdrawal."
        )
    elif d.agonist_before < 0.1:
        text += ". With so little agonist left on the receptors there is little to displace: this is why an opioid-free interval comes first."
    else:
        text += "."
    return text


class DisplacementSimulator(ipw.VBox):
    """Naltrexone displacing an agonist from mu receptors (lesson 07).

    Parameters
    ----------
    agonist : str
        Agonist key from data/ligands.csv (an agonist with a MOR affinity).
    agonist_multiple : float
        Agonist concentration as a multiple of its K_i (0.1 to 100).
    naltrexone_M : float
        Naltrexone concentration at the receptors, molar (1 pM to 1 µM).
    """

    NTX_MIN_LOG, NTX_MAX_LOG = -12, -6

    def __init__(
        self, agonist: str = "morphine", agonist_multiple: float = 10.0, naltrexone_M: float = 1e-10
    ):
        table = ligands()
        self._agonists = {}
        for key, row in table.iterrows():
            if row["action_at_mor"] in ("full agonist", "partial agonist") and row["kind"] == "clinical drug":
                try:
                    ka = representative_ki_nM(key, "MOR") * 1e-9
                except ValueError:
                    continue
                self._agonists[key] = (row["display_name"], row["action_at_mor"], ka)
        self._kb = representative_ki_nM("naltrexone", "MOR") * 1e-9
        if agonist not in self._agonists:
            raise ValueError(f"agonist must be one of {sorted(self._agonists)}, got {agonist!r}")
        if not 0.1 <= agonist_multiple <= 100:
            raise ValueError(f"agonist_multiple must be between 0.1 and 100, got {agonist_multiple!r}")
        if not 10.0**self.NTX_MIN_LOG <= naltrexone_M <= 10.0**self.NTX_MAX_LOG:
            raise ValueError(f"naltrexone_M must be between 1e-12 and 1e-06 M, got {naltrexone_M!r}")
        style = {"description_width": "170px"}
        wide = {"width": "470px"}
        self.message = message_area()
        self.naltrexone_control = ConcentrationControl.log_slider(
            "Naltrexone at receptors",
            naltrexone_M,
            self.NTX_MIN_LOG,
            self.NTX_MAX_LOG,
            self.message,
            on_change=lambda _: self._refresh(),
            placeholder="e.g. 2 nM, 500 pM",
            style=style,
            width=wide["width"],
            box_width="330px",
        )
        self.naltrexone = self.naltrexone_control.slider
        self.naltrexone_label = self.naltrexone_control.label
        self.typed_naltrexone = self.naltrexone_control.box
        self.agonist_level = ipw.FloatLogSlider(
            description="Agonist level (× its K_i)",
            value=agonist_multiple,
            base=10,
            min=-1,
            max=2,
            step=0.05,
            readout_format=".3",  # d3, no type: 100, 1.12, 0.1 (".2g" showed 100 as "1.0e+2")
            style=style,
            layout=wide,
        )
        self.agonist = ipw.Dropdown(
            description="Agonist held on receptors",
            options=[(f"{n} ({a})", k) for k, (n, a, _) in sorted(self._agonists.items())],
            value=agonist,
            style=style,
            layout=wide,
        )
        self.plot = LivePlot(
            self._initial_figure(),
            min_width=900,
            description=(
                "Three panels: receptor occupancy by the agonist and by naltrexone against naltrexone "
                "concentration; the same occupancies over the hours after an oral naltrexone dose; and "
                "100 receptor sites coloured by who holds them."
            ),
        )
        for control in (self.agonist_level, self.agonist):
            control.observe(lambda _: self._refresh(), "value")
        super().__init__(
            [
                self.naltrexone_control.row,
                self.typed_naltrexone,
                self.agonist_level,
                self.agonist,
                self.message,
                self.plot,
            ]
        )
        self._refresh()

    @property
    def state(self) -> Displacement:
        return displacement(
            self.agonist.value,
            self.agonist_level.value,
            self.naltrexone.value,
            ka_M=self._agonists[self.agonist.value][2],
            kb_M=self._kb,
        )

    def _initial_figure(self):
        fig = make_subplots(
            rows=1,
            cols=3,
            column_widths=[0.4, 0.35, 0.25],
            horizontal_spacing=0.08,
            subplot_titles=("At equilibrium", "After an oral dose", f"{N_SITES} receptors"),
        )
        fig.update_layout(
            template=TEMPLATE,
            height=440,
            legend=legend_below(-0.25),
            margin={"t": 40, "b": 40, "l": 60, "r": 10},
            font={"size": 13},
        )
        line = lambda colour, dash: {"color": colour, "width": 3, "dash": dash}  # noqa: E731
        fig.add_scatter(
            uid="agonist curve",
            x=NTX_GRID_M * 1e9,
            y=[],
            mode="lines",
            name="held by the agonist (%)",
            legendgroup="a",
            line=line(AGONIST_COLOUR, "solid"),
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="naltrexone curve",
            x=NTX_GRID_M * 1e9,
            y=[],
            mode="lines",
            name="held by naltrexone (%)",
            legendgroup="b",
            line=line(NTX_COLOUR, "dash"),
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="agonist now",
            x=[],
            y=[],
            mode="markers",
            showlegend=False,
            name="agonist now",
            cliponaxis=False,  # at either end of the slider the marker sits on the axis: draw it whole
            marker={"color": AGONIST_COLOUR, "size": 13, "symbol": "circle"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="naltrexone now",
            x=[],
            y=[],
            mode="markers",
            showlegend=False,
            name="naltrexone now",
            cliponaxis=False,  # at either end of the slider the marker sits on the axis: draw it whole
            marker={"color": NTX_COLOUR, "size": 13, "symbol": "square"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="agonist over time",
            x=TIME_H,
            y=[],
            mode="lines",
            showlegend=False,
            legendgroup="a",
            name="held by the agonist (%)",
            line=line(AGONIST_COLOUR, "solid"),
            row=1,
            col=2,
        )
        fig.add_scatter(
            uid="naltrexone over time",
            x=TIME_H,
            y=[],
            mode="lines",
            showlegend=False,
            legendgroup="b",
            name="held by naltrexone (%)",
            line=line(NTX_COLOUR, "dash"),
            row=1,
            col=2,
        )
        fig.add_scatter(
            uid="agonist sites",
            x=[],
            y=[],
            mode="markers",
            name="agonist-held site",
            marker={"color": AGONIST_COLOUR, "size": 13, "symbol": "circle"},
            row=1,
            col=3,
        )
        fig.add_scatter(
            uid="naltrexone sites",
            x=[],
            y=[],
            mode="markers",
            name="naltrexone-held site",
            marker={"color": NTX_COLOUR, "size": 12, "symbol": "square"},
            row=1,
            col=3,
        )
        fig.add_scatter(
            uid="free sites",
            x=[],
            y=[],
            mode="markers",
            name="free site",
            marker={"color": "#999", "size": 12, "symbol": "circle-open", "line": {"width": 2}},
            row=1,
            col=3,
        )
        # The naltrexone level now, as a line across the first panel: a trace, not a layout shape,
        # so moving it is a traces-only redraw in the browser (widgets/display/figure_transport.py).
        fig.add_scatter(
            uid="naltrexone line",
            x=[],
            y=[],
            mode="lines",
            name="naltrexone now",
            line={"color": "#333", "width": 1.5},
            showlegend=False,
            hoverinfo="skip",
            row=1,
            col=1,
        )
        fig.update_xaxes(
            type="log",
            title_text="naltrexone (nM)",
            exponentformat="power",
            range=[self.NTX_MIN_LOG + 9, self.NTX_MAX_LOG + 9],
            row=1,
            col=1,
        )
        fig.update_yaxes(title_text="% of mu receptors", range=[-3, 103], row=1, col=1)
        fig.update_xaxes(title_text="hours after the dose", range=[0, 8], row=1, col=2)
        fig.update_yaxes(range=[-3, 103], row=1, col=2)
        fig.update_xaxes(visible=False, range=[-0.8, 9.8], row=1, col=3)
        fig.update_yaxes(visible=False, range=[-0.8, 9.8], scaleanchor="x3", row=1, col=3)
        return fig

    def _refresh(self) -> None:
        d = self.state
        name = self._agonists[d.agonist][0].lower()
        self.naltrexone_label.value = f"<b>{format_molar(d.naltrexone_M)}</b>"
        curve_a, curve_b, _ = ph.competitive_occupancies(d.agonist_M, d.ka_M, NTX_GRID_M, d.kb_M)
        ntx_t = d.naltrexone_M * ph.arrival_profile(TIME_H)
        time_a, time_b, _ = ph.competitive_occupancies(d.agonist_M, d.ka_M, ntx_t, d.kb_M)
        states = site_states(d)
        x_now = d.naltrexone_M * 1e9
        traces = {
            "agonist curve": {"y": 100 * curve_a},
            "naltrexone curve": {"y": 100 * curve_b},
            "agonist now": {"x": [x_now], "y": [100 * d.agonist_after]},
            "naltrexone now": {"x": [x_now], "y": [100 * d.naltrexone_after]},
            "agonist over time": {"y": 100 * time_a},
            "naltrexone over time": {"y": 100 * time_b},
        }
        for key, s in (("agonist sites", 0), ("naltrexone sites", 1), ("free sites", 2)):
            traces[key] = {"x": _SITE_X[states == s], "y": _SITE_Y[states == s]}
        traces["naltrexone line"] = {"x": [x_now, x_now], "y": [0, 100]}
        self.plot.update(traces=traces, summary=describe(d, name))
