"""Lesson 05's circuit widget: the VTA–nucleus accumbens rate model, drawn and played through time.

Left: the circuit as an SVG diagram (:mod:`widgets.display.circuit_diagram`; neuron populations and
inputs as nodes; excitatory links solid with an arrowhead, inhibitory links dashed with a bar,
naltrexone's block dotted with a cross). Node size and colour show activity relative to rest,
and a number under each node's name says it in text; link width shows how strongly each link
is driven. Right (below it in a narrow notebook): plotly time courses of the firing rates and
of accumbens dopamine, with a cursor at the time shown in the diagram.

The model lives in :mod:`widgets.pharmacology.reward_circuit`; this module only computes
what to draw (pure functions at the top) and displays it (the class below).
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.affinities import representative_ki_nM
from ..data_access.data_tables import load_table
from ..data_access.units import format_molar
from ..display.circuit_diagram import CircuitDiagram
from ..display.concentration_control import ConcentrationControl
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE
from ..display.ui import message_area

T_END_MIN = 180.0
# The time axes run a little past 0 and 180 min, so the cursor and its markers at either end
# stand clear of the plot's edge (at the plot's minimum width, 3 min is 5 px: a marker's radius).
X_RANGE_MIN = [-3.0, T_END_MIN + 3.0]
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
        opioid_nM,
        alcohol_g_per_kg,
        naltrexone_nM,
        **circuit_affinities(),
        opioid_start_min=OPIOID_START_MIN,
        drink_min=DRINK_MIN,
        t_end_min=T_END_MIN,
        dt_min=DT_MIN,
    )


# -- the diagram (SVG, widgets.display.circuit_diagram; coordinates in its viewBox units) --------------
VIEW_BOX = (630, 470)
# id, name lines, (x, y), shape, where the name goes
NODES = [
    ("alcohol", ["Alcohol"], (180, 80), "square", "above"),
    ("endorphin", ["β-endorphin,", "enkephalins"], (180, 230), "diamond", "left"),
    ("drug", ["Opioid drug (morphine)"], (330, 80), "square", "above"),
    ("gaba", ["VTA GABA", "interneurons"], (330, 230), "circle", "above-left"),
    ("dopamine_neurons", ["VTA dopamine", "neurons"], (330, 380), "circle", "left"),
    ("nac", ["NAc", "dopamine"], (500, 380), "circle", "right"),
    ("dynorphin", ["Dynorphin", "(KOR)"], (500, 230), "diamond", "right"),
    ("naltrexone", ["Naltrexone"], (500, 80), "square", "above"),
]
NODE_IDS = [n[0] for n in NODES]
NODE_NAMES = {n[0]: " ".join(n[1]) for n in NODES}
# from, to, kind, label ("\n" breaks a line), points the line bends through, (label x, y, anchor)
EDGES = [
    ("alcohol", "endorphin", "excitatory", "releases", None, (172, 160, "end")),
    ("endorphin", "gaba", "inhibitory", "MOR", None, (255, 252, "middle")),
    ("drug", "gaba", "inhibitory", "MOR", None, (338, 160, "start")),
    ("gaba", "dopamine_neurons", "inhibitory", "GABA", None, (338, 310, "start")),
    ("dopamine_neurons", "nac", "excitatory", "", None, None),
    ("nac", "dynorphin", "excitatory", "", None, None),
    ("dynorphin", "dopamine_neurons", "inhibitory", "KOR", None, (425, 320, "start")),
    (
        "alcohol",
        "dopamine_neurons",
        "excitatory",
        "non-opioid (GABA-A, glutamate)",
        [(30, 80), (30, 445), (330, 445)],
        (45, 437, "start"),
    ),
    ("naltrexone", "gaba", "block", "blocks MOR", None, (494, 172, "end")),
    ("naltrexone", "dynorphin", "block", "blocks KOR", None, (508, 160, "start")),
]
EDGE_KIND_WORD = {"excitatory": "Excitatory", "inhibitory": "Inhibitory", "block": "Blocking"}
EDGE_STYLE = {
    "excitatory": {
        "colour": OKABE_ITO["bluish_green"],
        "dash": "",
        "end": "arrow",
        "legend": "excites (solid, arrow)",
    },
    "inhibitory": {
        "colour": OKABE_ITO["vermillion"],
        "dash": "9 5",
        "end": "bar",
        "legend": "inhibits (dashed, bar)",
    },
    "block": {
        "colour": "#444444",
        "dash": "2 5",
        "end": "cross",
        "legend": "naltrexone blocks (dotted, cross)",
    },
}
NODE_GAP = 36  # links stop this far from a node's centre (the largest node's radius is 32)
ACTIVITY_COLOURS = [(0.0, OKABE_ITO["blue"]), (1.0, "#eeeeee"), (2.0, OKABE_ITO["orange"])]
# Keys (plotly uids) of the time-course figure's traces.
ALCOHOL_TRACE = "alcohol level"
GABA_TRACE = "GABA interneurons"
DA_NEURON_TRACE = "dopamine neurons"
BAND_TRACE = "published range"
REFERENCE_TRACE = "without naltrexone"
NAC_TRACE = "accumbens dopamine"
CURSOR_TOP_TRACE = "cursor, firing rates"
CURSOR_BOTTOM_TRACE = "cursor, dopamine"
NOW_TOP_TRACE = "now, firing rates"
NOW_BOTTOM_TRACE = "now, dopamine"


def _edge_points(i: int) -> list[list[float]]:
    """A link's points, both ends stopped NODE_GAP short of the nodes' centres."""
    src, dst, _, _, via, _ = EDGES[i]
    where = {n[0]: n[2] for n in NODES}
    points = np.array([where[src], *(via or []), where[dst]], float)
    for end, nxt in ((0, 1), (-1, -2)):
        step = points[end] - points[nxt]
        points[end] -= NODE_GAP * step / np.hypot(*step)
    return points.round(1).tolist()


def activity_colours(activity) -> list[str]:
    """Fills for nodes: blue below rest, light grey at rest, orange above (clipped to 0..2),
    blended linearly between them."""
    at = [a for a, _ in ACTIVITY_COLOURS]
    rgb = np.stack(
        [
            np.interp(np.clip(activity, 0.0, 2.0), at, [int(c[k : k + 2], 16) for _, c in ACTIVITY_COLOURS])
            for k in (1, 3, 5)
        ],
        axis=-1,
    )
    return ["#{:02x}{:02x}{:02x}".format(*row) for row in np.round(rgb).astype(int).reshape(-1, 3)]


def activity_colour(activity: float) -> str:
    """Fill for one node (see activity_colours)."""
    return activity_colours([activity])[0]


def node_radii(activity) -> list[float]:
    """Node sizes: 20 at rest, 12 when silent, up to 32 (viewBox units)."""
    return np.round(12 + 8 * np.clip(activity, 0.0, 2.5), 2).tolist()


def circuit_diagram() -> CircuitDiagram:
    """The circuit's diagram, all nodes at rest."""
    nodes = [
        {"id": i, "name": name, "x": x, "y": y, "shape": shape, "label": side, "label_gap": NODE_GAP + 4}
        for i, name, (x, y), shape, side in NODES
    ]
    links = [
        {
            "id": f"{src}-{dst}",
            "kind": kind,
            "label": label,
            "points": _edge_points(i),
            "label_at": list(where) if where else None,
            # "Inhibitory link from VTA GABA interneurons to VTA dopamine neurons, GABA" (no verb
            # to agree with plural and singular names)
            "aria_name": f"{EDGE_KIND_WORD[kind]} link from {NODE_NAMES[src]} to {NODE_NAMES[dst]}"
            + (f", {label}" if label else ""),
        }
        for i, (src, dst, kind, label, _, where) in enumerate(EDGES)
    ]
    return CircuitDiagram(
        nodes,
        links,
        EDGE_STYLE,
        VIEW_BOX,
        title="The reward circuit now",
        description=(
            "Squares are inputs, circles are neuron populations, diamonds are opioid "
            "peptides. Solid arrows excite, dashed bars inhibit, dotted crosses are "
            "naltrexone's block; a thicker link is driven harder. A node's size, colour "
            "(blue below rest, grey at rest, orange above) and the number under its name "
            "show its activity. The sentence under the time courses says the current "
            "values in words."
        ),
        node_key=[
            (activity_colour(0.3), "below rest (small)"),
            (activity_colour(1.0), "at rest"),
            (activity_colour(1.8), "above rest (large)"),
        ],
        layout={"flex": "1 1 470px", "min_width": "0"},
    )


EDGE_IDS = [f"{src}-{dst}" for src, dst, *_ in EDGES]


FRAME_TIMES = np.arange(0.0, T_END_MIN + 1.0, 1.0)  # the Time slider's steps: one frame each


def circuit_frames(result: ph.CircuitResult, times=FRAME_TIMES) -> tuple[dict, dict]:
    """The diagram's values at each of ``times`` (nearest model sample), for
    :meth:`CircuitDiagram.set_frames`: per node fill, radius, value text and words; per link
    width, opacity and words. Node activity is 1 at rest for neurons and 1 + level for inputs;
    a link's drive (0..1) sets its width."""
    times = np.asarray(times, float)
    i = np.abs(result.time_min[None, :] - times[:, None]).argmin(axis=1)
    alc, endo, drug, gaba, da, nac, kor = (
        getattr(result, name)[i]
        for name in (
            "alcohol_level",
            "endogenous_opioid_nM",
            "opioid_nM",
            "gaba",
            "dopamine_neurons",
            "nac_dopamine",
            "kor_agonist_occupancy",
        )
    )
    ntx_mor, ntx_kor = result.naltrexone_mor_occupancy, result.naltrexone_kor_occupancy
    ntx_on = ntx_mor > 0
    endo_occ = endo / circuit_affinities()["endorphin_ki_nM"]
    endo_occ = endo_occ / (1 + endo_occ)
    drug_occ = drug / circuit_affinities()["opioid_ki_nM"]
    drug_occ = drug_occ / (1 + drug_occ)
    alc_drive = np.minimum(alc, 1.0)
    n = len(times)
    per_node = {  # activity, value under the name, the same in words
        "alcohol": (1 + alc_drive, [f"level {a:.2f}" for a in alc], [f"relative level {a:.2f}" for a in alc]),
        "endorphin": (1 + endo_occ, [f"{e:.2f} nM" for e in endo], [f"{e:.2f} nM released" for e in endo]),
        "drug": (1 + drug_occ, [f"{d:.1f} nM" for d in drug], [f"{d:.1f} nM" for d in drug]),
        "gaba": (gaba, [f"×{g:.2f}" for g in gaba], [f"firing {g:.2f} times rest" for g in gaba]),
        "dopamine_neurons": (da, [f"×{d:.2f}" for d in da], [f"firing {d:.2f} times rest" for d in da]),
        "nac": (nac, [f"{100 * d:.0f}%" for d in nac], [f"{100 * d:.0f}% of baseline" for d in nac]),
        "dynorphin": (1 + kor, [f"KOR {k:.0%}" for k in kor], [f"agonists hold {k:.0%} of KOR" for k in kor]),
        "naltrexone": (
            np.full(n, 1 + ntx_mor),
            [f"MOR {ntx_mor:.0%}" if ntx_on else "off"] * n,
            [f"holds {ntx_mor:.0%} of MOR" if ntx_on else "absent"] * n,
        ),
    }
    nodes = {
        node_id: {
            "fill": activity_colours(activity),
            "radius": node_radii(activity),
            "value": text,
            "words": words,
        }
        for node_id, (activity, text, words) in per_node.items()
    }
    drives = [  # in EDGES order
        alc_drive,
        endo_occ,
        drug_occ,
        np.minimum(gaba, 1.5) / 1.5,
        np.minimum(da, 2.5) / 2.5,
        np.minimum(nac - 1, 1.0),
        kor,
        alc_drive,
        np.full(n, ntx_mor),
        np.full(n, ntx_kor),
    ]
    links = {}
    for link_id, (_, _, kind, *_), drive in zip(EDGE_IDS, EDGES, drives):
        drive = np.clip(drive, 0.0, 1.0)
        absent = kind == "block" and not ntx_on
        links[link_id] = {
            "width": [round(1.5 + 6 * float(d), 2) for d in drive],
            "opacity": [0.25 if absent else 1.0] * n,
            "words": ["naltrexone absent"] * n if absent else [f"driven at {d:.0%}" for d in drive],
        }
    return nodes, links


def describe(
    result: ph.CircuitResult, t_min: float, reference: ph.CircuitResult | None, naltrexone_nM: float
) -> str:
    """One-sentence text description of the diagram and time courses at ``t_min``."""
    s = result.at(t_min)
    peak = 100 * result.nac_dopamine.max()
    t_peak = result.time_min[int(np.argmax(result.nac_dopamine))]
    text = (
        f"Minute {t_min:.0f} of {T_END_MIN:.0f}: agonists hold {s['mor_agonist_occupancy']:.0%} "
        f"of mu receptors; VTA GABA interneurons fire at {s['gaba']:.2f}× rest, dopamine "
        f"neurons at {s['dopamine_neurons']:.2f}×, and accumbens dopamine is "
        f"{100 * s['nac_dopamine']:.0f}% of baseline"
    )
    if peak > 100.5:
        text += f" (episode peak {peak:.0f}% at minute {t_peak:.0f})."
    else:
        text += " (no rise above baseline in this episode)."
    if reference is not None:
        ref_peak = 100 * reference.nac_dopamine.max()
        text += (
            f" Naltrexone {format_molar(naltrexone_nM * 1e-9)} holds "
            f"{result.naltrexone_mor_occupancy:.0%} of MOR and "
            f"{result.naltrexone_kor_occupancy:.0%} of KOR"
        )
        if ref_peak > 100.5:
            kept = (peak - 100) / (ref_peak - 100)
            text += f"; the dopamine rise is {kept:.0%} of the {ref_peak - 100:.0f}-point rise without it."
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

    def __init__(
        self,
        opioid_nM: float = 0.0,
        alcohol_g_per_kg: float | None = None,
        naltrexone: bool = False,
        naltrexone_nM: float = 1.0,
        time_min: float = 0.0,
    ):
        if alcohol_g_per_kg is None:
            alcohol_g_per_kg = default_alcohol_g_per_kg()
        for name, value, lo, hi in (
            ("opioid_nM", opioid_nM, 0, 50),
            ("alcohol_g_per_kg", alcohol_g_per_kg, 0, 2),
            ("naltrexone_nM", naltrexone_nM, 10.0**self.NTX_MIN_LOG, 10.0**self.NTX_MAX_LOG),
            ("time_min", time_min, 0, T_END_MIN),
        ):
            if not isinstance(value, (int, float)) or not lo <= value <= hi:
                raise ValueError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
        style = {"description_width": "150px"}
        wide = {"width": "430px"}
        self.play = ipw.Play(
            value=int(time_min),
            min=0,
            max=int(T_END_MIN),
            # One minute per step, so Play reaches minute 180 from any minute (with steps of 2
            # it stopped at 179 from an odd one); 60 ms per step keeps 2 minutes per 120 ms.
            step=1,
            interval=60,
            description="Play the episode",
            tooltip="Play / pause the episode",
        )
        self.time = ipw.IntSlider(
            value=int(time_min),
            min=0,
            max=int(T_END_MIN),
            step=1,
            description="Time (min)",
            style=style,
            layout=wide,
        )
        # A two-way link in the browser. (Measured: it costs each key on the slider a second
        # message, Play's, which the kernel handles first: about 9 ms of the key-to-diagram time.
        # A one-way link with the kernel moving Play to the slider's time lost a race with Play's
        # own first step, so Play restarted from where it had last stopped.)
        self.play_link = ipw.jslink((self.play, "value"), (self.time, "value"))
        self.opioid = ipw.FloatSlider(
            value=opioid_nM,
            min=0,
            max=50,
            step=0.5,
            description="Morphine (nM)",
            readout_format=".1f",  # as the diagram writes it: 10.0 nM
            style=style,
            layout=wide,
            continuous_update=False,
        )
        self.alcohol = ipw.FloatSlider(
            value=alcohol_g_per_kg,
            min=0,
            max=2,
            step=0.1,
            description="Alcohol (g/kg)",
            style=style,
            layout=wide,
            continuous_update=False,
        )
        self.naltrexone_on = ipw.Checkbox(
            value=naltrexone, description="Naltrexone present", style=style, indent=False
        )
        self.message = message_area()
        self.naltrexone_control = ConcentrationControl.log_slider(
            "Naltrexone",
            naltrexone_nM,
            self.NTX_MIN_LOG,
            self.NTX_MAX_LOG,
            self.message,
            step=0.1,
            on_change=lambda _: self._recompute(),
            slider_per_molar=1e9,
            continuous_update=False,
            placeholder="e.g. 2 nM",
            style=style,
            width=wide["width"],
            box_width="330px",
        )
        self.naltrexone = self.naltrexone_control.slider
        self.naltrexone_label = self.naltrexone_control.label
        self.typed_naltrexone = self.naltrexone_control.box
        self.diagram = circuit_diagram()
        self.diagram.time = float(time_min)
        # The diagram holds a frame per minute and follows the slider in the browser: a key on
        # the slider redraws it with no round trip through the kernel (the time courses' cursor
        # and the summary still come from the kernel).
        self.diagram_link = ipw.jsdlink((self.time, "value"), (self.diagram, "time"))
        self.plot = LivePlot(
            self._initial_figure(),
            min_width=380,
            description=(
                "Time courses over a 180-minute episode: top, firing rates of VTA GABA interneurons "
                "and dopamine neurons and the alcohol level; bottom, accumbens dopamine in % of "
                "baseline. A vertical line marks the time shown in the circuit diagram."
            ),
        )

        self.result: ph.CircuitResult
        self.reference: ph.CircuitResult | None = None
        self.time.observe(self._on_time, "value")
        for control in (self.opioid, self.alcohol, self.naltrexone_on):
            control.observe(lambda _: self._recompute(), "value")

        super().__init__(
            [
                ipw.HBox([self.play, self.time]),
                self.opioid,
                self.alcohol,
                ipw.HBox([self.naltrexone_on]),
                self.naltrexone_control.row,
                self.typed_naltrexone,
                self.message,
                # Side by side when there is room, the time courses under the diagram when not.
                # (LivePlot.layout is its figure's layout, so a Box gives the plot its flex share.)
                ipw.Box(
                    [self.diagram, ipw.Box([self.plot], layout={"flex": "1 1 400px", "min_width": "0"})],
                    layout={
                        "display": "flex",
                        "flex_flow": "row wrap",
                        "align_items": "flex-start",
                        "width": "100%",
                        "grid_gap": "8px 16px",
                    },
                ),
            ]
        )
        self._recompute()

    # -- model ----------------------------------------------------------------------------
    @staticmethod
    def simulate(
        opioid_nM: float = 0.0, alcohol_g_per_kg: float = 0.0, naltrexone_nM: float = 0.0
    ) -> ph.CircuitResult:
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
        self.naltrexone_control.disabled = not self.naltrexone_on.value
        label = format_molar(self.naltrexone.value * 1e-9)
        # greyed with its slider when naltrexone is off (the grey passes AA contrast on white)
        self.naltrexone_label.value = (
            f"<b>{label}</b>"
            if self.naltrexone_on.value
            else f"<span style='color:#666'>{label} (off)</span>"
        )
        self.result = run_circuit(self.opioid.value, self.alcohol.value, self.naltrexone_nM)
        self.reference = (
            run_circuit(self.opioid.value, self.alcohol.value, 0.0) if self.naltrexone_on.value else None
        )
        r = self.result
        t = r.time_min
        traces = {
            ALCOHOL_TRACE: {"x": t, "y": r.alcohol_level},
            GABA_TRACE: {"x": t, "y": r.gaba},
            DA_NEURON_TRACE: {"x": t, "y": r.dopamine_neurons},
            REFERENCE_TRACE: (
                {"x": t, "y": self.reference.nac_dopamine_pct}
                if self.reference is not None
                else {"x": [], "y": []}
            ),
            NAC_TRACE: {"x": t, "y": r.nac_dopamine_pct},
        }
        top = max(2.0, float(np.max([r.gaba.max(), r.dopamine_neurons.max(), r.alcohol_level.max()])) * 1.1)
        high = max(
            [260.0, 100 * r.nac_dopamine.max() * 1.1]
            + ([100 * self.reference.nac_dopamine.max() * 1.1] if self.reference else [])
        )
        self.diagram.set_frames(FRAME_TIMES, *circuit_frames(r))
        self._draw_time(
            extra_traces=traces,
            layout={"yaxis.range": [0, top], "yaxis2.range": [0, high]},
            top=top,
            high=high,
        )

    # -- events ---------------------------------------------------------------------------
    def _on_time(self, change) -> None:
        # Set from the kernel (code, a test): move the diagram too. Moved in the browser: the
        # browser link has already moved it there, and its own message brings the kernel the
        # same time (setting it here as well could overtake that message with an older time
        # while Play runs, and the diagram would jump back).
        if "value" not in self.time._property_lock:
            self.diagram.time = float(change.new)
        self._draw_time()

    # -- display --------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            vertical_spacing=0.1,
            subplot_titles=("Firing rates (1 = at rest)", "Nucleus accumbens dopamine"),
        )
        # The legend sits under the plots in a margin of fixed size: plotly then never pushes
        # the margins (which squeezed the panels of the old one-figure circuit).
        fig.update_layout(
            template=TEMPLATE,
            height=600,
            margin={"t": 40, "b": 170, "l": 64, "r": 16},
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": -0.16,
                "yanchor": "top",
                "font": {"size": 12},
            },
            font={"size": 13},
        )
        blue, red = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
        fig.add_scatter(
            uid=ALCOHOL_TRACE,
            x=[],
            y=[],
            name="alcohol level (relative)",
            mode="lines",
            line={"color": "#777", "dash": "dot", "width": 2},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid=GABA_TRACE,
            x=[],
            y=[],
            name="VTA GABA interneurons",
            mode="lines",
            line={"color": blue, "width": 3},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid=DA_NEURON_TRACE,
            x=[],
            y=[],
            name="VTA dopamine neurons",
            mode="lines",
            line={"color": red, "dash": "dash", "width": 3},
            row=1,
            col=1,
        )
        lo, hi = dopamine_anchor_pct()
        fig.add_scatter(
            uid=BAND_TRACE,
            x=[0, T_END_MIN, T_END_MIN, 0, 0],
            y=[lo, lo, hi, hi, lo],
            fill="toself",
            mode="lines",
            line={"width": 0},
            fillcolor="rgba(0,158,115,0.15)",
            name=f"rats, moderate ethanol: {lo:.0f}–{hi:.0f}% (approximate)",
            hoverinfo="name",
            row=2,
            col=1,
        )
        fig.add_scatter(
            uid=REFERENCE_TRACE,
            x=[],
            y=[],
            name="without naltrexone",
            mode="lines",
            line={"color": "#888", "dash": "dash", "width": 2},
            row=2,
            col=1,
        )
        fig.add_scatter(
            uid=NAC_TRACE,
            x=[],
            y=[],
            name="accumbens dopamine (% baseline)",
            mode="lines",
            line={"color": "#000", "width": 3},
            row=2,
            col=1,
        )
        for row, top in ((1, 10), (2, 1000)):  # the cursor: the time shown in the diagram
            fig.add_scatter(
                uid=CURSOR_TOP_TRACE if row == 1 else CURSOR_BOTTOM_TRACE,
                x=[0, 0],
                y=[0, top],
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line={"color": "#333", "width": 1},
                row=row,
                col=1,
            )
        fig.add_scatter(
            uid=NOW_TOP_TRACE,
            x=[0, 0],
            y=[1, 1],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={"color": [blue, red], "size": 11, "symbol": ["circle", "diamond"]},
            cliponaxis=False,
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid=NOW_BOTTOM_TRACE,
            x=[0],
            y=[100],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={"color": "#000", "size": 11},
            cliponaxis=False,
            row=2,
            col=1,
        )
        for row in (1, 2):
            fig.update_xaxes(range=X_RANGE_MIN, row=row, col=1, title_text="time (min)" if row == 2 else None)
            for t0 in (OPIOID_START_MIN, DRINK_MIN):
                fig.add_vline(x=t0, line={"color": "#bbb", "width": 1, "dash": "dot"}, row=row, col=1)
        # In the top strip of a panel, the one place no curve reaches: each y axis runs to 1.1
        # times its highest value (_recompute; the lower one to at least 260 %, above the 200 %
        # band), so the top 1/11 of each panel stays free. A second row lower down met the dopamine
        # neurons' curve when morphine or alcohol drove it to the top. Side by side in one strip
        # the labels nearly touched at narrow widths (the 20 minutes between the events are 33 px
        # at the plot's minimum width, "opioid" 30 px), so "opioid" labels its line in the upper
        # panel and "drink" in the lower one: the dotted lines run through both.
        for t0, what, row in ((OPIOID_START_MIN, "opioid", 1), (DRINK_MIN, "drink", 2)):
            fig.add_annotation(
                x=t0,
                y=1.0,
                yref="y domain",
                text=what,
                showarrow=False,
                yanchor="top",
                xanchor="left",
                xshift=2,  # clear of the event's dotted line
                borderpad=0,
                font={"size": 10},
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text="× rest", row=1, col=1)
        fig.update_yaxes(title_text="% of baseline", row=2, col=1)
        return fig

    def _draw_time(
        self,
        extra_traces: dict | None = None,
        layout: dict | None = None,
        top: float | None = None,
        high: float | None = None,
    ) -> None:
        t = float(self.time.value)
        s = self.result.at(t)
        traces = dict(extra_traces or {})
        traces[CURSOR_TOP_TRACE] = {"x": [t, t]}
        traces[CURSOR_BOTTOM_TRACE] = {"x": [t, t]}
        if top is not None:
            traces[CURSOR_TOP_TRACE]["y"] = [0, top]
            traces[CURSOR_BOTTOM_TRACE]["y"] = [0, high]
        traces[NOW_TOP_TRACE] = {"x": [t, t], "y": [s["gaba"], s["dopamine_neurons"]]}
        traces[NOW_BOTTOM_TRACE] = {"x": [t], "y": [100 * s["nac_dopamine"]]}
        layout_changes = {}
        if layout:
            layout_changes = {
                "yaxis": {"range": layout["yaxis.range"]},
                "yaxis2": {"range": layout["yaxis2.range"]},
            }
        self.plot.update(
            traces=traces,
            layout=layout_changes or None,
            summary=describe(self.result, t, self.reference, self.naltrexone_nM),
        )
