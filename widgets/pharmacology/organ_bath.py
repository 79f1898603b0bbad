"""A virtual organ bath: simulated concentration–response curves, curve fitting and Schild analysis.

The tissue is the classic guinea-pig ileum preparation: the electrically evoked twitch is
inhibited by a mu agonist, and the response recorded is the **% inhibition of the twitch**.
The agonist acts through the operational model (Black & Leff 1983); antagonists act as

* ``"competitive"``: reversible, same site (Gaddum 1937): K_A is scaled by 1 + [B]/K_B;
* ``"irreversible"``: the tissue was exposed to the antagonist, which inactivated the
  receptors it occupied, and then washed: tau is scaled by the fraction of receptors left,
  q = 1 / (1 + [B]/K_B) (Furchgott 1966);
* ``"partial"``: the "antagonist" is a partial agonist with its own transducer ratio tau_B,
  competing for the same receptors (operational model for two agonists; Leff et al. 1990;
  Kenakin 2009).

Noise is seeded (``numpy.random.default_rng``), so a run can be reproduced exactly.
Lesson 03's bath (its doses, its drugs, the unknown antagonist) is defined here too, with its
constants read from data/organ_bath_parameters.csv. Pure numpy/scipy; no UI imports.
Concentrations are molar.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import _checks
from .receptor_theory import operational_effect
from .schild import GlobalSchildFit, SchildResult, global_schild_fit, schild_fit
from .student_t import t_quantile

if TYPE_CHECKING:
    import pandas as pd

MECHANISMS = ("competitive", "irreversible", "partial")


# -- the tissue ------------------------------------------------------------------------------
def receptors_left(antagonist, kb):
    r"""Fraction of receptors left after exposure to an irreversible antagonist, then washing.

    .. math:: q = 1 - \frac{[B]}{[B] + K_B} = \frac{1}{1 + [B]/K_B}

    Assumes every receptor the antagonist occupied during the exposure was inactivated
    (alkylated), and none of the others: a simplification of the time course of alkylation.

    References
    ----------
    Furchgott RF (1966) The use of beta-haloalkylamines in the differentiation of receptors and
    in the determination of dissociation constants of receptor-agonist complexes.
    Adv Drug Res 3:21–55.
    """
    b = _checks.concentration(antagonist, "antagonist")
    k = _checks.positive(kb, "kb")
    return _checks.scalar_or_array(1.0 / (1.0 + b / k))


def two_agonist_effect(agonist, ka, tau, partial, kb, tau_b, emax=100.0):
    r"""Response to a full agonist A and a partial agonist B competing for one receptor (n = 1).

    .. math:: E = \frac{E_m (\tau_A [A]/K_A + \tau_B [B]/K_B)}
              {1 + [A]/K_A + [B]/K_B + \tau_A [A]/K_A + \tau_B [B]/K_B}

    With ``tau_b = 0`` this is the Gaddum/operational result for a neutral competitive
    antagonist; with ``agonist = 0`` it is the partial agonist's own curve.

    Parameters
    ----------
    agonist, partial : float or array_like
        Concentrations [A] and [B], M (>= 0).
    ka, kb : float
        Dissociation constants, M (> 0).
    tau, tau_b : float
        Transducer ratios (>= 0).
    emax : float, default 100
        System maximum.

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141–162.
    Leff P, Prentice DJ, Giles H, Martin GR, Wood J (1990) Estimation of agonist affinity and
    efficacy by direct, operational model-fitting. J Pharmacol Methods (citation not checked against the paper).
    Kenakin T (2009) A Pharmacology Primer, 3rd ed., Academic Press (chapter not checked).
    """
    a = _checks.concentration(agonist, "agonist") / _checks.positive(ka, "ka")
    b = _checks.concentration(partial, "partial") / _checks.positive(kb, "kb")
    ta = _checks.non_negative(tau, "tau")
    tb = _checks.non_negative(tau_b, "tau_b")
    em = _checks.positive(emax, "emax")
    stim = ta * a + tb * b
    return _checks.scalar_or_array(em * stim / (1.0 + a + b + stim))


def bath_response(agonist, ka, tau, antagonist=0.0, kb=1e-9, mechanism="competitive", tau_b=0.0, emax=100.0):
    """Noise-free % inhibition of the twitch for one bath condition.

    Parameters
    ----------
    agonist : float or array_like
        Agonist concentration, M (>= 0).
    ka, tau : float
        Agonist dissociation constant (M) and transducer ratio.
    antagonist : float
        Antagonist (or partial agonist) concentration, M (>= 0).
    kb : float
        Its dissociation constant, M (> 0).
    mechanism : {"competitive", "irreversible", "partial"}
        How the second drug acts (see the module docstring).
    tau_b : float
        Transducer ratio of the partial agonist (used only with ``"partial"``).
    emax : float
        System maximum (100 = complete abolition of the twitch).
    """
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}")
    _checks.concentration(antagonist, "antagonist")
    if mechanism == "competitive":
        return operational_effect(agonist, ka, tau, emax=emax, antagonist=antagonist, kb=kb)
    if mechanism == "irreversible":
        q = receptors_left(antagonist, kb)
        return operational_effect(agonist, ka, float(_checks.non_negative(tau, "tau")) * q, emax=emax)
    return two_agonist_effect(agonist, ka, tau, antagonist, kb, tau_b, emax=emax)


def half_log_doses(first=1e-9, n=11):
    """Cumulative half-log agonist concentrations: first, 3.16×first, 10×first, ... (n of them)."""
    f = float(_checks.positive(first, "first"))
    if not (isinstance(n, (int, np.integer)) and 2 <= n <= 40):
        raise ValueError(f"n must be a whole number from 2 to 40, got {n!r}")
    return f * 10.0 ** (0.5 * np.arange(n))


@dataclass(frozen=True)
class BathNoise:
    """Noise of the preparation.

    Attributes
    ----------
    point_sd : float
        SD of each twitch measurement, in % of the control twitch (additive, Gaussian).
    curve_sd_log : float
        SD (log10 units) of a random shift of the agonist's potency from one curve to the
        next (the tissue's sensitivity drifts between curves).
    """

    point_sd: float = 4.0
    curve_sd_log: float = 0.05


def simulate_curve(
    doses,
    ka,
    tau,
    antagonist=0.0,
    kb=1e-9,
    mechanism="competitive",
    tau_b=0.0,
    noise: BathNoise = BathNoise(),
    rng=None,
    emax=100.0,
):
    """Measured % inhibition of the twitch at each cumulative agonist concentration.

    The noise-free response comes from :func:`bath_response`; each curve's agonist potency is
    shifted by a random factor 10**N(0, curve_sd_log) and each measured twitch has Gaussian
    noise of SD ``point_sd`` (% of the control twitch). A twitch cannot be smaller than zero,
    so inhibition is capped at 100 %.

    Parameters
    ----------
    doses : array_like
        Agonist concentrations, M (>= 0).
    rng : numpy.random.Generator or int or None
        Random generator or seed (for a reproducible run).

    Returns
    -------
    ndarray
        % inhibition, one value per dose.
    """
    d = np.atleast_1d(_checks.concentration(doses, "doses")).astype(float)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    shift = 10.0 ** gen.normal(0.0, noise.curve_sd_log)
    clean = np.atleast_1d(bath_response(d * shift, ka, tau, antagonist, kb, mechanism, tau_b, emax))
    measured = clean + gen.normal(0.0, noise.point_sd, size=d.size)
    return np.minimum(measured, emax)


# -- curve fitting ----------------------------------------------------------------------------
def hill_response(conc, ec50, top=100.0, hill=1.0, bottom=0.0):
    r"""Logistic (Hill) concentration–response curve.

    .. math:: E = E_0 + \frac{E_{top} - E_0}{1 + (EC_{50}/[A])^{n_H}}
    """
    a = _checks.concentration(conc, "conc")
    e = _checks.positive(ec50, "ec50")
    n = _checks.positive(hill, "hill")
    with np.errstate(divide="ignore"):
        ratio = np.where(a > 0, (e / np.where(a > 0, a, 1.0)) ** n, np.inf)
    return _checks.scalar_or_array(bottom + (top - bottom) / (1.0 + ratio))


@dataclass(frozen=True)
class HillFit:
    """A fitted concentration–response curve (:func:`fit_hill`).

    ``ec50`` is where the curve is half-way between ``bottom`` and ``top``; ``log_ec50_ci`` is
    its 95 % (or requested) confidence interval from the fit's covariance and Student's t.
    """

    ec50: float
    log_ec50: float
    log_ec50_se: float
    log_ec50_ci: tuple[float, float]
    top: float
    hill: float
    bottom: float
    n_points: int
    residual_sd: float

    @property
    def ec50_ci(self) -> tuple[float, float]:
        return (10.0 ** self.log_ec50_ci[0], 10.0 ** self.log_ec50_ci[1])

    def concentration_for(self, level: float) -> float:
        """Agonist concentration giving response ``level`` on the fitted curve.

        Raises ValueError if the curve never reaches ``level`` (the maximum is too low).
        """
        span = self.top - self.bottom
        frac = (level - self.bottom) / span if span else np.nan
        if not 0 < frac < 1:
            raise ValueError(
                f"the fitted curve (maximum {self.top:.0f} %) never reaches {level:.0f} %: "
                "no equi-effective concentration, so no dose ratio"
            )
        return float(self.ec50 * (frac / (1 - frac)) ** (1.0 / self.hill))


def fit_hill(conc, response, bottom=0.0, confidence=0.95):
    """Fit a logistic curve (EC50, top, Hill slope) to one concentration–response curve.

    Least squares on log10 EC50 with :func:`scipy.optimize.curve_fit`; the confidence interval
    of log EC50 uses the covariance matrix and Student's t with n − 3 degrees of freedom.

    Parameters
    ----------
    conc : array_like
        Agonist concentrations, M (>= 0; at least 4 of them > 0).
    response : array_like
        Responses (e.g. % inhibition), same length.
    bottom : float or None, default 0
        Response with no agonist. None fits it too (one more parameter, needs 5 points).
    confidence : float, default 0.95

    Returns
    -------
    HillFit

    Raises
    ------
    ValueError
        Non-numeric or negative concentrations, mismatched lengths, too few points, a curve
        whose responses never reach half of their own maximum, or a fit that fails.

    References
    ----------
    Motulsky H, Christopoulos A (2004) Fitting Models to Biological Data Using Linear and
    Nonlinear Regression. Oxford University Press (citation not checked against the book).
    """
    a = np.atleast_1d(_checks.concentration(conc, "conc")).astype(float).ravel()
    y = np.atleast_1d(_checks.as_float_array(response, "response")).astype(float).ravel()
    if np.isinf(y).any():
        raise ValueError("response must be finite")
    if a.size != y.size:
        raise ValueError(f"conc and response must have the same length, got {a.size} and {y.size}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    n_par = 3 if bottom is not None else 4
    positive = a > 0
    if positive.sum() < n_par + 1:
        raise ValueError(
            f"too few points to fit a curve: need at least {n_par + 1} concentrations > 0, "
            f"got {int(positive.sum())}"
        )
    if np.unique(a[positive]).size < n_par:
        raise ValueError("too few different concentrations to fit a curve")
    b0 = 0.0 if bottom is None else float(bottom)
    peak = float(np.max(y))
    if peak - b0 <= 0:
        raise ValueError("no response above baseline: the curve cannot be fitted")
    half = b0 + 0.5 * (peak - b0)
    if not (y[positive] < half).any() or not (y[positive] >= half).any():
        raise ValueError(
            "the responses do not cross half of their maximum: the EC50 is not "
            "defined by these points (add higher or lower concentrations)"
        )
    la = np.log10(a[positive])
    ya = y[positive]
    above = np.flatnonzero(ya >= half)
    guess_log = la[above[0]]
    lo_log, hi_log = la.min() - 3, la.max() + 3

    def model(x, log_ec50, top, hill, *rest):
        base = rest[0] if rest else b0
        return base + (top - base) / (1.0 + 10.0 ** ((log_ec50 - x) * hill))

    p0 = [guess_log, max(peak, 1e-9), 1.0] + ([float(np.min(y))] if bottom is None else [])
    lower = [lo_log, 0.0, 0.2] + ([-np.inf] if bottom is None else [])
    upper = [hi_log, 2.0 * abs(peak) + 1.0, 6.0] + ([np.inf] if bottom is None else [])
    p0 = np.clip(p0, np.array(lower) + 1e-9, np.array(upper) - 1e-9)
    # Points at zero concentration still count: the model gives them the bottom.
    x_all = np.where(positive, np.log10(np.where(positive, a, 1.0)), -np.inf)
    from scipy import optimize  # here, not at the top: ~40 MB only the lessons that fit need

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Unbounded Levenberg–Marquardt first (MINPACK: about 10x faster than the bounded
            # trust-region method, which matters when a lesson fits hundreds of curves); its
            # answer stands when it lies within the bounds, as it then solves the bounded problem.
            try:
                popt, pcov = optimize.curve_fit(model, x_all, y, p0=p0, maxfev=5000)
                inside = np.all((popt >= lower) & (popt <= upper))
            except RuntimeError:
                inside = False
            if not inside:
                popt, pcov = optimize.curve_fit(model, x_all, y, p0=p0, bounds=(lower, upper), maxfev=5000)
    except (RuntimeError, ValueError) as err:
        raise ValueError(f"the curve fit did not converge: {err}") from None
    dof = y.size - n_par
    resid = y - model(x_all, *popt)
    s = float(np.sqrt((resid**2).sum() / dof)) if dof > 0 else float("nan")
    se = float(np.sqrt(pcov[0, 0])) if np.isfinite(pcov[0, 0]) else float("inf")
    t = t_quantile(0.5 + confidence / 2, max(dof, 1))
    log_ec50 = float(popt[0])
    return HillFit(
        ec50=10.0**log_ec50,
        log_ec50=log_ec50,
        log_ec50_se=se,
        log_ec50_ci=(log_ec50 - t * se, log_ec50 + t * se),
        top=float(popt[1]),
        hill=float(popt[2]),
        bottom=float(popt[3]) if bottom is None else b0,
        n_points=int(y.size),
        residual_sd=s,
    )


def fitted_dose_ratio(control: HillFit, fit: HillFit, level: float | None = None) -> float:
    """Dose ratio r = A'(level) / A(level) of one fitted curve against the control.

    ``level`` defaults to half the control curve's fitted maximum (for parallel curves this is
    EC50'/EC50). Raises ValueError if either curve never reaches that level.
    """
    lvl = control.bottom + 0.5 * (control.top - control.bottom) if level is None else float(level)
    return fit.concentration_for(lvl) / control.concentration_for(lvl)


def dose_ratios(control: HillFit, fits, level: float | None = None):
    """Dose ratios (:func:`fitted_dose_ratio`) of each fitted curve against the control.

    Raises ValueError (naming the curve) if a curve never reaches the level.
    """
    out = []
    for i, f in enumerate(fits):
        try:
            out.append(fitted_dose_ratio(control, f, level))
        except ValueError as err:
            raise ValueError(f"curve {i + 1}: {err}") from None
    return np.array(out)


# -- a whole experiment ---------------------------------------------------------------------
@dataclass(frozen=True)
class SchildExperiment:
    """A control curve, curves at several antagonist concentrations, fits and the Schild fits.

    ``schild`` is the classical Schild regression on the dose ratios (the plot a student draws);
    ``global_fit`` is the global fit of every curve at once (:func:`global_schild_fit`), whose
    intervals allow for the shared control curve and the curve-to-curve drift.
    """

    doses: np.ndarray
    antagonist: np.ndarray
    responses: list
    fits: list
    ratios: np.ndarray
    schild: SchildResult
    true_kb: float
    global_fit: GlobalSchildFit | None = None
    extra: dict = field(default_factory=dict)


def run_schild_experiment(
    seed,
    ka,
    tau,
    kb,
    antagonist,
    doses=None,
    noise: BathNoise = BathNoise(),
    mechanism="competitive",
    tau_b=0.0,
):
    """Simulate, fit and analyse one Schild experiment (control curve first, then each [B]).

    The random stream of curve i (0 = control) is :func:`curve_rng` ``(seed, i)``, so a seed
    reproduces a run. Returns the classical Schild regression
    (``.schild``) and the global fit of all curves (``.global_fit``, with the drift SD of
    ``noise`` in its error model: the lab's known curve-to-curve variability).
    """
    b = np.atleast_1d(_checks.concentration(antagonist, "antagonist")).astype(float)
    if (b <= 0).any():
        raise ValueError(
            "antagonist concentrations for a Schild experiment must be > 0 "
            "(the control curve is run automatically)"
        )
    d = half_log_doses(ka / (1 + tau) / 100, 11) if doses is None else np.asarray(doses, float)
    conc = np.concatenate([[0.0], b])
    responses, fits = [], []
    for i, c in enumerate(conc):
        r = simulate_curve(d, ka, tau, c, kb, mechanism, tau_b, noise, curve_rng(seed, i))
        responses.append(r)
        fits.append(fit_hill(d, r))
    ratios = dose_ratios(fits[0], fits[1:])
    global_fit = global_schild_fit(list(zip([d] * conc.size, responses)), conc, noise.curve_sd_log)
    return SchildExperiment(d, b, responses, fits, ratios, schild_fit(b, ratios), kb, global_fit)


def curve_rng(seed: int, index: int) -> np.random.Generator:
    """The random generator of curve ``index`` (0 = control) in :func:`run_schild_experiment`.

    Only :func:`run_schild_experiment` (and code that reproduces its curves) draws from it. The
    organ-bath widget draws its own streams, one per tissue, curve and antagonist step, so the
    same seed gives different noise there than here.
    """
    return np.random.default_rng([int(seed), int(index)])


def student_seed(text: str) -> int:
    """A reproducible seed from a student's name or ID (SHA-256, so similar names differ)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("student id must be a non-empty text, e.g. your name or student number")
    return int.from_bytes(hashlib.sha256(text.strip().lower().encode()).digest()[:4], "big")


# -- lesson 03's bath: its doses, its drugs and their constants (data/organ_bath_parameters.csv) ---
DOSES_M = half_log_doses(1e-9, 12)  # morphine, 1 nM to 316 µM in half-log steps
CANDIDATES = ("naloxone", "naltrexone", "nalmefene", "6beta_naltrexol")  # what the unknown can be
BATH_DRUGS = CANDIDATES + ("buprenorphine", "beta_chlornaltrexamine")


def bath_parameters() -> dict:
    """Parameter name -> value from data/organ_bath_parameters.csv."""
    from ..data_access.data_tables import load_table  # data access; no UI imports

    table = load_table("organ_bath_parameters")
    return dict(zip(table["parameter"], table["value"].astype(float)))


def bath_parameters_table() -> pd.DataFrame:
    """data/organ_bath_parameters.csv as lesson 03 shows it: each quantity in words (column
    "quantity", from the table's label), sources as short citations, ligands by name (β-CNA, a
    research tool only the organ bath uses, is named here; the others come from data/ligands.csv)."""
    from ..data_access.affinities import with_ligand_names  # data access; no UI imports
    from ..data_access.data_tables import load_table, reference_label

    table = load_table("organ_bath_parameters")
    table = table.assign(source=table["source"].map(reference_label)).rename(columns={"label": "quantity"})
    return with_ligand_names(table, more_names={"beta_chlornaltrexamine": "β-Chlornaltrexamine"})


def drug_model(drug: str, params: dict | None = None) -> tuple[str, float, float]:
    """(mechanism, K_B in M, tau_B) of a second drug in the bath (one of ``BATH_DRUGS``).

    ``params`` defaults to :func:`bath_parameters`.
    """
    p = bath_parameters() if params is None else params
    if drug in CANDIDATES:
        return "competitive", p[f"kb_{drug}"], 0.0
    if drug == "buprenorphine":
        return "partial", p["kb_buprenorphine"], p["tau_buprenorphine"]
    if drug == "beta_chlornaltrexamine":
        return "irreversible", p["kb_irreversible"], 0.0
    raise ValueError(f"drug must be one of {sorted(BATH_DRUGS)}, got {drug!r}")


def hidden_antagonist(student_id: str) -> str:
    """The unknown antagonist a student's name or ID selects (one of ``CANDIDATES``)."""
    return CANDIDATES[student_seed(student_id) % len(CANDIDATES)]


# -- binding assay (Cheng–Prusoff) ------------------------------------------------------------
def competition_binding(inhibitor, ki, radioligand, kd, noise_sd=3.0, rng=None):
    r"""% inhibition of specific radioligand binding by a competing unlabelled drug.

    .. math:: B = \frac{[L]}{[L] + K_D (1 + [I]/K_i)}, \quad
              \text{inhibition} = 100 \left(1 - \frac{B}{B_{[I]=0}}\right)

    so the IC50 is K_i (1 + [L]/K_D) (Cheng & Prusoff 1973). Gaussian noise of SD ``noise_sd``
    (% of specific binding) is added when ``noise_sd`` > 0.
    """
    i = _checks.concentration(inhibitor, "inhibitor")
    k_i = _checks.positive(ki, "ki")
    lig = _checks.positive(radioligand, "radioligand")
    k_d = _checks.positive(kd, "kd")
    sd = float(_checks.non_negative(noise_sd, "noise_sd"))
    bound = lig / (lig + k_d * (1 + i / k_i))
    inhibition = 100.0 * (1 - bound / (lig / (lig + k_d)))
    if sd > 0:
        gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        inhibition = inhibition + gen.normal(0, sd, size=np.shape(inhibition))
    return _checks.scalar_or_array(inhibition)
