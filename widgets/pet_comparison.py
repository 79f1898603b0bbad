"""Lesson 04's model-versus-PET figure: dose-occupancy at a chosen scan time, and days of blockade.

Left: MOR blockade against oral dose at the scan time chosen with the slider, beside the PET
points of Rabiner et al. 2011 (data/pet_occupancy.csv) and Trøstheim et al.'s dose model.
Right: after one 50 mg tablet, plasma naltrexone and brain MOR blockade (both as % of their
peak) over a week, with Lee et al.'s 72-108 h blockade half-times drawn from the 48 h point.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from . import pharmacology as ph
from .data_tables import load_table
from .figure_transport import LivePlot
from .theme import OKABE_ITO, TEMPLATE, legend_below

DOSES_MG = np.geomspace(0.5, 200, 60)
# 1-2-5 ticks on the log dose axis (plotly's default minor labels read "5 1 2 5 10 2 5 100 2")
DOSE_TICKS_MG = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)


def dose_occupancy_at(time_h: float, doses_mg=DOSES_MG) -> np.ndarray:
    """Model MOR occupancy (fraction) at ``time_h`` after single oral doses.

    The brain level is proportional to dose, so occupancy = D / (D + ED50(t)); one
    simulation of 1 mg gives ED50(t) for every dose.
    """
    df = ph.simulate_naltrexone(1.0, t_end_h=max(time_h, 0.25) + 0.25, dt_h=0.25)
    occ1 = float(np.interp(time_h, df["time_h"], df["mor_occupancy"]))
    ed50 = (1 - occ1) / occ1
    d = np.asarray(doses_mg, dtype=float)
    return d / (d + ed50)


def describe(time_h: float, points: dict, model: dict) -> str:
    parts = ", ".join(f"{model[d]:.0%} at {d:g} mg (measured {points[d]})" for d in sorted(points))
    return (
        f"At {time_h:g} h after a single tablet the model gives MOR blockade of {parts}; "
        "the PET scans were taken within 8 h of the dose."
    )


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
        week = ph.simulate_naltrexone(50.0, t_end_h=168.0, dt_h=0.25)
        self._week = week
        # Two panels with long axis titles: below 640 px they scroll sideways instead of squeezing.
        self.plot = LivePlot(
            self._initial_figure(rab, week),
            min_width=640,
            description=(
                "Left: percent of mu receptors blocked against oral naltrexone dose on a log axis, model "
                "curve at the chosen scan time with PET data points. Right: plasma naltrexone and brain "
                "blockade after 50 mg over a week, as percent of their peaks."
            ),
        )
        self.scan_time.observe(lambda _: self._refresh(), "value")
        super().__init__([self.scan_time, self.plot])
        self._refresh()

    def _initial_figure(self, rab, week):
        fig = make_subplots(
            rows=1,
            cols=2,
            horizontal_spacing=0.12,
            subplot_titles=("MOR blockade vs dose (PET < 8 h)", "After one 50 mg tablet"),
        )
        # The legend is placed in the figure's own pixels (yref="container") in two columns of
        # half the width each, so it always has three rows whatever the width and the fonts a
        # machine has, and the bottom margin holds them: plotly never pushes the margin and pulls
        # a paper-placed legend up onto the axis titles (tests/browser/test_figure_layout.py).
        fig.update_layout(
            template=TEMPLATE,
            height=550,
            margin={"t": 40, "b": 140},
            legend=legend_below(84 / 550, yref="container", entrywidth=0.5, entrywidthmode="fraction"),
        )
        blue, red, grey = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#666"
        fig.add_scatter(
            x=DOSES_MG,
            y=np.zeros_like(DOSES_MG),
            name="model at scan time",
            mode="lines",
            line={"color": blue, "width": 3},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=DOSES_MG,
            y=100 * DOSES_MG / (DOSES_MG + self._ed50_trostheim),
            name="Trøstheim 2022 dose model",
            mode="lines",
            line={"color": grey, "width": 2, "dash": "dot"},
            row=1,
            col=1,
        )
        fig.add_scatter(
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
        t = week["time_h"].to_numpy()
        mor = week["mor_occupancy"].to_numpy()
        cp = week["naltrexone_ng_ml"].to_numpy()
        fig.add_scatter(
            x=t / 24,
            y=100 * mor / mor.max(),
            name="brain MOR blockade",
            mode="lines",
            line={"color": blue, "width": 3},
            row=1,
            col=2,
        )
        fig.add_scatter(
            x=t / 24,
            y=100 * cp / cp.max(),
            name="plasma naltrexone",
            mode="lines",
            line={"color": red, "width": 3, "dash": "dash"},
            row=1,
            col=2,
        )
        i48 = int(np.argmin(np.abs(t - 48)))
        tt = t[i48:]
        for k, half in enumerate(self._lee):
            fig.add_scatter(
                x=tt / 24,
                y=100 * mor[i48] / mor.max() * 0.5 ** ((tt - 48) / half),
                name="Lee 1988: half-time 72–108 h",
                showlegend=k == 0,
                mode="lines",
                line={"color": grey, "width": 2, "dash": "dot"},
                row=1,
                col=2,
            )
        fig.add_scatter(
            x=[0],
            y=[0],
            name="scan time",
            mode="markers",
            showlegend=False,
            row=1,
            col=2,
            marker={"color": blue, "size": 12, "symbol": "circle"},
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
        fig.update_yaxes(title_text="% of peak", range=[-3, 103], row=1, col=2)
        return fig

    def _refresh(self) -> None:
        time_h = float(self.scan_time.value)
        occ = dose_occupancy_at(time_h)
        model_at = dict(zip(self._points, dose_occupancy_at(time_h, list(self._points))))
        t = self._week["time_h"].to_numpy()
        mor = self._week["mor_occupancy"].to_numpy()
        self.plot.update(
            traces={
                0: {"y": 100 * occ, "name": f"model at {time_h:g} h"},
                7: {"x": [time_h / 24], "y": [100 * np.interp(time_h, t, mor) / mor.max()]},
            },
            summary=describe(time_h, self._points, model_at),
        )
