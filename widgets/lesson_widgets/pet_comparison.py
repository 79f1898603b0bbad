"""Lesson 04's model-versus-PET figure: dose-occupancy at a chosen scan time, and days of blockade.

Left: MOR blockade against oral dose at the scan time chosen with the slider, for both fitted
mechanisms of the long blockade (slow brain pool; terminal plasma phase), beside the PET points
of Rabiner et al. 2011 (data/pet_occupancy.csv) and Trøstheim et al.'s dose model.
Right: after one 50 mg tablet, plasma naltrexone and brain MOR blockade for both mechanisms
(each as % of its peak, on a log axis so that 1 % can be read) over a week, the band the
brain-pool parameters' approximate 95 % profile-likelihood intervals leave on the blockade curve
(data/naltrexone_fit_profiles.csv), and Lee et al.'s
72-108 h blockade half-times drawn from the 48 h point.
"""

from __future__ import annotations

import functools
import math

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.data_tables import load_table
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below

# Bottom-margin room for the legend: eight entries in two columns make four rows; a row of
# 13 px text is about 22 px tall in plotly (90 px measured for the four rows), plus padding.
LEGEND_ROWS_PX = 4 * 22 + 12
DOSES_MG = np.geomspace(0.5, 200, 60)
# 1-2-5 ticks on the log dose axis (plotly's default minor labels read "5 1 2 5 10 2 5 100 2")
DOSE_TICKS_MG = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)
PERCENT_TICKS = (0.1, 0.3, 1, 3, 10, 30, 100)
MECHANISM_NAMES = {
    "brain_pool": "model: slow brain pool",
    "terminal_phase": "model: terminal plasma phase",
}
# one style per legend entry (colour and dash both differ)
STYLES = {
    "brain_pool": {"color": OKABE_ITO["blue"], "width": 3},
    "terminal_phase": {"color": OKABE_ITO["reddish_purple"], "width": 3, "dash": "longdash"},
    "plasma_brain_pool": {"color": OKABE_ITO["vermillion"], "width": 2, "dash": "dash"},
    "plasma_terminal_phase": {"color": OKABE_ITO["vermillion"], "width": 2, "dash": "dot"},
    "trostheim": {"color": "#666", "width": 2, "dash": "dashdot"},
    "lee": {"color": "#666", "width": 2, "dash": "dot"},
}


def dose_occupancy_at(time_h: float, doses_mg=DOSES_MG, mechanism: str = "brain_pool") -> np.ndarray:
    """Model MOR occupancy (fraction) at ``time_h`` after single oral doses.

    The brain level is proportional to dose, so occupancy = D / (D + ED50(t)); one
    simulation of 1 mg gives ED50(t) for every dose.
    """
    time_h_grid, occupancy = _one_mg_occupancy(
        mechanism, max(SCAN_HORIZON_H, math.ceil(4 * time_h) / 4 + 0.25)
    )
    occ1 = float(np.interp(time_h, time_h_grid, occupancy))
    ed50 = (1 - occ1) / occ1
    d = np.asarray(doses_mg, dtype=float)
    return d / (d + ed50)


# One 1 mg simulation per mechanism covers every scan time of the slider (1-8 h); the model is
# linear and solved exactly on its 0.25 h grid, so a longer run gives the same values there.
SCAN_HORIZON_H = 8.25


@functools.lru_cache(maxsize=8)
def _one_mg_occupancy(mechanism: str, t_end_h: float) -> tuple[np.ndarray, np.ndarray]:
    df = ph.naltrexone_profile([0.0], 1.0, "oral", t_end_h, 0.25, mechanism)
    return df["time_h"].to_numpy(), df["mor_occupancy"].to_numpy()


def describe(time_h: float, points: dict, model: dict, other: dict) -> str:
    parts = ", ".join(f"{model[d]:.0%} at {d:g} mg (measured {points[d]})" for d in sorted(points))
    alt = ", ".join(f"{other[d]:.0%}" for d in sorted(points))
    return (
        f"At {time_h:g} h after a single tablet the slow-brain-pool model gives MOR blockade of {parts}; "
        f"the terminal-plasma-phase model gives {alt} at the same doses; "
        "the PET scans were taken within 8 h of the dose."
    )


def _percent_of_peak(values: np.ndarray) -> np.ndarray:
    return 100 * values / values.max()


class PetComparison(ipw.VBox):
    """Model against PET: first slider = scan time after the dose (hours)."""

    def __init__(self, scan_time_h: float = 3.0):
        if not 1.0 <= scan_time_h <= 8.0:
            raise ValueError(f"scan_time_h must be between 1 and 8 hours, got {scan_time_h!r}")
        pet = load_table("pet_occupancy")
        rab = pet[pet["study"] == "rabiner2011"]
        self._points = {
            float(d): ", ".join(f"{v:g}%" for v in g["occupancy_pct"]) for d, g in rab.groupby("dose_mg")
        }
        pk = load_table("naltrexone_pk").set_index("key")
        self._ed50_trostheim = float(pk.loc["trostheim_ed50_mg", "value_low"])
        lo, hi = pk.loc["brain_blockade_halftime_h", ["value_low", "value_high"]]
        self._lee = (float(lo), float(hi))

        self.scan_time = ipw.FloatSlider(
            description="Scan time (h)",
            value=scan_time_h,
            min=1.0,
            max=8.0,
            step=0.5,
            readout_format=".1f",
            style={"description_width": "110px"},
            layout={"width": "420px"},
        )
        self._weeks = {
            mech: ph.naltrexone_profile([0.0], 50.0, "oral", 168.0, 0.25, mech) for mech in MECHANISM_NAMES
        }
        # Two panels with long axis titles: below 640 px they scroll sideways instead of squeezing.
        self.plot = LivePlot(
            self._initial_figure(rab),
            min_width=640,
            description=(
                "Left: percent of mu receptors blocked against oral naltrexone dose on a log axis, two "
                "model curves (slow brain pool, terminal plasma phase) at the chosen scan time with PET "
                "data points. Right: plasma naltrexone and brain blockade after 50 mg over a week for both "
                "models, as percent of their peaks on a log axis, with the 95 % parameter range as a band."
            ),
        )
        self.scan_time.observe(lambda _: self._refresh(), "value")
        super().__init__([self.scan_time, self.plot])
        self._refresh()

    def _initial_figure(self, rab):
        from ..pharmacology.naltrexone_fit import mor_occupancy_band

        fig = make_subplots(
            rows=1,
            cols=2,
            horizontal_spacing=0.12,
            subplot_titles=("MOR blockade vs dose (PET < 8 h)", "After one 50 mg tablet"),
        )
        # The legend is placed in the figure's own pixels (yref="container") in two columns of
        # half the width each, so its row count does not depend on the width or on the fonts a
        # machine has, and the bottom margin holds it: plotly never pushes the margin and pulls
        # a paper-placed legend up onto the axis titles (tests/browser/test_figure_layout.py).
        fig.update_layout(
            template=TEMPLATE,
            height=LEGEND_ROWS_PX + 430,
            margin={"t": 40, "b": LEGEND_ROWS_PX + 60},
            legend=legend_below(
                LEGEND_ROWS_PX / (LEGEND_ROWS_PX + 430),
                yref="container",
                entrywidth=0.5,
                entrywidthmode="fraction",
                # legendgroup would otherwise make plotly stack the groups one entry per row
                traceorder="normal",
                font={"size": 13},
            ),
        )
        # the two models at the scan time (left); one legend entry per model, shared with the right
        for mech, name in MECHANISM_NAMES.items():
            fig.add_scatter(
                uid=f"{mech} at scan time",
                x=DOSES_MG,
                y=np.zeros_like(DOSES_MG),
                name=name,
                legendgroup=mech,
                mode="lines",
                line=STYLES[mech],
                row=1,
                col=1,
            )
        # Trøstheim's dose model, PET points
        fig.add_scatter(
            uid="Trostheim dose model",
            x=DOSES_MG,
            y=100 * DOSES_MG / (DOSES_MG + self._ed50_trostheim),
            name="Trøstheim 2022 dose model",
            mode="lines",
            line=STYLES["trostheim"],
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="PET Rabiner 2011",
            x=rab["dose_mg"],
            y=rab["occupancy_pct"],
            name="PET, Rabiner 2011",
            mode="markers",
            marker={
                "color": OKABE_ITO["orange"],
                "size": 12,
                "symbol": "diamond",
                "line": {"color": "#333", "width": 1},
            },
            row=1,
            col=1,
        )
        # the band the brain-pool parameters' 95 % profile intervals leave
        t, lo, hi = mor_occupancy_band(50.0, 168.0, 0.25, "brain_pool")
        peak = self._weeks["brain_pool"]["mor_occupancy"].max()
        fig.add_scatter(
            uid="fit band low",
            x=t / 24,
            y=100 * lo / peak,
            mode="lines",
            line={"width": 0, "color": OKABE_ITO["sky_blue"]},
            showlegend=False,
            hoverinfo="skip",
            row=1,
            col=2,
        )
        fig.add_scatter(
            uid="fit band high",
            x=t / 24,
            y=100 * hi / peak,
            name="brain-pool 95 % range",
            mode="lines",
            line={"width": 0, "color": OKABE_ITO["sky_blue"]},
            fill="tonexty",
            fillcolor="rgba(86, 180, 233, 0.35)",
            row=1,
            col=2,
        )
        # MOR blockade of each model; plasma naltrexone of each model
        for mech in MECHANISM_NAMES:
            week = self._weeks[mech]
            fig.add_scatter(
                uid=f"{mech} blockade",
                x=week["time_h"] / 24,
                y=_percent_of_peak(week["mor_occupancy"].to_numpy()),
                name=MECHANISM_NAMES[mech],
                legendgroup=mech,
                showlegend=False,
                mode="lines",
                line=STYLES[mech],
                row=1,
                col=2,
            )
        for mech, words in (("brain_pool", "brain-pool"), ("terminal_phase", "terminal-phase")):
            week = self._weeks[mech]
            fig.add_scatter(
                uid=f"{mech} plasma",
                x=week["time_h"] / 24,
                y=np.maximum(_percent_of_peak(week["naltrexone_ng_ml"].to_numpy()), 1e-3),
                name=f"plasma ({words} fit)",
                mode="lines",
                line=STYLES[f"plasma_{mech}"],
                row=1,
                col=2,
            )
        # Lee's half-times from the brain-pool curve's 48 h point (one legend entry)
        week = self._weeks["brain_pool"]
        tw, mor = week["time_h"].to_numpy(), week["mor_occupancy"].to_numpy()
        i48 = int(np.argmin(np.abs(tw - 48)))
        tt = tw[i48:]
        for k, half in enumerate(self._lee):
            fig.add_scatter(
                uid=f"Lee half-time {half:g} h",
                x=tt / 24,
                y=100 * mor[i48] / mor.max() * 0.5 ** ((tt - 48) / half),
                name="Lee 1988: half-time 72–108 h",
                legendgroup="lee",
                showlegend=k == 0,
                mode="lines",
                line=STYLES["lee"],
                row=1,
                col=2,
            )
        # the scan time on the brain-pool blockade curve
        fig.add_scatter(
            uid="scan time",
            x=[0],
            y=[100],
            name="scan time",
            mode="markers",
            showlegend=False,
            row=1,
            col=2,
            marker={"color": OKABE_ITO["blue"], "size": 12, "symbol": "circle"},
        )
        fig.update_xaxes(
            type="log",
            title_text="oral dose (mg)",
            row=1,
            col=1,
            tickmode="array",
            tickvals=list(DOSE_TICKS_MG),
            ticktext=[f"{d:g}" for d in DOSE_TICKS_MG],
            minor={"showgrid": False},
        )
        fig.update_yaxes(title_text="% of mu receptors blocked", range=[-3, 103], row=1, col=1)
        fig.update_xaxes(title_text="days after the dose", range=[0, 7], row=1, col=2)
        fig.update_yaxes(
            title_text="% of its peak (log scale)",
            type="log",
            range=[-1.05, 2.05],
            tickmode="array",
            tickvals=list(PERCENT_TICKS),
            ticktext=[f"{p:g}" for p in PERCENT_TICKS],
            row=1,
            col=2,
        )
        return fig

    def _refresh(self) -> None:
        time_h = float(self.scan_time.value)
        doses = list(self._points)
        model_at = dict(zip(doses, dose_occupancy_at(time_h, doses)))
        other_at = dict(zip(doses, dose_occupancy_at(time_h, doses, "terminal_phase")))
        week = self._weeks["brain_pool"]
        t, mor = week["time_h"].to_numpy(), week["mor_occupancy"].to_numpy()
        self.plot.update(
            traces={
                "brain_pool at scan time": {"y": 100 * dose_occupancy_at(time_h)},
                "terminal_phase at scan time": {
                    "y": 100 * dose_occupancy_at(time_h, mechanism="terminal_phase")
                },
                "scan time": {"x": [time_h / 24], "y": [100 * np.interp(time_h, t, mor) / mor.max()]},
            },
            summary=describe(time_h, self._points, model_at, other_at),
        )
