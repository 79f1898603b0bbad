"""The figure of a Schild report (``widgets.pharmacology.analyse_schild(...).figure()``) and the
lesson 09 panel that analyses a CSV the student uploads or names.

The science is in ``widgets.pharmacology.analyse``; this module only draws and lays out.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from ..display import theme
from ..display.table_display import scroll_box, sentences_html

# Layout of the report figure, in the figure's own pixels. The two panels are stacked, so a
# narrow notebook (or 150 % zoom) never pushes the Schild plot's tick labels into the curves
# panel's title; the legend sits in a bottom margin that holds every row (two columns of half
# the width each, yref="container"), so its row count does not depend on the width or on the
# fonts a machine has, and plotly never pulls it up onto the axis titles.
PANEL_PX = 270
GAP_PX = 120  # tick labels and axis title of the upper panel, then the lower panel's title
TOP_PX = 40
AXIS_PX = 70  # tick labels and title of the lower x axis
LEGEND_ROW_PX = 28
LEGEND_FONT_PX = 13
MIN_WIDTH_PX = 520
PREDICTION_COLOUR = "#000000"


def _logistic(x, log_ec50, bottom, top, hill):
    return bottom + (top - bottom) / (1.0 + 10.0 ** np.clip(hill * (log_ec50 - x), -300, 300))


def _control_fit(report):
    """The first usable control curve's fit (raw curves only), or None."""
    for f in getattr(report, "_fits", []):
        if f.usable and f.antagonist_M == 0 and f.x is not None and f.top is not None:
            return f
    return None


def _log_b_range(report):
    """Slider range for log10 [B]: one log unit either side of the antagonist concentrations used."""
    b = report.curves["antagonist_M"].astype(float).to_numpy()
    b = b[np.isfinite(b) & (b > 0)]
    if not b.size:
        return -10.0, -6.0
    lo, hi = np.log10(b.min()), np.log10(b.max())
    return float(np.floor(lo) - 1.0), float(np.ceil(hi) + 1.0)


def prediction(report, log_b: float):
    """What the slope-1 (Gaddum) fit predicts at antagonist concentration 10**log_b.

    Returns ``(dose_ratio, log_ec50)``, or None when pK_B is undefined.
    """
    if report.pkb is None:
        return None
    r = 1.0 + 10.0 ** (log_b + report.pkb)
    c = (report.pkb_fit or {}).get("c", report.control_log_ec50)
    return r, (None if c is None else c + np.log10(r))


# Titles of the upper panel: raw curves with their fits, or (a table of EC50s, ec50=) one point
# per EC50 at its antagonist concentration, where no curve is drawn.
CURVES_TITLE = "Concentration–response curves"
EC50_TITLE = "EC50s from the table"  # short: at 150 % zoom a longer one was cut at the edge


def _has_curves(report) -> bool:
    """True for a report of raw curves, False for a table of EC50s (no readings to draw)."""
    fits = getattr(report, "_fits", [])
    return bool(fits) and fits[0].x is not None


def _units(report) -> tuple[str, str]:
    """The units of the agonist and antagonist concentrations on the figure's axes: M, or for doses
    per body weight the agonist's own unit (mg/kg, ...) and mol/kg for the antagonist."""
    cols = [
        c
        for c in report.curves.columns
        if c.startswith("ec50_") and not c.startswith(("ec50_low", "ec50_high"))
    ]
    tag = cols[0][len("ec50_") :] if cols else "M"
    agonist = "M" if tag == "M" else tag.replace("_", "/")
    return agonist, getattr(report, "antagonist_unit", "M")


# keys (plotly uids) of the prediction's two traces
PREDICTED_CURVE, PREDICTED_POINT = "predicted curve", "predicted Schild point"


def _prediction_traces(report, log_b: float) -> tuple[dict, dict]:
    """The predicted curve (or EC50) on the upper panel and the predicted point on the Schild plot."""
    pred = prediction(report, log_b)
    if pred is None:
        return {"x": [], "y": []}, {"x": [], "y": []}
    r, log_ec50 = pred
    schild = {"x": [log_b], "y": [np.log10(r - 1.0)]}
    ctrl = _control_fit(report)
    if log_ec50 is None:
        return {"x": [], "y": []}, schild
    if ctrl is None:  # an EC50 table: the predicted EC50 at this [B]
        return {"x": [log_ec50], "y": [log_b]}, schild
    # over the concentrations tested (so the axis range stays put as the slider moves)
    logs = [np.log10(f.x[f.x > 0]) for f in report._fits if f.x is not None and (f.x > 0).any()]
    xs = np.linspace(min(v.min() for v in logs), max(v.max() for v in logs), 121)
    return {"x": xs, "y": _logistic(xs, log_ec50, ctrl.bottom, ctrl.top, ctrl.hill)}, schild


def report_figure(report, log_b: float | None = None):
    """Two stacked panels: each curve with its fit (top; for a table of EC50s, each EC50 against
    its antagonist concentration, titled ``EC50_TITLE``), the Schild plot with both fits (bottom).

    Two traces, keys ``PREDICTED_CURVE`` and ``PREDICTED_POINT``, are the slope-1 fit's prediction
    at antagonist concentration ``10**log_b`` (default: the middle of the slider's range): the
    shifted control curve (or EC50) on the top panel and its point on the Schild plot.
    """
    fits = getattr(report, "_fits", [])
    raw = _has_curves(report)
    agonist_unit, antagonist_unit = _units(report)
    # a table's control EC50 has no log [B]: it is drawn on a row of its own, whose tick says
    # "control", one log unit below the lowest [B] the prediction slider reaches
    b_pos = [np.log10(f.antagonist_M) for f in fits if f.antagonist_M > 0]
    control_row = _log_b_range(report)[0] - 1.0
    fig = make_subplots(
        rows=2,
        cols=1,
        subplot_titles=(CURVES_TITLE if raw else EC50_TITLE, "Schild plot"),
        vertical_spacing=GAP_PX / (2 * PANEL_PX + GAP_PX),
    )
    for i, f in enumerate(fits):
        style = theme.series_style(i)
        name = f"{f.curve}" + ("" if f.usable else " (left out)")
        if f.x is not None:
            pos = f.x > 0
            fig.add_scatter(
                x=np.log10(f.x[pos]),
                y=f.y[pos],
                mode="markers",
                marker=style["marker"],
                name=name,
                legendgroup=f.curve,
                row=1,
                col=1,
            )
            if f.usable and f.log_ec50 is not None and f.top is not None:
                xs = np.linspace(np.log10(f.x[pos].min()), np.log10(f.x[pos].max()), 120)
                fig.add_scatter(
                    x=xs,
                    y=_logistic(xs, f.log_ec50, f.bottom, f.top, f.hill),
                    mode="lines",
                    line=style["line"],
                    name=f"fit {f.curve}",
                    legendgroup=f.curve,
                    showlegend=False,
                    row=1,
                    col=1,
                )
        elif f.log_ec50 is not None:  # an EC50 table: mark each EC50, the control's on its own row
            control = f.antagonist_M == 0
            fig.add_scatter(
                x=[f.log_ec50],
                y=[control_row if control else np.log10(f.antagonist_M)],
                mode="markers",
                marker=style["marker"],
                name=f"{name} (control)" if control and "control" not in name.lower() else name,
                row=1,
                col=1,
            )
    fig.update_xaxes(
        title_text=f"log10 [agonist] ({agonist_unit})" if raw else f"log10 EC50 ({agonist_unit})",
        row=1,
        col=1,
    )
    fig.update_yaxes(title_text="response" if raw else f"log10 [B] ({antagonist_unit})", row=1, col=1)
    if not raw and b_pos:
        ticks = [control_row] + list(np.arange(control_row + 1, np.ceil(max(b_pos)) + 1))
        fig.update_yaxes(
            tickmode="array",
            tickvals=ticks,
            ticktext=["control"] + [f"{v:g}".replace("-", "−") for v in ticks[1:]],
            row=1,
            col=1,
        )
    pts = report.points
    if len(pts):
        for used, symbol, label in (
            # a symbol no curve uses (theme.MARKER_SYMBOLS): the control curve is a circle
            (True, "hexagon", "Schild points"),
            (False, "x-thin-open", "dropped points"),
        ):
            sel = pts[pts["used"] == used]
            sel = sel[np.isfinite(sel["log_dr_minus_1"].astype(float))]
            if len(sel):
                fig.add_scatter(
                    x=sel["log_antagonist"],
                    y=sel["log_dr_minus_1"],
                    mode="markers",
                    marker={"symbol": symbol, "size": 11, "color": theme.SERIES_COLOURS[0 if used else 1]},
                    name=label,
                    row=2,
                    col=1,
                )
        lo, hi = _log_b_range(report)  # the lines span the slider's range, as the prediction does
        xs = np.array(
            [min(lo, pts["log_antagonist"].min() - 0.3), max(hi, pts["log_antagonist"].max() + 0.3)]
        )
        if report.slope is not None and report.pa2 is not None:
            fig.add_scatter(
                x=xs,
                y=report.slope * (xs + report.pa2),
                mode="lines",
                line={"color": theme.SERIES_COLOURS[2], "dash": "solid", "width": 3},
                name="Schild regression",
                row=2,
                col=1,
            )
        if report.pkb is not None:
            fig.add_scatter(
                x=xs,
                y=xs + report.pkb,
                mode="lines",
                line={"color": theme.SERIES_COLOURS[3], "dash": "dash", "width": 3},
                name="slope 1 (pK_B fit)",
                row=2,
                col=1,
            )
    lo, hi = _log_b_range(report)
    upper, lower = _prediction_traces(report, (lo + hi) / 2 if log_b is None else log_b)
    fig.add_scatter(
        **upper,
        mode="lines" if raw else "markers",
        line={"color": PREDICTION_COLOUR, "dash": "dot", "width": 3},
        marker={"color": PREDICTION_COLOUR, "symbol": "star", "size": 14},
        name="predicted at chosen [B]",
        uid=PREDICTED_CURVE,
        legendgroup="prediction",
        row=1,
        col=1,
    )
    fig.add_scatter(
        **lower,
        mode="markers",
        marker={"color": PREDICTION_COLOUR, "symbol": "star", "size": 14},
        name="predicted at chosen [B]",
        uid=PREDICTED_POINT,
        legendgroup="prediction",
        showlegend=False,
        row=2,
        col=1,
    )
    fig.update_xaxes(title_text=f"log10 [B] ({antagonist_unit})", row=2, col=1)
    fig.update_yaxes(title_text="log10 (dose ratio − 1)", row=2, col=1)
    # Fixed ranges holding everything drawn and the prediction anywhere on the slider, so moving
    # the slider redraws only the traces (Plotly.animate), never the axes.
    extremes = [_prediction_traces(report, v) for v in (lo, hi)]
    for axis, row in (("x", 1), ("y", 1), ("x", 2), ("y", 2)):
        name = axis if row == 1 else f"{axis}2"
        values = [
            np.asarray(getattr(t, axis), dtype=float)
            for t in fig.data
            if (t.xaxis if axis == "x" else t.yaxis) == name and getattr(t, axis) is not None
        ]
        values += [np.asarray(e[row - 1][axis], dtype=float) for e in extremes]
        values = np.concatenate([v.ravel() for v in values]) if values else np.array([])
        values = values[np.isfinite(values)]
        if values.size:
            low, high = float(values.min()), float(values.max())
            pad = 0.06 * (high - low) if high > low else 0.5
            update = fig.update_xaxes if axis == "x" else fig.update_yaxes
            update(range=[low - pad, high + pad], row=row, col=1)
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    legend_px = LEGEND_ROW_PX * -(-entries // 2) + 8
    height = TOP_PX + 2 * PANEL_PX + GAP_PX + AXIS_PX + legend_px
    fig.update_layout(
        template=theme.TEMPLATE,
        height=height,
        margin={"t": TOP_PX, "b": AXIS_PX + legend_px},
        legend=theme.legend_below(
            legend_px / height,
            yref="container",
            entrywidth=0.5,
            entrywidthmode="fraction",
            traceorder="normal",  # "grouped" (plotly's default with legend groups) gives a row per group
            font={"size": LEGEND_FONT_PX},
        ),
    )
    return fig


class ReportPanel(ipw.VBox):
    """The report's figure (a :class:`widgets.display.figure_transport.LivePlot`) with its sentence, and a
    slider for an antagonist concentration: the slope-1 fit's prediction there (the shifted
    control curve and its point on the Schild plot) moves with it, and the sentence says the
    predicted dose ratio. Left/right arrows move it by 0.1 log units."""

    def __init__(self, report, log_b: float | None = None):
        from ..display.figure_transport import LivePlot

        self.report = report
        lo, hi = _log_b_range(report)
        start = round((lo + hi) / 2, 1) if log_b is None else float(np.clip(log_b, lo, hi))
        self.log_b = ipw.FloatSlider(
            value=start,
            min=lo,
            max=hi,
            step=0.1,
            readout_format=".1f",
            description="predict at log10 [B]",
            disabled=report.pkb is None,
            style={"description_width": "150px"},
            layout={"width": "460px"},
        )
        self.plot = LivePlot(
            report_figure(report, start),
            summary=self._summary(start),
            min_width=MIN_WIDTH_PX,
            description=(
                "Schild report. Top: concentration-response curves with their fits; bottom: the Schild "
                "plot with the Schild regression and the slope-1 fit; a black dotted curve and stars mark "
                "the slope-1 fit's prediction at the chosen antagonist concentration"
                if _has_curves(report)
                else "Schild report. Top: each EC50 of the table against its antagonist concentration; "
                "bottom: the Schild plot with the Schild regression and the slope-1 fit; black stars mark "
                "the slope-1 fit's prediction at the chosen antagonist concentration"
            ),
        )
        self.log_b.observe(lambda change: self._refresh(change["new"]), "value")
        super().__init__([self.log_b, self.plot])

    def _summary(self, log_b: float) -> str:
        pred = prediction(self.report, log_b)
        if pred is None:
            return report_sentence(self.report) + " No prediction: pK_B is undefined."
        r, _ = pred
        return (
            report_sentence(self.report)
            + f" At log10 [B] = {log_b:.1f}".replace("-", "−")
            + f" the slope-1 fit predicts a dose ratio of {r:.3g}"
            + f" (the curve shifted {np.log10(r):.2f} log units to the right)."
        )

    def _refresh(self, log_b: float) -> None:
        upper, lower = _prediction_traces(self.report, log_b)
        self.plot.update(
            traces={PREDICTED_CURVE: upper, PREDICTED_POINT: lower}, summary=self._summary(log_b)
        )


def report_plot(report, log_b: float | None = None) -> ReportPanel:
    """The report's live figure with its sentence and a slider for a predicted antagonist concentration."""
    return ReportPanel(report, log_b)


def report_sentence(report) -> str:
    """One sentence for screen readers and readers who skip the figure."""
    parts = []
    parts.append("pA2 undefined" if report.pa2 is None else f"pA2 {report.pa2:.2f}")
    parts.append("slope undefined" if report.slope is None else f"Schild slope {report.slope:.2f}")
    if report.pkb is None:
        parts.append("pK_B undefined")
    elif report.pkb_ci is None:
        parts.append(f"pK_B {report.pkb:.2f} (no interval)")
    else:
        parts.append(f"pK_B {report.pkb:.2f} ({report.pkb_ci[0]:.2f} to {report.pkb_ci[1]:.2f})")
    n_used = int(report.curves["used"].sum())
    return (
        f"{len(report.curves)} curves ({n_used} used): "
        + ", ".join(parts)
        + f"; {len(report.warnings)} warning(s)."
    )


def report_html(report, sentence: bool = True) -> str:
    """The results table, the curves table and the warnings as HTML (after the one-sentence
    summary unless ``sentence=False``: a figure from :func:`report_plot` already shows it)."""

    # wide tables scroll sideways in their own box rather than run past the notebook's right edge
    def scrolling(frame) -> str:
        return scroll_box(frame.to_html(index=False), frame)

    curves = scrolling(report.curves_shown())
    return (
        (f"<p>{html.escape(report_sentence(report))}</p>" if sentence else "")
        + scrolling(report.summary())
        + f"<p>Drift: {html.escape(report.drift_note)}</p>"
        + "<h4>Curves</h4>"
        + curves
        + f"<h4>Warnings</h4>{sentences_html(report.warnings, 'No warnings.')}"
    )


class ExperimentAnalyser:
    """Lesson 09's panel: upload a CSV (or type a path), see the report, its figure and warnings.

    A bad file gives a plain message in place, never a traceback. ``analyse_text(csv_text)`` and
    ``analyse_path(path)`` are what the controls call (tests call them directly).
    """

    def __init__(self, path: str = ""):
        import ipywidgets as w

        from ..display.ui import message_area

        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Upload CSV")
        self.path = w.Text(
            value=path, description="or a path", placeholder="my_experiment_template.csv (beside this lesson)"
        )
        self.units = w.Dropdown(options=["from column names", "M", "µM", "nM", "mg/kg"], description="units")
        self.molar_mass = w.FloatText(
            value=0.0, description="molar mass (g/mol)", style={"description_width": "initial"}
        )
        self.button = w.Button(description="Analyse", button_style="primary")
        self.message = message_area()
        self.out = w.VBox()
        self.report = None
        self.button.on_click(lambda _b: self.analyse_path(self.path.value))
        self.upload.observe(self._on_upload, names="value")
        # rows wrap in a narrow notebook (a trial at 900 px with the file browser open: the molar
        # mass box ran 66 px past the cell and the upload button read "Uplo...")
        wrap = w.Layout(flex_flow="row wrap", max_width="100%")  # (one layout, shared by both rows)
        self.upload.layout = w.Layout(min_width="9em", width="auto")
        self.widget = w.VBox(
            [
                w.HBox([self.upload, self.path, self.button], layout=wrap),
                w.HBox([self.units, self.molar_mass], layout=wrap),
                self.message,
                self.out,
            ]
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def _options(self):
        unit = self.units.value
        opts = {}
        if unit != "from column names":
            opts["units"] = unit
        if self.molar_mass.value and self.molar_mass.value > 0:
            opts["molar_mass"] = float(self.molar_mass.value)
        return opts

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        try:
            text = bytes(item["content"]).decode("utf-8-sig")
        except UnicodeDecodeError:
            self._fail("the file is not text (UTF-8): save it from your spreadsheet as CSV", item.get("name"))
            return
        self.analyse_text(text, name=item.get("name"))

    def analyse_text(self, text: str, name: str | None = None):
        """Analyse CSV text (an uploaded file: ``name`` is its file name, said in the messages)."""
        from ..pharmacology.analyse import read_table

        try:
            df = read_table(io.StringIO(text))
        except ValueError as err:
            return self._fail(str(err), name)
        return self._run(df, name)

    def analyse_path(self, path: str):
        from ..pharmacology.analyse import read_table

        if not path.strip():
            return self._fail("type the path of a CSV file, or upload one")
        name = Path(path.strip()).name
        try:
            df = read_table(path.strip())
        except ValueError as err:
            return self._fail(str(err), name)
        return self._run(df, name)

    def _run(self, df, name: str | None = None):
        from ..pharmacology.analyse import analyse_file

        try:
            self.report = analyse_file(df, **self._options())
        except ValueError as err:
            return self._fail(str(err), name)
        # which file the report below is about (a class uploads many)
        self.message.value = f"<p>Results for <b>{html.escape(name)}</b>:</p>" if name else ""
        # The report goes into a Box, not an Output widget: the Box's static face holds the
        # figure for pages without live widgets, and running the lesson outside a browser
        # (nbclient, book/build.py) need not capture outputs into a widget.
        self.out.children = [report_plot(self.report), ipw.HTML(report_html(self.report, sentence=False))]
        return self.report

    def _fail(self, text: str, name: str | None = None):
        from ..display.ui import alert_html

        self.report = None
        self.out.children = []
        what = f"the file {name}" if name else "this file"
        self.message.value = alert_html(f"Could not analyse {what}: {text}")
        return None


# -- command line: the report of a CSV without Jupyter ------------------------------------------
def main(argv=None) -> int:
    """``python -m widgets.lesson_widgets.schild_report my_data.csv [--html out.html]``: the report's
    table and warnings printed, and its figure written to an HTML file that reads offline."""
    import argparse

    from ..pharmacology.analyse import UNITS, analyse_file

    parser = argparse.ArgumentParser(
        prog="python -m widgets.lesson_widgets.schild_report",
        description="Schild analysis of your own concentration-response curves or EC50 table (CSV).",
    )
    parser.add_argument(
        "csv", help="CSV with columns curve, agonist_M, response, antagonist_M (or ec50_M, antagonist_M)"
    )
    parser.add_argument("--html", help="write the figure to this HTML file")
    parser.add_argument("--units", help=f"unit of the concentration columns: {', '.join(UNITS)}")
    parser.add_argument("--molar-mass", type=float, help="g/mol, for mass units such as mg/kg")
    parser.add_argument("--direction", default="auto", choices=["auto", "rising", "falling"])
    parser.add_argument("--hill-one", action="store_true", help="fix every curve's Hill slope at 1")
    args = parser.parse_args(argv)
    try:
        report = analyse_file(
            args.csv,
            units=args.units,
            molar_mass=args.molar_mass,
            direction=args.direction,
            hill=1 if args.hill_one else "free",
        )
    except ValueError as err:
        print(f"error: {err}")
        return 2
    print(report.text())
    if args.html:
        report_figure(report).write_html(args.html, include_plotlyjs=True)
        print(f"\nFigure written to {args.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
