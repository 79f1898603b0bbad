"""A teaching model of Gi/o-coupled opioid receptor signalling in one neuron.

An agonist (with or without a competitive antagonist) activates receptors; active receptors
turn G proteins on; Gαi·GTP inhibits adenylyl cyclase (cAMP falls) and the freed Gβγ opens
GIRK potassium channels and closes voltage-gated calcium channels; the extra potassium
conductance lowers the neuron's firing rate.

Every step is a stated simplification with illustrative parameters (named defaults), not a
fitted model of a particular cell. The firing rate comes from the leaky integrate-and-fire
neuron, whose steady firing rate has a closed form.

Pure functions over floats and numpy arrays; no UI imports. Bad input raises ``ValueError``
naming the argument.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .receptor_theory import gaddum_occupancy, operational_effect


def lif_rate_hz(
    drive_pA,
    g_leak_nS=10.0,
    g_k_nS=0.0,
    *,
    capacitance_pF=200.0,
    e_leak_mV=-65.0,
    e_k_mV=-90.0,
    v_threshold_mV=-50.0,
    v_reset_mV=-65.0,
    refractory_ms=2.0,
):
    r"""Steady firing rate of a leaky integrate-and-fire neuron with an extra K⁺ conductance.

    The membrane obeys :math:`C\,dV/dt = -g_L(V-E_L) - g_K(V-E_K) + I`. With total
    conductance :math:`g = g_L + g_K` the voltage relaxes with :math:`\tau_m = C/g` towards

    .. math:: V_\infty = \frac{g_L E_L + g_K E_K + I}{g}

    and, when :math:`V_\infty > V_{th}`, fires at

    .. math:: r = \left[t_{ref} + \tau_m \ln\frac{V_\infty - V_{reset}}{V_\infty - V_{th}}\right]^{-1}

    (zero otherwise). An open GIRK channel adds :math:`g_K`: it both pulls :math:`V_\infty`
    towards :math:`E_K` (hyperpolarisation) and shortens :math:`\tau_m` (shunting).

    Parameters
    ----------
    drive_pA : float or array_like
        Constant input current, pA (finite).
    g_leak_nS : float, default 10
        Leak conductance, nS (> 0).
    g_k_nS : float or array_like, default 0
        Extra potassium (GIRK) conductance, nS (>= 0).
    capacitance_pF, e_leak_mV, e_k_mV, v_threshold_mV, v_reset_mV, refractory_ms : float
        Membrane capacitance (> 0), reversal potentials, threshold (must exceed the reset)
        and absolute refractory period (>= 0). Defaults are illustrative values of the
        usual textbook size, not measurements of a particular neuron.

    Returns
    -------
    float or ndarray
        Firing rate, Hz (>= 0).

    References
    ----------
    Lapicque L (1907) J Physiol Pathol Gen (the integrate-and-fire idea; volume and pages not checked).
    Dayan P, Abbott LF (2001) Theoretical Neuroscience, MIT Press, section 5.4 (the rate formula).
    """
    drive = _checks.as_float_array(drive_pA, "drive_pA")
    if np.isinf(drive).any():
        raise ValueError("drive_pA must be finite")
    g_l = _checks.positive(g_leak_nS, "g_leak_nS")
    g_k = _checks.non_negative(g_k_nS, "g_k_nS")
    c = _checks.positive(capacitance_pF, "capacitance_pF")
    t_ref = float(_checks.non_negative(refractory_ms, "refractory_ms"))
    for name, value in (
        ("e_leak_mV", e_leak_mV),
        ("e_k_mV", e_k_mV),
        ("v_threshold_mV", v_threshold_mV),
        ("v_reset_mV", v_reset_mV),
    ):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            continue  # the common case, checked cheaply
        arr = _checks.as_float_array(value, name)
        if arr.ndim != 0 or np.isinf(arr):
            raise ValueError(f"{name} must be a finite number")
    if not v_threshold_mV > v_reset_mV:
        raise ValueError(f"v_threshold_mV must be above v_reset_mV ({v_reset_mV:g}), got {v_threshold_mV:g}")
    g = g_l + g_k  # nS
    v_inf = (g_l * e_leak_mV + g_k * e_k_mV + drive) / g  # mV (pA / nS = mV)
    tau_ms = c / g  # pF / nS = ms
    above = v_inf > v_threshold_mV
    safe_v = np.where(above, v_inf, v_threshold_mV + 1.0)
    isi_ms = t_ref + tau_ms * np.log((safe_v - v_reset_mV) / (safe_v - v_threshold_mV))
    rate = np.where(above, 1000.0 / isi_ms, 0.0)
    return _checks.scalar_or_array(rate)


@dataclass(frozen=True)
class GiParameters:
    """Illustrative parameters of the Gi/o cascade (teaching values, not measurements).

    camp_max_inhibition : largest fractional fall of cAMP when every G protein is active.
    calcium_max_inhibition : largest fractional fall of the voltage-gated Ca²⁺ current.
    girk_max_nS : GIRK conductance with every channel open.
    drive_pA, g_leak_nS : the neuron's steady input current and leak (for the firing rate).
    """

    camp_max_inhibition: float = 0.8
    calcium_max_inhibition: float = 0.6
    girk_max_nS: float = 2.0
    drive_pA: float = 220.0
    g_leak_nS: float = 10.0

    def __post_init__(self):
        for name in ("camp_max_inhibition", "calcium_max_inhibition"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
        if not (self.girk_max_nS >= 0 and math.isfinite(self.girk_max_nS)):
            raise ValueError(f"girk_max_nS must be finite and >= 0, got {self.girk_max_nS!r}")
        if not (self.g_leak_nS > 0 and math.isfinite(self.g_leak_nS)):
            raise ValueError(f"g_leak_nS must be > 0, got {self.g_leak_nS!r}")
        if not math.isfinite(self.drive_pA):
            raise ValueError(f"drive_pA must be finite, got {self.drive_pA!r}")


@dataclass(frozen=True)
class GiState:
    """Steady state of the cascade. Fractions are 0..1; ``*_rel`` are fractions of basal."""

    agonist_occupancy: float
    antagonist_occupancy: float
    g_active: float  # fraction of G proteins active (Gα·GTP and free Gβγ)
    camp_rel: float
    girk_open: float  # fraction of GIRK channels open
    calcium_rel: float
    firing_hz: float
    basal_firing_hz: float


@functools.lru_cache(maxsize=32)
def _basal_rate_hz(params: GiParameters) -> float:
    """Firing rate with no GIRK conductance (cached: it depends on the parameters only)."""
    return float(lif_rate_hz(params.drive_pA, params.g_leak_nS, 0.0))


def gi_cascade(
    agonist, ka, tau, antagonist=0.0, kb=float("inf"), params: GiParameters | None = None
) -> GiState:
    r"""Steady-state readouts of Gi/o signalling for one agonist (and a competitive antagonist).

    1. Occupancy (Gaddum): :math:`p_A = \frac{[A]/K_A}{1 + [A]/K_A + [B]/K_B}`,
       :math:`p_B = \frac{[B]/K_B}{1 + [A]/K_A + [B]/K_B}`.
    2. Fraction of G proteins active, *g*: the operational model's response (Black & Leff
       1983, n = 1) with K_A replaced by K_A(1 + [B]/K_B), so that *g* ≤ τ/(1 + τ).
    3. Gαi·GTP inhibits adenylyl cyclase: cAMP/basal = 1 − I_cAMP · g.
    4. Gβγ gates GIRK channels: fraction open = g (a linear simplification; real gating is
       cooperative).
    5. Gβγ inhibits voltage-gated Ca²⁺ channels: I_Ca/basal = 1 − I_Ca,max · g.
    6. Firing rate: leaky integrate-and-fire neuron with GIRK conductance
       g · girk_max_nS (:func:`lif_rate_hz`).

    Simplifications: steady state (no kinetics, no desensitisation); one receptor type; no
    constitutive activity, so an antagonist alone does nothing (naltrexone's inverse agonism
    is not modelled); the parameters in :class:`GiParameters` are illustrative.

    Parameters
    ----------
    agonist : float
        Agonist concentration, M (>= 0).
    ka : float
        Agonist dissociation constant, M (> 0).
    tau : float
        Agonist efficacy (transducer ratio, >= 0).
    antagonist : float, default 0
        Competitive antagonist concentration, M (>= 0).
    kb : float, default inf
        Antagonist dissociation constant, M (> 0).
    params : GiParameters, optional
        Cascade and neuron parameters.

    Returns
    -------
    GiState

    References
    ----------
    Gaddum JH (1937) J Physiol 89:7P–9P. Black JW, Leff P (1983) Proc R Soc Lond B 220:141–162.
    North RA, Williams JT, Surprenant A, Christie MJ (1987) Proc Natl Acad Sci USA 84:5487–5491
    (MOR and DOR open the same potassium conductance).
    """
    p = params or GiParameters()
    for name, value in (
        ("agonist", agonist),
        ("ka", ka),
        ("tau", tau),
        ("antagonist", antagonist),
        ("kb", kb),
    ):
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number")
    a = float(_checks.concentration(agonist, "agonist"))
    k_a = float(_checks.positive(ka, "ka"))
    b = float(_checks.concentration(antagonist, "antagonist"))
    k_b = float(_checks.positive(kb, "kb", allow_inf=True))
    b_ratio = b / k_b  # 0 without antagonist (or with kb = inf)
    p_a = float(gaddum_occupancy(a, k_a, b_ratio, 1.0))  # Gaddum with [B]/K_B as one number
    p_b = b_ratio / (1.0 + a / k_a + b_ratio)
    g_act = float(operational_effect(agonist, ka, tau, antagonist=antagonist, kb=kb))
    basal = _basal_rate_hz(p)
    rate = float(lif_rate_hz(p.drive_pA, p.g_leak_nS, g_act * p.girk_max_nS))
    return GiState(
        agonist_occupancy=p_a,
        antagonist_occupancy=p_b,
        g_active=g_act,
        camp_rel=1.0 - p.camp_max_inhibition * g_act,
        girk_open=g_act,
        calcium_rel=1.0 - p.calcium_max_inhibition * g_act,
        firing_hz=rate,
        basal_firing_hz=basal,
    )
