"""Lesson 05's circuit widget: the VTA–nucleus accumbens rate model, drawn and played through time.

Left: the circuit as a diagram (neuron populations and inputs as nodes; excitatory links
solid with an arrowhead, inhibitory links dashed with a bar, naltrexone's block dotted).
Node size and colour show activity relative to rest, and a number beside each node says
it in text; link width shows how strongly each link is driven. Right: time courses of the
firing rates and of accumbens dopamine, with a cursor at the time shown in the diagram.

The model lives in :mod:`widgets.pharmacology.reward_circuit`; this module only computes
what to draw (pure functions at the top) and displays it (the class below).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from . import pharmacology as ph
from .affinities import representative_ki_nM
from .data_tables import load_table
from .figure_transport import LivePlot
from .theme import OKABE_ITO, TEMPLATE
from .ui import follow_typed_concentration
from .units import format_molar

T_END_MIN = 180.0
DT_MIN = 0.5
OPIOID_START_MIN = 10.0
DRINK_MIN = 30.0
ETHANOL_DENSITY_G_PER_ML = 0.789  # physical constant, to turn Boileau's 1 mL/kg into g/kg


@lru_cache(maxsize=1)
def circuit_affinities() -> dict:
    """Dissociation constants (nM) the circuit uses, from data/ligand_affinities.csv."""
    return {
        "opioid_ki_nM": representative_ki_nM("morphine", "MOR"),
        "endorphin_ki_nM": representative_ki_nM("beta_endorphin", "MOR"),
        "naltrexone_ki_mor_nM": representative_ki_nM("naltrexone", "MOR"),
        "naltrexone_ki_kor_nM": representative_ki_nM("naltrexone", "KOR"),
    }


@lru_cache(maxsize=1)
def dopamine_anchor_pct() -> tuple[float, float]:
    """The published range of accumbens dopamine after moderate ethanol (% of baseline)."""
    table = load_table("reward_circuit_magnitudes").set_index("quantity")
    row = table.loc["nac_dopamine_peak_after_ethanol"]
    return float(row["value_low"]), float(row["value_high"])


@lru_cache(maxsize=1)
def default_alcohol_g_per_kg() -> float:
    """Boileau et al. 2003's oral dose (1 mL/kg ethanol) in g/kg, rounded to 0.1."""
    table = load_table("reward_circuit_magnitudes").set_index("quantity")
    ml_per_kg = float(table.loc["human_oral_alcohol_dose_releasing_dopamine", "value_low"])
    return round(ml_per_kg * ETHANOL_DENSITY_G_PER_ML, 1)


def run_circuit(opioid_nM: float, alcohol_g_per_kg: float, naltrexone_nM: float) -> ph.CircuitResult:
    """The circuit through one episode, with affinities from data/."""
    return ph.simulate_reward_circuit(
        opioid_nM, alcohol_g_per_kg, naltrexone_nM, **circuit_affinities(),
        opioid_start_min=OPIOID_START_MIN, drink_min=DRINK_MIN, t_end_min=T_END_MIN, dt_min=DT_MIN)


# -- the diagram ---------------------------------------------------------------------------
# name, (x, y), marker symbol, kind, where the name goes ("above", "left", "right")
NODES = [
    ("Alcohol", (2.3, 9.2), "square", "input", "above"),
    ("β-endorphin,<br>enkephalins", (2.3, 5.6), "diamond", "input", "left"),
    ("Opioid drug<br>(morphine)", (4.6, 9.2), "square", "input", "above"),
    ("VTA GABA<br>interneurons", (4.6, 5.6), "circle", "neuron", "right"),
    ("VTA dopamine<br>neurons", (4.6, 2.2), "circle", "neuron", "left"),
    ("NAc<br>dopamine", (8.6, 2.2), "circle", "neuron", "right"),
    ("Dynorphin<br>(KOR)", (8.6, 5.6), "diamond", "input", "right"),
    ("Naltrexone", (8.6, 9.2), "square", "input", "above"),
]
N_ALC, N_ENDO, N_DRUG, N_GABA, N_DA, N_NAC, N_DYN, N_NTX = range(len(NODES))

# from, to, sign, label, points the line bends through, (label x, y, anchor)
EDGES = [
    (N_ALC, N_ENDO, "excitatory", "releases", None, (2.45, 7.4, "left")),
    (N_ENDO, N_GABA, "inhibitory", "MOR", None, (3.45, 5.95, "center")),
    (N_DRUG, N_GABA, "inhibitory", "MOR", None, (4.75, 7.4, "left")),
    (N_GABA, N_DA, "inhibitory", "GABA", None, (4.75, 3.9, "left")),
    (N_DA, N_NAC, "excitatory", "", None, None),
    (N_NAC, N_DYN, "excitatory", "", None, None),
    (N_DYN, N_DA, "inhibitory", "KOR", None, (6.7, 4.25, "left")),
    (N_ALC, N_DA, "excitatory", "GABA-A, glutamate<br>(non-opioid)", [(0.7, 9.2), (0.7, 0.8)],
     (2.1, 0.75, "center")),
    (N_NTX, N_GABA, "block", "blocks MOR", None, (6.7, 7.6, "left")),
    (N_NTX, N_DYN, "block", "blocks KOR", None, (8.75, 7.4, "left")),
]
EDGE_STYLE = {
    "excitatory": {"color": OKABE_ITO["bluish_green"], "dash": "solid", "end": "arrow"},
    "inhibitory": {"color": OKABE_ITO["vermillion"], "dash": "dash", "end": "line-ew"},
    "block": {"color": "#444444", "dash": "dot", "end": "x-thin"},
}
# Trace order in the figure: one per edge, then the nodes, then the time courses.
NODE_TRACE = len(EDGES)
(ALCOHOL_TRACE, GABA_TRACE, DA_NEURON_TRACE, BAND_TRACE, REFERENCE_TRACE, NAC_TRACE,
 CURSOR_TOP_TRACE, CURSOR_BOTTOM_TRACE, NOW_TOP_TRACE, NOW_BOTTOM_TRACE) = range(NODE_TRACE + 1, NODE_TRACE + 11)
NODE_GAP = 0.75  # lines stop this far short of a node's centre
ACTIVITY_COLOURSCALE = [[0.0, OKABE_ITO["blue"]], [0.5, "#eeeeee"], [1.0, OKABE_ITO["orange"]]]


def _edge_path(i: int):
    src, dst, _, _, via, _ = EDGES[i]
    points = [NODES[src][1], *(via or []), NODES[dst][1]]
    xs, ys = np.array([p[0] for p in points], float), np.array([p[1] for p in points], float)
    for end, nxt in ((0, 1), (-1, -2)):  # shorten both ends so lines meet the node's edge
        dx, dy = xs[end] - xs[nxt], ys[end] - ys[nxt]
        length = np.hypot(dx, dy)
        xs[end] -= NODE_GAP * dx / length
        ys[end] -= NODE_GAP * dy / length
    return xs, ys


@dataclass(frozen=True)
class CircuitFrame:
    """What the diagram shows at one time: per-node activity and per-edge drive."""

    time_min: float
    node_activity: np.ndarray  # 1 = resting for neurons; 1 + level for inputs (0 = none)
    node_text: list
    edge_drive: np.ndarray     # 0..1, sets line width
    state: dict                # the model's values at this time


def circuit_frame(result: ph.CircuitResult, t_min: float) -> CircuitFrame:
    """Node activity and edge drive at ``t_min`` (nearest model sample)."""
    s = result.at(t_min)
    ntx_on = result.naltrexone_mor_occupancy > 0
    alc = s["alcohol_level"]
    endo_occ = s["endogenous_opioid_nM"] / circuit_affinities()["endorphin_ki_nM"]
    drug_ratio = s["opioid_nM"] / circuit_affinities()["opioid_ki_nM"]
    activity = np.array([
        1 + min(alc, 1.0), 1 + endo_occ / (1 + endo_occ), 1 + drug_ratio / (1 + drug_ratio),
        s["gaba"], s["dopamine_neurons"], s["nac_dopamine"],
        1 + s["kor_agonist_occupancy"], 1 + result.naltrexone_mor_occupancy,
    ])
    text = [
        f"level {alc:.2f}", f"{s['endogenous_opioid_nM']:.2f} nM", f"{s['opioid_nM']:.1f} nM",
        f"×{s['gaba']:.2f}", f"×{s['dopamine_neurons']:.2f}", f"{100 * s['nac_dopamine']:.0f}%",
        f"KOR {s['kor_agonist_occupancy']:.0%}",
        f"MOR {result.naltrexone_mor_occupancy:.0%}" if ntx_on else "off",
    ]
    mor = s["mor_agonist_occupancy"]
    drive = np.array([
        min(alc, 1.0), endo_occ / (1 + endo_occ), drug_ratio / (1 + drug_ratio),
        min(s["gaba"], 1.5) / 1.5, min(s["dopamine_neurons"], 2.5) / 2.5, min(s["nac_dopamine"] - 1, 1.0),
        s["kor_agonist_occupancy"], min(alc, 1.0),
        result.naltrexone_mor_occupancy, result.naltrexone_kor_occupancy,
    ])
    drive = np.clip(drive, 0.0, 1.0)
    s = {**s, "mor_agonist_occupancy": mor}
    return CircuitFrame(t_min, activity, text, drive, s)


def describe(result: ph.CircuitResult, t_min: float, reference: ph.CircuitResult | None,
             naltrexone_nM: float) -> str:
    """One-sentence text description of the diagram and time courses at ``t_min``."""
    s = result.at(t_min)
    peak = 100 * result.nac_dopamine.max()
    t_peak = result.time_min[int(np.argmax(result.nac_dopamine))]
    text = (f"Minute {t_min:.0f} of {T_END_MIN:.0f}: agonists hold {s['mor_agonist_occupancy']:.0%} "
            f"of mu receptors; VTA GABA interneurons fire at {s['gaba']:.2f}× rest, dopamine "
            f"neurons at {s['dopamine_neurons']:.2f}×, and accumbens dopamine is "
            f"{100 * s['nac_dopamine']:.0f}% of baseline")
    if peak > 100.5:
        text += f" (episode peak {peak:.0f}% at minute {t_peak:.0f})."
    else:
        text += " (no rise above baseline in this episode)."
    if reference is not None:
        ref_peak = 100 * reference.nac_dopamine.max()
        text += (f" Naltrexone {format_molar(naltrexone_nM * 1e-9)} holds "
                 f"{result.naltrexone_mor_occupancy:.0%} of MOR and "
                 f"{result.naltrexone_kor_occupancy:.0%} of KOR")
        if ref_peak > 100.5:
            kept = (peak - 100) / (ref_peak - 100)
            text += (f"; the dopamine rise is {kept:.0%} of the {ref_peak - 100:.0f}-point rise "
                     f"without it.")
        else:
            text += "; with no opioid or alcohol there is nothing for it to block."
    return text


class RewardCircuit(ipw.VBox):
    """Interactive VTA–nucleus accumbens circuit for lesson 05.

    Parameters
    ----------
    opioid_nM : float
        Morphine reaching the brain from minute 10, nM (0–50).
    alcohol_g_per_kg : float or None
        Alcohol drunk at minute 30, g/kg (0–2). None: Boileau et al. 2003's 1 mL/kg (≈ 0.8 g/kg).
    naltrexone : bool
        Naltrexone present throughout the episode.
    naltrexone_nM : float
        Its free brain concentration, nM (0.01–100).
    time_min : float
        The time shown in the diagram, minutes (0–180).
    """

    NTX_MIN_LOG, NTX_MAX_LOG = -2, 2

    def __init__(self, opioid_nM: float = 0.0, alcohol_g_per_kg: float | None = None,
                 naltrexone: bool = False, naltrexone_nM: float = 1.0, time_min: float = 0.0):
        if alcohol_g_per_kg is None:
            alcohol_g_per_kg = default_alcohol_g_per_kg()
        for name, value, lo, hi in (("opioid_nM", opioid_nM, 0, 50),
                                    ("alcohol_g_per_kg", alcohol_g_per_kg, 0, 2),
                                    ("naltrexone_nM", naltrexone_nM, 10.0**self.NTX_MIN_LOG,
                                     10.0**self.NTX_MAX_LOG),
                                    ("time_min", time_min, 0, T_END_MIN)):
            if not isinstance(value, (int, float)) or not lo <= value <= hi:
                raise ValueError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
        style = {"description_width": "150px"}
        wide = {"width": "430px"}
        self.play = ipw.Play(value=int(time_min), min=0, max=int(T_END_MIN), step=2, interval=120,
                             description="Play the episode", tooltip="Play / pause the episode")
        self.time = ipw.IntSlider(value=int(time_min), min=0, max=int(T_END_MIN), step=1,
                                  description="Time (min)", style=style, layout=wide)
        ipw.jslink((self.play, "value"), (self.time, "value"))
        self.opioid = ipw.FloatSlider(value=opioid_nM, min=0, max=50, step=0.5,
                                      description="Morphine (nM)", style=style, layout=wide,
                                      continuous_update=False)
        self.alcohol = ipw.FloatSlider(value=alcohol_g_per_kg, min=0, max=2, step=0.1,
                                       description="Alcohol (g/kg)", style=style, layout=wide,
                                       continuous_update=False)
        self.naltrexone_on = ipw.Checkbox(value=naltrexone, description="Naltrexone present",
                                          style=style, indent=False)
        self.naltrexone = ipw.FloatLogSlider(value=naltrexone_nM, base=10, min=self.NTX_MIN_LOG,
                                             max=self.NTX_MAX_LOG, step=0.1, readout=False,
                                             description="Naltrexone", style=style, layout=wide,
                                             continuous_update=False)
        self.naltrexone_label = ipw.HTML()
        self.typed_naltrexone = ipw.Text(description="or type it", placeholder="e.g. 2 nM",
                                         continuous_update=False, style=style,
                                         layout={"width": "330px"})
        self.message = ipw.HTML()
        self.plot = LivePlot(self._initial_figure(), min_width=900, description=(
            "Left: a diagram of the reward circuit; nodes are neuron populations and inputs, "
            "solid arrows excite, dashed bars inhibit, dotted lines are naltrexone's block. "
            "Right: firing rates and accumbens dopamine over a 180-minute episode."))

        self.result: ph.CircuitResult
        self.reference: ph.CircuitResult | None = None
        self.time.observe(lambda _: self._draw_time(), "value")
        for control in (self.opioid, self.alcohol, self.naltrexone_on, self.naltrexone):
            control.observe(lambda _: self._recompute(), "value")
        follow_typed_concentration(self.typed_naltrexone, self.naltrexone, self.message,
                                   10.0**(self.NTX_MIN_LOG - 9), 10.0**(self.NTX_MAX_LOG - 9), slider_per_molar=1e9)

        super().__init__([
            ipw.HBox([self.play, self.time]),
            self.opioid, self.alcohol,
            ipw.HBox([self.naltrexone_on]),
            ipw.HBox([self.naltrexone, self.naltrexone_label]), self.typed_naltrexone,
            self.message, self.plot,
        ])
        self._recompute()

    # -- model ----------------------------------------------------------------------------
    @staticmethod
    def simulate(opioid_nM: float = 0.0, alcohol_g_per_kg: float = 0.0,
                 naltrexone_nM: float = 0.0) -> ph.CircuitResult:
        """Run the widget's model without the widget (same affinities, times and step)."""
        return run_circuit(opioid_nM, alcohol_g_per_kg, naltrexone_nM)

    @staticmethod
    def affinities() -> dict:
        """The dissociation constants (nM) the widget takes from data/ligand_affinities.csv."""
        return dict(circuit_affinities())

    @property
    def naltrexone_nM(self) -> float:
        """Naltrexone in the model (0 when switched off)."""
        return self.naltrexone.value if self.naltrexone_on.value else 0.0

    def _recompute(self) -> None:
        self.naltrexone.disabled = not self.naltrexone_on.value
        self.typed_naltrexone.disabled = not self.naltrexone_on.value
        self.naltrexone_label.value = f"<b>{format_molar(self.naltrexone.value * 1e-9)}</b>"
        self.result = run_circuit(self.opioid.value, self.alcohol.value, self.naltrexone_nM)
        self.reference = (run_circuit(self.opioid.value, self.alcohol.value, 0.0)
                          if self.naltrexone_on.value else None)
        r = self.result
        t = r.time_min
        traces = {
            ALCOHOL_TRACE: {"x": t, "y": r.alcohol_level},
            GABA_TRACE: {"x": t, "y": r.gaba},
            DA_NEURON_TRACE: {"x": t, "y": r.dopamine_neurons},
            REFERENCE_TRACE: ({"x": t, "y": self.reference.nac_dopamine_pct} if self.reference is not None
                 else {"x": [], "y": []}),
            NAC_TRACE: {"x": t, "y": r.nac_dopamine_pct},
        }
        top = max(2.0, float(np.max([r.gaba.max(), r.dopamine_neurons.max(), r.alcohol_level.max()])) * 1.1)
        high = max([260.0, 100 * r.nac_dopamine.max() * 1.1]
                   + ([100 * self.reference.nac_dopamine.max() * 1.1] if self.reference else []))
        self._draw_time(extra_traces=traces, layout={"yaxis2.range": [0, top], "yaxis3.range": [0, high]},
                        top=top, high=high)

    # -- events ---------------------------------------------------------------------------
    # -- display --------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=2, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.08, vertical_spacing=0.16,
            specs=[[{"rowspan": 2}, {}], [None, {}]],
            subplot_titles=("The circuit now", "Firing rates (1 = at rest)",
                            "Nucleus accumbens dopamine"))
        fig.update_layout(template=TEMPLATE, height=640, margin={"t": 40, "b": 40, "l": 10, "r": 20},
                          legend={"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0.58, "xanchor": "left",
                                  "font": {"size": 12}},
                          font={"size": 13})
        for i, (_, _, sign, _, _, _) in enumerate(EDGES):
            st = EDGE_STYLE[sign]
            xs, ys = _edge_path(i)
            fig.add_scatter(x=xs, y=ys, mode="lines+markers", name=f"{sign} link", showlegend=False,
                            hoverinfo="skip",
                            line={"color": st["color"], "dash": st["dash"], "width": 2},
                            marker={"symbol": ["circle"] * (len(xs) - 1) + [st["end"]],
                                    "size": [0] * (len(xs) - 1) + [16], "angleref": "previous",
                                    "color": st["color"],
                                    "line": {"width": [0] * (len(xs) - 1) + [3], "color": st["color"]}},
                            row=1, col=1)
        fig.add_scatter(
            x=[p[1][0] for p in NODES], y=[p[1][1] for p in NODES], mode="markers+text",
            name="populations", showlegend=False, hoverinfo="text",
            hovertext=[n[0].replace("<br>", " ") for n in NODES],
            text=[""] * len(NODES), textposition="bottom center", textfont={"size": 12},
            marker={"size": [40] * len(NODES), "symbol": [n[2] for n in NODES],
                    "color": [1.0] * len(NODES), "cmin": 0, "cmax": 2,
                    "colorscale": ACTIVITY_COLOURSCALE, "line": {"width": 2, "color": "#333"},
                    "colorbar": {"title": {"text": "activity vs rest", "font": {"size": 11},
                                           "side": "top"},
                                 "orientation": "h", "len": 0.22, "x": 0.0, "xanchor": "left",
                                 "y": -0.02, "yanchor": "top", "thickness": 10,
                                 "tickvals": [0, 1, 2], "ticktext": ["0", "rest", "2×"],
                                 "tickfont": {"size": 10}}},
            row=1, col=1)
        for (name, (x, y), _, _, side) in NODES:  # names as static annotations, values as text
            dx, anchor = {"above": (0, "center"), "left": (-0.65, "right"), "right": (0.65, "left")}[side]
            fig.add_annotation(x=x + dx, y=y + (0.95 if side == "above" else 0), text=f"<b>{name}</b>",
                               showarrow=False, font={"size": 12}, xref="x", yref="y", xanchor=anchor,
                               bgcolor="rgba(255,255,255,0.85)")
        for (_, _, sign, label, _, where) in EDGES:
            if label:
                fig.add_annotation(x=where[0], y=where[1], text=f"<i>{label}</i>", showarrow=False,
                                   font={"size": 11, "color": EDGE_STYLE[sign]["color"]},
                                   xanchor=where[2], bgcolor="rgba(255,255,255,0.85)", xref="x", yref="y")
        blue, red = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
        fig.add_scatter(x=[], y=[], name="alcohol level (relative)", mode="lines",
                        line={"color": "#777", "dash": "dot", "width": 2}, row=1, col=2)
        fig.add_scatter(x=[], y=[], name="VTA GABA interneurons", mode="lines",
                        line={"color": blue, "width": 3}, row=1, col=2)
        fig.add_scatter(x=[], y=[], name="VTA dopamine neurons", mode="lines",
                        line={"color": red, "dash": "dash", "width": 3}, row=1, col=2)
        lo, hi = dopamine_anchor_pct()
        fig.add_scatter(x=[0, T_END_MIN, T_END_MIN, 0, 0], y=[lo, lo, hi, hi, lo], fill="toself",
                        mode="lines", line={"width": 0}, fillcolor="rgba(0,158,115,0.15)",
                        name=f"rats, moderate ethanol: {lo:.0f}–{hi:.0f}% (approximate)",
                        hoverinfo="name", row=2, col=2)
        fig.add_scatter(x=[], y=[], name="without naltrexone", mode="lines",
                        line={"color": "#888", "dash": "dash", "width": 2}, row=2, col=2)
        fig.add_scatter(x=[], y=[], name="accumbens dopamine (% baseline)", mode="lines",
                        line={"color": "#000", "width": 3}, row=2, col=2)
        fig.add_scatter(x=[0, 0], y=[0, 10], mode="lines", showlegend=False, hoverinfo="skip",
                        line={"color": "#333", "width": 1}, row=1, col=2)
        fig.add_scatter(x=[0, 0], y=[0, 1000], mode="lines", showlegend=False, hoverinfo="skip",
                        line={"color": "#333", "width": 1}, row=2, col=2)
        fig.add_scatter(x=[0, 0], y=[1, 1], mode="markers", showlegend=False, hoverinfo="skip",
                        marker={"color": [blue, red], "size": 11, "symbol": ["circle", "diamond"]},
                        row=1, col=2)
        fig.add_scatter(x=[0], y=[100], mode="markers", showlegend=False, hoverinfo="skip",
                        marker={"color": "#000", "size": 11}, row=2, col=2)
        fig.update_xaxes(visible=False, range=[-0.5, 11.3], row=1, col=1)
        fig.update_yaxes(visible=False, range=[0.2, 10.5], row=1, col=1)
        for row in (1, 2):
            fig.update_xaxes(range=[0, T_END_MIN], row=row, col=2,
                             title_text="time (min)" if row == 2 else None)
            for t0, what in ((OPIOID_START_MIN, "opioid"), (DRINK_MIN, "drink")):
                fig.add_vline(x=t0, line={"color": "#bbb", "width": 1, "dash": "dot"}, row=row, col=2)
        fig.add_annotation(x=DRINK_MIN, y=1.0, yref="y2 domain", xref="x2", text="drink",
                           showarrow=False, yanchor="bottom", font={"size": 11})
        fig.add_annotation(x=OPIOID_START_MIN, y=1.0, yref="y2 domain", xref="x2", text="opioid",
                           showarrow=False, yanchor="bottom", xanchor="right", font={"size": 11})
        fig.update_yaxes(title_text="× rest", row=1, col=2)
        fig.update_yaxes(title_text="% of baseline", row=2, col=2)
        return fig

    def _draw_time(self, extra_traces: dict | None = None, layout: dict | None = None,
                   top: float | None = None, high: float | None = None) -> None:
        t = float(self.time.value)
        frame = circuit_frame(self.result, t)
        s = frame.state
        traces = dict(extra_traces or {})
        for i in range(len(EDGES)):
            traces[i] = {"line": {"width": 1.5 + 6 * frame.edge_drive[i]},
                         "opacity": 1.0 if EDGES[i][2] != "block" or self.naltrexone_on.value else 0.25}
        traces[NODE_TRACE] = {"marker": {"size": 22 + 14 * np.clip(frame.node_activity, 0, 2.5),
                                "color": np.clip(frame.node_activity, 0, 2)},
                     "text": frame.node_text}
        traces[CURSOR_TOP_TRACE] = {"x": [t, t]}
        traces[CURSOR_BOTTOM_TRACE] = {"x": [t, t]}
        if top is not None:
            traces[CURSOR_TOP_TRACE]["y"] = [0, top]
            traces[CURSOR_BOTTOM_TRACE]["y"] = [0, high]
        traces[NOW_TOP_TRACE] = {"x": [t, t], "y": [s["gaba"], s["dopamine_neurons"]]}
        traces[NOW_BOTTOM_TRACE] = {"x": [t], "y": [100 * s["nac_dopamine"]]}
        layout_changes = {}
        if layout:
            layout_changes = {"yaxis2": {"range": layout["yaxis2.range"]},
                              "yaxis3": {"range": layout["yaxis3.range"]}}
        self.plot.update(traces=traces, layout=layout_changes or None,
                         summary=describe(self.result, t, self.reference, self.naltrexone_nM))
