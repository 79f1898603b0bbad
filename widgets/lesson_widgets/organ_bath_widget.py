"""Lesson 03's virtual organ bath: build concentration–response curves, then a Schild plot.

The tissue (guinea-pig ileum twitch inhibited by morphine), the analysis (Hill fits, dose
ratios, Schild regression) and the bath's doses and drugs (``DOSES_M``, ``drug_model``,
``hidden_antagonist``, with constants from data/organ_bath_parameters.csv) live in
:mod:`widgets.pharmacology.organ_bath`. This class only runs the bench and displays it, so tests
can drive it headless: press its buttons with ``.click()`` and set its controls' values.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field

import ipywidgets as ipw
import numpy as np
from plotly.subplots import make_subplots

from .. import pharmacology as ph
from ..data_access.units import format_molar, parse_concentration
from ..display.concentration_control import ConcentrationControl
from ..display.figure_transport import LivePlot
from ..display.theme import OKABE_ITO, TEMPLATE, legend_below, series_style
from ..display.ui import alert_html, message_area
from ..pharmacology.organ_bath import DOSES_M, bath_parameters, drug_model, hidden_antagonist

ANTAGONIST_STEPS_M = [0.0, 1e-10, 3e-10, 1e-9, 3e-9, 1e-8, 3e-8, 1e-7, 3e-7, 1e-6]  # 0, then 1-3-10 steps
MAX_CURVES = 8
MIN_CLEAR_RESPONSE = 15.0  # % inhibition: below this a curve is not fitted (about 4 noise SDs)
BASELINE_TWITCHES, TWITCHES_PER_DOSE, TWITCH_INTERVAL_MIN = 9, 6, 1 / 3
DRUG_LABELS = {
    "naloxone": "Naloxone (competitive)",
    "naltrexone": "Naltrexone (competitive)",
    "nalmefene": "Nalmefene (competitive)",
    "6beta_naltrexol": "6β-Naltrexol (competitive)",
    "buprenorphine": "Buprenorphine (partial agonist)",
    "beta_chlornaltrexamine": "β-Chlornaltrexamine (irreversible)",
    "unknown": "Unknown antagonist (set by your name or ID)",
}
SHORT_NAMES = {"6beta_naltrexol": "6β-naltrexol", "beta_chlornaltrexamine": "β-CNA", "unknown": "the unknown"}


@dataclass
class Curve:
    """One concentration–response curve in the bath (the agonist doses given so far)."""

    antagonist_M: float
    planned: np.ndarray  # % inhibition at every dose of DOSES_M, drawn when the curve starts
    twitch_jitter: np.ndarray
    baseline: np.ndarray
    n_given: int = 0
    fit: object = field(default=None)

    @property
    def doses(self) -> np.ndarray:
        return DOSES_M[: self.n_given]

    @property
    def responses(self) -> np.ndarray:
        return self.planned[: self.n_given]


@dataclass(frozen=True)
class Analysis:
    """What "Fit and Schild" found: fits per curve, dose ratios, the Schild regression (the
    student's plot) and the global fit of the counted curves (the headline pK_B)."""

    fits: list  # HillFit or an error text, one per curve
    control_index: int | None
    ratio_b: np.ndarray
    ratios: np.ndarray
    schild: object  # SchildResult or None
    problems: list
    counted: tuple = ()  # indices of the curves the Schild plot and the global fit use
    global_fit: object = None  # GlobalSchildFit or None
    mechanism: str = "competitive"


def analyse(curves: list[Curve], mechanism: str = "competitive", drift_sd: float = 0.0) -> Analysis:
    """Fit every curve, take dose ratios against the first control curve, fit the Schild plot,
    and fit the counted curves all at once (``ph.global_schild_fit``, drift SD ``drift_sd``).

    The curves that count are the fitted control curves and the antagonist curves with a dose
    ratio above 1. An irreversible antagonist gets no Schild plot and no global fit (it lowers
    the maximum, so a dose ratio does not measure a K_B); a partial agonist gets the Schild plot
    but no global fit (it raises the floor, which the global model does not allow).
    Problems (too few points, no half-maximal response, fewer than 2 antagonist
    concentrations ...) are collected as sentences, never raised.
    """
    partial = mechanism == "partial"
    fits, problems = [], []
    for i, c in enumerate(curves):
        bottom = None if (partial and c.antagonist_M > 0) else 0.0
        if c.n_given and c.responses.max() < MIN_CLEAR_RESPONSE:
            text = (
                f"no clear response yet (largest inhibition {c.responses.max():.0f} %, within the noise): "
                "give higher doses before fitting"
            )
            fits.append(text)
            problems.append(f"Curve {i + 1} ({_b_label(c.antagonist_M)}): {text}.")
            continue
        try:
            fits.append(ph.fit_hill(c.doses, c.responses, bottom=bottom))
        except ValueError as err:
            fits.append(str(err))
            problems.append(f"Curve {i + 1} ({_b_label(c.antagonist_M)}): {err}.")
    controls = [i for i, c in enumerate(curves) if c.antagonist_M == 0 and not isinstance(fits[i], str)]
    ratio_b, ratios, with_ratio = [], [], []
    control = controls[0] if controls else None
    if control is None:
        problems.append(
            "No fitted control curve (no antagonist): run one first, since every dose ratio "
            "is measured against it."
        )
    else:
        for i, c in enumerate(curves):
            if c.antagonist_M == 0 or isinstance(fits[i], str):
                continue
            try:
                r = ph.fitted_dose_ratio(fits[control], fits[i])
            except ValueError as err:
                problems.append(f"Curve {i + 1} ({_b_label(c.antagonist_M)}): {err}.")
                continue
            if r <= 1:
                problems.append(
                    f"Curve {i + 1} ({_b_label(c.antagonist_M)}): dose ratio {r:.2f} is not above 1, "
                    "so it has no place on a Schild plot (use more antagonist)."
                )
                continue
            ratio_b.append(c.antagonist_M)
            ratios.append(r)
            with_ratio.append(i)
    counted = tuple(i for i, c in enumerate(curves) if c.antagonist_M == 0 and not isinstance(fits[i], str))
    counted = tuple(sorted(counted + tuple(with_ratio))) if control is not None else ()
    schild = global_fit = None
    if mechanism == "irreversible":
        counted = ()  # no Schild plot at all, so no curve counts for one
        if any(c.antagonist_M > 0 for c in curves):
            problems.append(IRREVERSIBLE_NO_SCHILD)
    elif control is not None and len(set(ratio_b)) < 2:
        problems.append(_too_few_sentence(curves, counted))
    elif ratios:
        try:
            schild = ph.schild_fit(ratio_b, ratios)
        except ValueError as err:
            problems.append(f"Schild plot: {err}.")
        if not partial:
            try:
                global_fit = ph.global_schild_fit(
                    [(curves[i].doses, curves[i].responses) for i in counted],
                    [curves[i].antagonist_M for i in counted],
                    drift_sd,
                )
            except ValueError as err:
                problems.append(f"Global fit: {err}.")
    return Analysis(
        fits, control, np.array(ratio_b), np.array(ratios), schild, problems, counted, global_fit, mechanism
    )


IRREVERSIBLE_NO_SCHILD = (
    "No Schild plot for an irreversible antagonist: β-CNA removes receptors, so its curves are not "
    "parallel shifts with the control's maximum but flatter curves with a lower maximum (and at high "
    "concentrations no dose of morphine reaches the control's half-maximum, so there is no dose ratio). "
    "Schild analysis assumes a competitive, surmountable block, so it does not apply here."
)


def _too_few_sentence(curves: list[Curve], counted: tuple) -> str:
    """Which curves count for a Schild plot, and what is still missing (named curve by curve)."""
    with_b = [i for i in counted if curves[i].antagonist_M > 0]
    have = ", ".join(f"curve {i + 1} ({_b_label(curves[i].antagonist_M)})" for i in counted)
    n_conc = len({curves[i].antagonist_M for i in with_b})
    need = "two different antagonist concentrations" if n_conc == 0 else "one more antagonist concentration"
    return (
        f"No Schild plot yet. A Schild plot counts the control curve and every antagonist curve that has a "
        f"dose ratio above 1 (it reaches half the control's maximum, further right); it needs at least two "
        f"different antagonist concentrations, because one point does not make a line. Counted so far: {have}. "
        f"Run curves at {need}."
    )


# How often each 95 % interval contains the true pK_B: bench/schild_coverage.py, 500 seeds for each
# of naloxone and naltrexone at 3 and 4 concentrations (the range over the four), drift on.
GLOBAL_COVERAGE, FIELLER_COVERAGE, CLASSICAL_COVERAGE = "94–95 %", "87–94 %", "76–86 %"


def _drug_name(drug: str) -> str:
    """'Naltrexone (competitive)' -> 'Naltrexone': the name without how it acts."""
    return DRUG_LABELS[drug].split(" (")[0]


def _short(text: str, n: int = 24) -> str:
    """A name or ID short enough for a button ("A very long name…")."""
    return text if len(text) <= n else text[: n - 1] + "…"


def _b_label(b: float) -> str:
    return "control" if b == 0 else format_molar(b)


def _ci(ci, digits=2) -> str:
    return "CI not available" if ci is None else f"95 % CI {ci[0]:.{digits}f} to {ci[1]:.{digits}f}"


# A Fieller bound further than this (log units) beyond the tested antagonist concentrations is
# an extrapolation the data cannot back: it is reported as no bound at all ("unbounded").
PA2_EXTRAPOLATION_LOG = 2.0


def pa2_interval_words(ci, antagonist_M) -> str:
    """The Schild plot's pA2 interval (Fieller) in words a student can trust.

    ``ci`` is ``SchildResult.pA2_ci`` (None with fewer than 3 concentrations, or when Fieller's
    interval is unbounded because the slope is not clearly above 0); ``antagonist_M`` the
    concentrations on the Schild plot. With few or noisy points Fieller's theorem can give a
    finite but absurd bound (pA2 179, a K_B of 10^-179 M): a bound more than
    ``PA2_EXTRAPOLATION_LOG`` log units beyond the tested -log[B] is written "unbounded above"
    (or below), and with no usable bound at all the interval is "not available".
    """
    p = -np.log10(np.asarray(antagonist_M, dtype=float))
    if ci is None and p.size < 3:
        return "95 % CI not available: it needs 3 or more antagonist concentrations"
    lo_ok = ci is not None and ci[0] >= p.min() - PA2_EXTRAPOLATION_LOG
    hi_ok = ci is not None and ci[1] <= p.max() + PA2_EXTRAPOLATION_LOG
    if lo_ok and hi_ok:
        return f"95 % CI {ci[0]:.2f} to {ci[1]:.2f}"
    if lo_ok:
        return f"95 % CI from {ci[0]:.2f}, unbounded above"
    if hi_ok:
        return f"95 % CI unbounded below, up to {ci[1]:.2f}"
    return "95 % CI not available: the points scatter too much to pin the line down"


class OrganBath(ipw.VBox):
    """A virtual guinea-pig ileum: morphine curves with and without a second drug (lesson 03).

    Parameters
    ----------
    drug : str
        Second drug: a key of ``DRUG_LABELS`` ("unknown" hides a competitive antagonist chosen
        by ``student_id``).
    seed : int
        Seed of the tissue's noise (ignored for the unknown antagonist, seeded by the ID).
    student_id : str
        Name or ID that picks the unknown antagonist and its noise.
    noise : BathNoise
        Noise of the preparation (default: data/organ_bath_parameters.csv).
    """

    def __init__(
        self,
        drug: str = "naloxone",
        seed: int = 2026,
        student_id: str = "",
        noise: ph.BathNoise | None = None,
    ):
        if drug not in DRUG_LABELS:
            raise ValueError(f"drug must be one of {sorted(DRUG_LABELS)}, got {drug!r}")
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
        self._params = bath_parameters()
        self._noise = noise or ph.BathNoise(self._params["point_noise_sd"], self._params["curve_shift_sd"])
        self._seed = int(seed)
        self._tissue = 0  # counts New tissue presses: each tissue has its own noise, reproducibly
        self._curves: list[Curve] = []
        self._analysis: Analysis | None = None
        self._silent = False  # True while the widget itself moves the slider (no new curve)
        self._bath_drug = drug  # the drug in the bath; the drop-down may show one waiting for Confirm
        self._bath_student = student_id  # the name or ID in use; the box may show one waiting for Confirm
        self._pending: str | None = None  # "drug" or "student" while the bath asks before clearing
        style = {"description_width": "150px"}
        self.message = message_area()
        self.antagonist = ipw.SelectionSlider(
            description="Antagonist in bath",
            options=[(_b_label(b), b) for b in ANTAGONIST_STEPS_M],
            value=0.0,
            continuous_update=False,
            style=style,
            layout={"width": "520px"},
        )
        # ipywidgets lets one type into a SelectionSlider's readout but ignores what is typed;
        # display/static/a11y.js makes it plain text (the "or type it" box below takes typed values).
        self.antagonist.add_class("ol-readonly-readout")
        self.antagonist_control = ConcentrationControl(
            self.antagonist,
            self.message,
            on_change=self._on_antagonist,
            label=False,  # the slider's readout names the step
            range_M=(
                0.0,
                ANTAGONIST_STEPS_M[-1] * (1 + 1e-9),
            ),  # the slider's last step: the range the message names
            snap=self._nearest_step,
            placeholder="e.g. 10 nM",
            style=style,
            box_width="330px",
        )
        self.typed = self.antagonist_control.box
        self.drug = ipw.Dropdown(
            description="Second drug",
            options=[(v, k) for k, v in DRUG_LABELS.items()],
            value=drug,
            style=style,
            layout={"width": "520px"},
        )
        # Changing the drug clears the curves: with curves recorded, the bath asks first (an arrow
        # key on the drop-down alone must not throw away an experiment).
        self.drug_question = message_area()
        self.confirm_drug = ipw.Button(
            description="Start a new tissue", button_style="warning", icon="refresh"
        )
        self.cancel_drug = ipw.Button(description="Cancel")
        for b in (self.confirm_drug, self.cancel_drug):
            b.layout = {"width": "auto"}
        self.drug_confirmation = ipw.HBox(
            [self.drug_question, self.confirm_drug, self.cancel_drug],
            layout={"display": "none", "flex_flow": "row wrap", "align_items": "center", "grid_gap": "8px"},
        )
        self.student = ipw.Text(
            description="Your name or ID",
            value=student_id,
            continuous_update=False,
            placeholder="for the unknown antagonist",
            style=style,
            layout={"width": "420px"},
        )
        self.add_dose = ipw.Button(
            description="Add next dose", icon="plus", tooltip="Add the next half-log dose of morphine"
        )
        self.run_curve = ipw.Button(
            description="Run the whole curve",
            icon="forward",
            tooltip="Give every remaining dose of this curve",
        )
        self.wash = ipw.Button(
            description="Wash out / new curve",
            icon="tint",
            tooltip="Wash the tissue and start a new curve at the antagonist level set above",
        )
        self.fit_button = ipw.Button(
            description="Fit and Schild",
            icon="line-chart",
            button_style="primary",
            tooltip="Fit every curve, compute dose ratios and the Schild regression",
        )
        self.new_tissue = ipw.Button(description="New tissue", icon="refresh", tooltip="Discard every curve")
        for b in (self.add_dose, self.run_curve, self.wash, self.fit_button, self.new_tissue):
            b.layout = {"width": "auto"}
        self.results = ipw.HTML()
        self.plot = LivePlot(
            self._initial_figure(),
            description=(
                "Virtual organ bath. Top: chart recorder of the twitch height in the current curve. "
                "Bottom left: % inhibition of the twitch against morphine concentration for each curve, "
                "with fitted curves. Bottom right: Schild plot of log(dose ratio - 1) against log antagonist "
                "concentration with its regression line."
            ),
        )
        self.drug.observe(self._on_drug, "value")
        self.confirm_drug.on_click(lambda _: self._confirm_drug())
        self.cancel_drug.on_click(lambda _: self._cancel_drug())
        self.student.observe(self._on_student, "value")
        self.add_dose.on_click(lambda _: self._give(1))
        self.run_curve.on_click(lambda _: self._give(len(DOSES_M)))
        self.wash.on_click(lambda _: self._wash())
        self.fit_button.on_click(lambda _: self._fit())
        self.new_tissue.on_click(lambda _: self._new_tissue())
        buttons = ipw.HBox(
            [self.add_dose, self.run_curve, self.wash, self.fit_button, self.new_tissue],
            layout={"flex_flow": "row wrap"},
        )
        super().__init__(
            [
                self.antagonist,
                self.typed,
                self.drug,
                self.drug_confirmation,
                self.student,
                buttons,
                self.message,
                self.plot,
                self.results,
            ]
        )
        self._show_student_box()
        self._reset("")
        self._add_file_buttons()

    # -- state ------------------------------------------------------------------------------
    @property
    def curves(self) -> list[Curve]:
        return list(self._curves)

    @property
    def analysis(self) -> Analysis | None:
        return self._analysis

    @property
    def _drug_key(self) -> str:
        if self._bath_drug == "unknown":
            return hidden_antagonist(self._bath_student) if self._bath_student.strip() else "naloxone"
        return self._bath_drug

    @property
    def _run_seed(self) -> int:
        if self._bath_drug == "unknown" and self._bath_student.strip():
            return ph.student_seed(self._bath_student)
        return self._seed

    @property
    def true_kb(self) -> float:
        """The K_B the simulation uses (M). For the unknown antagonist, this is the answer."""
        return drug_model(self._drug_key, self._params)[1]

    def _start_curve(self, b: float) -> Curve:
        index = len(self._curves)
        step = ANTAGONIST_STEPS_M.index(b) if b in ANTAGONIST_STEPS_M else 99
        rng = np.random.default_rng([self._run_seed, self._tissue, index, step])
        mechanism, kb, tau_b = drug_model(self._drug_key, self._params)
        ka, tau = self._params["agonist_ka"], self._params["agonist_tau"]
        planned = ph.simulate_curve(DOSES_M, ka, tau, b, kb, mechanism, tau_b, self._noise, rng)
        own = float(ph.bath_response(0.0, ka, tau, b, kb, mechanism, tau_b)) if b > 0 else 0.0
        baseline = 100 - own + rng.normal(0, self._noise.point_sd / 2, BASELINE_TWITCHES)
        jitter = rng.normal(0, self._noise.point_sd / 4, (len(DOSES_M), TWITCHES_PER_DOSE))
        return Curve(b, planned, jitter, np.maximum(baseline, 0))

    @property
    def current(self) -> Curve:
        return self._curves[-1]

    # -- controls ---------------------------------------------------------------------------
    def _show_student_box(self) -> None:
        """The name/ID box matters only for the unknown antagonist; elsewhere it would only confuse."""
        self.student.layout.display = None if self._bath_drug == "unknown" else "none"

    def _reset(self, note: str, new_tissue: bool = False) -> None:
        self._tissue = self._tissue + 1 if new_tissue else 0
        self._curves = [self._start_curve(self.antagonist.value)]
        self._analysis = None
        self.results.value = ""
        self.message.value = html.escape(note)
        self._refresh()

    @property
    def pending_drug(self) -> str | None:
        """The drug chosen in the drop-down and waiting for Confirm (None when nothing waits)."""
        return self.drug.value if self.drug.value != self._bath_drug else None

    def _on_drug(self, change) -> None:
        if self._silent:
            return
        recorded = sum(1 for c in self._curves if c.n_given > 0)
        if change["new"] == self._bath_drug:  # back to the drug in the bath: nothing to confirm
            self._ask_about_drug(None, recorded)
            self.message.value = ""
        elif recorded == 0:
            self._start_drug()
        else:
            self._ask_about_drug(change["new"], recorded)

    def _ask_about_drug(self, drug: str | None, recorded: int) -> None:
        """Show (or, with ``drug`` None, hide) "Start a new tissue with ...?" and hold the bench."""
        if drug is None:
            self._hold(None)
            return
        curves = "curve" if recorded == 1 else f"{recorded} curves"
        self._hold(
            "drug",
            f"Start a new tissue with {DRUG_LABELS[drug]}? Your {curves} will be cleared. "
            f"Cancel keeps {DRUG_LABELS[self._bath_drug]} and your curves.",
            f"Start a new tissue with {_drug_name(drug)}",
            f"Cancel: keep {_drug_name(self._bath_drug)}",
        )

    def _ask_about_student(self, name: str, recorded: int) -> None:
        """A changed name or ID picks a new unknown antagonist and new noise: ask before clearing."""
        curves = "curve" if recorded == 1 else f"{recorded} curves"
        old = self._bath_student.strip()
        self._hold(
            "student",
            f"Start a new tissue for the name or ID “{name.strip()}”? It chooses the unknown antagonist and "
            f"the noise, so your {curves} will be cleared. Cancel keeps “{old}” and your curves.",
            f"Start a new tissue for “{_short(name.strip())}”",
            f"Cancel: keep “{_short(old)}”",
        )

    def _hold(self, kind: str | None, question: str = "", confirm: str = "", cancel: str = "") -> None:
        """Ask ``question`` (kind "drug" or "student") and hold the bench, or (None) let it go."""
        self._pending = kind
        waiting = kind is not None
        self.drug_question.value = html.escape(question)
        if waiting:
            self.confirm_drug.description, self.cancel_drug.description = confirm, cancel
        self.drug_confirmation.layout.display = None if waiting else "none"
        for control in (
            self.antagonist,
            self.typed,
            self.add_dose,
            self.run_curve,
            self.wash,
            self.fit_button,
            self.new_tissue,
        ):
            control.disabled = waiting
        self.drug.disabled = kind == "student"  # one question at a time
        if kind == "drug":
            self.message.value = "Confirm or cancel the change of drug first; the bench waits until then."
        elif kind == "student":
            self.message.value = html.escape(
                "Confirm or cancel the change of name or ID first; the bench waits until then."
            )

    def _confirm_drug(self) -> None:
        if self._pending == "student":
            self._start_student()
            self.student.focus()
            return
        if self.pending_drug is not None:
            self._start_drug()
        self.drug.focus()  # the answered buttons vanish: keyboard focus back where the question came from

    def _cancel_drug(self) -> None:
        if self._pending == "student":
            kept = self._bath_student
            self._silent = True
            try:
                self.student.value = kept
            finally:
                self._silent = False
            self._hold(None)
            self.message.value = html.escape(
                f"Kept the name or ID “{kept.strip()}”; your curves are still here."
            )
            self.student.focus()
            return
        kept = self._bath_drug
        self._silent = True
        try:
            self.drug.value = kept
        finally:
            self._silent = False
        self._ask_about_drug(None, 0)
        self.message.value = html.escape(f"Kept {DRUG_LABELS[kept]}; your curves are still here.")
        self.drug.focus()

    def _back_to_control(self) -> None:
        """Antagonist slider to 0 and the typed box emptied, without starting a curve."""
        self._silent = True
        try:
            self.antagonist.value = 0.0
            self.typed.value = ""
        finally:
            self._silent = False

    def _start_drug(self) -> None:
        """A new drug means a new tissue, and its first curve is a control: the slider goes back to 0."""
        self._bath_drug = self.drug.value
        self._bath_student = self.student.value
        self._ask_about_drug(None, 0)
        self._show_student_box()
        self._back_to_control()
        self._reset("New tissue for the new drug; antagonist set back to 0 for its control curve.")

    def _start_student(self) -> None:
        """A new name or ID: a new tissue (new drug and noise) whose first curve is a control."""
        self._bath_student = self.student.value
        self._hold(None)
        self._back_to_control()
        self._reset(
            "New tissue for this name or ID; antagonist set back to 0 for its control curve."
            if self._bath_student.strip()
            else "Type your name or ID to get your own unknown antagonist."
        )

    def _new_tissue(self) -> None:
        """A fresh piece of tissue (same drug, new noise). Its first curve is a control, as every
        dose ratio is measured against one: the slider goes back to 0, and the message says so."""
        self._back_to_control()
        self._reset(
            "New tissue: all curves discarded, and the antagonist set back to 0 for the new tissue's "
            "control curve.",
            new_tissue=True,
        )

    def _on_antagonist(self, change) -> None:
        if self._silent:
            return
        b = change["new"]
        self._forget_stale_typed_value(b)
        if self.current.n_given == 0:
            self._curves[-1] = self._start_curve(b)
            self.message.value = ""
        elif not self._new_curve(b):
            return
        else:
            self.message.value = (
                f"Curve {len(self._curves) - 1} finished; tissue washed and "
                f"equilibrated with {_b_label(b)} of antagonist for curve {len(self._curves)}."
            )
        self._refresh()

    def _new_curve(self, b: float) -> bool:
        if len(self._curves) >= MAX_CURVES:
            self.message.value = alert_html(
                f"The bath holds at most {MAX_CURVES} curves: press Fit and Schild, "
                "or New tissue to start again."
            )
            return False
        self._curves.append(self._start_curve(b))
        return True

    def _forget_stale_typed_value(self, b: float) -> None:
        """Empty the typed box when the slider moved away from what it says.

        Otherwise typing that same value again and pressing Enter changes nothing (the box's value
        did not change), and the slider's readout seems to ignore what was typed.
        """
        text = self.typed.value.strip()
        if not text:
            return
        try:
            typed_step = self._nearest_step(parse_concentration(text))[0]
        except ValueError:
            typed_step = None
        if typed_step != b:
            self._silent = True
            try:
                self.typed.value = ""
            finally:
                self._silent = False

    @staticmethod
    def _nearest_step(value_M: float) -> tuple[float, str]:
        """The bath's antagonist steps are half-log apart: a typed value goes to the nearest."""
        if value_M == 0:
            return 0.0, "Antagonist set to 0 (control)."
        steps = np.array(ANTAGONIST_STEPS_M[1:])
        nearest = float(steps[np.argmin(np.abs(np.log10(steps) - np.log10(value_M)))])
        if np.isclose(nearest, value_M, rtol=1e-6, atol=0.0):
            return nearest, f"Antagonist set to {_b_label(nearest)}."
        return nearest, (
            f"{format_molar(value_M)} is not one of the bath's steps; using the nearest, {_b_label(nearest)}."
        )

    def _on_student(self, _change) -> None:
        if self._silent:
            return
        name = self.student.value
        if self._bath_drug != "unknown":  # the box is hidden and chooses nothing yet
            self._bath_student = name
            return
        recorded = sum(1 for c in self._curves if c.n_given > 0)
        # The same name or ID up to spaces and case (student_seed ignores both): nothing to confirm.
        if name.strip().lower() == self._bath_student.strip().lower():
            self._bath_student = name
            if self._pending == "student":
                self._hold(None)
                self.message.value = ""
        elif recorded == 0:
            self._start_student()
        else:
            self._ask_about_student(name, recorded)

    def _give(self, n: int) -> None:
        if self._bath_drug == "unknown" and not self._bath_student.strip():
            self.message.value = alert_html("Type your name or ID first: it chooses your unknown antagonist.")
            return
        c = self.current
        if c.n_given >= len(DOSES_M):
            self.message.value = alert_html(
                "This curve is complete (highest dose given). Press Wash out / new "
                "curve, or move the antagonist slider to start the next one."
            )
            return
        c.n_given = min(len(DOSES_M), c.n_given + n)
        self.message.value = ""
        self._refresh()

    def _wash(self) -> None:
        if self.current.n_given == 0:
            self.message.value = alert_html("No agonist in the bath yet: add a dose first.")
            return
        if self._new_curve(self.antagonist.value):
            self.message.value = f"Washed. Curve {len(self._curves)} will be run " + (
                "with no antagonist (a control curve)."
                if self.antagonist.value == 0
                else f"with {format_molar(self.antagonist.value)} of antagonist."
            )
            self._refresh()

    def _fit(self) -> None:
        done = [c for c in self._curves if c.n_given > 0]
        if not done:
            self.message.value = alert_html("No curves yet: add doses first.")
            return
        mechanism = drug_model(self._drug_key, self._params)[0]
        self._analysis = analyse(done, mechanism=mechanism, drift_sd=self._noise.curve_sd_log)
        a = self._analysis
        self.message.value = alert_html(" ".join(a.problems)) if a.problems else ""
        self.results.value = self._results_html(done, a)
        self._refresh()

    # -- display ----------------------------------------------------------------------------
    def _results_html(self, done: list[Curve], a: Analysis) -> str:
        cell = 'style="border:1px solid #9e9e9e;padding:3px 10px;text-align:left"'
        rows = []
        ratio_of = dict(zip(a.ratio_b.tolist(), a.ratios.tolist())) if a.ratios.size else {}
        for i, (c, f) in enumerate(zip(done, a.fits)):
            used = "yes" if i in a.counted else "no"
            if isinstance(f, str):
                rows.append(
                    f"<tr><td {cell}>{i + 1}</td><td {cell}>{_b_label(c.antagonist_M)}</td>"
                    f"<td {cell} colspan=4>not fitted: {html.escape(f)}</td><td {cell}>{used}</td></tr>"
                )
                continue
            lo, hi = f.ec50_ci
            dr = ratio_of.get(c.antagonist_M) if c.antagonist_M > 0 else None
            rows.append(
                f"<tr><td {cell}>{i + 1}</td><td {cell}>{_b_label(c.antagonist_M)}</td>"
                f"<td {cell}>{format_molar(f.ec50, keep_zeros=True)}</td>"
                f"<td {cell}>{format_molar(lo, keep_zeros=True)} – {format_molar(hi, keep_zeros=True)}</td>"
                f"<td {cell}>{f.top:.0f} %</td><td {cell}>{'' if dr is None else f'{dr:.1f}'}</td>"
                f"<td {cell}>{used}</td></tr>"
            )
        head = "".join(
            f"<th {cell}>{h}</th>"
            for h in (
                "curve",
                "antagonist",
                "EC50",
                "EC50 95 % CI",
                "maximum",
                "dose ratio",
                "in the Schild plot",
            )
        )
        table = (
            '<table style="border-collapse:collapse;margin:0.6em 0">'
            '<caption style="caption-side:top;text-align:left;font-weight:600;padding:0 0 0.4em 0">'
            "Fitted curves</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            '<p style="margin:0 0 0.6em 0">Dose ratios are measured against the first control curve, at half '
            "its maximum; with replicate curves at one concentration the last one is listed.</p>"
        )
        return self._headline_html(a) + table + f"<p>{html.escape(self._schild_sentence(a))}</p>"

    def _headline_html(self, a: Analysis) -> str:
        """The global fit's pK_B and its interval: the organ bath's result."""
        g = a.global_fit
        if g is None:
            return ""
        truth = (
            ""
            if self._bath_drug == "unknown"
            else f" The simulation's true pKB: {-np.log10(self.true_kb):.2f}."
        )
        slope = "" if g.slope_ci is None else f"; its Schild slope {g.slope:.2f} ({_ci(g.slope_ci)})"
        return (
            f'<p style="font-size:1.1em;margin:0.4em 0"><b>pKB {g.pkb:.2f} ({_ci(g.pkb_ci)})</b> '
            f"from the global fit of all {g.n_curves} counted curves at once (Lew &amp; Angus 1995){slope}."
            f"{html.escape(truth)}</p>"
        )

    def _schild_sentence(self, a: Analysis) -> str:
        s = a.schild
        if s is None:
            if a.mechanism == "irreversible":
                return "No Schild regression: β-CNA is an irreversible antagonist (see the message above)."
            return (
                "No Schild regression yet: it needs a fitted control curve and antagonist curves with a dose "
                "ratio at two or more different concentrations (the message above says which curves count)."
            )
        text = (
            f"Your Schild plot (the drawing) from {s.n_points} dose ratios: slope {s.slope:.2f} "
            f"({_ci(s.slope_ci)}; a regression on the dose ratios alone, so it can differ a little from "
            f"the global fit's slope, which is fitted with the whole curves); pA2 {s.pA2:.2f} ({pa2_interval_words(s.pA2_ci, a.ratio_b)}); with the slope fixed at 1, pKB "
            f"{s.pkb_slope1:.2f} ({_ci(s.pkb_slope1_ci)})."
        )
        if a.global_fit is not None:
            text += (
                " Trust the global fit's interval, not these: every dose ratio is divided by the same control "
                "curve, and each curve drifts a little, errors the regression on dose ratios cannot see; the "
                f"global fit puts them in its error model, so its 95 % interval contains the true value in "
                f"{GLOBAL_COVERAGE} of simulated experiments (the pA2 interval above in {FIELLER_COVERAGE}, "
                f"the slope-1 pKB interval in {CLASSICAL_COVERAGE})."
            )
        elif a.mechanism == "partial":
            text += (
                " No global fit: it assumes a neutral competitive antagonist, and buprenorphine raises the "
                "floor of every curve it is in. Its apparent pA2 underestimates its affinity (section 4)."
            )
        if self._bath_drug == "unknown":
            return text + " The true value is hidden: compare with the affinity table."
        if a.global_fit is not None:
            return text
        return text + f" The simulation's true pKB: {-np.log10(self.true_kb):.2f}."

    def _initial_figure(self):
        fig = make_subplots(
            rows=2,
            cols=2,
            specs=[[{"colspan": 2}, None], [{}, {}]],
            row_heights=[0.28, 0.72],
            vertical_spacing=0.17,
            horizontal_spacing=0.12,
            subplot_titles=("Chart recorder: the current curve", "Concentration–response", "Schild plot"),
        )
        fig.update_layout(
            template=TEMPLATE,
            height=680,
            margin={"t": 40, "b": 50, "l": 70, "r": 10},
            font={"size": 13},
            legend=legend_below(-0.12),
        )
        fig.add_scatter(
            uid="twitch",
            x=[],
            y=[],
            mode="lines",
            name="twitch",
            showlegend=False,
            line={"color": "#333", "width": 1.5},
            row=1,
            col=1,
        )
        for i in range(MAX_CURVES):
            st = series_style(i)
            fig.add_scatter(
                uid=f"curve {i + 1}",
                x=[],
                y=[],
                mode="markers",
                name=f"curve {i + 1}",
                legendgroup=str(i),
                marker=st["marker"],
                row=2,
                col=1,
            )
        for i in range(MAX_CURVES):
            st = series_style(i)
            fig.add_scatter(
                uid=f"fit {i + 1}",
                x=[],
                y=[],
                mode="lines",
                name=f"fit {i + 1}",
                legendgroup=str(i),
                showlegend=False,
                line={**st["line"], "width": 2},
                row=2,
                col=1,
            )
        fig.add_scatter(
            uid="Schild points",
            x=[],
            y=[],
            mode="markers",
            name="Schild plot: dose ratios",
            showlegend=False,
            marker={"color": OKABE_ITO["black"], "size": 11, "symbol": "diamond"},
            row=2,
            col=2,
        )
        fig.add_scatter(
            uid="Schild regression",
            x=[],
            y=[],
            mode="lines",
            name="Schild regression",
            showlegend=False,
            line={"color": OKABE_ITO["black"], "width": 2},
            row=2,
            col=2,
        )
        fig.add_scatter(
            uid="true KB",
            x=[],
            y=[],
            mode="lines",
            name="true KB (slope 1)",
            showlegend=False,
            line={"color": OKABE_ITO["bluish_green"], "width": 2, "dash": "dash"},
            row=2,
            col=2,
        )
        minutes = TWITCH_INTERVAL_MIN * (BASELINE_TWITCHES + TWITCHES_PER_DOSE * len(DOSES_M))
        fig.update_xaxes(title_text="minutes in this curve", range=[-0.3, minutes + 0.3], row=1, col=1)
        fig.update_yaxes(title_text="twitch (%)", range=[-5, 125], row=1, col=1)
        fig.update_xaxes(
            type="log", title_text="morphine (M)", exponentformat="power", range=[-9.3, -3.3], row=2, col=1
        )
        fig.update_yaxes(title_text="% inhibition of twitch", range=[-15, 110], row=2, col=1)
        fig.update_xaxes(title_text="log [antagonist] (M)", range=[-11, -5.5], row=2, col=2)
        fig.update_yaxes(title_text="log (dose ratio − 1)", range=[-1, 3.5], row=2, col=2)
        return fig

    def _recorder(self, c: Curve) -> tuple[np.ndarray, np.ndarray]:
        heights = list(c.baseline)
        previous = heights[-1]
        for k in range(c.n_given):
            target = 100 - c.planned[k]
            approach = target + (previous - target) * np.exp(-1.5 * np.arange(1, TWITCHES_PER_DOSE + 1))
            heights.extend(np.maximum(approach + c.twitch_jitter[k], 0))
            previous = target
        h = np.asarray(heights)
        t = TWITCH_INTERVAL_MIN * np.arange(h.size)
        x = np.repeat(t, 3)
        y = np.column_stack([np.zeros_like(h), h, np.full_like(h, np.nan)]).ravel()
        return x, y

    def _refresh(self) -> None:
        c = self.current
        drug = SHORT_NAMES.get(self._drug_key if self._bath_drug != "unknown" else "unknown", self._bath_drug)
        traces = {}
        x, y = self._recorder(c)
        traces["twitch"] = {"x": x, "y": y}
        fits = self._analysis.fits if self._analysis else []
        done = [cv for cv in self._curves if cv.n_given > 0]
        for i in range(MAX_CURVES):
            if i < len(self._curves):
                cv = self._curves[i]
                label = (
                    f"{i + 1}: {'control' if cv.antagonist_M == 0 else f'{drug} {_b_label(cv.antagonist_M)}'}"
                )
                traces[f"curve {i + 1}"] = {
                    "x": cv.doses,
                    "y": cv.responses,
                    "name": label,
                    "showlegend": True,
                }
            else:
                traces[f"curve {i + 1}"] = {"x": [], "y": [], "showlegend": False}
            fx, fy = [], []
            if (
                i < len(done)
                and i < len(fits)
                and not isinstance(fits[i], str)
                and done[i] is self._curves[i]
            ):
                f = fits[i]
                fx = np.logspace(-9.3, -3.3, 61)
                fy = ph.hill_response(fx, f.ec50, f.top, f.hill, f.bottom)
            traces[f"fit {i + 1}"] = {"x": fx, "y": fy}
        s = self._analysis.schild if self._analysis else None
        sx, sy, lx, ly, tx, ty = [], [], [], [], [], []
        # An irreversible antagonist has no Schild plot (the message says why): draw no point on it.
        if (
            self._analysis is not None
            and self._analysis.ratios.size
            and self._analysis.mechanism != "irreversible"
        ):
            sx = np.log10(self._analysis.ratio_b)
            sy = np.log10(self._analysis.ratios - 1)
        if s is not None:
            lx = np.array([-11.0, -5.5])
            ly = s.slope * (lx + s.pA2)
            if self._bath_drug != "unknown":
                tx, ty = lx, lx - np.log10(self.true_kb)
        # The Schild plot's points and lines are named in the legend once they are drawn.
        traces["Schild points"] = {"x": sx, "y": sy, "showlegend": len(sx) > 0}
        traces["Schild regression"] = {"x": lx, "y": ly, "showlegend": len(lx) > 0}
        traces["true KB"] = {"x": tx, "y": ty, "showlegend": len(tx) > 0}
        if not (len(sx) or len(lx) or len(tx)):
            # An empty Schild panel beside drawn curves made plotly.js write its axis lines as
            # "MNaN,NaN…" (console errors, lines missing): one point with no value keeps it whole.
            traces["true KB"].update(x=[np.nan], y=[np.nan])
        self.add_dose.description = (
            f"Add next dose ({format_molar(DOSES_M[c.n_given])})"
            if c.n_given < len(DOSES_M)
            else "Add next dose (curve complete)"
        )
        self.plot.update(traces=traces, summary=self.describe())

    def static_face_html(self) -> str:
        """The still picture for a page without live widgets (the lessons' site, an exported page).

        A bath with no morphine given yet would show empty charts, which tell a reader without
        Jupyter nothing: it shows a worked example of the same kind of experiment instead,
        labelled as one."""
        if any(c.n_given for c in self._curves):
            return self.plot.static_face_html()
        drug, concentrations, words = WORKED_EXAMPLES.get(self._bath_drug, WORKED_EXAMPLES["naloxone"])
        example = _worked_example(drug)
        return (
            '<p class="ol-static-example" style="margin:0.3em 0;font-style:italic">'
            f"{html.escape(words)} (a worked example, seed {WORKED_EXAMPLE_SEED}: in Jupyter the bath "
            "starts empty and you run the experiment yourself)</p>" + example.plot.static_face_html()
        )

    def describe(self) -> str:
        """The one-line text summary of what the bench shows."""
        c = self.current
        drug = (
            "the unknown antagonist"
            if self._bath_drug == "unknown"
            else SHORT_NAMES.get(self._bath_drug, self._bath_drug)
        )
        where = (
            "no antagonist (control)" if c.antagonist_M == 0 else f"{drug} at {format_molar(c.antagonist_M)}"
        )
        text = f"Tissue {self._tissue + 1}, curve {len(self._curves)}, {where}: "
        if self._bath_drug == "unknown" and not self._bath_student.strip():
            text = "Type your name or ID first. " + text
        if c.n_given == 0:
            text += f"equilibrated, twitch {np.mean(c.baseline):.0f} % of control, no morphine yet"
        else:
            text += (
                f"{c.n_given} of {len(DOSES_M)} doses given; morphine {format_molar(DOSES_M[c.n_given - 1])} "
                f"{_effect_words(c.planned[c.n_given - 1])}"
            )
        finished = sum(1 for cv in self._curves[:-1] if cv.n_given > 0)
        text += f". {finished} earlier curve{'s' if finished != 1 else ''} recorded."
        g = self._analysis.global_fit if self._analysis is not None else None
        if g is not None:
            text += f" Global fit: pKB {g.pkb:.2f} ({g.pkb_ci[0]:.2f} to {g.pkb_ci[1]:.2f})."
        if self._analysis is not None and self._analysis.schild is not None:
            s = self._analysis.schild
            text += f" Schild plot (regression on the dose ratios): slope {s.slope:.2f}, pA2 {s.pA2:.2f}"
            text += f" ({pa2_interval_words(s.pA2_ci, self._analysis.ratio_b)})"
            text += "."
        return text

    # -- saving and loading the experiment (a file beside the lesson) ------------------------
    # The curves as a long table, one row per dose given: the columns a practical's readings
    # come in (curve, agonist_M, response, antagonist_M), then tissue and what the bath needs to
    # carry on: the second drug (its key), the agonist, the noise seed and the name or ID.
    EXPERIMENT_COLUMNS = (
        "curve",
        "agonist_M",
        "response",
        "antagonist_M",
        "tissue",
        "drug",
        "agonist",
        "seed",
        "student_id",
    )
    still_picture_note = (
        "If you saved the experiment, Load experiment brings it back once the cells have run."
    )

    def _add_file_buttons(self) -> None:
        from pathlib import Path

        self.experiment_file = Path("organ_bath_experiment.csv")  # beside the lesson
        self.save_button = ipw.Button(
            description="Save experiment",
            icon="save",
            tooltip="Save the curves to a CSV file beside the lesson (curve, agonist_M, response, ...)",
            layout={"width": "auto"},
        )
        self.load_button = ipw.Button(
            description="Load experiment",
            icon="folder-open",
            tooltip="Load the curves saved beside the lesson (this replaces the curves shown)",
            layout={"width": "auto"},
        )
        self.save_button.on_click(lambda _: self._save_clicked())
        self.load_button.on_click(lambda _: self._load_clicked())
        children = list(self.children)
        children.insert(children.index(self.message), ipw.HBox([self.save_button, self.load_button]))
        self.children = children

    def experiment_rows(self) -> list[dict]:
        """The curves given so far, one row per dose (``EXPERIMENT_COLUMNS``); response in % inhibition."""
        rows = []
        for number, c in enumerate(self._curves, start=1):
            for dose, response in zip(c.doses, c.responses):
                rows.append(
                    {
                        "curve": number,
                        "agonist_M": float(dose),
                        "response": float(response),
                        "antagonist_M": float(c.antagonist_M),
                        "tissue": self._tissue + 1,
                        "drug": self._bath_drug,
                        "agonist": "morphine",
                        "seed": self._seed,
                        "student_id": self.student.value.strip(),
                    }
                )
        return rows

    def save_experiment(self, path=None):
        """Write :meth:`experiment_rows` as CSV (default ``experiment_file``); return the path."""
        import csv
        from pathlib import Path

        path = Path(path) if path else self.experiment_file
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=self.EXPERIMENT_COLUMNS)
            writer.writeheader()
            for row in self.experiment_rows():
                writer.writerow(
                    {**row, "agonist_M": repr(row["agonist_M"]), "response": repr(row["response"])}
                )
        return path

    def load_experiment(self, path=None) -> int:
        """Bring back the experiment saved by :meth:`save_experiment` (replacing the curves shown);
        return how many curves. Raises ``ValueError`` naming the file, row and column of a problem."""
        import csv
        from pathlib import Path

        path = Path(path) if path else self.experiment_file
        try:
            with open(path, newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                header = tuple(reader.fieldnames or ())
                table = list(reader)
        except FileNotFoundError:
            raise ValueError(
                f"No saved experiment yet: {path.name} is not in {path.resolve().parent}."
            ) from None
        except (OSError, UnicodeDecodeError, csv.Error) as err:
            raise ValueError(f"{path.name} could not be read ({err}).") from None
        if header[: len(self.EXPERIMENT_COLUMNS)] != self.EXPERIMENT_COLUMNS:
            raise ValueError(
                f"{path.name} is not a saved organ-bath experiment: its columns must start with "
                f"{', '.join(self.EXPERIMENT_COLUMNS)}."
            )
        if not table:
            raise ValueError(f"{path.name} holds no doses.")

        def value(i: int, column: str, kind):
            try:
                return kind(table[i][column])
            except (TypeError, ValueError):
                raise ValueError(
                    f"{path.name}, row {i + 2}, column {column}: {table[i][column]!r} is not valid."
                ) from None

        drug, student = table[0]["drug"], table[0]["student_id"] or ""
        seed, tissue = value(0, "seed", int), value(0, "tissue", int)
        if drug not in DRUG_LABELS:
            raise ValueError(
                f"{path.name}, row 2, column drug: {drug!r} is not one of {sorted(DRUG_LABELS)}."
            )
        curves: dict[int, list[tuple[float, float, float]]] = {}
        for i, row in enumerate(table):
            if (row["drug"], row["student_id"] or "", row["seed"], row["tissue"]) != (
                drug,
                student,
                table[0]["seed"],
                table[0]["tissue"],
            ):
                raise ValueError(
                    f"{path.name}, row {i + 2}: one experiment has one drug, seed, tissue and ID."
                )
            curves.setdefault(value(i, "curve", int), []).append(
                (value(i, "agonist_M", float), value(i, "response", float), value(i, "antagonist_M", float))
            )
        if sorted(curves) != list(range(1, len(curves) + 1)) or len(curves) > MAX_CURVES:
            raise ValueError(f"{path.name}: curves must be numbered 1, 2, ... (at most {MAX_CURVES}).")
        for number, points in curves.items():
            doses = np.array([p[0] for p in points])
            if len(points) > len(DOSES_M) or not np.allclose(doses, DOSES_M[: len(points)], rtol=1e-6):
                raise ValueError(f"{path.name}, curve {number}: its doses are not the bath's doses in order.")
            if len({p[2] for p in points}) != 1 or points[0][2] not in ANTAGONIST_STEPS_M:
                raise ValueError(
                    f"{path.name}, curve {number}: antagonist_M must be one of the bath's steps."
                )

        self._silent = True
        try:
            self._bath_drug = drug
            self.drug.value = drug
            self.student.value = student
            self._bath_student = student
            self._seed, self._tissue = seed, tissue - 1
            self._curves = []
            for number in sorted(curves):
                points = curves[number]
                c = self._start_curve(points[0][2])  # the same noise for the doses not given yet
                c.n_given = len(points)
                c.planned[: len(points)] = [p[1] for p in points]
                self._curves.append(c)
            self.antagonist.value = self._curves[-1].antagonist_M
            self.typed.value = ""
        finally:
            self._silent = False
        self._hold(None)  # a question waiting (a change of drug or ID) is answered by the file
        self._show_student_box()
        self._analysis = None
        self.results.value = ""
        self._refresh()
        return len(self._curves)

    def _save_clicked(self) -> None:
        try:
            path = self.save_experiment()
        except OSError as err:
            self.message.value = alert_html(f"Could not save the experiment: {err.strerror or err}.")
            return
        n = sum(1 for c in self._curves if c.n_given > 0)
        self.message.value = html.escape(
            f"Saved {n} curve{'s' if n != 1 else ''} to {path.name}, beside this lesson "
            "(one row per dose: curve, agonist_M, response, antagonist_M, ...). "
            "Load experiment brings them back, also after a kernel restart."
        )

    def _load_clicked(self) -> None:
        try:
            n = self.load_experiment()
        except ValueError as err:
            self.message.value = alert_html(str(err))
            return
        self.message.value = html.escape(
            f"Loaded {n} curve{'s' if n != 1 else ''} from {self.experiment_file.name} "
            f"({DRUG_LABELS[self._bath_drug]}, tissue {self._tissue + 1}). Press Fit and Schild to analyse them."
        )


# The worked example a still picture shows for a bath with no doses yet: drug, the antagonist
# concentrations of its curves (0 = control), and a caption. The unknown bath shows naloxone's.
WORKED_EXAMPLE_SEED = 1
WORKED_EXAMPLES = {
    "naloxone": (
        "naloxone",
        (0.0, 1e-8, 3e-8, 1e-7),
        "Naloxone: a control curve, then 10, 30 and 100 nM, fitted, with the Schild plot",
    ),
    "beta_chlornaltrexamine": (
        "beta_chlornaltrexamine",
        (0.0, 3e-9, 3e-8),
        "β-CNA: a control curve, then 3 and 30 nM; the maximum falls and there is no Schild plot",
    ),
    "buprenorphine": (
        "buprenorphine",
        (0.0, 1e-9, 1e-8, 1e-7),
        "Buprenorphine: a control curve, then 1, 10 and 100 nM, fitted, with the Schild plot",
    ),
}


@functools.cache
def _worked_example(drug: str) -> OrganBath:
    """A bath with the worked example of ``drug`` run and fitted (made once per kernel)."""
    concentrations = next(c for d, c, _ in WORKED_EXAMPLES.values() if d == drug)
    bath = OrganBath(drug=drug, seed=WORKED_EXAMPLE_SEED)
    for b in concentrations:
        bath.antagonist.value = b
        bath.run_curve.click()
    bath.fit_button.click()
    return bath


def _effect_words(inhibition: float) -> str:
    """'inhibits the twitch by 40 %', or in plain words when the noise makes the twitch larger."""
    if round(inhibition) < 0:
        return f"has no inhibiting effect yet: the twitch is {-inhibition:.0f} % larger than before (noise)"
    return f"inhibits the twitch by {inhibition:.0f} %"
