r"""Naltrexone in the body: plasma levels and brain opioid-receptor blockade over time.

A linear parent–metabolite model for oral tablets and the 380 mg extended-release injection,
with two alternative explanations of the days-long brain blockade. Its free parameters are
fitted by least squares to the published figures marked ``fitted`` in
``data/naltrexone_fit_targets.csv`` and ``data/pet_occupancy.csv``
(:mod:`widgets.pharmacology.naltrexone_fit`); the rows marked ``validation`` are figures the
fit never saw, and :func:`widgets.pharmacology.naltrexone_report.compare_naltrexone_with_published`
shows every row with its role.

Model (amounts in mg, concentrations in ng/mL, time in hours)
-------------------------------------------------------------
*Tablet.* The dose passes three gut transit steps (rate :math:`k_a` each). A fraction
:math:`F` reaches the blood as naltrexone; the rest becomes 6β-naltrexol on the first pass
through the liver.

*Injection.* The microspheres release the dose in three sequential phases (Dunbar et al.
2007): a burst (one first-order step), diffusion (two steps in series) and erosion (four
steps in series), straight into the blood: no first pass, so far less 6β-naltrexol.

*Disposition* (a central compartment and, for the second mechanism, a deep one):

.. math::

    \dot A_c = F k_a G_3 + R_{XR}(t) - (k_{10} + k_{13}) A_c + k_{31} A_d,
    \quad \dot A_d = k_{13} A_c - k_{31} A_d,

    \dot A_m = (1-F) k_a G_3 + k_{10} A_c - k_m A_m,

with :math:`C_p = A_c/V_c`, :math:`C_m = A_m/V_m` (:math:`V_m` apparent: the volume divided by
the fraction converted) and :math:`k_m = \ln 2 / 13` h (Swiss product information).
:math:`V_m = CL_m / k_m` is not fitted: :math:`CL_m` = 65.1 L/h is 6β-naltrexol's apparent
clearance in the injection's population model (Dunbar et al. 2007, 453 people; the clearance
divided by the fraction converted), used for both routes, which assumes the same fraction converted
after a tablet (a simplification). Meyer et al.'s (1984) renal clearance of 6β-naltrexol, 283 mL/min
(17 L/h), is about a quarter of it: about a quarter of what is converted leaves unconjugated in urine
(conjugated 6β-naltrexol is also a major urinary metabolite, Wall et al. 1981).
The code also carries a peripheral compartment (:math:`k_{12}, k_{21}`), fixed off
(:data:`FIXED_OFF`): the fitted figures do not identify it. In the first v3 fits from 24 random
starts it ran to its bounds (brain pool) or swapped places with the deep compartment, which has
the same structure (terminal phase), and it traded off against the brain pool; with it fixed off,
20 of 24 starts (brain pool) and 24 of 24 (terminal phase) reach the same optimum (every
parameter within 2 %).
**Each route has its own apparent clearance**, :math:`k_{10} = CL/V_c`: 94 L/h for tablets
(Meyer et al. 1984) and 140 L/h for the injection (Dunbar et al. 2007, an apparent clearance
from the injection's population model). One clearance cannot serve both: with 140 L/h for
tablets the measured oral exposure would need a bioavailability the plasma curve's shape
does not allow (see "Where the sources disagree"). This is a simplification: a person has one
naltrexone clearance, and the two apparent values absorb what the model leaves out (the
injection's true release and the uncertain oral bioavailability among them).

*Brain blockade* is competitive occupancy (Gaddum) of receptor R by naltrexone,

.. math::

    L_R = \frac{C_p + C_e}{K_R} + w\,\frac{C_m}{K_{m,R}}, \qquad
    \text{blockade}_R = \frac{L_R}{1 + L_R}, \qquad \text{dose ratio} = 1 + L_{MOR},

with :math:`K_R` = naltrexone's K_i at R (``data/ligand_affinities.csv``) divided by the free
fraction (0.79) and multiplied by one in vivo factor φ. **6β-naltrexol has no brain weight**
(:math:`w = 0`, a simplification): intravenous doses up to 20 mg had no central effect in people
(morphine's analgesia and pupil constriction unchanged) while about 3 mg halved its slowing of
the gut (the ED50; Yancey-Wrona et al. 2011). 20 mg gives less 6β-naltrexol than a 50 mg tablet,
so a small central share after tablets is not ruled out (in mice it acts centrally, more weakly
than naltrexone; Yancey-Wrona et al. 2009).

Two mechanisms for the days-long blockade
-----------------------------------------
*Slow brain pool* (``mechanism="brain_pool"``, the default; Rabiner et al. 2011 found the
plasma–occupancy relation indirect): :math:`\dot C_e = k_{e0}(g\,C_p - C_e)`, no deep
compartment (:math:`k_{13} = 0`). It stands for slow dissociation, rebinding or tissue
retention, which the data cannot separate.

*Terminal plasma phase* (``mechanism="terminal_phase"``; Lee et al. 1988: blockade
"corresponds well to the half-time of the terminal phase of plasma naltrexone clearance
(96 h)"): a deep compartment returns naltrexone to plasma slowly, and occupancy follows
plasma directly (:math:`C_e = 0`).

Both are fitted to the same published figures and both meet every fitted one, so the PET and
plasma figures used in the fit cannot tell them apart. They differ in plasma naltrexone days
after a tablet (the terminal-phase fit needs about half a ng/mL at 48 h, the brain-pool fit
almost none) and in the slope of the plasma curve 12–24 h after a tablet.

*Validation* (fifteen figures the fit never saw; :func:`widgets.pharmacology.compare_naltrexone_with_published`,
counted by :func:`widgets.pharmacology.naltrexone_report.validation_counts`): each fit meets eight. Five of
those passes are close to guaranteed by the model's structure, its fixed inputs or a fitted figure and
are marked not independent (column ``independent`` of ``data/naltrexone_fit_targets.csv``): less
6β-naltrexol after the injection (Dunbar et al. 2006; no first pass, below 1 for every bioavailability
inside the fit's bounds); unconjugated 6β-naltrexol in urine (Meyer et al. 1984, about 24 % against 25 %;
Cone et al. 1974, about 26 % against 26.3 %), which is about Meyer's renal clearance over Dunbar et al.
2007's apparent clearance whatever the fit (the Meyer pass came with model v3's validation pass, which
took 6β-naltrexol's clearance from Dunbar et al. 2007 instead of fitting the Swiss PI's 108 ng/mL peak,
prompted by the earlier miss by a factor of three); Bertolotti et al.'s (1997) naltrexone AUC(0-24 h)
after 100 mg (about 145 against 200 ± 97 ng·h/mL: twice the fitted 50 mg AUC, the model being linear)
and Cone et al.'s urinary naltrexone over 6 days (about 1.1 % against 1.2 ± 0.5 %: the fitted exposure
times Meyer's renal clearance; the terminal-phase fit misses it). Three passes count as independent
evidence in the brain-pool fit and four in the terminal-phase fit, fewer than the five the model was meant
to meet, and they are modest: MOR blockade still present 144 h after 50 mg and 24 h after 12.5 mg (PET
abstract 2005, P values only, counted at 10 % or more; both follow largely from the fitted PET figures);
King et al.'s (1997) urinary 6β-naltrexol : naltrexone 3 h after 50 mg (about 6 against about 10, a
factor-2 tolerance); and, in the terminal-phase fit, Wall et al.'s 8.9 h terminal half-life (the
brain-pool fit gives about 3 h). Both miss:

* Weerts et al. (2008) on the 4th day of 50 mg/day (their PET day): MOR about 85 % against
  94.9 ± 4.9 %, and DOR about 4 % against 21.1 ± 14.5 %. The MOR miss goes with the fitted PET
  points: the fitted curve lies above Rabiner's 15 mg point (72 against 61 %) and below the 50 mg
  points (89 against 92 and 98 %); one competitive site cannot pass through all of them. The DOR
  miss comes from the approximate K_i range in ``data/ligand_affinities.csv`` (DOR about 170 times weaker than MOR; Trøstheim et al. use 79),
  for which no primary binding table was read. With 79 the model would give about 8 %, inside
  one SD; the ratio is left as it was, because changing it after seeing the result would be
  tuning to a validation figure (a primary K_i table should decide).
* Weerts et al.'s scan time after the 4th tablet is not in the abstract; the model's value is the
  mean over that day. 1-8 h after the tablet (Rabiner's window) the model gives about 92 %, inside
  one SD, at the day's trough about 75 %: the MOR verdict hangs on the paper's methods.
* KOR blockade after a week of supervised 100 mg/day (PET, 44 heavy drinkers; Mol Psychiatry
  2021, ``kor_pet2021``): about 76 % against 92 ± 1 % (± an SD or an SE, not stated; counted
  within 6.6 points, the wider reading). The KOR K_i range (about 4.5 times weaker than MOR;
  Trøstheim et al. use 2) decides it: with 2 the model gives about 88 %. With the DOR miss it says
  the approximate K_i ratios make naltrexone too MOR-selective; a primary K_i table should decide.
* Meyer et al.'s (1984) naltrexone in urine within 48 h, turned into a model quantity with the
  same study's renal clearance (127 mL/min): 1.1–1.4 % against "less than 1 %". The
  bioequivalence study's own mean AUC (65 ng·h/mL) would give 1.0 %; the fitted AUC sits at
  about 73, where the fitted peak and half-life put it. A near miss, shown rather than tuned.
* Bertolotti et al.'s (1997) 6β-naltrexol after 100 mg (7 people with normal liver function):
  AUC(0-24 h) about 1090 (brain pool) against 2467 ± 730 ng·h/mL, and 6β-naltrexol : naltrexone
  at 2 h about 3 against 10.9 ± 4.8. This study sides with the Swiss PI's disputed 108 ng/mL peak,
  Meyer's and Cone's urine with Dunbar's clearance; the model is not refitted to either.
  The terminal-phase fit also misses Cone et al.'s urinary naltrexone (about 1.9 %).

Bekier et al. (2020) was a validation row in the first v3 pass; it is *context* now, on
principle: drug monitoring of patients whose tablets were not supervised cannot test a model of a
person who took every tablet on time (the reason is in its data row). The default stays the
brain pool because the injection's hand-set release constants were set with it (with the
terminal phase the injection's second peak and half-life leave the label's ranges); the
validation figures make that choice an open question, not a finding.

Where the sources disagree
--------------------------
=============================  ======================  ====================================
figure                         sources                 the model follows
=============================  ======================  ====================================
naltrexone AUC after 50 mg     64.7–66.2 ng·h/mL       the bioequivalence study (measured
                               (bioequivalence study,  curves, 10 volunteers), because
                               naltrexone_be_cn);      the 27 is derived from an estimated
                               about 27 from F·dose/CL F and a clearance from another study
                               (Meyer 1984)
naltrexone C_max after 50 mg   13.3 (Swiss PI);        the range 13.3–17.2
                               16.6–17.2 (BE study)
naltrexone half-life (oral)    4 h (Meyer 1984, PI);   3–4 h (slope 2–12 h) fitted; 8.9 h
                               3.0–3.3 h (BE study);   is a validation point (slope
                               8.9 h terminal (Wall    12–24 h)
                               1981)
28-day exposure, injection vs  3–4 (VIVITROL label,    not fitted: with the oral AUC above
50 mg/day                      oral data extrapolated  and the injection's 140 L/h the
                               beyond day 5)           ratio is lower (shown as a
                                                       disagreement)
6β-naltrexol half-life         13 h (PI); 12 h (Meyer) 13 h; the BE study's 7.6–9.9 h is
                               11.1 h i.v. (Yancey-    shown beside it
                               Wrona); 7.6–9.9 (BE)
6β-naltrexol exposure after    peak about 108 ng/mL    Dunbar's clearance (a model input);
50 mg                          (Swiss PI, no study     with the 13 h half-life it allows a
                               named); clearance 65.1  peak of about 35 ng/mL, so the PI's
                               L/h (Dunbar 2007, 453   108 is shown as disputed. Meyer's
                               people); AUC after 100  urine (25 % in 48 h) is validation;
                               mg 2467 (Bertolotti     Bertolotti's AUC is validation
                               1997)                   (missed)
first-pass loss (oral)         about 95 % (Swiss PI;   follows from the AUC choice above:
                               Meyer's F about 5 %,    the BE study's AUC with Meyer's
                               with its AUC near 27)   94 L/h gives about 88 %; the model's
                                                       1 − F is shown as disputed
6β-naltrexol : naltrexone      10–30 (a Wikipedia      not used: the primary source was
at steady state                article; primary not    not found; the model's value is
                               found)                  shown as disputed
=============================  ======================  ====================================

Parameters and uncertainty
--------------------------
Six free parameters per mechanism (values in :data:`FITTED_PARAMETERS`) are fitted from 24
random starts (:data:`widgets.pharmacology.naltrexone_fit.N_STARTS`);
``data/naltrexone_fit_starts.csv`` lists every start's optimum and error sum: 20 of the 24 reach
the stored optimum with the brain pool, 24 of 24 with the terminal phase. Uncertainty is an approximate 95 % profile
likelihood (each parameter stepped away from its best value, the others refitted, until the
error sum rises by 1.92; ``data/naltrexone_fit_profiles.csv``). Brain pool: F 0.106–0.148,
k_a 5.1–17.0 /h, V_c 341–552 L, in vivo affinity factor 5.0–20.2, k_e0
0.0089–0.0200 /h, gain 0.95–8.4. Terminal phase: F 0.16–0.38, k_a 4.4–16.8 /h, V_c 306–1189 L,
affinity factor 2.2–9.1, k_13 0.10–0.66 /h, k_31 0.018–0.071 /h. Every interval
closes inside the fit bounds; :func:`widgets.pharmacology.naltrexone_fit.parameter_uncertainty`
would print an open end as "not limited", never as a number. The refitted parameter sets at the
ends of the intervals give the band lesson 04 draws around the blockade curve (after one 50 mg
tablet, MOR blockade 55–81 % at 24 h and 39–63 % at 72 h). Fixed from data: naltrexone's two
apparent clearances, 6β-naltrexol's clearance and half-life, protein binding, the K_i values, w = 0 and the injection's release
constants (teaching assumptions set by hand to the label's timeline; ``data/naltrexone_pk.csv``
marks them *assumption*).

Simplifications: linear kinetics (doses add up); one brain region; no individual
variability, liver disease or drug interactions; dose times rounded to the time grid. The
fitted values describe an average person in the studies, not a patient.

References
----------
Meyer MC et al. (1984) J Clin Psychiatry 45(9 Pt 2):15–19. Wall ME, Brine DR, Perez-Reyes M
(1981) Drug Metab Dispos 9:369–375. Dunbar JL et al. (2006) Alcohol Clin Exp Res 30:480–490;
(2007) J Stud Alcohol Drugs 68:862–870. Lee MC et al. (1988) J Nucl Med 29:1207–1211.
Rabiner EA et al. (2011) Mol Psychiatry 16:826–835. Weerts EM et al. (2008)
Neuropsychopharmacology 33:653–665. Yancey-Wrona J et al. (2011) Pain Med 12:1727–1737.
KOR occupancy by naltrexone (2021) Mol Psychiatry 26:5053–5060 (``kor_pet2021``).
Bertolotti M et al. (1997) J Hepatol 27:505–511. Cone EJ, Gorodetzky CW, Yeh SY (1974) Drug Metab
Dispos 2:506–512. King AC et al. (1997) Alcohol Clin Exp Res 21:906–909.
Swiss product information for naltrexone 50 mg tablets; VIVITROL prescribing information;
the bioequivalence study and the other sources in ``data/references.csv``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .receptor_theory import RECEPTORS

MW_NALTREXONE = 341.41  # g/mol
MW_NALTREXOL = 343.42  # g/mol (6β-naltrexol, C20H25NO4)
ROUTES = ("oral", "injection")
MECHANISMS = ("brain_pool", "terminal_phase")
DEFAULT_MECHANISM = "brain_pool"
LEE_TIMES_H = (48.0, 72.0, 120.0, 168.0)  # Lee et al. 1988 measurement times after the peak
COLUMNS = ["time_h", "naltrexone_ng_ml", "naltrexol_ng_ml", "mor_occupancy", "kor_occupancy", "dor_occupancy"]
MAX_STEPS = 200_000

COMMON_FREE = (
    "bioavailability",
    "ka_per_h",
    "central_volume_l",
    "in_vivo_affinity_factor",
)
# What each free parameter is, in words (tables in lessons show these, not the keys).
PARAMETER_LABELS = {
    "bioavailability": "oral bioavailability F (fraction)",
    "ka_per_h": "absorption rate k_a (per h)",
    "central_volume_l": "naltrexone volume V_c (L)",
    "in_vivo_affinity_factor": "in vivo affinity factor φ",
    "keo_per_h": "brain pool rate k_e0 (per h)",
    "slow_pool_gain": "brain pool gain g",
    "k13_per_h": "into the deep compartment k_13 (per h)",
    "k31_per_h": "back from the deep compartment k_31 (per h)",
}
FREE_PARAMETERS = {
    "brain_pool": COMMON_FREE + ("keo_per_h", "slow_pool_gain"),
    "terminal_phase": COMMON_FREE + ("k13_per_h", "k31_per_h"),
}
# Parameters a mechanism does not use, fixed so that they have no effect. The peripheral
# compartment (k12, k21) is fixed off in both mechanisms: the fitted figures do not identify it
# (v3's first 24-start fits drove it to the bounds, or swapped it with the deep compartment,
# which is the same structure, or traded it against the brain pool). One slow compartment is
# the terminal-phase mechanism; none is the brain-pool mechanism (module docstring).
FIXED_OFF = {"k12_per_h": 0.0, "k21_per_h": 1.0}
UNUSED = {
    "brain_pool": {**FIXED_OFF, "k13_per_h": 0.0, "k31_per_h": 1.0},
    "terminal_phase": {**FIXED_OFF, "keo_per_h": 1.0, "slow_pool_gain": 0.0},
}

# The best of the random-start fits (widgets.pharmacology.naltrexone_fit; every start is in
# data/naltrexone_fit_starts.csv). Stored so that importing and simulating never re-fit.
FITTED_PARAMETERS = {
    "brain_pool": {
        "bioavailability": 0.1375397981,
        "ka_per_h": 8.724303253,
        "central_volume_l": 440.9007293,
        "in_vivo_affinity_factor": 8.278114855,
        "keo_per_h": 0.01006611278,
        "slow_pool_gain": 1.559912403,
    },
    "terminal_phase": {
        "bioavailability": 0.2759304329,
        "ka_per_h": 8.526928648,
        "central_volume_l": 861.0926758,
        "in_vivo_affinity_factor": 6.494105883,
        "k13_per_h": 0.1597821475,
        "k31_per_h": 0.02629806576,
    },
}

# State vector (amounts in mg unless stated): gut transit steps, naltrexone central,
# peripheral, deep, 6β-naltrexol (as mg of naltrexone converted), the slow brain pool
# (ng/mL, plasma-equivalent), injection burst, 2 diffusion steps, 4 erosion steps.
GUT_STEPS = 3
_C, _P, _D, _M, _B = range(GUT_STEPS, GUT_STEPS + 5)
_XR = GUT_STEPS + 5
_N_STATES = _XR + 7


@dataclass(frozen=True)
class NaltrexoneModel:
    """The model's parameters: fixed ones from ``data/``, free ones fitted (see module doc)."""

    mechanism: str
    bioavailability: float  # fraction of an oral dose reaching the blood unchanged
    ka_per_h: float
    central_volume_l: float
    k12_per_h: float
    k21_per_h: float
    k13_per_h: float  # to the deep compartment (terminal-phase mechanism only)
    k31_per_h: float
    naltrexol_volume_l: float  # apparent (/ fraction converted): clearance_naltrexol / k_m, not fitted
    keo_per_h: float  # slow brain pool (brain-pool mechanism only)
    slow_pool_gain: float
    in_vivo_affinity_factor: float
    naltrexol_brain_weight: float  # w, fixed at 0 (Yancey-Wrona et al. 2011)
    clearance_l_h: float  # tablets (Meyer et al. 1984)
    xr_clearance_l_h: float  # injection, apparent (Dunbar et al. 2007)
    km_per_h: float
    fraction_unbound: float
    ki_nM: dict  # naltrexone K_i per receptor (data/ligand_affinities.csv)
    naltrexol_ki_nM: dict
    xr_fractions: tuple  # burst, diffusion, erosion
    xr_rates_per_h: tuple  # burst, diffusion step, erosion step

    @property
    def affinity_ng_ml(self) -> dict:
        """In vivo plasma-equivalent K of naltrexone per receptor (ng/mL total plasma)."""
        scale = self.in_vivo_affinity_factor * MW_NALTREXONE / 1000.0 / self.fraction_unbound
        return {r: self.ki_nM[r] * scale for r in RECEPTORS}

    @property
    def naltrexol_affinity_ng_ml(self) -> dict:
        """The same for 6β-naltrexol (before its brain weight w)."""
        scale = self.in_vivo_affinity_factor * MW_NALTREXOL / 1000.0 / self.fraction_unbound
        return {r: self.naltrexol_ki_nM[r] * scale for r in RECEPTORS}

    def clearance_for(self, route: str) -> float:
        """The route's apparent clearance (L/h): tablets and the injection differ."""
        return self.xr_clearance_l_h if route == "injection" else self.clearance_l_h

    @property
    def brain_halflife_h(self) -> float:
        """Half-life of the slow brain pool, ln 2 / k_e0 (brain-pool mechanism)."""
        return math.log(2) / self.keo_per_h

    @property
    def deep_halflife_h(self) -> float:
        """Return half-time of the deep compartment, ln 2 / k_31 (terminal-phase mechanism)."""
        return math.log(2) / self.k31_per_h


def _pk_value(table: pd.DataFrame, key: str) -> float:
    row = table.loc[table["key"] == key]
    if row.empty or pd.isna(row["model_value"].iloc[0]):
        raise ValueError(f"data/naltrexone_pk.csv has no model_value for {key!r}")
    return float(row["model_value"].iloc[0])


def _system_matrix(m: NaltrexoneModel, route: str) -> np.ndarray:
    kb, kd, kr = m.xr_rates_per_h
    ka, F = m.ka_per_h, m.bioavailability
    k10 = m.clearance_for(route) / m.central_volume_l
    A = np.zeros((_N_STATES, _N_STATES))
    for i in range(GUT_STEPS):  # tablet: transit steps in series, each at rate k_a
        A[i, i] = -ka
        if i:
            A[i, i - 1] = ka
    gut = GUT_STEPS - 1
    A[_C, gut] = F * ka
    A[_C, _C] = -(k10 + m.k12_per_h + m.k13_per_h)
    A[_C, _P], A[_C, _D] = m.k21_per_h, m.k31_per_h
    A[_C, _XR], A[_C, _XR + 2], A[_C, _XR + 6] = kb, kd, kr  # injection release into the blood
    A[_P, _C], A[_P, _P] = m.k12_per_h, -m.k21_per_h
    A[_D, _C], A[_D, _D] = m.k13_per_h, -m.k31_per_h
    A[_M, gut], A[_M, _C], A[_M, _M] = (1 - F) * ka, k10, -m.km_per_h  # first pass + systemic
    A[_B, _C], A[_B, _B] = m.keo_per_h * m.slow_pool_gain * 1000.0 / m.central_volume_l, -m.keo_per_h
    A[_XR, _XR] = -kb
    A[_XR + 1, _XR + 1], A[_XR + 2, _XR + 1], A[_XR + 2, _XR + 2] = -kd, kd, -kd
    for i in range(_XR + 3, _XR + 7):  # four erosion steps in series
        A[i, i] = -kr
        if i > _XR + 3:
            A[i, i - 1] = kr
    return A


def _powers(M: np.ndarray, x0: np.ndarray, n_steps: int) -> np.ndarray:
    """Rows x0, M x0, M² x0, ... (n_steps + 1 rows), by doubling: no Python loop per step."""
    X = x0[None, :]
    P = M
    while X.shape[0] < n_steps + 1:
        X = np.vstack([X, X @ P.T])
        P = P @ P
    return X[: n_steps + 1]


def _expm(M: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring of a Taylor series (for these small, stable
    matrices; scipy's expm is slower here by orders of magnitude on a busy machine)."""
    norm = float(np.abs(M).sum(axis=0).max())
    squarings = max(0, math.ceil(math.log2(norm / 0.25))) if norm > 0.25 else 0
    A = M / 2.0**squarings
    E = np.eye(M.shape[0])
    term = np.eye(M.shape[0])
    for k in range(1, 16):
        term = term @ A / k
        E = E + term
    for _ in range(squarings):
        E = E @ E
    return E


def _route_input(route: str, xr_fractions) -> np.ndarray:
    x0 = np.zeros(_N_STATES)
    if route == "oral":
        x0[0] = 1.0
    elif route == "injection":
        x0[_XR], x0[_XR + 1], x0[_XR + 3] = xr_fractions
    else:  # "naltrexol_iv": 1 mg of 6β-naltrexol as a bolus (for the Yancey-Wrona check)
        x0[_M] = MW_NALTREXONE / MW_NALTREXOL
    return x0


def unit_response(m: NaltrexoneModel, route: str, dt_h: float, n_steps: int) -> np.ndarray:
    """Per-mg outputs on the grid after one dose at t = 0, exact (matrix exponential).

    Columns: plasma naltrexone (ng/mL), plasma 6β-naltrexol (ng/mL), slow brain pool (ng/mL).
    ``route`` is "oral", "injection" or "naltrexol_iv" (6β-naltrexol given intravenously).
    """
    matrix_route = "oral" if route == "naltrexol_iv" else route
    X = _powers(_expm(_system_matrix(m, matrix_route) * dt_h), _route_input(route, m.xr_fractions), n_steps)
    return np.column_stack(
        [
            1000.0 / m.central_volume_l * X[:, _C],
            1000.0 / m.naltrexol_volume_l * X[:, _M] * MW_NALTREXOL / MW_NALTREXONE,
            X[:, _B],
        ]
    )


def occupancy_levels(m: NaltrexoneModel, outputs: np.ndarray) -> dict:
    """Receptor level L_R = (C_p + C_e)/K_R + w C_m/K_m,R per receptor (occupancy = L/(1+L))."""
    k, km = m.affinity_ng_ml, m.naltrexol_affinity_ng_ml
    drive = outputs[:, 0] + outputs[:, 2]  # the gain g is inside the slow pool's input
    w = m.naltrexol_brain_weight
    return {r: drive / k[r] + w * outputs[:, 1] / km[r] for r in RECEPTORS}


def superpose(resp: np.ndarray, step_index, doses, n_steps: int) -> np.ndarray:
    """Sum of dose-scaled, time-shifted copies of a unit response (linear model)."""
    out = np.zeros((n_steps + 1, resp.shape[1]))
    for t0, d in zip(step_index, doses):
        if t0 <= n_steps and d > 0:
            out[t0:] += d * resp[: n_steps + 1 - t0]
    return out


def _check_mechanism(mechanism) -> str:
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be 'brain_pool' or 'terminal_phase', got {mechanism!r}")
    return mechanism


@functools.cache
def _fixed_inputs() -> dict:
    """The model's inputs taken from data/ (not fitted): read once, as the tables are (load_table
    caches them too). Building a model per parameter set (the fit, the band's 15 sets) then costs
    microseconds, not a table search per value."""
    from ..data_access.affinities import representative_ki_nM  # data access; no UI imports
    from ..data_access.data_tables import load_table

    pk = load_table("naltrexone_pk")
    v = functools.partial(_pk_value, pk)
    xr_fractions = (v("xr_burst_fraction"), v("xr_diffusion_fraction"), v("xr_erosion_fraction"))
    if abs(sum(xr_fractions) - 1.0) > 1e-9:
        raise ValueError("data/naltrexone_pk.csv: the injection's release fractions must add up to 1")
    return dict(
        naltrexol_brain_weight=v("naltrexol_brain_weight"),
        clearance_l_h=v("clearance_meyer1984"),
        xr_clearance_l_h=v("clearance_dunbar2007"),
        km_per_h=math.log(2) / v("halflife_naltrexol_h"),
        # 6β-naltrexol's apparent clearance (Dunbar et al. 2007) and half-life fix its volume
        naltrexol_volume_l=v("clearance_naltrexol_dunbar2007") * v("halflife_naltrexol_h") / math.log(2),
        fraction_unbound=1.0 - v("protein_binding"),
        ki_nM={r: representative_ki_nM("naltrexone", r) for r in RECEPTORS},
        naltrexol_ki_nM={r: representative_ki_nM("6beta_naltrexol", r) for r in RECEPTORS},
        xr_fractions=xr_fractions,
        xr_rates_per_h=(v("xr_burst_rate_per_h"), v("xr_diffusion_rate_per_h"), v("xr_erosion_rate_per_h")),
    )


def build_model(free: dict | None = None, mechanism: str = DEFAULT_MECHANISM) -> NaltrexoneModel:
    """A model from the fixed inputs in data/ and the given free parameters (default: fitted)."""
    mechanism = _check_mechanism(mechanism)
    params = dict(UNUSED[mechanism])
    params.update(FITTED_PARAMETERS[mechanism])
    params.update(free or {})
    fixed = _fixed_inputs()
    # fresh dicts per model: a caller editing one model's K_i must not edit the cache
    fixed = {**fixed, "ki_nM": dict(fixed["ki_nM"]), "naltrexol_ki_nM": dict(fixed["naltrexol_ki_nM"])}
    return NaltrexoneModel(mechanism=mechanism, **{**fixed, **params})


@functools.lru_cache(maxsize=4)
def naltrexone_model(mechanism: str = DEFAULT_MECHANISM) -> NaltrexoneModel:
    """The model with its fitted parameters (cached; see the module docstring).

    Parameters
    ----------
    mechanism : {"brain_pool", "terminal_phase"}
        Which explanation of the days-long blockade (module docstring); default the slow
        brain pool.
    """
    return build_model(mechanism=mechanism)


_RESPONSES: dict = {}


def _response(route: str, dt_h: float, n_steps: int, mechanism: str = DEFAULT_MECHANISM) -> np.ndarray:
    """Per-mg outputs on the grid, cached per route and step (so a widget update is a sum)."""
    key = (route, float(dt_h), mechanism)
    cached = _RESPONSES.get(key)
    if cached is None or cached.shape[0] < n_steps + 1:
        n = max(n_steps, cached.shape[0] - 1 if cached is not None else 0, int(24 * 7 / dt_h))
        cached = unit_response(naltrexone_model(mechanism), route, dt_h, n)
        if len(_RESPONSES) > 16:
            _RESPONSES.clear()
        _RESPONSES[key] = cached
    return cached[: n_steps + 1]


# -- argument checks ------------------------------------------------------------------------
def _finite_number(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _check_route(route) -> str:
    if route not in ROUTES:
        raise ValueError(f"route must be 'oral' (tablets) or 'injection' (extended-release), got {route!r}")
    return route


def _check_grid(t_end_h, dt_h) -> tuple[float, float, int]:
    t_end = _finite_number(t_end_h, "t_end_h")
    dt = _finite_number(dt_h, "dt_h")
    if not 0 < dt <= 24:
        raise ValueError(f"dt_h must be > 0 and <= 24 hours, got {dt:g}")
    if not 0 < t_end <= 24 * 365 * 2:
        raise ValueError(f"t_end_h must be > 0 and at most two years (17520 h), got {t_end:g}")
    n = int(round(t_end / dt))
    if n < 1:
        raise ValueError(f"t_end_h ({t_end:g}) must be at least one step dt_h ({dt:g})")
    if n > MAX_STEPS:
        raise ValueError(f"t_end_h / dt_h must be at most {MAX_STEPS} steps, got {n}; use a larger dt_h")
    return t_end, dt, n


def naltrexone_profile_arrays(
    dose_times_h,
    doses_mg,
    route: str = "oral",
    t_end_h: float = 168.0,
    dt_h: float = 0.25,
    mechanism: str = DEFAULT_MECHANISM,
) -> dict:
    """As :func:`naltrexone_profile`, but a dict of numpy arrays (no pandas: for fast widgets)."""
    route = _check_route(route)
    mechanism = _check_mechanism(mechanism)
    _, dt, n = _check_grid(t_end_h, dt_h)
    times = (
        np.atleast_1d(np.asarray(dose_times_h, dtype=float)) if not isinstance(dose_times_h, str) else None
    )
    if times is None or times.ndim != 1:
        raise ValueError(f"dose_times_h must be a list of times in hours, got {dose_times_h!r}")
    if np.isnan(times).any() or np.isinf(times).any() or (times < 0).any():
        raise ValueError("dose_times_h must be finite and >= 0 (hours from the start)")
    if isinstance(doses_mg, str):
        raise ValueError(f"doses_mg must be a number or a list of numbers, got {doses_mg!r}")
    doses = (
        np.broadcast_to(np.asarray(doses_mg, dtype=float), times.shape)
        if np.ndim(doses_mg) == 0
        else np.asarray(doses_mg, dtype=float)
    )
    if doses.shape != times.shape:
        raise ValueError(
            f"doses_mg must have one dose per time in dose_times_h ({times.size}), got {doses.size}"
        )
    if np.isnan(doses).any() or np.isinf(doses).any() or (doses < 0).any():
        raise ValueError("doses_mg must be finite and >= 0 mg")

    resp = _response(route, dt, n, mechanism)
    out = superpose(resp, np.rint(times / dt).astype(int), doses, n)
    np.clip(out, 0.0, None, out=out)  # round-off below zero after long decays
    m = naltrexone_model(mechanism)
    levels = occupancy_levels(m, out)
    data = {"time_h": np.arange(n + 1) * dt, "naltrexone_ng_ml": out[:, 0], "naltrexol_ng_ml": out[:, 1]}
    for r in RECEPTORS:
        data[f"{r.lower()}_occupancy"] = levels[r] / (1.0 + levels[r])
    # naltrexone-equivalent brain level: the level that alone would give the same MOR blockade
    data["brain_ng_ml"] = levels["MOR"] * m.affinity_ng_ml["MOR"]
    # Schild dose ratio at MOR, 1 + [B]/K_B (Arunlakshana & Schild 1959): the level above is [B]/K_B
    data["mor_dose_ratio"] = 1.0 + levels["MOR"]
    return data


def naltrexone_profile(
    dose_times_h,
    doses_mg,
    route: str = "oral",
    t_end_h: float = 168.0,
    dt_h: float = 0.25,
    mechanism: str = DEFAULT_MECHANISM,
) -> pd.DataFrame:
    """Plasma levels and receptor occupancy for any dosing schedule (e.g. with missed doses).

    Parameters
    ----------
    dose_times_h : array_like
        Times of the doses, hours from the start (>= 0). Rounded to the nearest grid step.
    doses_mg : float or array_like
        Dose of each administration, mg (>= 0); one number applies to all.
    route : {"oral", "injection"}
        Oral tablets, or the extended-release intramuscular injection.
    t_end_h, dt_h : float
        Length of the simulation and the time step, hours.
    mechanism : {"brain_pool", "terminal_phase"}
        Which explanation of the days-long blockade (module docstring); both are fitted to the
        same data.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`simulate_naltrexone` plus ``brain_ng_ml``, the naltrexone-equivalent
        brain level (plasma-equivalent ng/mL: naltrexone, its slow brain pool and 6β-naltrexol
        together) from which MOR occupancy and the Schild dose ratio follow.
    """
    return pd.DataFrame(naltrexone_profile_arrays(dose_times_h, doses_mg, route, t_end_h, dt_h, mechanism))


def simulate_naltrexone(
    dose_mg=50.0, interval_h=None, n_doses=1, route="oral", t_end_h=168.0, dt_h=0.25
) -> pd.DataFrame:
    """Naltrexone and 6β-naltrexol in plasma, and MOR/KOR/DOR blockade in the brain, over time.

    Linear pharmacokinetics (oral absorption through three transit steps with first-pass
    conversion to 6β-naltrexol, or three-phase release from the extended-release injection;
    each route with its own apparent clearance), two-compartment naltrexone disposition, and
    competitive receptor blockade by naltrexone directly from plasma and through a slowly
    equilibrating brain pool (the default ``"brain_pool"`` mechanism; 6β-naltrexol has no
    brain weight), solved exactly on a fixed time grid (matrix exponential; doses add by
    superposition). See the module docstring for the equations, the other mechanism
    (:func:`naltrexone_profile` with ``mechanism="terminal_phase"``) and the source of every
    parameter.

    Parameters
    ----------
    dose_mg : float, default 50.0
        Dose per administration, mg (>= 0). Tablets are usually 50 mg; the injection is
        380 mg (pass ``dose_mg=380``; the model scales linearly, as Dunbar et al. 2006 found
        between 190 and 380 mg).
    interval_h : float or None
        Hours between doses (> 0); required when ``n_doses > 1``. 24 for daily tablets,
        672 (4 weeks) for monthly injections.
    n_doses : int, default 1
        Number of doses (>= 1), the first at t = 0.
    route : {"oral", "injection"}
        ``"oral"`` tablets or ``"injection"`` (extended-release intramuscular, monthly).
    t_end_h : float, default 168.0
        Length of the simulation, hours (> 0).
    dt_h : float, default 0.25
        Time step, hours (0 < dt_h <= 24). Dose times are rounded to this grid.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_h``, ``naltrexone_ng_ml``, ``naltrexol_ng_ml``, ``mor_occupancy``,
        ``kor_occupancy``, ``dor_occupancy`` (occupancies are fractions 0..1).

    Raises
    ------
    ValueError
        Naming the argument, for a negative or non-finite dose, an unknown route, a bad
        interval, number of doses or time grid.

    References
    ----------
    Meyer et al. 1984; Dunbar et al. 2006, 2007; Lee et al. 1988; Rabiner et al. 2011;
    Yancey-Wrona et al. 2011 (see the module docstring).
    """
    dose = _finite_number(dose_mg, "dose_mg")
    if dose < 0:
        raise ValueError(f"dose_mg must be >= 0 mg, got {dose:g}")
    route = _check_route(route)
    if isinstance(n_doses, (bool, np.bool_)) or not isinstance(n_doses, (int, np.integer)) or n_doses < 1:
        raise ValueError(f"n_doses must be a whole number >= 1, got {n_doses!r}")
    _, dt, _ = _check_grid(t_end_h, dt_h)
    if interval_h is None:
        if n_doses > 1:
            raise ValueError("interval_h must be given (hours between doses, > 0) when n_doses > 1")
        interval = 0.0
    else:
        interval = _finite_number(interval_h, "interval_h")
        if interval <= 0:
            raise ValueError(f"interval_h must be > 0 hours, got {interval:g}")
        if interval < dt:
            raise ValueError(f"interval_h ({interval:g} h) must be at least one time step dt_h ({dt:g} h)")
    times = np.arange(int(n_doses)) * interval
    return naltrexone_profile(times, dose, route, t_end_h, dt)[COLUMNS]


def _occupancy_halftime(time_h, occupancy, times_h=LEE_TIMES_H) -> float:
    t = np.asarray(time_h, dtype=float)
    occ = np.asarray(occupancy, dtype=float)
    idx = [int(np.argmin(np.abs(t - s))) for s in times_h]
    slope = np.polyfit(t[idx], np.log(np.clip(occ[idx], 1e-300, None)), 1)[0]
    return math.inf if slope >= 0 else -math.log(2) / slope


def blockade_halftime_h(time_h, occupancy, times_h=LEE_TIMES_H) -> float:
    """Half-time of a falling occupancy curve, from a log-linear fit at ``times_h``.

    The same summary Lee et al. (1988) reported: occupancy sampled at 48, 72, 120 and 168 h
    after a dose, fitted with one exponential. Returns ``inf`` if occupancy is not falling.
    """
    t = np.asarray(time_h, dtype=float)
    if t.ndim != 1 or t.size < 2:
        raise ValueError("time_h must be a 1-D array of at least two times")
    return _occupancy_halftime(t, occupancy, times_h)
