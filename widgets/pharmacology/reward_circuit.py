r"""A rate model of the VTA → nucleus accumbens reward circuit, with opioids, alcohol and naltrexone.

Populations and links (signs: + excites, − inhibits):

* **VTA GABA interneurons** (``gaba``) carry mu-opioid receptors (MOR). MOR activation
  hyperpolarizes them (Johnson & North 1992, rat brain slices; not measured in people).
* **VTA dopamine neurons** (``dopamine_neurons``) are tonically inhibited by those
  interneurons, so quieting the interneurons *disinhibits* them.
* **Nucleus accumbens (NAc) dopamine** (``nac_dopamine``) follows dopamine-neuron firing
  with a lag (release and clearance, and the slow sampling of microdialysis).
* **Alcohol** releases endogenous opioids. The human evidence is PET (Mitchell et al. 2012):
  after a drink, [11C]carfentanil was displaced from mu receptors in the nucleus accumbens and
  orbitofrontal cortex; the tracer does not say which peptide was released (beta-endorphin and
  enkephalins are candidates). *Model assumption:* these opioids act at the MOR of the VTA GABA
  interneurons, like an opioid drug in the rat slices of Johnson & North (1992); that step was
  not measured in people. Alcohol's other actions (GABA-A, glutamate and others) are lumped
  into one naltrexone-insensitive excitatory path to the dopamine neurons.
* **Dynorphin / KOR brake**: dopamine above baseline recruits dynorphin, whose kappa-opioid
  receptors (KOR) directly inhibit dopamine neurons (Margolis et al. 2003).
* **Naltrexone** competes with every agonist at MOR and with dynorphin at KOR; the
  agonists' occupancy follows the Gaddum equation (:func:`gaddum_occupancy`), the same law
  as in lesson 03. Several agonists at one site combine as the sum of [A_i]/K_i.

Rates are relative to the resting rate (1 = baseline) and follow first-order relaxation to
a rectified target, integrated with the exponential-Euler method at a fixed step:

.. math::

    \tau_G \dot G = \max(0,\,1 - a_\mu p_\mu) - G \qquad
    \tau_D \dot D = \max(0,\,1 + w_\text{dis}(1-G) + w_\text{alc} c_\text{alc}
                        - a_\kappa p_\kappa) - D

    \tau_\text{NAc}\,\dot{DA} = D - DA \qquad \tau_\text{dyn}\,\dot y = g_\text{dyn}\max(0, DA-1) - y

    p_\mu = \frac{x}{x + 1 + [B]/K_{B,\mu}},\quad x = \frac{[\text{opioid}]}{K_\text{opioid}}
            + \frac{[\beta\text{-end}]}{K_{\beta\text{-end}}} \qquad
    p_\kappa = \frac{y}{y + 1 + [B]/K_{B,\kappa}}

Magnitudes: only the NAc dopamine rise after a moderate alcohol dose (about 150–200 % of
baseline in rat microdialysis, Di Chiara & Imperato 1988, an approximate figure) anchors
the scale; naltrexone's dose-dependent reversal of that rise (Benjamin et al. 1993;
Gonzales & Weiss 1998) is a qualitative check. Every other constant in
:class:`CircuitParameters` is a *qualitative* teaching choice, not a measurement.

Known limit: with the default constants, raising naltrexone never raises dopamine for
opioid levels up to at least 50 K_A (tested). When an agonist holds more than about 99 % of
MOR, naltrexone can no longer lower the mu drive but still loosens the KOR brake, and
dopamine then rises by under 1 % of baseline.

References
----------
Johnson SW, North RA (1992) J Neurosci 12:483–488 (rat VTA slices). Margolis EB et al. (2003)
J Neurosci 23:9981–9986 (KOR inhibits VTA dopamine neurons). Di Chiara G, Imperato A (1988) PNAS 85:5274–5278.
Benjamin D, Grant ER, Pohorecky LA (1993) Brain Res 621:137–140. Gonzales RA, Weiss F (1998)
J Neurosci 18:10663–10671. Mitchell JM et al. (2012) Sci Transl Med 4:116ra6 (human PET:
nucleus accumbens and orbitofrontal cortex).
Gaddum JH (1937) J Physiol 89:7P–9P.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import _checks
from .receptor_theory import gaddum_occupancy


@dataclass(frozen=True)
class CircuitParameters:
    """Constants of the circuit model. All are qualitative teaching values unless noted.

    Time constants in minutes. Gains are dimensionless (rates are relative to baseline).
    ``w_disinhibition`` is the one constant set by a published magnitude: it is chosen so
    that 0.8 g/kg alcohol raises NAc dopamine to about 175 % of baseline, inside the
    150–200 % range of rat microdialysis (Di Chiara & Imperato 1988; approximate).
    """

    # Alcohol absorption and elimination, first order (a simplification: ethanol
    # elimination is close to zero order). Peak about 40 min after drinking.
    alcohol_ka_per_min: float = 0.05
    alcohol_ke_per_min: float = 0.01
    # Endogenous opioid released per unit alcohol level, as beta-endorphin-equivalent nM.
    opioid_release_nM_per_level: float = 1.0
    tau_release_min: float = 10.0
    # An opioid drug reaches the brain with this time constant after it is given.
    tau_opioid_min: float = 5.0
    tau_gaba_min: float = 1.0
    tau_dopamine_neurons_min: float = 1.0
    tau_nac_min: float = 5.0
    tau_dynorphin_min: float = 15.0
    mor_inhibition: float = 0.9  # a_mu: full MOR activation silences 90 % of GABA firing
    w_disinhibition: float = 1.6  # w_dis: calibrated (see class docstring)
    w_alcohol_direct: float = 0.2  # GABA-A / glutamate path, per unit alcohol level
    dynorphin_gain: float = 1.0  # g_dyn
    kor_inhibition: float = 0.15  # a_kappa: a modest brake
    # Ethanol dose that gives alcohol level 1 at its peak.
    level_per_g_per_kg: float = 1.0


@dataclass(frozen=True)
class CircuitResult:
    """Time courses of the circuit model. Rates are relative to baseline (1 = resting)."""

    time_min: np.ndarray
    alcohol_level: np.ndarray  # relative units: 1 at the peak after 1 g/kg
    opioid_nM: np.ndarray  # opioid drug at the receptors
    endogenous_opioid_nM: np.ndarray  # beta-endorphin-equivalent, illustrative
    mor_agonist_occupancy: np.ndarray  # fraction of MOR held by agonists (drug + peptides)
    kor_agonist_occupancy: np.ndarray  # fraction of KOR held by dynorphin
    gaba: np.ndarray  # VTA GABA interneuron rate
    dopamine_neurons: np.ndarray  # VTA dopamine neuron rate
    nac_dopamine: np.ndarray  # NAc extracellular dopamine, relative
    dynorphin: np.ndarray  # dynorphin, in units of its K at KOR
    naltrexone_mor_occupancy: float  # at rest (no agonist)
    naltrexone_kor_occupancy: float

    @property
    def nac_dopamine_pct(self) -> np.ndarray:
        """NAc dopamine as % of baseline."""
        return 100.0 * self.nac_dopamine

    def at(self, t_min: float) -> dict:
        """All time courses at the sample nearest ``t_min`` (a dict of floats)."""
        i = int(np.argmin(np.abs(self.time_min - t_min)))
        return {
            f.name: float(getattr(self, f.name)[i])
            for f in fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }


def _scalar(value, name, check):
    arr = check(value, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def alcohol_level(time_min, dose_g_per_kg, drink_min, params: CircuitParameters | None = None):
    r"""Relative brain alcohol level after one drink (Bateman function, first order).

    .. math:: c(t) = s\,D\,\frac{e^{-k_e t'} - e^{-k_a t'}}{\max_{t'}(e^{-k_e t'} - e^{-k_a t'})},
              \quad t' = t - t_\text{drink} \ge 0

    Scaled so that a dose of 1 g/kg peaks at ``params.level_per_g_per_kg``. A teaching
    simplification: real ethanol elimination is nearly zero order and absorption depends on
    food; the level is in relative units, not a blood alcohol concentration.
    """
    p = params or CircuitParameters()
    t = _checks.as_float_array(time_min, "time_min")
    dose = _scalar(dose_g_per_kg, "dose_g_per_kg", _checks.non_negative)
    ka, ke = p.alcohol_ka_per_min, p.alcohol_ke_per_min
    t_peak = np.log(ka / ke) / (ka - ke)
    norm = np.exp(-ke * t_peak) - np.exp(-ka * t_peak)
    tp = np.maximum(t - drink_min, 0.0)
    return p.level_per_g_per_kg * dose * (np.exp(-ke * tp) - np.exp(-ka * tp)) / norm


def simulate_reward_circuit(
    opioid_nM=0.0,
    alcohol_g_per_kg=0.0,
    naltrexone_nM=0.0,
    *,
    opioid_ki_nM,
    endorphin_ki_nM,
    naltrexone_ki_mor_nM,
    naltrexone_ki_kor_nM,
    opioid_start_min=10.0,
    drink_min=30.0,
    t_end_min=180.0,
    dt_min=0.5,
    params: CircuitParameters | None = None,
) -> CircuitResult:
    """Simulate the VTA–NAc rate model through one episode (fixed-step exponential Euler).

    Parameters
    ----------
    opioid_nM : float
        Brain concentration of an opioid agonist (e.g. morphine) reached after
        ``opioid_start_min``, nM (>= 0). Held constant afterwards (a simplification).
    alcohol_g_per_kg : float
        Ethanol drunk at ``drink_min``, g per kg body weight (0–3).
    naltrexone_nM : float
        Free brain naltrexone, nM (>= 0), present throughout (taken beforehand).
    opioid_ki_nM, endorphin_ki_nM, naltrexone_ki_mor_nM, naltrexone_ki_kor_nM : float
        Dissociation constants, nM (> 0); the widgets take them from data/ via
        :mod:`widgets.data_access.affinities`. Dynorphin is expressed in units of its own K at KOR.
    opioid_start_min, drink_min : float
        When the opioid arrives and when the drink is taken, minutes (>= 0).
    t_end_min, dt_min : float
        Length of the episode and the fixed time step, minutes (dt <= 5, t_end <= 1440).
    params : CircuitParameters, optional
        Model constants; the defaults are documented in :class:`CircuitParameters`.

    Returns
    -------
    CircuitResult
        Time courses; at rest (no opioid, no alcohol) every rate is exactly 1.

    References
    ----------
    Johnson & North (1992); Margolis et al. (2003); Di Chiara & Imperato (1988);
    Benjamin et al. (1993); Gonzales & Weiss (1998); Gaddum (1937). See the module docstring.
    """
    p = params or CircuitParameters()
    opioid = _scalar(opioid_nM, "opioid_nM", _checks.concentration)
    alcohol = _scalar(alcohol_g_per_kg, "alcohol_g_per_kg", _checks.non_negative)
    if alcohol > 3.0:
        raise ValueError(f"alcohol_g_per_kg must be between 0 and 3, got {alcohol:g}")
    ntx = _scalar(naltrexone_nM, "naltrexone_nM", _checks.concentration)
    k_op = _scalar(opioid_ki_nM, "opioid_ki_nM", _checks.positive)
    k_end = _scalar(endorphin_ki_nM, "endorphin_ki_nM", _checks.positive)
    kb_mor = _scalar(naltrexone_ki_mor_nM, "naltrexone_ki_mor_nM", _checks.positive)
    kb_kor = _scalar(naltrexone_ki_kor_nM, "naltrexone_ki_kor_nM", _checks.positive)
    t_start = _scalar(opioid_start_min, "opioid_start_min", _checks.non_negative)
    t_drink = _scalar(drink_min, "drink_min", _checks.non_negative)
    t_end = _scalar(t_end_min, "t_end_min", _checks.positive)
    dt = _scalar(dt_min, "dt_min", _checks.positive)
    if dt > 5.0:
        raise ValueError(f"dt_min must be > 0 and <= 5 minutes, got {dt:g}")
    if t_end > 1440.0 or t_end < dt:
        raise ValueError(f"t_end_min must be between dt_min and 1440 minutes, got {t_end:g}")

    n = int(round(t_end / dt)) + 1
    t = np.arange(n) * dt
    alc = alcohol_level(t, alcohol, t_drink, p)
    drug = np.where(t >= t_start, opioid * (1.0 - np.exp(-(t - t_start) / p.tau_opioid_min)), 0.0)

    # Endogenous opioid release: linear first-order lag on the alcohol level.
    endo = np.zeros(n)
    decay_rel = np.exp(-dt / p.tau_release_min)
    for i in range(1, n):
        target = p.opioid_release_nM_per_level * alc[i - 1]
        endo[i] = target + (endo[i - 1] - target) * decay_rel

    # All MOR agonists at one site: the Gaddum law with the summed agonist ratio (K = 1).
    agonist_ratio = drug / k_op + endo / k_end
    mor = np.asarray(gaddum_occupancy(agonist_ratio, 1.0, ntx, kb_mor), dtype=float)

    g = np.ones(n)
    d = np.ones(n)
    da = np.ones(n)
    dyn = np.zeros(n)
    kor = np.zeros(n)
    e_g = np.exp(-dt / p.tau_gaba_min)
    e_d = np.exp(-dt / p.tau_dopamine_neurons_min)
    e_da = np.exp(-dt / p.tau_nac_min)
    e_dyn = np.exp(-dt / p.tau_dynorphin_min)
    kor_scale = 1.0 + ntx / kb_kor  # Gaddum: naltrexone raises dynorphin's apparent K
    for i in range(1, n):
        j = i - 1
        kor[j] = dyn[j] / (dyn[j] + kor_scale)
        g_target = max(0.0, 1.0 - p.mor_inhibition * mor[j])
        d_target = max(
            0.0,
            1.0 + p.w_disinhibition * (1.0 - g[j]) + p.w_alcohol_direct * alc[j] - p.kor_inhibition * kor[j],
        )
        dyn_target = p.dynorphin_gain * max(0.0, da[j] - 1.0)
        g[i] = g_target + (g[j] - g_target) * e_g
        d[i] = d_target + (d[j] - d_target) * e_d
        da[i] = d[j] + (da[j] - d[j]) * e_da
        dyn[i] = dyn_target + (dyn[j] - dyn_target) * e_dyn
    kor[-1] = dyn[-1] / (dyn[-1] + kor_scale)

    return CircuitResult(
        time_min=t,
        alcohol_level=alc,
        opioid_nM=drug,
        endogenous_opioid_nM=endo,
        mor_agonist_occupancy=mor,
        kor_agonist_occupancy=kor,
        gaba=g,
        dopamine_neurons=d,
        nac_dopamine=da,
        dynorphin=dyn,
        naltrexone_mor_occupancy=float(ntx / (ntx + kb_mor)),
        naltrexone_kor_occupancy=float(ntx / (ntx + kb_kor)),
    )
