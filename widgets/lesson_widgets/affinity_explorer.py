"""Lesson 01's affinity explorer: Ki ranges at MOR, DOR and KOR, selectivity and occupancy.

The compute functions at the top read data/ and do the arithmetic; the class below only
displays. Tests drive the class headless and check the numbers it draws against these
functions and against the data files.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.affinities import RECEPTORS, LigandProfile, ligand_profile, ligands
from ..data_access.data_tables import reference_label
from ..data_access.units import format_molar, plain_number
from ..display.concentration_control import ConcentrationControl
from ..display.figure_transport import LivePlot
from ..display.theme import LINE_DASHES, MARKER_SYMBOLS, RECEPTOR_COLOURS, TEMPLATE, legend_below
from ..display.ui import alert_html, in_sentence, message_area

CONC_GRID_M = np.logspace(-12.5, -4.5, 161)
X_RANGE_LOG_NM = (-3.5, 4.5)  # the shared concentration / Ki axis, log10 nM
RECEPTOR_OFFSET = {"MOR": 0.25, "DOR": 0.0, "KOR": -0.25}  # rows within one ligand's band
RECEPTOR_SYMBOL = {"MOR": MARKER_SYMBOLS[0], "DOR": MARKER_SYMBOLS[1], "KOR": MARKER_SYMBOLS[2]}
RECEPTOR_DASH = {"MOR": LINE_DASHES[0], "DOR": LINE_DASHES[1], "KOR": LINE_DASHES[2]}
DEFAULT_SHOWN = (
    "naltrexone",
    "6beta_naltrexol",
    "naloxone",
    "buprenorphine",
    "morphine",
    "beta_endorphin",
    "met_enkephalin",
    "dynorphin_a",
)
SIMILAR, SIMILAR_IF_OVERLAP, MUCH_GREATER = 2.0, 5.0, 20.0  # thresholds of selectivity_pattern


def selectivity_ratios(profile: LigandProfile) -> dict:
    """Typical Ki at each receptor divided by the Ki at the ligand's best receptor (>= 1)."""
    best = min(profile.ki_nM.values())
    return {r: profile.ki_nM[r] / best for r in RECEPTORS}


def selectivity_pattern(profile: LigandProfile) -> str:
    """The receptors from tightest to weakest binding, e.g. 'MOR ≈ KOR ≫ DOR'.

    Between neighbours, with ratio = typical Ki of the weaker / typical Ki of the tighter:
    '≈' when the ratio is below 2, or below 5 and the published ranges overlap (the data
    cannot separate them); '≫' when it is 20 or more; '>' otherwise.
    """
    order = sorted(RECEPTORS, key=lambda r: profile.ki_nM[r])
    text = order[0]
    for tighter, weaker in zip(order, order[1:]):
        ratio = profile.ki_nM[weaker] / profile.ki_nM[tighter]
        overlap = profile.range_nM[weaker][0] <= profile.range_nM[tighter][1]
        if ratio < SIMILAR or (ratio < SIMILAR_IF_OVERLAP and overlap):
            sign = "≈"
        elif ratio >= MUCH_GREATER:
            sign = "≫"
        else:
            sign = ">"
        text += f" {sign} {weaker}"
    return text


def occupancy_at(profile: LigandProfile, conc_M: float) -> dict:
    """Fraction of each receptor occupied at ``conc_M``: (typical, lowest, highest).

    Lowest uses the highest Ki in the data, highest the lowest Ki, so the spread shows how
    much the published values matter. Mass action, one site, no competing ligand.
    """
    kis = (
        np.array([[profile.ki_nM[r], profile.range_nM[r][1], profile.range_nM[r][0]] for r in RECEPTORS])
        * 1e-9
    )  # one vectorised call: typical, lowest, highest
    occ = ph.occupancy(conc_M, kis)
    return {r: tuple(float(v) for v in occ[i]) for i, r in enumerate(RECEPTORS)}


def ratio_text(profile: LigandProfile) -> str:
    """Selectivity ratios in the order of :func:`selectivity_pattern`, e.g. '1 : 4.5 : 173'."""
    ratios = selectivity_ratios(profile)
    return " : ".join(plain_number(ratios[r], 2) for r in sorted(RECEPTORS, key=lambda r: profile.ki_nM[r]))


def describe(profile: LigandProfile, conc_M: float, n_shown: int) -> str:
    """One-sentence summary of what the figure shows (for screen readers and readers)."""
    occ = occupancy_at(profile, conc_M)
    order = sorted(RECEPTORS, key=lambda r: profile.ki_nM[r])
    parts = [f"{occ[r][0]:.0%} of {r}" for r in order]
    ratios = selectivity_ratios(profile)
    best, others = order[0], order[1:]
    ratio_text = " and ".join(f"{plain_number(ratios[r], 2)}-fold more tightly than {r}" for r in others)
    return (
        f"At {format_molar(conc_M)}, {in_sentence(profile.name)} ({profile.principal_action}) would occupy about "
        f"{', '.join(parts[:-1])} and {parts[-1]}. Pattern {selectivity_pattern(profile)}: by typical "
        f"Ki it binds {best} {ratio_text}. {n_shown} ligand{'s' if n_shown != 1 else ''} shown."
    )


def _fmt_nM(x: float) -> str:
    return format_molar(x * 1e-9)


def _range_text(lo: float, hi: float) -> str:
    return _fmt_nM(lo) if lo == hi else f"{_fmt_nM(lo)} – {_fmt_nM(hi)}"


_TABLE_CSS = (
    "<style>.ol-table{border-collapse:collapse;margin:8px 0;font-size:13px}"
    ".ol-table caption{text-align:left;font-weight:bold;padding:4px 0}"
    ".ol-table th,.ol-table td{border:1px solid #ccc;padding:2px 6px;text-align:left}</style>"
)


class AffinityExplorer(ipw.VBox):
    """Ki ranges of opioid ligands at MOR, DOR and KOR, with occupancy at a chosen concentration.

    Parameters
    ----------
    shown : sequence of str
        Ligand keys (data/ligands.csv) drawn in the Ki chart.
    focus : str
        Ligand whose occupancy curves and sources are shown.
    concentration_M : float
        Initial concentration, molar (1 pM to 10 µM).
    """

    CONC_MIN_LOG, CONC_MAX_LOG = -12, -5

    def __init__(self, shown=DEFAULT_SHOWN, focus: str = "naltrexone", concentration_M: float = 1e-9):
        table = ligands()
        self._profiles = {key: ligand_profile(key) for key in table.index}
        self._segments = self._hover_segments(self._profiles)
        # Constant per ligand, computed once so a slider move only redoes the occupancy.
        self._keys = list(self._profiles)
        self._typical_M = (
            np.array([[self._profiles[k].ki_nM[r] for r in RECEPTORS] for k in self._keys]) * 1e-9
        )
        self._row_text = {}
        for k, prof in self._profiles.items():
            action = prof.principal_action + (
                "" if prof.action_at_mor == "negligible" else f"; at MOR: {prof.action_at_mor}"
            )
            self._row_text[k] = (
                f"<tr><td>{html.escape(prof.name)}</td><td>{html.escape(action)}</td>"
                + "".join(f"<td>{plain_number(prof.ki_nM[r])}</td>" for r in RECEPTORS)
                + f"<td>{selectivity_pattern(prof)} ({ratio_text(prof)})</td>"
            )
        unknown = [s for s in list(shown) + [focus] if s not in self._profiles]
        if unknown:
            raise ValueError(f"ligand must be one of {sorted(self._profiles)}, got {unknown[0]!r}")
        lo, hi = 10.0**self.CONC_MIN_LOG, 10.0**self.CONC_MAX_LOG
        if not (isinstance(concentration_M, (int, float)) and lo <= concentration_M <= hi):
            raise ValueError(f"concentration_M must be between {lo:g} and {hi:g} M, got {concentration_M!r}")

        wide = {"description_width": "150px"}
        self.message = message_area()
        self.concentration_control = ConcentrationControl.log_slider(
            "Concentration",
            concentration_M,
            self.CONC_MIN_LOG,
            self.CONC_MAX_LOG,
            self.message,
            on_change=lambda _: self._refresh(chart=False),
            style=wide,
            width="460px",
            box_width="340px",
        )
        self.concentration = self.concentration_control.slider
        self.concentration_label = self.concentration_control.label
        self.typed_concentration = self.concentration_control.box
        order = sorted(
            self._profiles, key=lambda k: (self._profiles[k].principal_action, self._profiles[k].name)
        )
        self.focus = ipw.Dropdown(
            description="Occupancy for",
            value=focus,
            style=wide,
            layout={"width": "460px"},
            options=[(self._profiles[k].label, k) for k in order],
        )
        self.checks = {}
        for key in order:
            box = ipw.Checkbox(
                value=key in shown,
                description=self._profiles[key].label,
                indent=False,
                layout={"width": "auto"},
            )
            box.observe(self._on_shown, "value")
            self.checks[key] = box
        picker = ipw.GridBox(
            list(self.checks.values()),
            layout={
                "grid_template_columns": "repeat(3, minmax(0, 1fr))",
                "grid_gap": "0 12px",
                "width": "100%",
            },
        )
        self.selectivity_table = ipw.HTML()
        self.sources_table = ipw.HTML()
        self.plot = LivePlot(
            self._initial_figure(),
            description=(
                "Top: published Ki ranges of the chosen ligands at the mu, delta and kappa receptors on a "
                "log axis, with a vertical line at the chosen concentration. Bottom: occupancy of each "
                "receptor by the focus ligand against concentration."
            ),
        )

        self.focus.observe(lambda _: self._refresh(chart=True, focus=True), "value")

        super().__init__(
            [
                self.concentration_control.row,
                self.typed_concentration,
                self.message,
                self.focus,
                ipw.HTML("<b>Ligands in the Ki chart</b> (Tab to a box, Space to tick or untick)"),
                picker,
                self.plot,
                self.selectivity_table,
                self.sources_table,
            ],
            layout={"width": "100%"},
        )
        self._refresh(chart=True, focus=True)

    # -- state --------------------------------------------------------------------------
    @property
    def shown(self) -> list[str]:
        """Ligand keys drawn in the Ki chart, top to bottom."""
        return [k for k, box in self.checks.items() if box.value]

    @property
    def profile(self) -> LigandProfile:
        """The focus ligand's profile."""
        return self._profiles[self.focus.value]

    # -- events -------------------------------------------------------------------------
    def _on_shown(self, _change) -> None:
        if not self.shown:
            self._show_message("Tick at least one ligand to draw its Ki ranges.")
        else:
            self._show_message("")
        self._refresh(chart=True)

    def _show_message(self, text: str) -> None:
        self.message.value = alert_html(text)

    # -- display ------------------------------------------------------------------------
    def _initial_figure(self):
        fig = make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            row_heights=[0.66, 0.34],
            vertical_spacing=0.13,
            subplot_titles=(
                "Ki ranges: solid = read in a source, dotted = approximate",
                "Occupancy by the focus ligand",
            ),
        )
        # The long first title ends at the plot's right edge and runs left over the names' margin.
        fig.layout.annotations[0].update(x=1.0, xanchor="right")
        fig.update_layout(
            template=TEMPLATE,
            height=640,
            margin={"l": 236, "r": 20, "t": 40, "b": 90},
            legend=legend_below(-0.16, x=0),
            hovermode="closest",
        )
        for quality, (width, dash_style) in (("measured", (5, "solid")), ("approximate", (2.5, "dot"))):
            for r in RECEPTORS:
                fig.add_scatter(
                    x=[],
                    y=[],
                    mode="lines+markers",
                    name=f"{r} range ({quality})",
                    uid=f"{r} Ki range {quality}",
                    showlegend=False,
                    hoverinfo="text",
                    line={"color": RECEPTOR_COLOURS[r], "width": width, "dash": dash_style},
                    marker={
                        "symbol": "line-ns-open",
                        "size": 12 if quality == "measured" else 8,
                        "line": {"color": RECEPTOR_COLOURS[r], "width": 2.5},
                    },
                    row=1,
                    col=1,
                )
        for r in RECEPTORS:
            fig.add_scatter(
                x=[],
                y=[],
                mode="markers",
                name=r,
                uid=f"{r} typical Ki",
                hoverinfo="text",
                marker={
                    "color": RECEPTOR_COLOURS[r],
                    "symbol": RECEPTOR_SYMBOL[r],
                    "size": 11,
                    "line": {"color": "white", "width": 1},
                },
                row=1,
                col=1,
            )
        fig.add_scatter(
            x=[],
            y=[],
            mode="lines",
            name="chosen concentration",
            uid="Ki chart concentration",
            hoverinfo="skip",
            line={"color": "#333", "width": 1.5},
            row=1,
            col=1,
        )
        for r in RECEPTORS:
            fig.add_scatter(
                x=CONC_GRID_M * 1e9,
                y=np.zeros_like(CONC_GRID_M),
                mode="lines",
                showlegend=False,
                name=f"{r} occupancy",
                uid=f"{r} occupancy",
                line={"color": RECEPTOR_COLOURS[r], "dash": RECEPTOR_DASH[r], "width": 3},
                row=2,
                col=1,
            )
        for r in RECEPTORS:
            fig.add_scatter(
                x=[1.0],
                y=[0.0],
                mode="markers",
                showlegend=False,
                name=f"{r} occupancy now",
                uid=f"{r} occupancy now",
                marker={
                    "color": RECEPTOR_COLOURS[r],
                    "symbol": RECEPTOR_SYMBOL[r],
                    "size": 12,
                    "line": {"color": "white", "width": 1},
                },
                row=2,
                col=1,
            )
        fig.add_scatter(
            x=[1.0, 1.0],
            y=[0, 100],
            mode="lines",
            uid="occupancy concentration",
            showlegend=False,
            hoverinfo="skip",
            line={"color": "#333", "width": 1.5},
            row=2,
            col=1,
        )
        fig.update_xaxes(
            type="log", range=list(X_RANGE_LOG_NM), exponentformat="power", showticklabels=True, row=1, col=1
        )
        fig.update_xaxes(
            type="log",
            range=list(X_RANGE_LOG_NM),
            exponentformat="power",
            title_text="Ki or concentration (nM, log)",
            row=2,
            col=1,
        )
        fig.update_yaxes(title_text="% occupied", range=[-4, 104], row=2, col=1)
        # 13 px names: the longest, the focus ligand's in bold ("Buprenorphine (partial agonist)"),
        # is about 225 px in DejaVu Sans (205 px in Liberation Sans) and fits the 236 px margin (at the
        # theme's 15 px it was cut at the left); a wider margin leaves the plot under 85 % of the width
        # at 150 % zoom where "Arial" is Liberation Sans (tests/browser/test_figure_layout.py).
        fig.update_yaxes(showgrid=False, tickfont={"size": 13}, row=1, col=1)
        return fig

    @staticmethod
    def _hover_segments(profiles: dict) -> dict:
        """(ligand, receptor) -> [(quality, x_low, x_high, hover text)], computed once."""
        labels = {}
        out = {}
        for key, prof in profiles.items():
            records = prof.rows.to_dict("records")
            for r in RECEPTORS:
                out[(key, r)] = []
                for row in (rec for rec in records if rec["receptor"] == r):
                    quality = "approximate" if row["verification"] == "approximate" else "measured"
                    lo, hi = row["ki_low_nM"], row["ki_high_nM"]
                    if lo == hi:  # a single value: a short tick so it stays visible
                        lo, hi = lo / 1.12, hi * 1.12
                    if row["source"] not in labels:
                        labels[row["source"]] = reference_label(row["source"])
                    text = (
                        f"{prof.name} at {r}: {_range_text(row['ki_low_nM'], row['ki_high_nM'])} "
                        f"({row['measure']}; {row['species']}; {labels[row['source']]}, "
                        f"{row['verification']})"
                    )
                    out[(key, r)].append((quality, lo, hi, text))
        return out

    def _chart_traces(self) -> tuple[dict, dict]:
        """Trace and y-axis updates for the Ki chart of the ligands shown."""
        shown = self.shown
        n = len(shown)
        segs = {(q, r): ([], [], []) for q in ("measured", "approximate") for r in RECEPTORS}
        marks = {r: ([], [], []) for r in RECEPTORS}
        for i, key in enumerate(shown):
            prof = self._profiles[key]
            y0 = n - 1 - i  # first ligand at the top
            for r in RECEPTORS:
                y = y0 + RECEPTOR_OFFSET[r]
                for quality, lo, hi, text in self._segments[(key, r)]:
                    xs, ys, hs = segs[(quality, r)]
                    xs += [lo, hi, math.nan]
                    ys += [y, y, math.nan]
                    hs += [text, text, ""]
                mx, my, mh = marks[r]
                mx.append(prof.ki_nM[r])
                my.append(y)
                mh.append(f"{prof.name} at {r}: typical Ki {_fmt_nM(prof.ki_nM[r])}")
        traces = {}
        for (quality, r), (xs, ys, hs) in segs.items():
            traces[f"{r} Ki range {quality}"] = {
                "x": np.array(xs, dtype=float),
                "y": np.array(ys, dtype=float),
                "hovertext": hs,
            }
        for r in RECEPTORS:
            mx, my, mh = marks[r]
            traces[f"{r} typical Ki"] = {
                "x": np.array(mx, dtype=float),
                "y": np.array(my, dtype=float),
                "hovertext": mh,
            }
        ticks = [
            f"<b>{self._profiles[k].label}</b>" if k == self.focus.value else self._profiles[k].label
            for k in shown
        ]  # the focus ligand in bold
        yaxis = {"tickvals": list(range(n - 1, -1, -1)), "ticktext": ticks, "range": [-0.6, max(n, 1) - 0.4]}
        return traces, yaxis

    def _refresh(self, chart: bool, focus: bool = False) -> None:
        conc = self.concentration.value
        prof = self.profile
        occ = occupancy_at(prof, conc)
        x_now = conc * 1e9
        self.concentration_label.value = f"<b>{format_molar(conc)}</b>"
        n = max(len(self.shown), 1)
        traces = {
            "Ki chart concentration": {"x": np.array([x_now, x_now]), "y": np.array([-0.6, n - 0.4])},
            "occupancy concentration": {"x": np.array([x_now, x_now])},
        }
        for r in RECEPTORS:
            traces[f"{r} occupancy now"] = {"x": np.array([x_now]), "y": np.array([100 * occ[r][0]])}
        layout = {}
        if chart:
            chart_traces, yaxis = self._chart_traces()
            traces.update(chart_traces)
            layout["yaxis"] = yaxis
            layout["height"] = 420 + 30 * n
        if focus:
            for r in RECEPTORS:
                traces[f"{r} occupancy"] = {
                    "y": 100 * ph.occupancy(CONC_GRID_M, prof.ki_nM[r] * 1e-9),
                    "name": f"{prof.name} at {r}",
                }
            self.sources_table.value = self._sources_html(prof)
        self.selectivity_table.value = self._selectivity_html(conc)
        self.plot.update(traces=traces, layout=layout or None, summary=describe(prof, conc, len(self.shown)))

    def _selectivity_html(self, conc_M: float) -> str:
        head = (
            _TABLE_CSS + "<table class='ol-table'><caption>Typical Ki (nM), selectivity and occupancy at "
            f"{html.escape(format_molar(conc_M))}</caption><tr><th>Ligand</th><th>Action</th>"
            + "".join(f"<th>Ki {r}</th>" for r in RECEPTORS)
            + "<th>Selectivity (Ki ÷ lowest Ki, same order)</th>"
            + "".join(f"<th>% {r}</th>" for r in RECEPTORS)
            + "</tr>"
        )
        keys = self.shown if self.focus.value in self.shown else [self.focus.value, *self.shown]
        occ = ph.occupancy(conc_M, self._typical_M)  # every ligand x receptor in one call
        index = {k: i for i, k in enumerate(self._keys)}
        body = [
            self._row_text[k] + "".join(f"<td>{100 * p:.0f}</td>" for p in occ[index[k]]) + "</tr>"
            for k in keys
        ]
        return head + "".join(body) + "</table>"

    @staticmethod
    def _sources_html(prof: LigandProfile) -> str:
        rows = "".join(
            f"<tr><td>{r['receptor']}</td><td>{html.escape(_range_text(r['ki_low_nM'], r['ki_high_nM']))}</td>"
            f"<td>{html.escape(r['measure'])}</td><td>{html.escape(r['species'])}</td>"
            f"<td>{html.escape(r['assay'])}</td><td>{html.escape(reference_label(r['source']))}</td>"
            f"<td>{html.escape(r['verification'])}</td></tr>"
            for _, r in prof.rows.sort_values(["receptor", "ki_low_nM"]).iterrows()
        )
        return (
            _TABLE_CSS + "<table class='ol-table'><caption>Sources for "
            f"{html.escape(prof.name)} (data/ligand_affinities.csv)</caption><tr><th>Receptor</th>"
            "<th>Range</th><th>Measure</th><th>Species / tissue</th><th>Assay</th><th>Source</th>"
            "<th>Verification</th></tr>" + rows + "</table>"
        )
