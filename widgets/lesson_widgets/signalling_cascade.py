"""Lesson 01's signalling-cascade widget: the Gi/o cycle drawn live, with its readouts.

The model is :func:`widgets.pharmacology.gi_cascade`; the drawing functions at the top turn
its state into plotly trace data (pure functions, tested headless); the class below wires
the controls.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.affinities import ligands, representative_ki_nM
from ..data_access.units import format_molar
from ..display.concentration_control import ConcentrationControl
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below
from ..display.ui import in_sentence, message_area
from ..pharmacology.receptor_theory import DEFAULT_TAU

N_G = 10  # G proteins drawn
N_CAMP = 12  # cAMP dots at the resting level
N_IONS = 4  # ions drawn through a fully open channel
RASTER_X = (0.6, 9.6)  # the 1-second spike raster spans this x range
MEMBRANE_Y = (4.0, 4.8)
READOUTS = (
    "MOR held by agonist",
    "MOR held by antagonist",
    "G proteins active",
    "cAMP",
    "GIRK channels open",
    "Ca²⁺ current",
    "Firing rate",
)
_RNG = np.random.default_rng(20261122)
_CAMP_XY = np.column_stack([_RNG.uniform(4.5, 6.1, N_CAMP), _RNG.uniform(1.7, 2.9, N_CAMP)])
_G_REST = [(2.75 + 0.55 * (i % 5), 3.45 - 0.62 * (i // 5)) for i in range(N_G)]
_ALPHA_ACTIVE = [(4.7 + 0.4 * (i % 4), 3.45 - 0.45 * (i // 4)) for i in range(N_G)]
_BG_ACTIVE = [(6.7 + 0.36 * (i % 8), 3.45 - 0.5 * (i // 8)) for i in range(N_G)]


def _split(points, n_first):
    xs = np.array([p[0] for p in points[:n_first]], dtype=float)
    ys = np.array([p[1] for p in points[:n_first]], dtype=float)
    return xs, ys


def diagram_data(state: ph.GiState, agonist_on: bool, antagonist_on: bool) -> dict:
    """Trace data for the diagram and the readouts panel (trace key -> properties)."""
    n_active = int(round(N_G * state.g_active))
    rest = _G_REST[: N_G - n_active]  # inactive heterotrimers stay by the receptor
    a_x, a_y = _split(_ALPHA_ACTIVE, n_active)
    b_x, b_y = _split(_BG_ACTIVE, n_active)
    n_camp = int(round(N_CAMP * state.camp_rel))
    girk_gap = 0.08 + 0.34 * state.girk_open
    ca_gap = 0.08 + 0.34 * state.calcium_rel
    n_k = int(round(N_IONS * state.girk_open))
    n_ca = int(round(N_IONS * state.calcium_rel))
    spikes = _spike_times(state.firing_hz)
    sx = RASTER_X[0] + spikes * (RASTER_X[1] - RASTER_X[0])
    raster_x = np.repeat(sx, 3)
    raster_y = np.tile([0.25, 0.95, math.nan], len(sx))
    raster_x[2::3] = math.nan
    p_a, p_b = state.agonist_occupancy, state.antagonist_occupancy
    bar_x0, bar_w = 0.3, 3.0
    bars_x = [bar_x0, bar_x0 + bar_w * p_a, math.nan]
    anta_x = [bar_x0 + bar_w * p_a, bar_x0 + bar_w * (p_a + p_b), math.nan]
    basal = state.basal_firing_hz
    values = [
        100 * p_a,
        100 * p_b,
        100 * state.g_active,
        100 * state.camp_rel,
        100 * state.girk_open,
        100 * state.calcium_rel,
        100 * state.firing_hz / basal if basal > 0 else 0.0,
    ]
    rows = np.arange(len(READOUTS))[::-1].astype(float)
    stems_x = np.ravel([[0.0, v, math.nan] for v in values])
    stems_y = np.ravel([[y, y, math.nan] for y in rows])
    return {
        "agonist-held receptors": {"x": bars_x, "y": [6.45, 6.45, math.nan]},
        "antagonist-held receptors": {"x": anta_x, "y": [6.45, 6.45, math.nan]},
        "agonist": {
            "x": [1.55] if agonist_on else [],
            "y": [5.45] if agonist_on else [],
            "marker": {"size": 10 + 16 * p_a},
        },
        "antagonist": {
            "x": [2.15] if antagonist_on else [],
            "y": [5.45] if antagonist_on else [],
            "marker": {"size": 10 + 16 * p_b},
        },
        "G-alpha GDP": {"x": np.array([p[0] for p in rest]), "y": np.array([p[1] for p in rest])},
        "bound G-beta-gamma": {
            "x": np.array([p[0] + 0.2 for p in rest]),
            "y": np.array([p[1] - 0.05 for p in rest]),
        },
        "G-alpha GTP": {"x": a_x, "y": a_y},
        "free G-beta-gamma": {"x": b_x, "y": b_y},
        "cAMP": {"x": _CAMP_XY[:n_camp, 0], "y": _CAMP_XY[:n_camp, 1]},
        "GIRK pore": {
            "x": [
                7.4 - girk_gap / 2 - 0.12,
                7.4 - girk_gap / 2 - 0.12,
                math.nan,
                7.4 + girk_gap / 2 + 0.12,
                7.4 + girk_gap / 2 + 0.12,
            ],
            "y": [3.85, 4.95, math.nan, 3.85, 4.95],
        },
        "Ca channel pore": {
            "x": [
                9.1 - ca_gap / 2 - 0.12,
                9.1 - ca_gap / 2 - 0.12,
                math.nan,
                9.1 + ca_gap / 2 + 0.12,
                9.1 + ca_gap / 2 + 0.12,
            ],
            "y": [3.85, 4.95, math.nan, 3.85, 4.95],
        },
        "K+ leaving": {"x": np.full(n_k, 7.4), "y": 5.3 + 0.35 * np.arange(n_k)},
        "Ca2+ entering": {"x": np.full(n_ca, 9.1), "y": 5.3 + 0.35 * np.arange(n_ca)},
        "spikes": {"x": raster_x, "y": raster_y},
        "firing rate": {
            "x": [5.1],
            "y": [1.3],
            "text": [f"firing {state.firing_hz:.0f} Hz (at rest {basal:.0f} Hz)"],
        },
        "readout stems": {"x": stems_x, "y": stems_y},
        "readout values": {"x": np.array(values), "y": rows, "text": [f"{v:.0f}%" for v in values]},
    }


def _spike_times(rate_hz: float) -> np.ndarray:
    """Regular spike times (fractions of a 1 s window) for a steady firing rate."""
    if rate_hz <= 0:
        return np.zeros(0)
    n = int(math.floor(rate_hz))
    return (np.arange(n) + 0.5) / rate_hz


def describe(
    state: ph.GiState,
    agonist: str | None,
    agonist_conc: float,
    antagonist: str | None,
    antagonist_conc: float,
) -> str:
    """One-sentence summary of the cascade's state."""
    agonist = in_sentence(agonist) if agonist else None
    antagonist = in_sentence(antagonist) if antagonist else None
    anta = (
        f" with {format_molar(antagonist_conc)} {antagonist} holding {state.antagonist_occupancy:.0%} "
        "of receptors"
        if antagonist
        else ""
    )
    if agonist is None:
        text = (
            "No agonist: receptors are idle, G proteins stay together as αβγ·GDP, and cAMP, "
            f"the channels and the firing rate ({state.basal_firing_hz:.0f} Hz) stay at rest"
        )
        if antagonist:
            text += (
                f"; {antagonist} alone holds {state.antagonist_occupancy:.0%} of receptors but, "
                "as a neutral antagonist in this model, changes nothing"
            )
        return text + "."
    firing, rest = f"{state.firing_hz:.0f}", f"{state.basal_firing_hz:.0f}"
    firing_text = (
        f"the neuron still fires {rest} Hz, as at rest"
        if firing == rest
        else f"the neuron fires {firing} Hz instead of {rest} Hz"
    )
    return (
        f"{format_molar(agonist_conc)} of {agonist}{anta} leaves {state.agonist_occupancy:.0%} of receptors "
        f"agonist-bound and {state.g_active:.0%} of G proteins active: cAMP falls to "
        f"{state.camp_rel:.0%} of rest, {state.girk_open:.0%} of GIRK channels open, the calcium "
        f"current falls to {state.calcium_rel:.0%}, and {firing_text}."
    )


class SignallingCascade(ipw.VBox):
    """The Gi/o cycle: agonist on/off, an antagonist, and the readouts downstream.

    Parameters
    ----------
    agonist : str
        Ligand key of a MOR agonist or partial agonist in data/ligands.csv.
    agonist_M : float
        Agonist concentration, molar (1 pM to 10 µM).
    antagonist : str
        Ligand key of a MOR antagonist.
    antagonist_M : float
        Antagonist concentration, molar (1 pM to 1 µM), used when the antagonist is present.
    """

    CONC_MIN_LOG, CONC_MAX_LOG = -12, -5
    ANTA_MIN_LOG, ANTA_MAX_LOG = -12, -6

    def __init__(
        self,
        agonist: str = "morphine",
        agonist_M: float = 1e-9,
        antagonist: str = "naltrexone",
        antagonist_M: float = 1e-8,
    ):
        table = ligands()
        self._agonists, self._antagonists = {}, {}
        for key, row in table.iterrows():
            action = row["action_at_mor"]
            if action in ("full agonist", "partial agonist"):
                self._agonists[key] = (row["display_name"], action)
            elif action == "antagonist":
                self._antagonists[key] = (row["display_name"], action)
        if agonist not in self._agonists:
            raise ValueError(f"agonist must be one of {sorted(self._agonists)}, got {agonist!r}")
        # Affinities from data/, looked up once (M)
        self._mor_ki_M = {
            k: representative_ki_nM(k, "MOR") * 1e-9 for k in (*self._agonists, *self._antagonists)
        }
        if antagonist not in self._antagonists:
            raise ValueError(f"antagonist must be one of {sorted(self._antagonists)}, got {antagonist!r}")
        for name, value, lo_log, hi_log in (
            ("agonist_M", agonist_M, self.CONC_MIN_LOG, self.CONC_MAX_LOG),
            ("antagonist_M", antagonist_M, self.ANTA_MIN_LOG, self.ANTA_MAX_LOG),
        ):
            lo, hi = 10.0**lo_log, 10.0**hi_log
            if not (isinstance(value, (int, float)) and lo <= value <= hi):
                raise ValueError(f"{name} must be between {lo:g} and {hi:g} M, got {value!r}")

        wide = {"description_width": "150px"}
        self.message = message_area()
        # A typed 3 nM is used as typed (the slider shows its nearest step, 3.2 nM, beside the label 3 nM).
        self.agonist_control = ConcentrationControl.log_slider(
            "Agonist conc.",
            agonist_M,
            self.CONC_MIN_LOG,
            self.CONC_MAX_LOG,
            self.message,
            on_change=lambda _: self._refresh(),
            as_typed=True,
            on_same_step=self._refresh,
            placeholder="e.g. 10 nM",
            style=wide,
            width="440px",
            box_width="320px",
        )
        self.agonist_concentration = self.agonist_control.slider
        self.agonist_label = self.agonist_control.label
        self.typed_agonist = self.agonist_control.box
        self.agonist_on = ipw.Checkbox(value=True, description="Agonist applied", indent=False)
        self.agonist = ipw.Dropdown(
            description="Agonist",
            value=agonist,
            style=wide,
            layout={"width": "440px"},
            options=[
                (f"{n} ({a})", k) for k, (n, a) in sorted(self._agonists.items(), key=lambda i: i[1][0])
            ],
        )
        self.antagonist_control = ConcentrationControl.log_slider(
            "Antagonist conc.",
            antagonist_M,
            self.ANTA_MIN_LOG,
            self.ANTA_MAX_LOG,
            self.message,
            on_change=lambda _: self._refresh(),
            placeholder="e.g. 1 nM",
            style=wide,
            width="440px",
            box_width="320px",
        )
        self.antagonist_concentration = self.antagonist_control.slider
        self.antagonist_label = self.antagonist_control.label
        self.typed_antagonist = self.antagonist_control.box
        self.antagonist_on = ipw.Checkbox(value=False, description="Antagonist present", indent=False)
        self.antagonist = ipw.Dropdown(
            description="Antagonist",
            value=antagonist,
            style=wide,
            layout={"width": "440px"},
            options=[(n, k) for k, (n, _) in sorted(self._antagonists.items(), key=lambda i: i[1][0])],
        )
        self.plot = LivePlot(
            self._initial_figure(),
            min_width=900,
            description=(
                "Diagram of a neuron's membrane: an opioid receptor, ten G proteins, adenylyl cyclase "
                "making cAMP, a GIRK potassium channel, a calcium channel and a one-second spike raster; "
                "beside it, bars for each readout as a percentage."
            ),
        )

        for control in (
            self.agonist_on,
            self.agonist,
            self.antagonist_on,
            self.antagonist,
        ):
            control.observe(lambda _: self._refresh(), "value")

        super().__init__(
            [
                self.agonist_control.row,
                ipw.HBox([self.typed_agonist, self.agonist_on]),
                self.agonist,
                self.antagonist_control.row,
                ipw.HBox([self.typed_antagonist, self.antagonist_on]),
                self.antagonist,
                self.message,
                self.plot,
            ],
            layout={"width": "100%"},
        )
        self._refresh()

    # -- model ------------------------------------------------------------------------
    @property
    def state(self) -> ph.GiState:
        """The model's steady state for the current controls."""
        key = self.agonist.value
        action = self._agonists[key][1]
        ka = self._mor_ki_M[key]
        kb = self._mor_ki_M[self.antagonist.value]
        a = self.agonist_control.value_M if self.agonist_on.value else 0.0
        b = self.antagonist_concentration.value if self.antagonist_on.value else 0.0
        return ph.gi_cascade(a, ka, DEFAULT_TAU[action], antagonist=b, kb=kb)

    # -- events -------------------------------------------------------------------------
    # -- display ------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=1,
            cols=2,
            subplot_titles=("The Gi/o cycle at the membrane", "Readouts (% of rest or of maximum)"),
        )
        # The readouts' names are y tick labels: they get their own fixed share of the width
        # (the figure is never narrower than its 900 px minimum), clear of the diagram.
        fig.update_xaxes(domain=[0, 0.56], row=1, col=1)
        fig.update_xaxes(domain=[0.8, 1.0], row=1, col=2)
        fig.layout.annotations[1].update(x=1.0, xanchor="right")  # its title ends at the right edge
        # The legend starts below the readouts' tick labels.
        fig.update_layout(
            template=TEMPLATE,
            height=590,
            showlegend=True,
            hovermode=False,
            legend=legend_below(-0.1, x=0, font={"size": 12}),
            margin={"l": 20, "r": 20, "t": 80, "b": 110},
        )
        blue, verm, green, orange = (OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange"))
        grey = "#888"
        add = fig.add_scatter
        add(
            uid="agonist-held receptors",
            x=[],
            y=[],
            mode="lines",
            name="receptors held by agonist",
            line={"color": blue, "width": 14},
            row=1,
            col=1,
        )
        add(
            uid="antagonist-held receptors",
            x=[],
            y=[],
            mode="lines",
            name="held by antagonist",
            line={"color": verm, "width": 14},
            row=1,
            col=1,
        )
        add(
            uid="agonist",
            x=[],
            y=[],
            mode="markers",
            name="agonist",
            marker={"color": blue, "symbol": "circle", "size": 14},
            row=1,
            col=1,
        )
        add(
            uid="antagonist",
            x=[],
            y=[],
            mode="markers",
            name="antagonist",
            marker={"color": verm, "symbol": "square", "size": 14},
            row=1,
            col=1,
        )
        add(
            uid="G-alpha GDP",
            x=[],
            y=[],
            mode="markers",
            name="Gα·GDP (inactive)",
            marker={"color": grey, "symbol": "circle", "size": 15},
            row=1,
            col=1,
        )
        add(
            uid="bound G-beta-gamma",
            x=[],
            y=[],
            mode="markers",
            name="Gβγ (bound)",
            showlegend=False,
            marker={"color": grey, "symbol": "diamond", "size": 11},
            row=1,
            col=1,
        )
        add(
            uid="G-alpha GTP",
            x=[],
            y=[],
            mode="markers",
            name="Gα·GTP (active)",
            marker={"color": orange, "symbol": "circle", "size": 15, "line": {"color": "#000", "width": 1}},
            row=1,
            col=1,
        )
        add(
            uid="free G-beta-gamma",
            x=[],
            y=[],
            mode="markers",
            name="free Gβγ",
            marker={"color": green, "symbol": "diamond", "size": 12, "line": {"color": "#000", "width": 1}},
            row=1,
            col=1,
        )
        add(
            uid="cAMP",
            x=[],
            y=[],
            mode="markers",
            name="cAMP",
            marker={"color": OKABE_ITO["reddish_purple"], "symbol": "hexagon", "size": 9},
            row=1,
            col=1,
        )
        add(
            uid="GIRK pore",
            x=[],
            y=[],
            mode="lines",
            name="GIRK pore",
            showlegend=False,
            line={"color": green, "width": 8},
            row=1,
            col=1,
        )
        add(
            uid="Ca channel pore",
            x=[],
            y=[],
            mode="lines",
            name="Ca²⁺ channel pore",
            showlegend=False,
            line={"color": OKABE_ITO["sky_blue"], "width": 8},
            row=1,
            col=1,
        )
        add(
            uid="K+ leaving",
            x=[],
            y=[],
            mode="markers",
            name="K⁺ leaving",
            marker={"color": green, "symbol": "triangle-up", "size": 11},
            row=1,
            col=1,
        )
        add(
            uid="Ca2+ entering",
            x=[],
            y=[],
            mode="markers",
            name="Ca²⁺ entering",
            marker={"color": OKABE_ITO["sky_blue"], "symbol": "triangle-down", "size": 11},
            row=1,
            col=1,
        )
        add(
            uid="spikes",
            x=[],
            y=[],
            mode="lines",
            name="spikes in 1 s",
            showlegend=False,
            line={"color": "#222", "width": 1.5},
            row=1,
            col=1,
        )
        add(
            uid="firing rate",
            x=[5.1],
            y=[1.3],
            mode="text",
            text=[""],
            showlegend=False,
            textfont={"size": 14},
            row=1,
            col=1,
        )
        add(
            uid="readout stems",
            x=[],
            y=[],
            mode="lines",
            showlegend=False,
            line={"color": "#555", "width": 3},
            row=1,
            col=2,
        )
        add(
            uid="readout values",
            x=[],
            y=[],
            mode="markers+text",
            showlegend=False,
            textposition="middle right",
            marker={"color": "#222", "symbol": "circle", "size": 11},
            textfont={"size": 13},
            row=1,
            col=2,
        )
        # Static parts: membrane, receptor, enzyme and channel bodies, labels, cycle steps.
        shapes = [
            {
                "type": "rect",
                "x0": 0,
                "x1": 10,
                "y0": MEMBRANE_Y[0],
                "y1": MEMBRANE_Y[1],
                "fillcolor": "#f1e3c6",
                "line": {"width": 0},
                "layer": "below",
                "xref": "x",
                "yref": "y",
            },
            {
                "type": "rect",
                "x0": 1.2,
                "x1": 2.5,
                "y0": 3.75,
                "y1": 5.05,
                "fillcolor": "#cfe0f0",
                "line": {"color": blue, "width": 2},
                "layer": "below",
                "xref": "x",
                "yref": "y",
            },
            {
                "type": "rect",
                "x0": 4.9,
                "x1": 5.9,
                "y0": 3.8,
                "y1": 5.0,
                "fillcolor": "#eee",
                "line": {"color": "#555", "width": 2},
                "layer": "below",
                "xref": "x",
                "yref": "y",
            },
        ]
        notes = [
            (1.85, 4.4, "MOR"),
            (5.4, 4.4, "AC"),
            (7.4, 5.4 + 1.4, "GIRK"),
            (9.1, 5.4 + 1.4, "Ca²⁺ ch."),
            (0.2, 7.05, "outside"),
            (0.2, 2.05, "inside"),
            (3.3, 0.02, "1 s of firing"),
        ]
        annotations = [
            {
                "x": x,
                "y": y,
                "text": t,
                "showarrow": False,
                "xref": "x",
                "yref": "y",
                "xanchor": "left" if t in ("outside", "inside") else "center",
                "font": {"size": 13, "color": "#333"},
            }
            for x, y, t in notes
        ]
        steps = (
            "① agonist binds   ② Gα swaps GDP for GTP   ③ Gα·GTP and Gβγ separate<br>"
            "④ Gα·GTP inhibits AC: less cAMP   ⑤ Gβγ opens GIRK, closes Ca²⁺ channels   "
            "⑥ GTP hydrolysed: Gα·GDP rejoins Gβγ"
        )
        annotations.append(
            {
                "text": steps,
                "x": 0,
                "y": 1.16,
                "xref": "paper",
                "yref": "paper",
                "align": "left",
                "showarrow": False,
                "xanchor": "left",
                "font": {"size": 11.5, "color": "#333"},
            }
        )
        fig.update_layout(shapes=shapes)
        for a in annotations:
            fig.add_annotation(**a)
        fig.update_xaxes(visible=False, range=[0, 10], row=1, col=1)
        fig.update_yaxes(visible=False, range=[-0.2, 7.3], row=1, col=1)
        fig.update_xaxes(range=[0, 135], tickvals=[0, 50, 100], ticktext=["0%", "50%", "100%"], row=1, col=2)
        fig.update_yaxes(
            tickvals=list(range(len(READOUTS)))[::-1],
            ticktext=list(READOUTS),
            tickfont={"size": 13},
            range=[-0.6, len(READOUTS) - 0.4],
            row=1,
            col=2,
        )
        return fig

    def _refresh(self) -> None:
        state = self.state
        self.agonist_label.value = f"<b>{format_molar(self.agonist_control.value_M)}</b>"
        self.antagonist_label.value = f"<b>{format_molar(self.antagonist_concentration.value)}</b>"
        self.antagonist_control.disabled = not self.antagonist_on.value
        agonist = self._agonists[self.agonist.value][0] if self.agonist_on.value else None
        antagonist = self._antagonists[self.antagonist.value][0] if self.antagonist_on.value else None
        self.plot.update(
            traces=diagram_data(state, self.agonist_on.value, self.antagonist_on.value),
            summary=describe(
                state,
                agonist,
                self.agonist_control.value_M,
                antagonist,
                self.antagonist_concentration.value,
            ),
        )
