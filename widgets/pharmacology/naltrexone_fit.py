"""Least-squares fit of the naltrexone model to published human data, kept apart from validation.

Every published figure has one role (column ``role`` of ``data/naltrexone_fit_targets.csv``
and ``data/pet_occupancy.csv``): ``fitted`` rows enter the least-squares error sum,
``validation`` rows never do and are compared afterwards, ``derived`` rows are computed from
fitted ones (shown, never counted as evidence), ``tuned`` rows are what a hand-set assumption
was chosen to meet (the injection's release phases: shown, not evidence), and ``context`` /
``disputed`` rows are shown
beside the model without a pass/fail (a different kind of evidence, or sources that disagree;
the model note says which side the model takes).

A fitted range's residual is the distance outside the range (narrowed by a tenth of its width
at each end, so the fit aims inside) divided by the row's ``fit_scale``, plus a weak pull to
the middle of the range so that the optimum is unique; a PET point's residual is
(model − measured) / 10 percentage points (single subjects scatter by about that much).

Identifiability: :func:`fit_from_random_starts` fits each mechanism from :data:`N_STARTS`
log-uniform random starts inside :data:`BOUNDS`; ``python -m widgets.pharmacology.naltrexone_fit
starts`` writes every start's optimum to ``data/naltrexone_fit_starts.csv`` and prints the best,
which is stored in ``naltrexone.FITTED_PARAMETERS`` (so importing and simulating never re-fit).
:func:`same_optimum` says which starts reached it (20 of 24 in the brain-pool mechanism, 24 of 24
in the terminal-phase one, once the unidentified peripheral compartment is fixed off:
``naltrexone.FIXED_OFF``; each start is solved again from where the solver stopped, up to
:data:`POLISH_PASSES` times, because it can stop early on the error sum's flat valley).

Uncertainty: :func:`profile_parameter` (``... naltrexone_fit profiles`` ->
``data/naltrexone_fit_profiles.csv``) profiles each parameter to where the error sum rises by
:data:`PROFILE_DELTA`. The error sum is not a true likelihood (a range's residual is zero inside
the range apart from the weak centre pull), so the intervals are approximate: the parameter
values whose fit is not clearly worse than the best. :func:`parameter_uncertainty` shows them;
an end the data do not limit is printed as "not limited", never as a number.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from . import naltrexone as nx

DT_FINE_H = 0.02
DT_H = 0.25
RABINER_WINDOW_H = (1.0, 8.0)  # "within 8 h": the model's mean blockade over 1-8 h
PET_POINT_SCALE = 10.0  # percentage points
CENTRE_PULL = 0.05
INNER_MARGIN = 0.1
N_STARTS = 24
SEED = 2025
POLISH_PASSES = 3  # least-squares solves per start, each from where the last one stopped
SAME_OPTIMUM_COST = 0.01  # two fits with error sums this close reached the same optimum ...
SAME_OPTIMUM_REL = 0.02  # ... when every parameter also agrees within 2 %
# Profile likelihood: the residuals are scaled to about one standard deviation each (see above),
# so with error sum = half the sum of squares, a rise of 1.92 (= 3.84 / 2, chi-square with one
# degree of freedom at 95 %) marks an approximate 95 % interval.
PROFILE_DELTA = 1.92
PROFILE_STEP = math.log(1.25)  # multiplicative steps of 25 % away from the best value
PROFILE_MAX_STEPS = 24
BOUNDS = {  # (low, high) for each free parameter
    "bioavailability": (0.02, 0.6),
    "ka_per_h": (0.3, 30.0),
    "central_volume_l": (10.0, 3000.0),
    "in_vivo_affinity_factor": (0.05, 1000.0),
    "keo_per_h": (1e-4, 1.0),
    "slow_pool_gain": (1e-3, 100.0),
    "k13_per_h": (1e-4, 5.0),
    "k31_per_h": (1e-4, 1.0),
}


def _least_squares():
    """scipy's least_squares, imported when a fit runs: importing scipy.optimize takes about 0.4 s,
    and lesson 04's figures only read the saved fits (the PET comparison builds in under 0.3 s)."""
    from scipy.optimize import least_squares

    return least_squares


def _occ(levels):
    return levels / (1.0 + levels)


def _halflife_h(t, c, start, end):
    sel = (t >= start) & (t <= end)
    slope = np.polyfit(t[sel], np.log(np.clip(c[sel], 1e-300, None)), 1)[0]
    return math.inf if slope >= 0 else -math.log(2) / slope


def _peak_time(t: np.ndarray, c: np.ndarray) -> float:
    """Time of the maximum, refined by a parabola through the grid maximum and its neighbours
    (continuous in the parameters, so the least-squares fit sees no steps)."""
    i = int(np.argmax(c))
    if 0 < i < len(c) - 1:
        a, b, d = c[i - 1], c[i], c[i + 1]
        denom = a - 2 * b + d
        if denom < 0:
            return float(t[i] + 0.5 * (a - d) / denom * (t[1] - t[0]))
    return float(t[i])


def _local_maxima(t: np.ndarray, values: np.ndarray) -> np.ndarray:
    inner = (values[1:-1] > values[:-2]) & (values[1:-1] >= values[2:])
    return t[1:-1][inner]


def model_quantities(m: nx.NaltrexoneModel, fitted_only: bool = False) -> dict:
    """The model's value for every row of the targets table and every PET point (occupancy in %).

    With ``fitted_only`` only what the fit needs is computed, on coarser grids (faster; no
    validation figure).
    """
    q = {}
    dt_fine = 0.05 if fitted_only else DT_FINE_H
    fine = 50.0 * nx.unit_response(m, "oral", dt_fine, int(round(24 / dt_fine)))
    tf = np.arange(fine.shape[0]) * dt_fine
    q["oral_cmax_naltrexone"] = fine[:, 0].max()
    q["oral_tmax_naltrexone"] = _peak_time(tf, fine[:, 0])
    q["oral_cmax_naltrexol"] = fine[:, 1].max()
    q["oral_tmax_naltrexol"] = _peak_time(tf, fine[:, 1])
    q["halflife_naltrexone"] = _halflife_h(tf, fine[:, 0], 2.0, 12.0)
    q["oral_auc24_naltrexone"] = np.trapezoid(fine[:, 0], tf)
    window = (tf >= RABINER_WINDOW_H[0]) & (tf <= RABINER_WINDOW_H[1])
    levels_1mg = nx.occupancy_levels(m, fine[window] / 50.0)["MOR"]
    for dose in (2.0, 5.0, 15.0, 50.0):
        q[f"rabiner_{dose:g}mg"] = 100 * _occ(dose * levels_1mg).mean()

    dt = 1.0 if fitted_only else DT_H
    n = int((24 * 22 if fitted_only else 42 * 24) / dt)
    oral = nx.unit_response(m, "oral", dt, n)
    t = np.arange(n + 1) * dt
    at = lambda time_h: int(round(time_h / dt))  # noqa: E731
    mor = lambda out: 100 * _occ(nx.occupancy_levels(m, out)["MOR"])  # noqa: E731
    single = mor(50.0 * oral)
    idx = [at(s) for s in nx.LEE_TIMES_H]
    slope = np.polyfit(t[idx], np.log(np.clip(single[idx], 1e-300, None)), 1)[0]
    q["blockade_halftime"] = math.inf if slope >= 0 else -math.log(2) / slope
    eod = nx.superpose(oral, [at(48 * k) for k in range(12)], [50.0] * 12, n)
    q["mor_trough_every_other_day"] = mor(eod)[at(48 * 11) - 1]
    if fitted_only:
        return q

    # -- validation: figures the fit never sees ------------------------------------------
    q["terminal_halflife_naltrexone"] = _halflife_h(tf, fine[:, 0], 12.0, 24.0)
    # Bertolotti et al. 1997 (controls): AUC(0-24 h) after 100 mg and the 6β-naltrexol : naltrexone
    # ratio 2 h after the dose (linear model: the same per-mg curve, scaled)
    auc24_per_mg = np.trapezoid(fine[:, :2], tf, axis=0) / 50.0
    q["bertolotti_auc24_naltrexone_100mg"] = 100.0 * auc24_per_mg[0]
    q["bertolotti_auc24_naltrexol_100mg"] = 100.0 * auc24_per_mg[1]
    i2 = int(round(2.0 / dt_fine))
    q["bertolotti_naltrexol_ratio_2h"] = fine[i2, 1] / fine[i2, 0]
    q["mor_144h_after_50mg"] = single[at(144)]
    q["mor_24h_after_12_5mg"] = mor(12.5 * oral)[at(24)]
    q["mor_48h_after_50mg"] = single[at(48)]
    q["mor_8h_after_50mg"] = single[at(8)]
    daily = nx.superpose(oral, [at(24 * k) for k in range(28)], [50.0] * 28, n)
    last_day = (t >= 27 * 24) & (t < 28 * 24)
    # Weerts et al. 2008: 50 mg on days 15-19 of the protocol, PET on day 18 (the 4th daily dose);
    # the scan's time after that tablet is not in the abstract: the mean over the 24 h after it
    fourth_day = (t >= 3 * 24) & (t < 4 * 24)
    levels = nx.occupancy_levels(m, daily[fourth_day])
    q["weerts_MOR"] = 100 * _occ(levels["MOR"]).mean()
    q["weerts_DOR"] = 100 * _occ(levels["DOR"]).mean()
    # Weerts et al. again, if the scan fell 1-8 h after that day's tablet (Rabiner's window): not a
    # validation figure (the abstract does not give the scan time), the note's sensitivity figure
    q["weerts_MOR_1_8h"] = 100 * _occ(nx.occupancy_levels(m, daily[(t >= 73) & (t <= 80)])["MOR"]).mean()
    # KOR PET study (Mol Psychiatry 2021): 100 mg daily for a week, PET after it; scan time not in
    # the abstract: the mean over the 24 h after the 7th daily dose
    week = nx.superpose(oral, [at(24 * k) for k in range(7)], [100.0] * 7, n)
    seventh = (t >= 6 * 24) & (t < 7 * 24)
    q["kor_pet2021_KOR"] = 100 * _occ(nx.occupancy_levels(m, week[seventh])["KOR"]).mean()
    # Urine (Meyer et al. 1984, Cone et al. 1974, King et al. 1997): amount excreted unchanged from
    # the dose to `hours` after one 50 mg tablet = renal clearance (Meyer et al.) x plasma AUC(0-hours)
    from ..data_access.data_tables import load_table

    pk = load_table("naltrexone_pk").set_index("key")["value_low"]

    def excreted_mg(hours):
        upto = t <= hours
        auc = np.trapezoid(50.0 * oral[upto, :2], t[upto], axis=0)  # ng·h/mL = µg·h/L
        return (
            pk["renal_clearance_naltrexone_meyer1984"] * auc[0] / 1000,
            pk["renal_clearance_naltrexol_meyer1984"] * auc[1] / 1000,
        )

    def urine_pct(hours):  # % of the 50 mg dose, 6β-naltrexol counted in moles
        ntx_mg, nol_mg = excreted_mg(hours)
        return 100 * ntx_mg / 50.0, 100 * nol_mg * (nx.MW_NALTREXONE / nx.MW_NALTREXOL) / 50.0

    q["meyer_urine_naltrexone_pct"], q["meyer_urine_naltrexol_pct"] = urine_pct(48)
    q["cone_urine_naltrexone_pct"], q["cone_urine_naltrexol_pct"] = urine_pct(6 * 24)
    ntx_mg, nol_mg = excreted_mg(3)
    q["king_urine_ratio_3h"] = nol_mg / ntx_mg  # by mass, as concentrations in one urine sample
    i8 = at(27 * 24 + 8)
    q["steady_state_sum_8h"] = daily[i8, 0] + daily[i8, 1]
    q["steady_state_naltrexol_ratio"] = daily[last_day, 1].mean() / daily[last_day, 0].mean()

    xr = 380.0 * nx.unit_response(m, "injection", DT_H, n)
    q["xr_exposure_vs_oral"] = np.trapezoid(xr[: at(28 * 24) + 1, 0], t[: at(28 * 24) + 1]) / np.trapezoid(
        daily[: at(28 * 24) + 1, 0], t[: at(28 * 24) + 1]
    )
    xr_ratio = np.trapezoid(xr[:, 1], t) / np.trapezoid(xr[:, 0], t)
    oral_ratio = np.trapezoid(oral[:, 1], t) / np.trapezoid(oral[:, 0], t)
    q["xr_naltrexol_ratio_vs_oral"] = xr_ratio / oral_ratio
    peaks = _local_maxima(t, xr[:, 0])
    first, second = peaks[peaks < 24], peaks[(peaks >= 24) & (peaks < 7 * 24)] / 24
    q["xr_first_peak_h"] = float(first[0]) if first.size else math.nan
    q["xr_second_peak_d"] = float(second[0]) if second.size else math.nan
    q["xr_halflife_d"] = _halflife_h(t, xr[:, 0], 14 * 24, 28 * 24) / 24
    q["xr_day31_ng_ml"] = xr[at(31 * 24), 0]

    iv = 20.0 * nx.unit_response(m, "naltrexol_iv", DT_H, at(24))
    q["naltrexol_iv_20mg_mor"] = 100 * _occ(nx.occupancy_levels(m, iv)["MOR"]).max()
    q["naltrexol_halflife_h"] = _halflife_h(tf, fine[:, 1], 6.0, 24.0)
    q["oral_bioavailability"] = m.bioavailability
    q["first_pass_pct"] = 100 * (1 - m.bioavailability)
    f = lambda d: float(np.mean(_occ(d * levels_1mg))) - 0.5  # noqa: E731  (the 1-8 h mean, as Rabiner)
    from scipy.optimize import brentq

    q["trostheim_ed50_mg"] = brentq(f, 1e-3, 1e4)
    q["plasma_48h_after_50mg"] = 50.0 * oral[at(48), 0]
    return q


def _targets():
    from ..data_access.data_tables import load_table

    targets = load_table("naltrexone_fit_targets")
    pet = load_table("pet_occupancy")
    return targets[targets["role"] == "fitted"], pet[pet["role"] == "fitted"]


def residuals(m: nx.NaltrexoneModel, targets=None) -> np.ndarray:
    """Scaled residuals of the model against every ``fitted`` row and PET point."""
    targets, pet = targets or _targets()
    q = model_quantities(m, fitted_only=True)
    res = []
    for row in targets.itertuples():
        value, lo, hi = q[row.key], row.value_low, row.value_high
        inner = INNER_MARGIN * (hi - lo)  # aim inside the range, not at its edge
        outside = max(lo + inner - value, 0.0, value - hi + inner)
        res.append(outside / row.fit_scale)
        res.append(CENTRE_PULL * (value - 0.5 * (lo + hi)) / max(hi - lo, row.fit_scale))
    for row in pet.itertuples():
        res.append((q[f"rabiner_{row.dose_mg:g}mg"] - row.occupancy_pct) / PET_POINT_SCALE)
    return np.nan_to_num(np.asarray(res), nan=1e3, posinf=1e3, neginf=-1e3)


def error_sum(m: nx.NaltrexoneModel, targets=None) -> float:
    """Half the sum of squared residuals (scipy's least-squares cost)."""
    r = residuals(m, targets)
    return 0.5 * float(r @ r)


def fit_naltrexone(mechanism: str = nx.DEFAULT_MECHANISM, start: dict | None = None, max_nfev: int = 800):
    """Fit one mechanism's free parameters (log scale, bounded) from ``start``.

    Returns ``(parameters, cost)``; parameters as name -> value.
    """
    base = nx.build_model(mechanism=mechanism)
    targets = _targets()
    names = nx.FREE_PARAMETERS[mechanism]
    x0 = np.log([(start or nx.FITTED_PARAMETERS[mechanism])[k] for k in names])
    lo = np.log([BOUNDS[k][0] for k in names])
    hi = np.log([BOUNDS[k][1] for k in names])

    def f(x):
        return residuals(replace(base, **dict(zip(names, np.exp(x)))), targets)

    x, cost = np.clip(x0, lo + 1e-9, hi - 1e-9), math.inf
    # The trust-region solver can stop early on the flat valley of this error sum (xtol); a fresh
    # solve from where it stopped (up to POLISH_PASSES) continues while it still lowers the error.
    for _ in range(POLISH_PASSES):
        sol = _least_squares()(f, x, bounds=(lo, hi), xtol=1e-8, ftol=1e-10, max_nfev=max_nfev)
        if not sol.cost < cost - 1e-9:
            break
        x, cost = sol.x, float(sol.cost)
    return {k: float(v) for k, v in zip(names, np.exp(x))}, float(cost)


def random_starts(mechanism: str, n: int = N_STARTS, seed: int = SEED) -> list[dict]:
    """``n`` log-uniform random starting points inside :data:`BOUNDS` (reproducible)."""
    rng = np.random.default_rng([seed, nx.MECHANISMS.index(mechanism)])
    names = nx.FREE_PARAMETERS[mechanism]
    lo = np.log([BOUNDS[k][0] for k in names])
    hi = np.log([BOUNDS[k][1] for k in names])
    return [dict(zip(names, np.exp(rng.uniform(lo, hi)))) for _ in range(n)]


def fit_from_random_starts(mechanism: str, n: int = N_STARTS, seed: int = SEED) -> list[dict]:
    """Fit from each random start; rows of start, cost and the fitted parameters."""
    rows = []
    for i, start in enumerate(random_starts(mechanism, n, seed)):
        params, cost = fit_naltrexone(mechanism, start)
        rows.append({"mechanism": mechanism, "start": i, "error_sum": cost, **params})
    return rows


def same_optimum(rows, best: dict, mechanism: str) -> list[bool]:
    """For each fit (a row with ``error_sum`` and parameters), whether it reached ``best``'s
    optimum: error sum within :data:`SAME_OPTIMUM_COST` and every parameter within
    :data:`SAME_OPTIMUM_REL` of it."""
    names = nx.FREE_PARAMETERS[mechanism]
    return [
        abs(r["error_sum"] - best["error_sum"]) <= SAME_OPTIMUM_COST
        and all(abs(r[k] / best[k] - 1) <= SAME_OPTIMUM_REL for k in names)
        for r in rows
    ]


def _fit_fixed(mechanism: str, fixed: dict, start: dict, max_nfev: int = 300):
    """Refit every free parameter except those in ``fixed`` (a profile-likelihood step)."""
    base = nx.build_model(mechanism=mechanism)
    targets = _targets()
    names = [k for k in nx.FREE_PARAMETERS[mechanism] if k not in fixed]
    lo = np.log([BOUNDS[k][0] for k in names])
    hi = np.log([BOUNDS[k][1] for k in names])
    x0 = np.clip(np.log([start[k] for k in names]), lo + 1e-9, hi - 1e-9)

    def f(x):
        return residuals(replace(base, **fixed, **dict(zip(names, np.exp(x)))), targets)

    sol = _least_squares()(f, x0, bounds=(lo, hi), xtol=1e-8, ftol=1e-10, max_nfev=max_nfev)
    return {**fixed, **{k: float(v) for k, v in zip(names, np.exp(sol.x))}}, float(sol.cost)


def profile_parameter(mechanism: str, name: str) -> list[dict]:
    """Profile likelihood of one parameter: step it away from its best value in both directions
    (25 % steps, the others refitted each time, starting from the previous step) until the error
    sum rises by :data:`PROFILE_DELTA` or the parameter reaches its bound.

    Returns two rows (``side`` "low" and "high") with the interval's end ``value`` (linear
    interpolation of the crossing in log scale), ``bounded`` (False when the error sum stayed
    within :data:`PROFILE_DELTA` up to the fit bound: the data do not limit the parameter on that
    side, and the end is the bound, not an estimate), ``error_sum`` and the refitted parameters
    at that end (for the band on the blockade curve).
    """
    best = nx.FITTED_PARAMETERS[mechanism]
    best_cost = error_sum(nx.build_model(best, mechanism))
    rows = []
    for side, sign in (("low", -1), ("high", 1)):
        lo_b, hi_b = np.log(BOUNDS[name])
        x_prev, cost_prev, params_prev = math.log(best[name]), best_cost, dict(best)
        row = None
        for _ in range(PROFILE_MAX_STEPS):
            x = min(max(x_prev + sign * PROFILE_STEP, lo_b), hi_b)
            params, cost = _fit_fixed(mechanism, {name: math.exp(x)}, params_prev)
            if cost - best_cost >= PROFILE_DELTA:
                frac = (best_cost + PROFILE_DELTA - cost_prev) / (cost - cost_prev)
                value = math.exp(x_prev + frac * (x - x_prev))
                row = {"value": value, "bounded": True, "error_sum": best_cost + PROFILE_DELTA, **params_prev}
                break
            x_prev, cost_prev, params_prev = x, cost, params
            if x in (lo_b, hi_b):
                break
        if row is None:  # never rose by PROFILE_DELTA: open on this side
            row = {"value": math.exp(x_prev), "bounded": False, "error_sum": cost_prev, **params_prev}
        rows.append({"mechanism": mechanism, "parameter": name, "side": side, **row})
    return rows


def _profiles(mechanism: str):
    from ..data_access.data_tables import load_table

    table = load_table("naltrexone_fit_profiles")
    return table[table["mechanism"] == mechanism]


def parameter_uncertainty(mechanism: str = nx.DEFAULT_MECHANISM):
    """Each free parameter's fitted value and approximate 95 % profile-likelihood interval.

    Read from ``data/naltrexone_fit_profiles.csv`` (written by ``python -m
    widgets.pharmacology.naltrexone_fit``). An end the data do not limit (the error sum stays
    within :data:`PROFILE_DELTA` all the way to the fit bound) is shown as "not limited (bound
    x)" rather than as a number: a fit bound is not an estimate.

    Returns a DataFrame with columns ``parameter`` (its key), ``label`` (what it is, in words:
    :data:`naltrexone.PARAMETER_LABELS`), ``fitted``, ``low_95``, ``high_95`` (text) and
    ``starts`` (how many of the random starts reached the same optimum).
    """
    import pandas as pd

    from ..data_access.data_tables import load_table

    prof = _profiles(mechanism).set_index(["parameter", "side"])
    starts = load_table("naltrexone_fit_starts")
    starts = starts[starts["mechanism"] == mechanism]
    rows = starts.to_dict("records")
    best = min(rows, key=lambda r: r["error_sum"])
    n_same = sum(same_optimum(rows, best, mechanism))

    def end(name, side):
        r = prof.loc[(name, side)]
        return f"{r['value']:.4g}" if bool(r["bounded"]) else f"not limited (bound {r['value']:.4g})"

    out = []
    for name in nx.FREE_PARAMETERS[mechanism]:
        out.append(
            {
                "parameter": name,
                "label": nx.PARAMETER_LABELS[name],
                "fitted": float(f"{nx.FITTED_PARAMETERS[mechanism][name]:.4g}"),
                "low_95": end(name, "low"),
                "high_95": end(name, "high"),
                "starts": f"{n_same} of {len(rows)}",
            }
        )
    return pd.DataFrame(out)


def parameter_spread(mechanism: str = nx.DEFAULT_MECHANISM):
    """Alias of :func:`parameter_uncertainty` (the name lesson 04 has used)."""
    return parameter_uncertainty(mechanism)


def plausible_parameter_sets(mechanism: str = nx.DEFAULT_MECHANISM) -> list[dict]:
    """The best fit and the refitted parameter sets at both ends of every parameter's 95 %
    profile interval (``data/naltrexone_fit_profiles.csv``): the sets the band is drawn from."""
    names = nx.FREE_PARAMETERS[mechanism]
    sets = [dict(nx.FITTED_PARAMETERS[mechanism])]
    for _, row in _profiles(mechanism).iterrows():
        sets.append({k: float(row[k]) for k in names})
    return sets


def mor_occupancy_band(
    dose_mg: float = 50.0, t_end_h: float = 168.0, dt_h: float = 0.25, mechanism: str = nx.DEFAULT_MECHANISM
):
    """Lowest and highest MOR occupancy after one oral dose over :func:`plausible_parameter_sets`.

    Returns ``(time_h, low, high)`` (occupancy as fractions): the spread the parameters' 95 %
    profile intervals leave on the blockade curve (lesson 04 draws it as a band).
    """
    n = int(round(t_end_h / dt_h))
    curves = []
    for params in plausible_parameter_sets(mechanism):
        m = nx.build_model(params, mechanism)
        levels = nx.occupancy_levels(m, dose_mg * nx.unit_response(m, "oral", dt_h, n))["MOR"]
        curves.append(_occ(levels))
    curves = np.array(curves)
    return np.arange(n + 1) * dt_h, curves.min(axis=0), curves.max(axis=0)


if __name__ == "__main__":
    # refit from random starts, then profile every parameter of the best fit:
    #   python -m widgets.pharmacology.naltrexone_fit starts    -> data/naltrexone_fit_starts.csv
    #   python -m widgets.pharmacology.naltrexone_fit profiles  -> data/naltrexone_fit_profiles.csv
    # (store the printed best fits in naltrexone.FITTED_PARAMETERS between the two)
    import sys

    import pandas as pd

    from ..data_access.data_tables import data_dir

    what = sys.argv[1] if len(sys.argv) > 1 else "starts"
    if what == "starts":
        all_rows = []
        for mech in nx.MECHANISMS:
            rows = fit_from_random_starts(mech)
            all_rows += rows
            best = min(rows, key=lambda r: r["error_sum"])
            n_same = sum(same_optimum(rows, best, mech))
            print(
                f"{mech}: best error sum {best['error_sum']:.4f}; {n_same} of {len(rows)} starts reach it",
                file=sys.stderr,
            )
            print(f'    "{mech}": {{')
            for key in nx.FREE_PARAMETERS[mech]:
                print(f'        "{key}": {best[key]:.10g},')
            print("    },")
        frame = pd.DataFrame(all_rows)
        cols = ["mechanism", "start", "error_sum"] + [k for k in BOUNDS if k in frame.columns]
        frame[cols].to_csv(data_dir() / "naltrexone_fit_starts.csv", index=False, float_format="%.10g")
    else:
        rows = []
        for mech in nx.MECHANISMS:
            for name in nx.FREE_PARAMETERS[mech]:
                rows += profile_parameter(mech, name)
                print(mech, name, rows[-2]["value"], rows[-1]["value"], file=sys.stderr)
        frame = pd.DataFrame(rows)
        frame["bounded"] = frame["bounded"].map({True: "true", False: "false"})
        cols = ["mechanism", "parameter", "side", "value", "bounded", "error_sum"] + [
            k for k in BOUNDS if k in frame.columns
        ]
        frame[cols].to_csv(data_dir() / "naltrexone_fit_profiles.csv", index=False, float_format="%.10g")
