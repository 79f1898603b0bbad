"""Lesson 06's forest plot of the clinical evidence, with the number needed to treat explained.

Data: data/clinical_outcomes.csv (every row sourced). The dropdown picks one outcome on
one effect scale (rows on different scales are never drawn on one axis). The slider sets
a placebo risk and an icon array of 100 people shows what the featured result means in
absolute numbers, and so what its NNT means.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw
import numpy as np
import pandas as pd
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.data_tables import load_table
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below

RATIO_MEASURES = ("risk ratio", "rate ratio", "hazard ratio")
N_PEOPLE = 100
# the icon array's three groups (trace keys), in the order icon_counts gives them
ICON_GROUPS = ("outcome on drug or placebo", "spared by the drug", "no outcome")
_ICON_X = (np.arange(N_PEOPLE) % 10).astype(float)
_ICON_Y = (9 - np.arange(N_PEOPLE) // 10).astype(float)


def clinical_outcomes() -> pd.DataFrame:
    """The clinical evidence table (validated against its schema)."""
    return load_table("clinical_outcomes")


def outcome_groups(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(outcome, effect_measure) pairs in table order: one forest plot each."""
    seen: list[tuple[str, str]] = []
    for outcome, measure in zip(table["outcome"], table["effect_measure"]):
        if (outcome, measure) not in seen:
            seen.append((outcome, measure))
    return seen


def group_label(outcome: str, measure: str) -> str:
    return outcome[:1].upper() + outcome[1:] + ("" if measure == "none reported here" else f" · {measure}")


def featured_row(rows: pd.DataFrame) -> pd.Series | None:
    """The row the NNT panel explains: the first yes/no result with a point estimate."""
    usable = rows[rows["effect_measure"].isin(ph.BINARY_MEASURES) & rows["estimate"].notna()]
    return None if usable.empty else usable.iloc[0]


def nnt_text(row: pd.Series) -> str:
    """'NNT 12 (8–26)', 'NNT 9' or '' for a row."""
    if pd.isna(row["nnt"]):
        return ""
    text = f"NNT {row['nnt']:g}"
    if not (pd.isna(row["nnt_ci_low"]) or pd.isna(row["nnt_ci_high"])):
        text += f" ({row['nnt_ci_low']:g}–{row['nnt_ci_high']:g})"
    return text


def row_label(row) -> str:
    """Tick label: study (and a mark if not verified), comparison, published NNT; one per line."""
    mark = "" if row["verification"] == "verified" else f" [{row['verification']}]"
    comparison = row["comparison"]
    if len(comparison) > 40:
        comparison = comparison[:38] + "…"
    nnt = nnt_text(row)
    return f"<b>{row['study']}</b>{mark}<br>{comparison}" + (f"<br>{nnt}" if nnt else "")


def absolute_effect(row, placebo_risk: float) -> tuple[float, float, float]:
    """(risk on placebo, risk on treatment, NNT) for a yes/no row at a chosen placebo risk."""
    p1 = ph.treated_risk(placebo_risk, row["estimate"], row["effect_measure"])
    return placebo_risk, p1, ph.number_needed_to_treat(placebo_risk, p1)


def icon_counts(p0: float, p1: float) -> tuple[int, int, int]:
    """Of 100 people: (have the outcome either way, spared by the treatment, spared either way)."""
    on_placebo = round(N_PEOPLE * p0)
    on_drug = min(round(N_PEOPLE * p1), on_placebo)
    return on_drug, on_placebo - on_drug, N_PEOPLE - on_placebo


def describe_outcome(rows: pd.DataFrame, outcome: str, measure: str, row) -> str:
    """First part of the text description: what the forest plot holds."""
    n_est = int(rows["estimate"].notna().sum())
    n_src = rows["source"].nunique()
    text = (
        f"{group_label(outcome, measure)}: {len(rows)} result{'s' if len(rows) != 1 else ''} "
        f"from {n_src} source{'s' if n_src != 1 else ''}, {n_est} with a point estimate. "
    )
    if row is None:
        first = rows.iloc[0]
        return text + (
            f"For example, {first['study']} ({first['comparison']}): {first['result']}. "
            "An NNT needs a yes/no outcome, so none is worked out here."
        )
    return text + f"{row['study']} ({row['comparison']}): {row['result']}. "


def describe_nnt(row, placebo_risk: float) -> str:
    """Second part: the featured result applied to 100 people at ``placebo_risk``."""
    p0, p1, nnt = absolute_effect(row, placebo_risk)
    text = (
        f"At the placebo risk you chose (the published NNT holds at the trials' own risk): if "
        f"{round(100 * p0)} of 100 people would have this outcome on placebo, about "
        f"{round(100 * p1)} would on the drug: "
    )
    if math.isinf(nnt):
        return text + "no one spared, so the NNT is undefined (no benefit)."
    return text + (
        f"{100 * (p0 - p1):.1f} fewer per 100, so about {math.ceil(nnt - 1e-9)} people "
        f"must be treated for one more to benefit (NNT = 1 ÷ {p0 - p1:.3f})."
    )


def describe(rows: pd.DataFrame, outcome: str, measure: str, row, placebo_risk: float) -> str:
    """Text description of the forest plot and the NNT panel."""
    text = describe_outcome(rows, outcome, measure, row)
    return text if row is None else text + describe_nnt(row, placebo_risk)


# Width of the white band behind "no estimate: see the table" (12 px text: about 165 px).
NO_ESTIMATE_WIDTH_PX = 176


class EvidenceForest(ipw.VBox):
    """Forest plot of data/clinical_outcomes.csv, filterable by outcome, with an NNT explainer.

    Parameters
    ----------
    outcome : str
        Initial outcome (a value of the table's ``outcome`` column).
    placebo_risk : float
        Initial risk of the outcome on placebo, 0.05 to 0.95.
    """

    MAX_ROWS = 8

    def __init__(self, outcome: str = "return to heavy drinking", placebo_risk: float = 0.5):
        self.table = clinical_outcomes()
        self.groups = outcome_groups(self.table)
        if len(self.table.groupby(["outcome", "effect_measure"]).size().loc[lambda s: s > self.MAX_ROWS]):
            raise ValueError(f"a forest plot would have more than {self.MAX_ROWS} rows; split the outcome")
        starts = [g for g in self.groups if g[0] == outcome]
        if not starts:
            raise ValueError(f"outcome must be one of {sorted({g[0] for g in self.groups})}, got {outcome!r}")
        if not 0.05 <= placebo_risk <= 0.95:
            raise ValueError(f"placebo_risk must be between 0.05 and 0.95, got {placebo_risk!r}")
        style = {"description_width": "130px"}
        self.outcome = ipw.Dropdown(
            description="Outcome",
            options=[(group_label(*g), g) for g in self.groups],
            value=starts[0],
            style=style,
            layout={"width": "560px"},
        )
        self.placebo_risk = ipw.FloatSlider(
            description="Risk on placebo",
            value=placebo_risk,
            min=0.05,
            max=0.95,
            step=0.01,
            readout_format=".0%",
            style=style,
            layout={"width": "560px"},
        )
        self.table_view = ipw.HTML()
        # Per-group rows, labels and table HTML, computed once (the data do not change).
        self._rows = {
            g: self.table[
                (self.table["outcome"] == g[0]) & (self.table["effect_measure"] == g[1])
            ].reset_index(drop=True)
            for g in self.groups
        }
        self._forest = {
            g: self._forest_traces(rows, g[1] in RATIO_MEASURES, g[1]) for g, rows in self._rows.items()
        }
        self._tables = {g: self._table_html(rows) for g, rows in self._rows.items()}
        self._featured = {}
        self._heads = {}
        for g, rows in self._rows.items():
            row = featured_row(rows)
            self._featured[g] = None if row is None else row.to_dict()
            self._heads[g] = describe_outcome(rows, *g, self._featured[g])
        self.plot = LivePlot(
            self._initial_figure(),
            min_width=900,
            description=(
                "Left: a forest plot, one row per study, with point estimates and 95% confidence "
                "intervals against a line of no effect. Right: 100 people, showing how many have the "
                "outcome on placebo and how many of them a treatment spares."
            ),
        )
        self.outcome.observe(lambda _: self._refresh(), "value")
        self.placebo_risk.observe(lambda _: self._refresh(forest=False), "value")
        super().__init__([self.outcome, self.placebo_risk, self.plot, self.table_view])
        self._refresh()

    # -- model ----------------------------------------------------------------------------
    @property
    def rows(self) -> pd.DataFrame:
        return self._rows[self.outcome.value]

    # -- display --------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=1,
            cols=2,
            column_widths=[0.6, 0.4],
            horizontal_spacing=0.06,
            subplot_titles=("Effect (95% CI)", f"{N_PEOPLE} people on placebo"),
        )
        # The legend starts under the forest panel: placed further left (a negative x), it made
        # plotly push the left margin, which narrowed both panels in a wide notebook.
        fig.update_layout(
            template=TEMPLATE,
            height=520,
            margin={"l": 310, "r": 10, "t": 40, "b": 120},
            legend=legend_below(-0.2, x=0, font={"size": 13}),
            font={"size": 13},
        )
        err = {
            "type": "data",
            "symmetric": False,
            "array": [],
            "arrayminus": [],
            "thickness": 2.5,
            "width": 6,
        }
        fig.add_scatter(
            uid="verified results",
            x=[],
            y=[],
            mode="markers",
            name="verified in the source",
            marker={"color": OKABE_ITO["blue"], "symbol": "square", "size": 13},
            error_x={**err, "color": OKABE_ITO["blue"]},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="secondary results",
            x=[],
            y=[],
            mode="markers",
            name="secondary or approximate",
            marker={
                "color": OKABE_ITO["orange"],
                "symbol": "diamond-open",
                "size": 13,
                "line": {"width": 2.5},
            },
            error_x={**err, "color": OKABE_ITO["orange"]},
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="no estimate",
            x=[],
            y=[],
            mode="text",
            name="no point estimate",
            showlegend=False,
            textfont={"size": 12, "color": "#444"},
            textposition="middle right",
            row=1,
            col=1,
        )
        fig.add_scatter(
            uid="outcome on drug or placebo",
            x=[],
            y=[],
            mode="markers",
            name="outcome on drug or placebo",
            marker={"color": OKABE_ITO["vermillion"], "symbol": "circle", "size": 13},
            row=1,
            col=2,
        )
        fig.add_scatter(
            uid="spared by the drug",
            x=[],
            y=[],
            mode="markers",
            name="spared by the drug",
            marker={"color": OKABE_ITO["bluish_green"], "symbol": "star", "size": 16},
            row=1,
            col=2,
        )
        fig.add_scatter(
            uid="no outcome",
            x=[],
            y=[],
            mode="markers",
            name="no outcome either way",
            marker={"color": "#999", "symbol": "circle-open", "size": 12, "line": {"width": 1.5}},
            row=1,
            col=2,
        )
        fig.update_yaxes(autorange="reversed", row=1, col=1, showgrid=False)
        fig.update_xaxes(visible=False, range=[-0.8, 9.8], row=1, col=2)
        fig.update_yaxes(visible=False, range=[-0.8, 9.8], scaleanchor="x2", row=1, col=2)
        return fig

    @staticmethod
    def _forest_traces(rows: pd.DataFrame, ratio: bool, measure: str) -> tuple[dict, dict]:
        y = np.arange(len(rows), dtype=float)
        has = rows["estimate"].notna().to_numpy()
        ver = (rows["verification"] == "verified").to_numpy()
        est = rows["estimate"].to_numpy(dtype=float)
        lo = rows["ci_low"].fillna(rows["estimate"]).to_numpy(dtype=float)
        hi = rows["ci_high"].fillna(rows["estimate"]).to_numpy(dtype=float)
        traces = {}
        for key, mask in (("verified results", has & ver), ("secondary results", has & ~ver)):
            traces[key] = {
                "x": est[mask],
                "y": y[mask],
                "error_x": {"array": (hi - est)[mask], "arrayminus": (est - lo)[mask]},
                "customdata": rows.loc[mask, "result"].to_numpy(),
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        null = 1.0 if ratio else 0.0
        if has.any():
            span_lo, span_hi = np.nanmin(np.r_[lo[has], null]), np.nanmax(np.r_[hi[has], null])
        else:
            span_lo, span_hi = (0.5, 2.0) if ratio else (-1.0, 1.0)
        if ratio:
            pad = 0.15 * (math.log10(span_hi) - math.log10(span_lo) or 1)
            xrange = [math.log10(span_lo) - pad, math.log10(span_hi) + pad]
        else:
            pad = 0.15 * ((span_hi - span_lo) or 1)
            xrange = [span_lo - pad, span_hi + pad]
        left = 10 ** xrange[0] if ratio else xrange[0]  # rows without an estimate: a note at the left edge
        traces["no estimate"] = {
            "x": np.full(int((~has).sum()), left),
            "y": y[~has],
            "text": ["no estimate: see the table"] * int((~has).sum()),
        }
        layout = {
            "xaxis": {"type": "log" if ratio else "linear", "range": xrange, "title": {"text": measure}},
            "yaxis": {
                "tickmode": "array",
                "tickvals": list(y),
                "ticktext": [row_label(r) for _, r in rows.iterrows()],
                "range": [len(rows) - 0.5, -0.5],
                "autorange": False,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": null,
                    "x1": null,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#333", "width": 1.5, "dash": "dash"},
                }
            ]
            # A white band behind each "no estimate: see the table", between the gridlines and
            # the text, so no gridline runs through the words.
            + [
                {
                    "type": "rect",
                    "layer": "between",
                    # xref "x": plotly.js draws a "between" shape only on an axis, not on a
                    # domain reference (it threw "reading 'append'"); on a log axis a shape's
                    # position is in data units, as the text trace's.
                    "xref": "x",
                    "xsizemode": "pixel",
                    "xanchor": left,
                    "x0": 0,
                    "x1": NO_ESTIMATE_WIDTH_PX,
                    "yref": "y",
                    "y0": yi - 0.3,
                    "y1": yi + 0.3,
                    "fillcolor": "white",
                    "line": {"width": 0},
                }
                for yi in y[~has]
            ],
        }
        return traces, layout

    def _direction_note(self, rows: pd.DataFrame, ratio: bool) -> dict:
        lower = bool(rows["lower_is_better"].iloc[0])
        arrow = "← favours treatment" if lower else "favours treatment →"
        return {
            "text": arrow + ("   (line of no effect at 1)" if ratio else "   (line of no effect at 0)"),
            "xref": "x domain",
            "yref": "paper",
            "x": 0.5,
            "y": -0.13,
            "showarrow": False,
            "font": {"size": 12},
        }

    def _refresh(self, forest: bool = True) -> None:
        rows = self.rows
        outcome, measure = self.outcome.value
        ratio = measure in RATIO_MEASURES
        # Every update carries the whole figure's data (cached, so cheap): a view that missed an
        # earlier message is never left with half a figure.
        traces, layout = self._forest[self.outcome.value]
        traces, layout = dict(traces), dict(layout)
        row = self._featured[self.outcome.value]
        annotations = self._subplot_titles() + [self._direction_note(rows, ratio)]
        self.placebo_risk.disabled = row is None
        if row is None:
            for key in ICON_GROUPS:
                traces[key] = {"x": [], "y": []}
            annotations.append(
                {
                    "text": "NNT applies to yes/no<br>outcomes (risk difference<br>or risk ratio).",
                    "xref": "x2",
                    "yref": "y2",
                    "x": 4.5,
                    "y": 4.5,
                    "showarrow": False,
                    "font": {"size": 13},
                }
            )
        else:
            p0, p1, _ = absolute_effect(row, self.placebo_risk.value)
            either, spared, _ = icon_counts(p0, p1)
            groups = np.repeat([0, 1, 2], [either, spared, N_PEOPLE - either - spared])
            for g, key in enumerate(ICON_GROUPS):
                traces[key] = {"x": _ICON_X[groups == g], "y": _ICON_Y[groups == g]}
            comparison = row["comparison"] if len(row["comparison"]) <= 40 else row["comparison"][:38] + "…"
            annotations.append(
                {
                    "text": f"featured result:<br>{row['study']}:<br>{comparison}",
                    "xref": "x2",
                    "yref": "y2",
                    "x": 4.5,
                    "y": -1.0,
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 12},
                }
            )
        layout["annotations"] = annotations
        summary = self._heads[self.outcome.value]
        if row is not None:
            summary += describe_nnt(row, self.placebo_risk.value)
        self.plot.update(traces=traces, layout=layout, summary=summary)
        if forest:
            self.table_view.value = self._tables[self.outcome.value]

    @staticmethod
    def _subplot_titles() -> list[dict]:
        """The two panel titles (layout annotations are replaced as a whole on update)."""
        return [
            {
                "text": "Effect (95% CI)",
                "xref": "x domain",
                "yref": "paper",
                "x": 0.5,
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15},
            },
            {
                "text": f"{N_PEOPLE} people on placebo",
                "xref": "x2 domain",
                "yref": "paper",
                "x": 0.5,
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15},
            },
        ]

    @staticmethod
    def _table_html(rows: pd.DataFrame) -> str:
        head = "".join(
            f"<th style='text-align:left;padding:2px 8px'>{h}</th>"
            for h in ("Study", "Comparison", "Result", "Population", "n", "Source", "Checked")
        )
        body = ""
        for _, r in rows.iterrows():
            n = "" if pd.isna(r["n"]) else f"{int(r['n']):,}"
            cells = (
                r["study"],
                r["comparison"],
                r["result"],
                r["population"],
                n,
                r["source"],
                r["verification"],
            )
            body += (
                "<tr>"
                + "".join(
                    f"<td style='padding:2px 8px;vertical-align:top'>{html.escape(str(c))}</td>"
                    for c in cells
                )
                + "</tr>"
            )
        return f"<table style='font-size:13px;border-collapse:collapse'><tr>{head}</tr>{body}</table>"
