"""Lesson 04's dosing timeline: naltrexone regimens, plasma levels and receptor blockade over days.

Pure compute functions at the top (regimen -> profile, a moment -> readout numbers and the
summary sentence), the widget class below, so tests can drive it headless.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from ..data_access.affinities import ligands, representative_ki_nM
from ..data_access.data_tables import load_table
from ..data_access.units import format_molar, plain_number
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, RECEPTOR_COLOURS, TEMPLATE
from ..display.ui import alert_html, in_sentence, message_area, sentence
from ..pharmacology.naltrexone import naltrexone_profile_arrays

ROUTE_SETTINGS = {
    # dose slider range (mg), default dose, interval choices (label, hours), max doses,
    # time step (h), hours shown after the last dose
    "oral": {
        "dose": (5.0, 150.0, 5.0),
        "default_dose": 50.0,
        "intervals": [("every 24 h (daily)", 24.0), ("every 48 h", 48.0), ("every 72 h", 72.0)],
        "max_doses": 42,
        "dt_h": 0.25,
        "tail_h": 14 * 24.0,
    },
    "injection": {
        "dose": (190.0, 380.0, 190.0),
        "default_dose": 380.0,
        "intervals": [("every 4 weeks", 672.0)],
        "max_doses": 6,
        "dt_h": 1.0,
        "tail_h": 8 * 7 * 24.0,
    },
}
ROUTE_LABELS = {"oral": "tablet", "injection": "injection"}
PLASMA_FLOOR = 0.01  # ng/mL: bottom of the log axis
SMOOTH_STRIDE = 4  # draw slow curves (6β-naltrexol, receptor blockade) from every 4th grid point
PLASMA_TOP = 3000.0  # ng/mL: top of the log axis (dose markers sit above the curves)
DOSE_MARKER_Y = 1200.0
HEROIN_BAR_Y = 110.0  # % axis: the label's functional blockade is drawn above the occupancy curves


@dataclass(frozen=True)
class Regimen:
    """A dosing schedule as the widget's controls describe it."""

    route: str
    dose_mg: float
    interval_h: float
    n_doses: int
    skipped: tuple[int, ...] = ()  # 1-based numbers of the doses not taken

    @property
    def dose_times_h(self) -> np.ndarray:
        return np.arange(self.n_doses) * self.interval_h

    @property
    def taken(self) -> np.ndarray:
        mask = np.ones(self.n_doses, dtype=bool)
        for k in self.skipped:
            if 1 <= k <= self.n_doses:
                mask[k - 1] = False
        return mask

    @property
    def t_end_h(self) -> float:
        return (self.n_doses - 1) * self.interval_h + ROUTE_SETTINGS[self.route]["tail_h"]


UNIT_WORDS = re.compile(r"^(mg|g|µg|ug|mcg|ml|h|hrs?|hours?|d|days?|weeks?|x|tablets?|pills?)$", re.I)


def _accepted(n_doses: int) -> str:
    return (
        f"Skip doses takes dose numbers from 1 to {n_doses} (dose 1 is the first), "
        "one or more, such as 4 or 2, 5-7"
    )


def parse_skipped(text: str, n_doses: int) -> tuple[int, ...]:
    """Dose numbers from text such as ``"3, 5-7"`` (1-based). Raises ValueError saying what
    was wrong in the text and what is accepted."""
    text = text.strip()
    if not text:
        return ()
    found: set[int] = set()
    # "5 - 7" and "5–7" are ranges too: close the spaces around a dash before splitting
    parts = [p for p in re.split(r"[,\s;]+", re.sub(r"\s*[-–]\s*", "-", text)) if p]
    for part in parts:  # an amount or a time ("10 mg", "day 3") is the likeliest mix-up: say so first
        amount = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+)", part)
        if UNIT_WORDS.match(part) or (amount and UNIT_WORDS.match(amount.group(2))):
            raise ValueError(
                f"'{text}' looks like an amount or a time, not a dose number. {_accepted(n_doses)}"
            )
    for part in parts:
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise ValueError(f"could not read '{part}'. {_accepted(n_doses)}")
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if lo < 1:
            raise ValueError(f"there is no dose {lo}: doses are counted from 1. {_accepted(n_doses)}")
        if hi < lo:
            raise ValueError(f"'{part}' runs backwards: write a range from low to high, such as {hi}-{lo}")
        if hi > n_doses:
            raise ValueError(
                f"there is no dose {hi}: this regimen has {n_doses} "
                f"{'dose' if n_doses == 1 else 'doses'}. {_accepted(n_doses)}"
            )
        found.update(range(lo, hi + 1))
    if len(found) == n_doses:
        raise ValueError(
            f"'{text}' skips every dose, so there would be no naltrexone to show. "
            f"Leave at least one of the {n_doses} doses taken"
        )
    return tuple(sorted(found))


@functools.lru_cache(maxsize=1)
def _label_table() -> tuple[np.ndarray, np.ndarray]:
    table = load_table("heroin_challenge").sort_values("dose_mg")  # read once: the widget asks on every move
    return table["dose_mg"].to_numpy(float), table["blockade_h"].to_numpy(float)


def label_blockade_h(dose_mg: float) -> float | None:
    """Hours a tablet blocks 25 mg i.v. heroin per the US label (data/heroin_challenge.csv).

    Only for the doses the label reports (50, 100 and 150 mg); ``None`` for any other dose. The
    widget says "the label reports" beside this number, so it neither interpolates nor
    extrapolates one (a trial saw 65 mg credited to the label with an interpolated 31 h).
    """
    doses, hours = _label_table()
    match = np.flatnonzero(np.isclose(doses, dose_mg))
    return float(hours[match[0]]) if match.size else None


def label_blockade_windows(regimen: Regimen) -> list[tuple[float, float]]:
    """(start, end) hours for which the label reports the heroin challenge blocked.

    One window per tablet taken, from the dose to the label's duration for that dose
    ("as long as 24 hours" after 50 mg): the longest time the label reports blockade, not a
    time at which it reports blockade failing. Overlapping windows merge. A moment t is
    inside a window when start < t <= end (at the dose time itself the tablet has not yet
    acted). Empty for the injection and for doses the label does not cover.
    """
    if regimen.route != "oral":
        return []
    hours = label_blockade_h(regimen.dose_mg)
    if hours is None:
        return []
    windows: list[tuple[float, float]] = []
    for t0 in regimen.dose_times_h[regimen.taken]:
        if windows and t0 <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], t0 + hours))
        else:
            windows.append((float(t0), float(t0 + hours)))
    return windows


def regimen_profile(regimen: Regimen) -> dict:
    """The model's time course for a regimen (skipped doses removed), as a dict of arrays."""
    dt = ROUTE_SETTINGS[regimen.route]["dt_h"]
    times = regimen.dose_times_h[regimen.taken]
    return naltrexone_profile_arrays(times, regimen.dose_mg, regimen.route, regimen.t_end_h, dt)


@dataclass(frozen=True)
class Moment:
    """What the readout says about one moment of a regimen."""

    time_h: float
    naltrexone_ng_ml: float
    naltrexol_ng_ml: float
    mor: float
    kor: float
    dor: float
    dose_ratio: float  # Schild dose ratio at MOR: 1 + [B]/K_B
    hours_since_last_dose: float | None  # None before any dose has acted (up to the first dose time)
    after_last_dose: bool


def moment(profile, regimen: Regimen, time_h: float) -> Moment:
    """Values at the grid point nearest ``time_h``; the dose ratio from the brain level (Schild)."""
    t = profile["time_h"]
    i = int(np.clip(np.searchsorted(t, time_h - 1e-9), 0, len(t) - 1))
    if i > 0 and abs(t[i - 1] - time_h) < abs(t[i] - time_h):
        i -= 1
    row = {k: v[i] for k, v in profile.items()}
    taken_times = regimen.dose_times_h[regimen.taken]
    before = taken_times[taken_times < t[i] - 1e-9]  # a dose taken at this moment has not acted yet
    since = float(t[i] - before[-1]) if before.size else None
    last_taken = taken_times[-1] if taken_times.size else np.inf
    return Moment(
        time_h=float(t[i]),
        naltrexone_ng_ml=float(row["naltrexone_ng_ml"]),
        naltrexol_ng_ml=float(row["naltrexol_ng_ml"]),
        mor=float(row["mor_occupancy"]),
        kor=float(row["kor_occupancy"]),
        dor=float(row["dor_occupancy"]),
        dose_ratio=float(row["mor_dose_ratio"]),
        hours_since_last_dose=since,
        after_last_dose=bool(t[i] > last_taken),
    )


def format_ratio(r: float) -> str:
    """A dose ratio in words a reader can take in at once."""
    if r >= 100:
        return f"about {r:,.0f}"
    if r >= 10:
        return f"about {r:.0f}"
    return f"about {r:.1f}"


def interval_words(hours: float) -> str:
    """672 -> '4 weeks', 168 -> 'week', 48 -> '2 days', 24 -> '24 h', 12 -> '12 h'."""
    for unit_h, unit in ((168.0, "week"), (24.0, "day")):
        n = hours / unit_h
        if hours > 24 and n == int(n):
            return unit if n == 1 else f"{int(n)} {unit}s"
    return f"{hours:g} h"


def describe(mo: Moment, regimen: Regimen, opioid_name: str) -> str:
    """One-sentence description of the figure at the cursor, for screen readers and readers."""
    day = mo.time_h / 24
    what = (
        f"{regimen.dose_mg:g} mg {ROUTE_LABELS[regimen.route]}"
        + (
            ""
            if regimen.n_doses == 1
            else f" × {regimen.n_doses}, every {interval_words(regimen.interval_h)}"
        )
        + (
            f", {'dose' if len(regimen.skipped) == 1 else 'doses'} {', '.join(map(str, regimen.skipped))} skipped"
            if regimen.skipped
            else ""
        )
    )
    when = f"Day {day:.2f}".rstrip("0").rstrip(".") + f" ({what})"
    if mo.hours_since_last_dose is None:
        first = regimen.dose_times_h[regimen.taken]
        if first.size and abs(first[0] - mo.time_h) < 1e-6:
            return f"{when}: the first dose is taken at this moment, so nothing is blocked yet."
        return f"{when}: no dose taken yet, so no blockade."
    if mo.after_last_dose:
        when += f", {mo.hours_since_last_dose / 24:.1f} days after the last dose"
    elif np.any(np.abs(regimen.dose_times_h[regimen.taken] - mo.time_h) < 1e-6):
        when += ", as the next dose is taken"
    plasma = (
        f"plasma naltrexone {plain_number(mo.naltrexone_ng_ml, 2)} ng/mL"
        if mo.naltrexone_ng_ml >= PLASMA_FLOOR
        else "plasma naltrexone below 0.01 ng/mL"
    )
    text = (
        f"{when}: {plasma}, brain MOR {mo.mor:.0%} blocked (KOR {mo.kor:.0%}, DOR {mo.dor:.0%}); "
        f"{in_sentence(opioid_name)} would need {format_ratio(mo.dose_ratio)} times its usual concentration "
        f"for the same effect at mu receptors."
    )
    hours = label_blockade_h(regimen.dose_mg) if regimen.route == "oral" else None
    if hours is not None:
        since = mo.hours_since_last_dose
        if inside_label_window(mo.time_h, regimen):
            text += (
                f" This is {plain_number(since, 3)} h after the last tablet, within the {hours:.0f} h "
                "for which the label reports 25 mg of intravenous heroin blocked."
            )
        else:
            text += (
                f" This is {plain_number(since, 3)} h after the last tablet, later than the {hours:.0f} h "
                "for which the label reports 25 mg of intravenous heroin blocked (the label gives no "
                "figure beyond it)."
            )
    return text


def inside_label_window(time_h: float, regimen: Regimen) -> bool:
    """Whether ``time_h`` lies within the label's reported heroin-challenge blockade of a tablet
    that has already acted (start < t <= end)."""
    return any(a < time_h <= b for a, b in label_blockade_windows(regimen))


def label_note_html(mo: Moment, reg: Regimen) -> str:
    """The label's functional blockade (heroin challenge) at the cursor, beside the occupancy."""
    if reg.route != "oral" or mo.hours_since_last_dose is None:
        return ""
    hours = label_blockade_h(reg.dose_mg)
    if hours is None:
        doses = ", ".join(f"{d:.0f}" for d in _label_table()[0][:-1]) + f" and {_label_table()[0][-1]:.0f}"
        return (
            f"<p>The label gives heroin-challenge durations only for {doses} mg tablets, so no "
            "orange bar is drawn for this dose.</p>"
        )
    if inside_label_window(mo.time_h, reg):
        return (
            f"<p><b>Orange bar (label):</b> the label reports that a {reg.dose_mg:g} mg tablet blocked "
            f"25 mg of intravenous heroin for as long as about {hours:.0f} h, and this moment is within "
            "that time.</p>"
        )
    return (
        f"<p><b>Outside the orange bar.</b> The model still shows {mo.mor:.0%} of mu receptors held, "
        f"but the label reports blockade of 25 mg of intravenous heroin only for as long as about "
        f"{hours:.0f} h after a {reg.dose_mg:g} mg tablet and gives no figure beyond that, so nothing "
        f"here shows protection. Occupancy is not protection: with a dose ratio of "
        f"{format_ratio(mo.dose_ratio)}, a large enough opioid dose takes the receptors that are "
        "still free and acts.</p>"
    )


class DosingTimeline(ipw.VBox):
    """Interactive dosing timeline for lesson 04.

    Parameters
    ----------
    route : {"oral", "injection"}
    n_doses : int
        Initial number of doses (oral: 1-42, injection: 1-6).
    opioid : str
        Ligand key from data/ligands.csv (an agonist with a MOR affinity) for the readout.
    """

    def __init__(self, route: str = "oral", n_doses: int = 7, opioid: str = "morphine"):
        if route not in ROUTE_SETTINGS:
            raise ValueError(f"route must be 'oral' or 'injection', got {route!r}")
        s = ROUTE_SETTINGS[route]
        if not 1 <= n_doses <= s["max_doses"]:
            raise ValueError(f"n_doses must be between 1 and {s['max_doses']} for {route}, got {n_doses!r}")
        self._opioids = {}
        for key, row in ligands().iterrows():
            if row["action_at_mor"] not in ("full agonist", "partial agonist"):
                continue
            try:
                self._opioids[key] = (row["display_name"], representative_ki_nM(key, "MOR") * 1e-9)
            except ValueError:
                continue
        if opioid not in self._opioids:
            raise ValueError(f"opioid must be one of {sorted(self._opioids)}, got {opioid!r}")

        style, wide = {"description_width": "110px"}, {"width": "430px"}
        lo, hi, step = s["dose"]
        # The first slider (dose) changes the plot and the summary: keyboard users start here.
        self.dose = ipw.FloatSlider(
            description="Dose (mg)",
            value=s["default_dose"],
            min=lo,
            max=hi,
            step=step,
            readout_format=".0f",
            style=style,
            layout=wide,
        )
        self.route = ipw.ToggleButtons(
            description="Route",
            value=route,
            style=style,
            options=[("Tablets (oral)", "oral"), ("Monthly injection", "injection")],
            tooltips=["50 mg tablets", "380 mg extended-release injection"],
        )
        self.interval = ipw.Dropdown(description="Interval", options=s["intervals"], style=style, layout=wide)
        self.n_doses = ipw.IntSlider(
            description="Doses", value=n_doses, min=1, max=s["max_doses"], style=style, layout=wide
        )
        self.skipped = ipw.Text(
            description="Skip doses",
            placeholder="e.g. 4 or 5-7 (dose numbers)",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.opioid = ipw.Dropdown(
            description="Opioid",
            options=[(n, k) for k, (n, _) in sorted(self._opioids.items(), key=lambda i: i[1][0])],
            value=opioid,
            style=style,
            layout=wide,
        )
        self.cursor = ipw.FloatSlider(
            description="Day (cursor)",
            value=1.0,
            min=0.0,
            max=1.0,
            step=0.25,
            readout_format=".5",  # d3, no type: 84, 84.25, 84.5 (".2f" showed "84.00")
            style=style,
            layout=wide,
        )
        self.message = message_area()
        self.readout = ipw.HTML()
        self._skipped: tuple[int, ...] = ()
        self._quiet = False
        self.profile = None
        self._grid_key = None
        self.plot = LivePlot(
            self._initial_figure(),
            description=(
                "Two panels against time in days: plasma naltrexone and 6-beta-naltrexol (log scale) "
                "with the dose times marked, and the percentage of brain MOR, KOR and DOR blocked."
            ),
        )

        self.dose.observe(lambda _: self._refresh(regimen=True), "value")
        self.interval.observe(lambda _: self._refresh(regimen=True), "value")
        self.n_doses.observe(self._on_n_doses, "value")
        self.route.observe(self._on_route, "value")
        self.skipped.observe(self._on_skipped, "value")
        self.opioid.observe(lambda _: self._refresh(regimen=False), "value")
        self.cursor.observe(lambda _: self._refresh(regimen=False), "value")

        super().__init__(
            [
                ipw.HBox(
                    [
                        ipw.VBox([self.dose, self.route, self.interval, self.n_doses]),
                        ipw.VBox([self.skipped, self.opioid, self.cursor]),
                    ]
                ),
                self.message,
                self.plot,
                self.readout,
            ]
        )
        self._refresh(regimen=True)

    # -- model --------------------------------------------------------------------------
    @property
    def regimen(self) -> Regimen:
        return Regimen(
            self.route.value,
            float(self.dose.value),
            float(self.interval.value),
            int(self.n_doses.value),
            self._skipped,
        )

    @property
    def moment(self) -> Moment:
        return moment(self.profile, self.regimen, self.cursor.value * 24)

    # -- events -------------------------------------------------------------------------
    def _on_route(self, _change) -> None:
        s = ROUTE_SETTINGS[self.route.value]
        self._quiet = True
        try:
            lo, hi, step = s["dose"]
            # widen first so that setting min/max never clamps through an invalid state
            self.dose.min, self.dose.max = min(lo, self.dose.min), max(hi, self.dose.max)
            self.dose.value = s["default_dose"]
            self.dose.min, self.dose.max, self.dose.step = lo, hi, step
            self.interval.options = s["intervals"]
            self.interval.value = s["intervals"][0][1]
            self.n_doses.value = 2 if self.route.value == "injection" else 7
            self.n_doses.max = s["max_doses"]
            self._skipped = ()
            self.skipped.value = ""
        finally:
            self._quiet = False
        self._show_message("")
        self._refresh(regimen=True)

    def _on_n_doses(self, _change) -> None:
        self._skipped = tuple(k for k in self._skipped if k <= self.n_doses.value)
        self._refresh(regimen=True)

    def _on_skipped(self, change) -> None:
        if self._quiet:
            return
        try:
            self._skipped = parse_skipped(change["new"], self.n_doses.value)
        except ValueError as err:
            self._show_message(sentence(str(err)) + ". The timeline still shows the last valid schedule.")
            return
        self._show_message("")
        self._refresh(regimen=True)

    def _show_message(self, text: str) -> None:
        self.message.value = alert_html(text)

    # -- display ------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            vertical_spacing=0.06,
            row_heights=[0.45, 0.55],
        )
        # The legend sits above the panels (plotly pushes the top margin when it needs more rows);
        # each panel is named by its y-axis title, not a title above it, so nothing but the legend
        # lives in the top margin. (A panel title there was overlapped by the legend's lower rows
        # in CI after Run All, never here; the cause was not pinned down, so the layout no longer
        # depends on it.)
        fig.update_layout(
            template=TEMPLATE,
            height=660,
            # t: room for one legend row; plotly pushes it when the legend wraps (a fixed 120 px
            # left a blank band above a one-row legend, as the third trial saw in injection mode)
            margin={"t": 50, "b": 60, "r": 20},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        )
        # plasma in black / purple, so they are not confused with the receptor colours below
        plasma_colour, naltrexol_colour = OKABE_ITO["black"], OKABE_ITO["reddish_purple"]
        fig.add_scatter(
            uid="plasma naltrexone",
            x=[],
            y=[],
            name="plasma naltrexone",
            mode="lines",
            line={"color": plasma_colour, "width": 3},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="plasma naltrexol",
            x=[],
            y=[],
            name="plasma 6β-naltrexol",
            mode="lines",
            line={"color": naltrexol_colour, "width": 3, "dash": "dash"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="dose taken",
            x=[],
            y=[],
            name="dose taken",
            mode="markers",
            row=1,
            col=1,
            marker={"symbol": "triangle-down", "size": 11, "color": "#333"},
        )
        fig.add_scatter(
            uid="dose skipped",
            x=[],
            y=[],
            name="dose skipped",
            mode="markers",
            row=1,
            col=1,
            marker={"symbol": "x-thin-open", "size": 12, "color": "#333", "line": {"width": 2}},
        )
        for r, dash in (("MOR", "solid"), ("KOR", "dash"), ("DOR", "dot")):
            fig.add_scatter(
                uid=f"{r} blocked",
                x=[],
                y=[],
                name=f"{r} blocked",
                mode="lines",
                row=2,
                col=1,
                line={"color": RECEPTOR_COLOURS[r], "width": 3, "dash": dash},
            )
        # cursor: a line in each panel and markers on the curves (scatter traces, so they redraw)
        fig.add_scatter(
            uid="plasma cursor",
            x=[],
            y=[],
            name="cursor",
            mode="lines",
            showlegend=False,
            hoverinfo="skip",
            line={"color": "#555", "width": 1.5, "dash": "longdash"},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="blockade cursor",
            x=[],
            y=[],
            name="cursor",
            mode="lines",
            showlegend=False,
            hoverinfo="skip",
            line={"color": "#555", "width": 1.5, "dash": "longdash"},
            row=2,
            col=1,
        )
        fig.add_scatter(
            uid="plasma now",
            x=[],
            y=[],
            name="now",
            mode="markers",
            showlegend=False,
            row=1,
            col=1,
            marker={"color": plasma_colour, "size": 11, "symbol": "circle"},
        )
        fig.add_scatter(
            uid="blockade now",
            x=[],
            y=[],
            name="now",
            mode="markers",
            showlegend=False,
            row=2,
            col=1,
            marker={
                "color": [RECEPTOR_COLOURS[r] for r in ("MOR", "KOR", "DOR")],
                "size": 11,
                "symbol": ["circle", "square", "diamond"],
            },
        )
        fig.update_yaxes(
            type="log",
            range=[np.log10(PLASMA_FLOOR), np.log10(PLASMA_TOP)],
            title_text="plasma (ng/mL)",
            automargin=True,
            row=1,
            col=1,
            exponentformat="power",
        )
        # the label's functional blockade (heroin challenge), beside the modelled occupancy
        fig.add_scatter(
            uid="heroin challenge",
            x=[],
            y=[],
            name="label: 25 mg i.v. heroin blocked (tablets)",
            mode="lines",
            line={"color": OKABE_ITO["orange"], "width": 9},
            row=2,
            col=1,
            hoverinfo="skip",
        )
        fig.update_yaxes(
            range=[-3, 116],
            title_text="blocked in brain (%)",
            automargin=True,
            tickvals=[0, 25, 50, 75, 100],
            row=2,
            col=1,
        )
        fig.update_xaxes(title_text="days since the first dose", row=2, col=1)
        return fig

    def _refresh(self, regimen: bool) -> None:
        if self._quiet:
            return
        reg = self.regimen
        traces = {}
        layout = None
        if regimen or self.profile is None:
            self.profile = regimen_profile(reg)
            p = self.profile
            end_day = reg.t_end_h / 24
            step = 0.25 if reg.route == "oral" else 1.0
            if (self.cursor.max, self.cursor.step) != (end_day, step):
                self._quiet = True
                try:
                    self.cursor.max, self.cursor.step = end_day, step
                finally:
                    self._quiet = False
            taken = reg.taken
            dose_days = reg.dose_times_h / 24
            top = DOSE_MARKER_Y
            curves = {
                "plasma naltrexone": np.maximum(p["naltrexone_ng_ml"], PLASMA_FLOOR * 0.5),
                "plasma naltrexol": np.maximum(p["naltrexol_ng_ml"], PLASMA_FLOOR * 0.5),
                "MOR blocked": 100 * p["mor_occupancy"],
                "KOR blocked": 100 * p["kor_occupancy"],
                "DOR blocked": 100 * p["dor_occupancy"],
            }
            grid_changed = self._grid_key != (reg.route, reg.t_end_h)
            days = p["time_h"] / 24
            for key, y in curves.items():
                # Only plasma naltrexone has sharp peaks; the other curves are drawn from every
                # SMOOTH_STRIDE-th point (a quarter of the bytes on every update, same picture).
                keep = slice(None) if key == "plasma naltrexone" else slice(None, None, SMOOTH_STRIDE)
                traces[key] = {"x": days[keep], "y": y[keep]} if grid_changed else {"y": y[keep]}
            bar_x: list = []
            for start, end in label_blockade_windows(reg):
                bar_x += [start / 24, min(end, reg.t_end_h) / 24, None]
            traces["heroin challenge"] = {
                "x": bar_x,
                "y": [HEROIN_BAR_Y if x is not None else None for x in bar_x],
            }
            traces["dose taken"] = {"x": dose_days[taken], "y": np.full(int(taken.sum()), top)}
            traces["dose skipped"] = {"x": dose_days[~taken], "y": np.full(int((~taken).sum()), top)}
            if grid_changed:
                # room for the first dose marker (day 0) and for the cursor's markers on the last day
                pad = 0.02 * end_day
                layout = {
                    "xaxis": {"range": [-pad, end_day + pad]},
                    "xaxis2": {"range": [-pad, end_day + pad]},
                }
                self._grid_key = (reg.route, reg.t_end_h)
        mo = self.moment
        d = mo.time_h / 24
        traces.update(
            {
                "plasma cursor": {"x": [d, d], "y": [PLASMA_FLOOR, PLASMA_TOP]},
                "blockade cursor": {"x": [d, d], "y": [0, 100]},
                # below the axis the marker sits on its floor (the summary gives "below 0.01 ng/mL")
                "plasma now": {"x": [d], "y": [max(mo.naltrexone_ng_ml, PLASMA_FLOOR)]},
                "blockade now": {"x": [d, d, d], "y": [100 * mo.mor, 100 * mo.kor, 100 * mo.dor]},
            }
        )
        name, ka = self._opioids[self.opioid.value]
        self.plot.update(traces=traces, layout=layout, summary=describe(mo, reg, name))
        self.readout.value = self._readout_html(mo, reg, name, ka) + label_note_html(mo, reg)

    @staticmethod
    def _readout_html(mo: Moment, reg: Regimen, name: str, ka_M: float) -> str:
        if mo.hours_since_last_dose is None:
            return "<p>No dose has acted yet.</p>"
        r = mo.dose_ratio
        half = f"{format_molar(ka_M)} → {format_molar(ka_M * r)}"
        lines = [
            f"<b>Dose ratio at mu receptors: {format_ratio(r)}×.</b> With {mo.mor:.0%} of mu receptors "
            f"held by naltrexone, {in_sentence(name)} needs {format_ratio(r)} times its usual concentration at the "
            f"receptor for the same effect (Schild: 1 + [B]/K<sub>B</sub>). The concentration at which it "
            f"occupies half the free mu receptors moves {half} (K<sub>i</sub> from data/ligand_affinities.csv). "
            "The ratio is the same for every opioid acting at mu receptors: it depends on the antagonist, "
            "not the agonist.",
        ]
        if mo.after_last_dose:
            lines.append(
                f"<b>{mo.hours_since_last_dose / 24:.1f} days after the last dose</b> the block is "
                + ("fading." if r >= 10 else "mostly gone.")
                + " The block is surmountable: a large enough amount of opioid overcomes it, and once it "
                "wears off an amount that was blocked before acts fully. After weeks without opioids, "
                "tolerance is lost too, so an amount a person once used can now stop their breathing. "
                "This is why overdose risk is high after naltrexone is stopped or a dose is missed."
            )
        return "<p>" + "</p><p>".join(lines) + "</p>"
