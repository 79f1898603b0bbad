"""The figure of a Schild report (``widgets.pharmacology.analyse_schild(...).figure()``) and the
lesson 09 panel that analyses a CSV the student uploads or names.

The science is in ``widgets.pharmacology.analyse``; this module only draws and lays out.
"""

from __future__ import annotations

import html
import io

import numpy as np
from plotly.subplots import make_subplots

from . import theme


def _logistic(x, log_ec50, bottom, top, hill):
    return bottom + (top - bottom) / (1.0 + 10.0 ** np.clip(hill * (log_ec50 - x), -300, 300))


def report_figure(report):
    """Two panels: each curve with its fit (left), the Schild plot with both fits (right)."""
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Concentration–response curves", "Schild plot"),
        horizontal_spacing=0.14,
    )
    fig.update_layout(template=theme.TEMPLATE, height=460, legend=theme.legend_below(-0.22))
    fits = getattr(report, "_fits", [])
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
        elif f.log_ec50 is not None:  # an EC50 table: mark each EC50
            fig.add_scatter(
                x=[f.log_ec50],
                y=[np.log10(f.antagonist_M) if f.antagonist_M > 0 else None],
                mode="markers",
                marker=style["marker"],
                name=name,
                row=1,
                col=1,
            )
    fig.update_xaxes(title_text="log10 [agonist] (M)", row=1, col=1)
    fig.update_yaxes(title_text="response" if fits and fits[0].x is not None else "log10 [B]", row=1, col=1)
    pts = report.points
    if len(pts):
        for used, symbol, label in (
            (True, "circle", "Schild points"),
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
                    row=1,
                    col=2,
                )
        xs = np.array([pts["log_antagonist"].min() - 0.3, pts["log_antagonist"].max() + 0.3])
        if report.slope is not None and report.pa2 is not None:
            fig.add_scatter(
                x=xs,
                y=report.slope * (xs + report.pa2),
                mode="lines",
                line={"color": theme.SERIES_COLOURS[2], "dash": "solid", "width": 3},
                name=f"Schild regression (slope {report.slope:.2f}, pA2 {report.pa2:.2f})",
                row=1,
                col=2,
            )
        if report.pkb is not None:
            fig.add_scatter(
                x=xs,
                y=xs + report.pkb,
                mode="lines",
                line={"color": theme.SERIES_COLOURS[3], "dash": "dash", "width": 3},
                name=f"slope 1 (pK_B {report.pkb:.2f})",
                row=1,
                col=2,
            )
    fig.update_xaxes(title_text="log10 [B] (M)", row=1, col=2)
    fig.update_yaxes(title_text="log10 (dose ratio − 1)", row=1, col=2)
    return fig


def report_plot(report):
    """The report's figure as a :class:`widgets.figure_transport.LivePlot`, with its sentence."""
    from .figure_transport import LivePlot

    return LivePlot(
        report_figure(report),
        summary=report_sentence(report),
        description="Schild report: concentration-response curves with their fits, and the Schild plot",
    )


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


def report_html(report) -> str:
    """The results table, the curves table and the warnings as HTML."""
    warn = "".join(f"<li>{html.escape(w)}</li>" for w in report.warnings) or "<li>No warnings.</li>"
    curves = report.curves.to_html(index=False, float_format=lambda v: f"{v:.3g}", na_rep="undefined")
    return (
        f"<p>{html.escape(report_sentence(report))}</p>"
        + report.summary().to_html(index=False)
        + f"<p>Drift: {html.escape(report.drift_note)}</p>"
        + "<h4>Curves</h4>"
        + curves
        + f"<h4>Warnings</h4><ul>{warn}</ul>"
    )


class ExperimentAnalyser:
    """Lesson 09's panel: upload a CSV (or type a path), see the report, its figure and warnings.

    A bad file gives a plain message in place, never a traceback. ``analyse_text(csv_text)`` and
    ``analyse_path(path)`` are what the controls call (tests call them directly).
    """

    def __init__(self, path: str = ""):
        import ipywidgets as w

        from .ui import message_area

        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Upload CSV")
        self.path = w.Text(
            value=path, description="or a path", placeholder="lessons/my_experiment_template.csv"
        )
        self.units = w.Dropdown(options=["from column names", "M", "µM", "nM", "mg/kg"], description="units")
        self.molar_mass = w.FloatText(value=0.0, description="molar mass (g/mol)")
        self.button = w.Button(description="Analyse", button_style="primary")
        self.message = message_area()
        self.out = w.Output()
        self.report = None
        self.button.on_click(lambda _b: self.analyse_path(self.path.value))
        self.upload.observe(self._on_upload, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.upload, self.path, self.button]),
                w.HBox([self.units, self.molar_mass]),
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
            self._fail("the file is not text (UTF-8): save it from your spreadsheet as CSV")
            return
        self.analyse_text(text)

    def analyse_text(self, text: str):
        import pandas as pd

        try:
            df = pd.read_csv(io.StringIO(text), comment="#")
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            return self._fail(f"this is not a readable CSV file ({err})")
        return self._run(df)

    def analyse_path(self, path: str):
        from .pharmacology.analyse import read_table

        if not path.strip():
            return self._fail("type the path of a CSV file, or upload one")
        try:
            df = read_table(path.strip())
        except ValueError as err:
            return self._fail(str(err))
        return self._run(df)

    def _run(self, df):
        from IPython.display import HTML, display

        from .pharmacology.analyse import analyse_file

        try:
            self.report = analyse_file(df, **self._options())
        except ValueError as err:
            return self._fail(str(err))
        self.message.value = ""
        self.out.clear_output()
        with self.out:
            display(report_plot(self.report))
            display(HTML(report_html(self.report)))
        return self.report

    def _fail(self, text: str):
        from .ui import alert_html

        self.report = None
        self.out.clear_output()
        self.message.value = alert_html(f"Could not analyse this file: {text}")
        return None
