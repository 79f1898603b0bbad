"""Lesson 02's binding explorer: occupancy, response and a field of receptors filling up.

The model (compute functions at the top) is separate from the display (the class below),
so tests can drive the widget headless and check the numbers it draws.
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
from ..display.ui import alert_html, message_area
from ..pharmacology.receptor_theory import DEFAULT_TAU

CONC_GRID_M = np.logspace(-13, -4, 181)
N_SITES = 100
_SITE_ORDER = np.random.default_rng(20261122).permutation(N_SITES)  # fixed fill order
_SITE_X = (np.arange(N_SITES) % 10).astype(float)
_SITE_Y = (np.arange(N_SITES) // 10).astype(float)


@dataclass(frozen=True)
class BindingPoint:
    """What the explorer shows for one ligand, efficacy and concentration."""

    ligand: str
    action: str
    ka_M: float
    tau: float
    conc_M: float
    occupancy: float  # fraction 0..1
    response: float  # fraction of the system maximum 0..1
    ec50_M: float | None  # None when there is no response (tau = 0)
    max_response: float


def binding_point(ligand: str, action: str, ka_M: float, tau: float, conc_M: float) -> BindingPoint:
    """Occupancy (Hill–Langmuir) and response (operational model, n = 1) at one point."""
    occ = ph.occupancy(conc_M, ka_M)
    resp = ph.operational_effect(conc_M, ka_M, tau)
    return BindingPoint(
        ligand=ligand,
        action=action,
        ka_M=ka_M,
        tau=tau,
        conc_M=conc_M,
        occupancy=occ,
        response=resp,
        ec50_M=ph.operational_ec50(ka_M, tau) if tau > 0 else None,
        max_response=tau / (1.0 + tau),
    )


def occupied_sites(occupancy: float) -> np.ndarray:
    """Indices of the receptor sites drawn as occupied (always the same order)."""
    return _SITE_ORDER[: int(round(occupancy * N_SITES))]


def describe(point: BindingPoint, name: str) -> str:
    """One-sentence text description of the figure, for screen readers and readers."""
    head = (
        f"{name} at {format_molar(point.conc_M)} occupies {point.occupancy:.0%} of mu "
        f"receptors (K_A ≈ {format_molar(point.ka_M)}). "
    )
    if point.tau == 0:
        return head + (
            "As an antagonist it produces no response: it only stops agonists "
            "from binding to the receptors it holds."
        )
    tail = (
        f"With efficacy τ = {plain_number(point.tau)} the response is {point.response:.0%} of the "
        f"system maximum (ceiling {point.max_response:.0%}); half of that ceiling is "
        f"reached at {format_molar(point.ec50_M)}"
    )
    if point.tau >= 3:
        tail += f", {plain_number(1 + point.tau)}× below K_A: a receptor reserve."
    elif point.tau < 1:
        tail += ": even full occupancy gives less than half the system maximum (a partial agonist)."
    else:
        tail += "."
    return head + tail


class BindingExplorer(ipw.VBox):
    """Interactive binding explorer for lesson 02.

    Parameters
    ----------
    ligand : str
        Initial ligand key from data/ligands.csv (one with a MOR affinity).
    concentration_M : float
        Initial concentration, molar (1 pM to 10 µM).
    """

    CONC_MIN_LOG, CONC_MAX_LOG = -12, -5

    def __init__(self, ligand: str = "morphine", concentration_M: float = 1e-9):
        table = ligands()
        self._ligands = {}
        for key, row in table.iterrows():
            if row["action_at_mor"] not in DEFAULT_TAU:
                continue  # e.g. a kappa- or delta-selective agonist: no MOR action to model
            try:
                ka = representative_ki_nM(key, "MOR") * 1e-9
            except ValueError:
                continue  # no MOR affinity in data/: not offered here
            self._ligands[key] = (row["display_name"], row["action_at_mor"], ka)
        if ligand not in self._ligands:
            raise ValueError(f"ligand must be one of {sorted(self._ligands)}, got {ligand!r}")
        lo, hi = 10.0**self.CONC_MIN_LOG, 10.0**self.CONC_MAX_LOG
        if not lo <= concentration_M <= hi:
            raise ValueError(f"concentration_M must be between {lo:g} and {hi:g} M, got {concentration_M!r}")

        self.ligand = ipw.Dropdown(
            description="Ligand",
            options=[
                (f"{n} — {a}", k) for k, (n, a, _) in sorted(self._ligands.items(), key=lambda i: i[1][0])
            ],
            value=ligand,
            style={"description_width": "110px"},
            layout={"width": "420px"},
        )
        self.message = message_area()
        self.concentration_control = ConcentrationControl.log_slider(
            "Concentration",
            concentration_M,
            self.CONC_MIN_LOG,
            self.CONC_MAX_LOG,
            self.message,
            on_change=lambda _: self._refresh(curves=False),
            style={"description_width": "110px"},
            width="420px",
            box_width="300px",
        )
        self.concentration = self.concentration_control.slider
        self.concentration_label = self.concentration_control.label
        self.typed_concentration = self.concentration_control.box
        self.tau = ipw.FloatLogSlider(
            description="Efficacy τ",
            value=DEFAULT_TAU[self._ligands[ligand][1]] or 1.0,
            base=10,
            min=-1,
            max=3,
            step=0.05,
            readout_format=".4",  # d3, no type: 0.1, 1.12, 1000 (".3g" showed "1.00e+3")
            style={"description_width": "110px"},
            layout={"width": "420px"},
        )
        # The readout shows τ but takes no typing: ipywidgets silently dropped typed text there
        # (display/static/a11y.js makes a readout marked so plain text). Arrow keys move τ in 0.05 log steps.
        self.tau.add_class("ol-readonly-readout")
        self.tau_note = ipw.HTML()  # says τ = 0 while an antagonist greys the slider out
        self.plot = LivePlot(
            self._initial_figure(),
            description=(
                "Occupancy and response curves against concentration on a log axis, and a "
                "10 by 10 field of receptor sites showing how many are occupied."
            ),
        )

        self._quiet = False  # True while one control sets another, to redraw once
        self.ligand.observe(self._on_ligand, "value")
        self.tau.observe(lambda _: self._refresh(curves=True), "value")

        super().__init__(
            [
                ipw.HBox(
                    [
                        ipw.VBox(
                            [
                                self.ligand,
                                self.concentration_control.row,
                                self.typed_concentration,
                                ipw.HBox([self.tau, self.tau_note]),
                            ]
                        ),
                    ]
                ),
                self.message,
                self.plot,
            ]
        )
        self._apply_ligand_tau()
        self._refresh(curves=True)

    # -- model ------------------------------------------------------------------------
    @property
    def point(self) -> BindingPoint:
        """The model's numbers for the current control values."""
        _, action, ka = self._ligands[self.ligand.value]
        tau = 0.0 if DEFAULT_TAU[action] == 0 else self.tau.value
        return binding_point(self.ligand.value, action, ka, tau, self.concentration.value)

    # -- events -------------------------------------------------------------------------
    def _apply_ligand_tau(self) -> None:
        action = self._ligands[self.ligand.value][1]
        is_antagonist = DEFAULT_TAU[action] == 0
        self.tau.disabled = is_antagonist
        self.tau.tooltip = "no efficacy: an antagonist" if is_antagonist else None
        # A log slider cannot show 0: hide its number rather than show an agonist's τ.
        self.tau.readout = not is_antagonist
        self.tau_note.value = (
            "<b>τ = 0</b>: an antagonist has no efficacy, so this slider does not apply"
            if is_antagonist
            else ""
        )

    def _on_ligand(self, _change) -> None:
        self.concentration_control.forget()  # an error about the last ligand's typed concentration
        action = self._ligands[self.ligand.value][1]
        if DEFAULT_TAU[action] > 0:
            self._quiet = True
            try:
                self.tau.value = DEFAULT_TAU[action]
            finally:
                self._quiet = False
        self._apply_ligand_tau()
        self._refresh(curves=True)

    def _show_message(self, text: str) -> None:
        self.message.value = alert_html(text)

    # -- display ------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=1,
            cols=2,
            column_widths=[0.66, 0.34],
            horizontal_spacing=0.08,
            subplot_titles=("Occupancy and response", f"{N_SITES} receptor sites"),
        )
        fig.update_layout(template=TEMPLATE, height=440, legend=legend_below(-0.3), margin={"t": 40, "b": 40})
        blue, red = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
        x_nM = CONC_GRID_M * 1e9
        fig.add_scatter(
            x=x_nM,
            y=np.zeros_like(x_nM),
            name="occupancy (%)",
            uid="occupancy",
            mode="lines",
            line={"color": blue, "width": 3},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=x_nM,
            y=np.zeros_like(x_nM),
            name="response (% of system max)",
            uid="response",
            mode="lines",
            line={"color": red, "width": 3, "dash": "dash"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=[1.0],
            y=[0.0],
            name="occupancy now",
            uid="occupancy_now",
            mode="markers",
            showlegend=False,
            marker={"color": blue, "size": 13, "symbol": "circle"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=[1.0],
            y=[0.0],
            name="response now",
            uid="response_now",
            mode="markers",
            showlegend=False,
            marker={"color": red, "size": 13, "symbol": "diamond"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=[],
            y=[],
            name="occupied site",
            uid="occupied_sites",
            mode="markers",
            marker={"color": blue, "size": 15, "symbol": "circle"},
            row=1,
            col=2,
        )
        fig.add_scatter(
            x=[],
            y=[],
            name="empty site",
            uid="empty_sites",
            mode="markers",
            marker={"color": "#999", "size": 15, "symbol": "circle-open", "line": {"width": 2}},
            row=1,
            col=2,
        )
        fig.update_xaxes(
            type="log",
            title_text="concentration (nM)",
            row=1,
            col=1,
            range=[self.CONC_MIN_LOG + 9, self.CONC_MAX_LOG + 9],
            exponentformat="power",
        )
        fig.update_yaxes(title_text="% of maximum", range=[-3, 103], row=1, col=1)
        fig.update_xaxes(visible=False, range=[-0.8, 9.8], row=1, col=2)
        fig.update_yaxes(visible=False, range=[-0.8, 9.8], scaleanchor="x2", row=1, col=2)
        return fig

    def _refresh(self, curves: bool) -> None:
        if self._quiet:
            return
        p = self.point
        name = self._ligands[p.ligand][0]
        self.concentration_label.value = f"<b>{format_molar(p.conc_M)}</b>"
        x_now = p.conc_M * 1e9
        bound = np.zeros(N_SITES, dtype=bool)
        bound[occupied_sites(p.occupancy)] = True
        traces = {
            "occupancy_now": {"x": [x_now], "y": [100 * p.occupancy]},
            "response_now": {"x": [x_now], "y": [100 * p.response]},
            "occupied_sites": {"x": _SITE_X[bound], "y": _SITE_Y[bound], "name": f"site occupied by {name}"},
            "empty_sites": {"x": _SITE_X[~bound], "y": _SITE_Y[~bound]},
        }
        if curves:
            traces["occupancy"] = {"y": 100 * ph.occupancy(CONC_GRID_M, p.ka_M)}
            traces["response"] = {"y": 100 * ph.operational_effect(CONC_GRID_M, p.ka_M, p.tau)}
        self.plot.update(traces=traces, layout={"shapes": self._marker_lines(p)}, summary=describe(p, name))

    @staticmethod
    def _marker_lines(p: BindingPoint) -> list[dict]:
        """Vertical lines: the current concentration, K_A and (if any) EC50."""

        def vline(x_M, colour, dash):
            return {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": x_M * 1e9,
                "x1": x_M * 1e9,
                "y0": 0,
                "y1": 100,
                "line": {"color": colour, "dash": dash, "width": 1.5},
            }

        lines = [vline(p.conc_M, "#333", "solid"), vline(p.ka_M, OKABE_ITO["blue"], "dot")]
        if p.ec50_M is not None:
            lines.append(vline(p.ec50_M, OKABE_ITO["vermillion"], "dot"))
        return lines
