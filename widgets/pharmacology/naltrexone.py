r"""Naltrexone in the body: plasma levels and brain opioid-receptor blockade over time.

A small linear pharmacokinetic model (oral tablets or the 380 mg extended-release
injection) feeds a brain "effect compartment" whose slow equilibration makes brain
blockade outlast plasma naltrexone by days, as PET shows (Lee et al. 1988; Rabiner et
al. 2011 found an *indirect* plasma-occupancy relationship for naltrexone).

Model (amounts in mg, concentrations in ng/mL, time in hours)
-------------------------------------------------------------
Oral dose D into the gut; absorbed at rate k_a. A fraction F reaches the blood as
naltrexone, the rest is converted to 6β-naltrexol on the first pass through the liver:

.. math::

    \dot A_g = -k_a A_g, \qquad
    \dot A_p = F k_a A_g + R_{XR}(t) - k_e A_p, \qquad
    \dot A_m = (1-F) k_a A_g + k_e A_p - k_m A_m

with plasma naltrexone :math:`C_p = A_p/V` and 6β-naltrexol :math:`C_m = A_m/V_m`
(one-compartment disposition for both, as in Dunbar et al. 2007). The injection
releases its dose through three sequential phases (Dunbar et al. 2007): a burst (one
first-order step), diffusion (two steps in series) and erosion of the microspheres
(four steps in series); :math:`R_{XR}` is the sum of their outflows.

Brain blockade: an effect compartment (Sheiner et al. 1979 link model),

.. math:: \dot C_e = k_{e0}\,(C_p - C_e), \qquad
          \text{occupancy}_R = \frac{C_e/K_R}{1 + C_e/K_R},

with :math:`K_R` the plasma-equivalent affinity at receptor R:
:math:`K_{MOR} = K_i / f_u` (free fraction :math:`f_u` = 0.79, 21 % protein binding)
using naltrexone's MOR K_i from ``data/ligand_affinities.csv``, and
:math:`K_{KOR} = 2 K_{MOR}`, :math:`K_{DOR} = 79 K_{MOR}` (the ratios of Trøstheim et
al. 2022). Because :math:`k_{e0}` is small, :math:`C_e` rises and falls far more slowly
than plasma: that is the stated mechanism for hysteresis and days-long blockade.
:math:`k_{e0}` lumps slow dissociation, rebinding and slow clearance of drug held in brain
tissue (Kim et al. 1997 measured brain clearance 21 times slower than plasma for the
related antagonist nalmefene); it does *not* mean naltrexone enters the brain slowly (the
same rate slows uptake too, but plasma is so far above K that early blockade is high).
Lee et al. (1988) attributed the long blockade instead to the slow terminal phase of plasma
naltrexone (half-time about 96 h), which this one-compartment model leaves out: the effect
compartment is the model's chosen mechanism, not the established one.

Where each number comes from (all in ``data/naltrexone_pk.csv``)
----------------------------------------------------------------
* k_e = ln 2 / 4 h (Meyer et al. 1984); clearance CL = 140 L/h (Dunbar et al. 2007),
  so V = CL / k_e ≈ 810 L.
* k_a solves :math:`t_{max} = \ln(k_a/k_e)/(k_a-k_e)` = 1 h (Swiss product information).
* F follows from C_max = 13.3 ng/mL after 50 mg (same source): F ≈ 0.26, inside the
  drug-reference range 5–40 % but above Meyer et al.'s 5 % (the same mismatch as the
  injection's exposure ratio: the injection's clearance applied to oral data).
* k_m = ln 2 / 13 h; V_m (apparent, i.e. divided by the fraction converted) from the
  6β-naltrexol C_max of 108 ng/mL.
* k_e0 is set so that the log-linear half-time of MOR occupancy after 50 mg, fitted at
  Lee et al.'s later measurement times (48, 72, 120 and 168 h), equals 88.2 h, the
  geometric middle of their 72–108 h. This is the one rate fitted to brain data.
* The MOR affinity is *not* fitted to PET: Rabiner et al.'s dose-occupancy points are
  an independent check.
* The injection's release-phase constants are teaching assumptions chosen to reproduce the
  label's timeline (peaks at about 2 h and 2–3 days, slow decline from day 14, apparent
  half-life 5–7 days); they are marked *assumption* in the data table.

Simplifications: linear kinetics (doses add up); 6β-naltrexol is left out of brain
occupancy (it crosses the blood–brain barrier poorly); one brain region; no individual
variability, liver disease or drug interactions; dose times are rounded to the time grid.

References
----------
Meyer MC et al. (1984) J Clin Psychiatry 45(9 Pt 2):15–19. Wall ME, Brine DR, Perez-Reyes M
(1981) Drug Metab Dispos 9:369–375. Licko V (1981) NIDA Res Monogr 28:161–171.
Dunbar JL et al. (2006) Alcohol Clin Exp Res 30:480–490; (2007) J Stud Alcohol Drugs
68:862–870. Lee MC et al. (1988) J Nucl Med 29:1207–1211. Rabiner EA et al. (2011)
Mol Psychiatry 16:826–835. Trøstheim M et al. (2022) Neuropsychopharmacology,
doi:10.1038/s41386-022-01416-z. Kim S et al. (1997) J Nucl Med 38:1726–1731.
Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J (1979) Clin Pharmacol Ther 25:358–371.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import expm
from scipy.optimize import brentq

MW_NALTREXONE = 341.41  # g/mol
MW_NALTREXOL = 343.42  # g/mol (6β-naltrexol, C20H25NO4)
ROUTES = ("oral", "injection")
RECEPTORS = ("MOR", "KOR", "DOR")
LEE_TIMES_H = (48.0, 72.0, 120.0, 168.0)  # Lee et al. 1988 measurement times after the peak
COLUMNS = ["time_h", "naltrexone_ng_ml", "naltrexol_ng_ml",
           "mor_occupancy", "kor_occupancy", "dor_occupancy"]
MAX_STEPS = 200_000

# State vector: 0 gut, 1 naltrexone in plasma, 2 6β-naltrexol, 3 brain effect site (ng/mL),
# 4 injection burst, 5-6 diffusion steps, 7-10 erosion steps.
_N_STATES = 11


@dataclass(frozen=True)
class NaltrexoneModel:
    """The model's parameters, each derived from ``data/naltrexone_pk.csv`` (see module doc)."""

    ka_per_h: float
    ke_per_h: float
    clearance_l_h: float
    volume_l: float
    bioavailability: float
    km_per_h: float
    naltrexol_volume_l: float
    keo_per_h: float
    fraction_unbound: float
    ki_mor_nM: float
    affinity_ng_ml: dict  # plasma-equivalent K per receptor, ng/mL
    xr_fractions: tuple  # burst, diffusion, erosion
    xr_rates_per_h: tuple  # burst, diffusion step, erosion step

    @property
    def brain_halflife_h(self) -> float:
        """Half-life of the brain effect site, ln 2 / k_e0 (not the blockade half-time)."""
        return math.log(2) / self.keo_per_h


def _pk_value(table: pd.DataFrame, key: str) -> float:
    row = table.loc[table["key"] == key]
    if row.empty or pd.isna(row["model_value"].iloc[0]):
        raise ValueError(f"data/naltrexone_pk.csv has no model_value for {key!r}")
    return float(row["model_value"].iloc[0])


def _system_matrix(ka, ke, F, km, keo, volume_l, xr_rates) -> np.ndarray:
    kb, kd, kr = xr_rates
    A = np.zeros((_N_STATES, _N_STATES))
    A[0, 0] = -ka
    A[1, 0], A[1, 1], A[1, 4], A[1, 6], A[1, 10] = F * ka, -ke, kb, kd, kr
    A[2, 0], A[2, 1], A[2, 2] = (1 - F) * ka, ke, -km
    A[3, 1], A[3, 3] = keo * 1000.0 / volume_l, -keo  # mg/L -> ng/mL
    A[4, 4] = -kb
    A[5, 5], A[6, 5], A[6, 6] = -kd, kd, -kd
    for i in range(7, 11):  # four erosion steps in series
        A[i, i] = -kr
        if i > 7:
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


def _unit_response(A: np.ndarray, x0: np.ndarray, dt_h: float, n_steps: int) -> np.ndarray:
    """Exact state trajectory on the grid after a 1 mg dose at t = 0 (matrix exponential)."""
    return _powers(expm(A * dt_h), x0, n_steps)


def _route_input(route: str, xr_fractions) -> np.ndarray:
    x0 = np.zeros(_N_STATES)
    if route == "oral":
        x0[0] = 1.0
    else:
        x0[4], x0[5], x0[7] = xr_fractions
    return x0


def _occupancy_halftime(time_h, occupancy, times_h=LEE_TIMES_H) -> float:
    t = np.asarray(time_h, dtype=float)
    occ = np.asarray(occupancy, dtype=float)
    idx = [int(np.argmin(np.abs(t - s))) for s in times_h]
    slope = np.polyfit(t[idx], np.log(np.clip(occ[idx], 1e-300, None)), 1)[0]
    return math.inf if slope >= 0 else -math.log(2) / slope


@functools.lru_cache(maxsize=1)
def naltrexone_model() -> NaltrexoneModel:
    """Derive the model's parameters from the data tables (cached; see the module docstring).

    Returns
    -------
    NaltrexoneModel
    """
    from ..affinities import representative_ki_nM  # data access; no UI imports
    from ..data_tables import load_table

    pk = load_table("naltrexone_pk")
    v = functools.partial(_pk_value, pk)
    ln2 = math.log(2)
    ke = ln2 / v("halflife_naltrexone_h")
    tmax = v("oral_tmax_h")
    # Bateman peak time ln(ka/ke)/(ka-ke) = tmax, solved for ka > ke.
    ka = brentq(lambda k: math.log(k / ke) / (k - ke) - tmax, ke * 1.0001, 1000.0)
    cl = v("clearance_dunbar2007")
    volume = cl / ke
    peak_shape = ka / (ka - ke) * (math.exp(-ke * tmax) - math.exp(-ka * tmax))
    dose_ref = 50.0
    F = v("oral_cmax_naltrexone") * volume / (1000.0 * dose_ref * peak_shape)
    km = ln2 / v("halflife_naltrexol_h")
    fu = 1.0 - v("protein_binding")
    ki = representative_ki_nM("naltrexone", "MOR")
    k_mor = ki * MW_NALTREXONE / 1000.0 / fu  # nM free -> ng/mL total plasma
    affinity = {"MOR": k_mor, "KOR": k_mor * v("kor_to_mor_ratio"), "DOR": k_mor * v("dor_to_mor_ratio")}
    xr_fractions = (v("xr_burst_fraction"), v("xr_diffusion_fraction"), v("xr_erosion_fraction"))
    xr_rates = (v("xr_burst_rate_per_h"), v("xr_diffusion_rate_per_h"), v("xr_erosion_rate_per_h"))
    if abs(sum(xr_fractions) - 1.0) > 1e-9:
        raise ValueError("data/naltrexone_pk.csv: the injection's release fractions must add up to 1")

    # 6β-naltrexol apparent volume from its Cmax after 50 mg (fine grid, found numerically).
    dt_fine = 0.01
    A0 = _system_matrix(ka, ke, F, km, 1.0, volume, xr_rates)
    resp = _unit_response(A0, _route_input("oral", xr_fractions), dt_fine, int(12 / dt_fine))
    naltrexol_amount_peak = dose_ref * resp[:, 2].max() * MW_NALTREXOL / MW_NALTREXONE  # mg
    vm = 1000.0 * naltrexol_amount_peak / v("oral_cmax_naltrexol")

    # k_e0 from Lee et al. 1988: fitted blockade half-time after 50 mg = target.
    target = v("brain_blockade_halftime_h")
    dt = 0.25
    n = int(max(LEE_TIMES_H) / dt)
    t = np.arange(n + 1) * dt

    def halftime(keo):
        A = _system_matrix(ka, ke, F, km, keo, volume, xr_rates)
        ce = dose_ref * _unit_response(A, _route_input("oral", xr_fractions), dt, n)[:, 3]
        return min(_occupancy_halftime(t, ce / (ce + k_mor)), 1e6)

    keo = brentq(lambda k: halftime(k) - target, 1e-3, 1.0, xtol=1e-8)
    return NaltrexoneModel(
        ka_per_h=ka, ke_per_h=ke, clearance_l_h=cl, volume_l=volume, bioavailability=F,
        km_per_h=km, naltrexol_volume_l=vm, keo_per_h=keo, fraction_unbound=fu,
        ki_mor_nM=ki, affinity_ng_ml=affinity, xr_fractions=xr_fractions, xr_rates_per_h=xr_rates,
    )


_RESPONSES: dict = {}


def _response(route: str, dt_h: float, n_steps: int) -> np.ndarray:
    """Per-mg outputs (naltrexone, naltrexol, brain) on the grid, cached per route and step."""
    key = (route, float(dt_h))
    cached = _RESPONSES.get(key)
    if cached is None or cached.shape[0] < n_steps + 1:
        m = naltrexone_model()
        A = _system_matrix(m.ka_per_h, m.ke_per_h, m.bioavailability, m.km_per_h,
                           m.keo_per_h, m.volume_l, m.xr_rates_per_h)
        n = max(n_steps, cached.shape[0] - 1 if cached is not None else 0, int(24 * 7 / dt_h))
        X = _unit_response(A, _route_input(route, m.xr_fractions), dt_h, n)
        cached = np.column_stack([
            1000.0 / m.volume_l * X[:, 1],
            1000.0 / m.naltrexol_volume_l * X[:, 2] * MW_NALTREXOL / MW_NALTREXONE,
            X[:, 3],
        ])
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


def naltrexone_profile_arrays(dose_times_h, doses_mg, route: str = "oral",
                              t_end_h: float = 168.0, dt_h: float = 0.25) -> dict:
    """As :func:`naltrexone_profile`, but a dict of numpy arrays (no pandas: for fast widgets)."""
    route = _check_route(route)
    _, dt, n = _check_grid(t_end_h, dt_h)
    times = np.atleast_1d(np.asarray(dose_times_h, dtype=float)) if not isinstance(dose_times_h, str) else None
    if times is None or times.ndim != 1:
        raise ValueError(f"dose_times_h must be a list of times in hours, got {dose_times_h!r}")
    if np.isnan(times).any() or np.isinf(times).any() or (times < 0).any():
        raise ValueError("dose_times_h must be finite and >= 0 (hours from the start)")
    if isinstance(doses_mg, str):
        raise ValueError(f"doses_mg must be a number or a list of numbers, got {doses_mg!r}")
    doses = np.broadcast_to(np.asarray(doses_mg, dtype=float), times.shape) if np.ndim(doses_mg) == 0 \
        else np.asarray(doses_mg, dtype=float)
    if doses.shape != times.shape:
        raise ValueError(f"doses_mg must have one dose per time in dose_times_h ({times.size}), got {doses.size}")
    if np.isnan(doses).any() or np.isinf(doses).any() or (doses < 0).any():
        raise ValueError("doses_mg must be finite and >= 0 mg")

    resp = _response(route, dt, n)
    out = np.zeros((n + 1, 3))
    for t0, d in zip(np.rint(times / dt).astype(int), doses):
        if t0 <= n and d > 0:
            out[t0:] += d * resp[: n + 1 - t0]
    np.clip(out, 0.0, None, out=out)  # round-off below zero after long decays
    m = naltrexone_model()
    ce = out[:, 2]
    data = {"time_h": np.arange(n + 1) * dt, "naltrexone_ng_ml": out[:, 0], "naltrexol_ng_ml": out[:, 1]}
    for r in RECEPTORS:
        x = ce / m.affinity_ng_ml[r]
        data[f"{r.lower()}_occupancy"] = x / (1.0 + x)
    data["brain_ng_ml"] = ce
    return data


def naltrexone_profile(dose_times_h, doses_mg, route: str = "oral",
                       t_end_h: float = 168.0, dt_h: float = 0.25) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`simulate_naltrexone` plus ``brain_ng_ml``, the effect-site
        concentration (plasma-equivalent ng/mL) from which occupancy and dose ratios follow.
    """
    return pd.DataFrame(naltrexone_profile_arrays(dose_times_h, doses_mg, route, t_end_h, dt_h))


def simulate_naltrexone(dose_mg=50.0, interval_h=None, n_doses=1, route="oral",
                        t_end_h=168.0, dt_h=0.25) -> pd.DataFrame:
    """Naltrexone and 6β-naltrexol in plasma, and MOR/KOR/DOR blockade in the brain, over time.

    Linear pharmacokinetics (oral first-order absorption with first-pass conversion to
    6β-naltrexol, or three-phase release from the extended-release injection) and a slow
    brain effect compartment, solved exactly on a fixed time grid (matrix exponential; doses
    add by superposition). See the module docstring for the equations and the source of
    every parameter.

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
    Trøstheim et al. 2022 (see the module docstring).
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


def blockade_halftime_h(time_h, occupancy, times_h=LEE_TIMES_H) -> float:
    """Half-time of a falling occupancy curve, from a log-linear fit at ``times_h``.

    The same summary Lee et al. (1988) reported: occupancy sampled at 48, 72, 120 and 168 h
    after a dose, fitted with one exponential. Returns ``inf`` if occupancy is not falling.
    """
    t = np.asarray(time_h, dtype=float)
    if t.ndim != 1 or t.size < 2:
        raise ValueError("time_h must be a 1-D array of at least two times")
    return _occupancy_halftime(t, occupancy, times_h)


def _local_maxima_h(time_h: np.ndarray, values: np.ndarray) -> np.ndarray:
    inner = (values[1:-1] > values[:-2]) & (values[1:-1] >= values[2:])
    return time_h[1:-1][inner]


def _fit_halflife_h(time_h, values, start_h, end_h) -> float:
    sel = (time_h >= start_h) & (time_h <= end_h) & (values > 0)
    slope = np.polyfit(time_h[sel], np.log(values[sel]), 1)[0]
    return math.inf if slope >= 0 else -math.log(2) / slope


def compare_naltrexone_with_published() -> pd.DataFrame:
    """The model's predictions beside the published figures in ``data/`` (for lesson 04's closing note).

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``quantity``, ``published``, ``model``, ``role``
        (``"calibration"`` when the published figure set a parameter, ``"check"`` when it did
        not), ``agrees`` ("yes", "no" or "edge"), ``source``.
    """
    from ..data_tables import load_table

    pk = load_table("naltrexone_pk").set_index("key")
    pet = load_table("pet_occupancy")
    rows = []

    def add(quantity, published, model, role, agrees, source, tolerance="inside the range"):
        rows.append({"quantity": quantity, "published": published, "model": model, "role": role,
                     "tolerance": tolerance, "agrees": agrees, "source": source})

    def rng(key):
        lo, hi = pk.loc[key, "value_low"], pk.loc[key, "value_high"]
        return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"

    one = simulate_naltrexone(50.0, t_end_h=168.0, dt_h=0.05)
    t = one["time_h"].to_numpy()
    cp, cm = one["naltrexone_ng_ml"].to_numpy(), one["naltrexol_ng_ml"].to_numpy()
    add("Oral 50 mg: naltrexone Cmax (ng/mL)", rng("oral_cmax_naltrexone"), f"{cp.max():.1f}",
        "calibration", "yes", "naltrexone_pi_ch", "fitted exactly")
    add("Oral 50 mg: naltrexone Tmax (h)", rng("oral_tmax_h"), f"{t[cp.argmax()]:.2f}",
        "calibration", "yes", "naltrexone_pi_ch", "fitted exactly")
    add("Oral 50 mg: 6β-naltrexol Cmax (ng/mL)", rng("oral_cmax_naltrexol"), f"{cm.max():.0f}",
        "calibration", "yes", "naltrexone_pi_ch", "fitted exactly")
    tm = t[cm.argmax()]
    add("Oral 50 mg: 6β-naltrexol Tmax (h)", "about " + rng("oral_tmax_h"), f"{tm:.1f}", "check",
        "yes" if abs(tm - 1) <= 0.5 else ("edge" if abs(tm - 1) <= 1.0 else "no"), "naltrexone_pi_ch",
        "yes within 0.5 h, edge within 1 h")
    m = naltrexone_model()
    lo, hi = pk.loc["oral_bioavailability", ["value_low", "value_high"]]
    add("Oral bioavailability (%)", f"{100 * lo:g}–{100 * hi:g} (Meyer 1984: 5)", f"{100 * m.bioavailability:.0f}",
        "check", "yes" if lo <= m.bioavailability <= hi else "no", "meyer1984")

    daily = simulate_naltrexone(50.0, 24.0, 28, t_end_h=28 * 24.0, dt_h=0.25)
    last = daily[daily["time_h"] >= 27 * 24]
    ratio = last["naltrexol_ng_ml"].mean() / last["naltrexone_ng_ml"].mean()
    lo, hi = pk.loc["naltrexol_to_naltrexone_ratio", ["value_low", "value_high"]]
    add("6β-naltrexol : naltrexone at steady state (50 mg/day)", rng("naltrexol_to_naltrexone_ratio"),
        f"{ratio:.0f}", "check", "yes" if lo <= ratio <= hi else ("edge" if lo <= ratio <= 1.1 * hi else "no"),
        "wikipedia2026naltrexol", "edge: within 10% of the range")

    for dose, group in pet[(pet["study"] == "rabiner2011")].groupby("dose_mg"):
        occ = simulate_naltrexone(float(dose), t_end_h=8.0, dt_h=0.05)
        e = occ["mor_occupancy"].to_numpy()[(occ["time_h"] >= 2).to_numpy()]
        measured = group["occupancy_pct"].to_numpy()
        inside = np.all((measured >= 100 * e.min() - 10) & (measured <= 100 * e.max() + 10))
        add(f"MOR blockade < 8 h after {dose:g} mg (%)", ", ".join(f"{v:g}" for v in measured),
            f"{100 * e.min():.0f}–{100 * e.max():.0f} (2–8 h)", "check", "yes" if inside else "no", "rabiner2011",
            "each point within 10 points of the model's 2–8 h range")
    # At a fixed time the brain level is proportional to dose, so occupancy is D/(D + ED50):
    # ED50 = D (1 - occ) / occ from any one dose.
    occ50 = simulate_naltrexone(50.0, t_end_h=8.0, dt_h=0.05).set_index("time_h")["mor_occupancy"]
    ed = [50.0 * (1 - o) / o for o in occ50.loc[[2.0, 8.0]]]
    add("Dose for 50% MOR blockade, ED50 (mg)", rng("trostheim_ed50_mg") + " (fitted to the points above)",
        f"{min(ed):.1f}–{max(ed):.1f} (2–8 h)", "check",
        "yes" if min(ed) <= pk.loc["trostheim_ed50_mg", "value_low"] <= max(ed) else "no", "trostheim2022",
        "published value inside the model's 2–8 h range")
    half = blockade_halftime_h(t, one["mor_occupancy"].to_numpy())
    add("Half-time of brain MOR blockade after 50 mg (h)", rng("brain_blockade_halftime_h"), f"{half:.0f}",
        "calibration", "yes", "lee1988", "k_e0 fitted to the middle, 88 h")
    i72 = int(np.argmin(np.abs(t - 72)))
    add("72 h after 50 mg: plasma naltrexone vs MOR blockade", "blockade outlasts plasma (4–12 h components)",
        f"plasma {cp[i72] / cp.max():.1e} of its peak; MOR {100 * one['mor_occupancy'].iloc[i72]:.0f}% blocked",
        "check", "yes" if one["mor_occupancy"].iloc[i72] > 0.5 and cp[i72] < 1e-3 * cp.max() else "no",
        "lee1988", "MOR > 50% while plasma < 0.1% of peak")
    for receptor in ("MOR", "DOR"):
        row = pet[(pet["study"] == "weerts2008") & (pet["receptor"] == receptor)].iloc[0]
        o = 100 * last[f"{receptor.lower()}_occupancy"]
        ok = row["occupancy_pct"] - row["sd_pct"] <= o.mean() <= row["occupancy_pct"] + row["sd_pct"]
        add(f"{receptor} blockade on 50 mg/day (%)", f"{row['occupancy_pct']:g} ± {row['sd_pct']:g} (SD)",
            f"{o.min():.0f}–{o.max():.0f} (day 28)", "check", "yes" if ok else "no", "weerts2008",
            "model mean within 1 SD")

    xr = simulate_naltrexone(380.0, route="injection", t_end_h=42 * 24.0, dt_h=0.5)
    tx, px = xr["time_h"].to_numpy(), xr["naltrexone_ng_ml"].to_numpy()
    peaks = _local_maxima_h(tx, px)
    first = peaks[peaks < 24]
    second = peaks[(peaks >= 24) & (peaks < 7 * 24)] / 24
    add("Injection 380 mg: first peak (h)", rng("xr_first_peak_h"), f"{first[0]:.1f}" if first.size else "none",
        "calibration", "yes" if first.size and 1 <= first[0] <= 3 else "no", "vivitrol_pi")
    add("Injection 380 mg: second peak (days)", rng("xr_second_peak_d"),
        f"{second[0]:.1f}" if second.size else "none", "calibration",
        "yes" if second.size and 2 <= second[0] <= 3 else "no", "vivitrol_pi")
    hl = _fit_halflife_h(tx, px, 14 * 24, 28 * 24) / 24
    add("Injection 380 mg: apparent half-life, days 14–28 (days)", rng("xr_halflife_d"), f"{hl:.1f}",
        "calibration", "yes" if 5 <= hl <= 7 else "no", "dunbar2006")
    c31 = px[int(np.argmin(np.abs(tx - 31 * 24)))]
    add("Injection 380 mg: naltrexone on day 31 (ng/mL)", "measurable in all subjects", f"{c31:.2f}",
        "check", "yes" if c31 > 0.1 else "no", "dunbar2006", "> 0.1 ng/mL")
    month = tx <= 28 * 24
    auc_xr = np.trapezoid(px[month], tx[month])
    auc_oral = np.trapezoid(daily["naltrexone_ng_ml"], daily["time_h"])
    add("28-day naltrexone exposure, injection vs 50 mg/day (ratio)", rng("xr_exposure_vs_oral"),
        f"{auc_xr / auc_oral:.1f}", "check", "yes" if 3 <= auc_xr / auc_oral <= 4 else "no", "vivitrol_pi")
    xr_mor = xr["mor_occupancy"].to_numpy()
    add("Injection 380 mg: MOR blockade on day 28 (%)", "not measured (no PET data in data/)",
        f"{100 * xr_mor[int(np.argmin(np.abs(tx - 28 * 24)))]:.0f}", "prediction", "—", "", "")
    return pd.DataFrame(rows)
