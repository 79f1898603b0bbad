"""Least-squares fit of the naltrexone model's free parameters to published human data.

The targets are rows of ``data/naltrexone_fit_targets.csv`` (each a published range with a
source and a fit scale) and the PET points of ``data/pet_occupancy.csv`` (Rabiner et al.
2011 single doses; Weerts et al. 2008 on 50 mg daily). A residual is the distance of the
model's value outside the published range (narrowed by a tenth of its width at each end, so
that the fit aims inside rather than at an edge) divided by the row's scale,
plus a weak pull to the middle of the range so that the optimum is unique; a PET point's
residual is (model - measured) / 10 points (single subjects scatter by about that much),
Weerts' means are scaled by their SD.

The fitted values are stored in ``naltrexone.FITTED_PARAMETERS`` so that importing and
simulating never re-fit (a fit takes a few seconds); tests/test_naltrexone.py re-runs
:func:`fit_naltrexone` and checks the stored values. Regenerate with
``python -m widgets.pharmacology.naltrexone_fit``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from scipy.optimize import least_squares

from . import naltrexone as nx

DT_FINE_H = 0.02
DT_H = 0.25
RABINER_WINDOW_H = (1.0, 8.0)  # "within 8 h": the model's mean blockade over 1-8 h
PET_POINT_SCALE = 10.0  # percentage points
CENTRE_PULL = 0.05
INNER_MARGIN = 0.1
BOUNDS = {  # (low, high) for each free parameter
    "bioavailability": (0.02, 0.6),
    "ka_per_h": (0.3, 20.0),
    "central_volume_l": (10.0, 3000.0),
    "k12_per_h": (1e-3, 20.0),
    "k21_per_h": (1e-3, 20.0),
    "naltrexol_volume_l": (20.0, 5000.0),
    "keo_per_h": (1e-4, 1.0),
    "slow_pool_gain": (1e-3, 100.0),
    "in_vivo_affinity_factor": (0.1, 1000.0),
    "naltrexol_brain_weight": (1e-4, 1.0),
}


def _occ(levels):
    return levels / (1.0 + levels)


def _halflife_h(t, c, start, end):
    sel = (t >= start) & (t <= end)
    slope = np.polyfit(t[sel], np.log(np.clip(c[sel], 1e-300, None)), 1)[0]
    return math.inf if slope >= 0 else -math.log(2) / slope


def model_quantities(m: nx.NaltrexoneModel) -> dict:
    """The model's value for every fit target and PET point (occupancies in %)."""
    q = {}
    fine = 50.0 * nx.unit_response(m, "oral", DT_FINE_H, int(24 / DT_FINE_H))
    tf = np.arange(fine.shape[0]) * DT_FINE_H
    q["oral_cmax_naltrexone"] = fine[:, 0].max()
    q["oral_tmax_naltrexone"] = tf[fine[:, 0].argmax()]
    q["oral_cmax_naltrexol"] = fine[:, 1].max()
    q["oral_tmax_naltrexol"] = tf[fine[:, 1].argmax()]
    q["halflife_naltrexone"] = _halflife_h(tf, fine[:, 0], 4.0, 24.0)
    q["oral_bioavailability"] = m.bioavailability

    n = int(28 * 24 / DT_H)
    oral = nx.unit_response(m, "oral", DT_H, n)
    t = np.arange(n + 1) * DT_H
    mor = lambda out: 100 * _occ(nx.occupancy_levels(m, out)["MOR"])  # noqa: E731
    single = mor(50.0 * oral)
    at = lambda time_h: int(round(time_h / DT_H))  # noqa: E731
    q["mor_1h_after_50mg"] = single[at(1)]
    q["mor_2h_after_50mg"] = single[at(2)]
    q["mor_48h_after_50mg"] = single[at(48)]
    idx = [at(s) for s in nx.LEE_TIMES_H]
    slope = np.polyfit(t[idx], np.log(single[idx]), 1)[0]
    q["blockade_halftime"] = math.inf if slope >= 0 else -math.log(2) / slope

    eod = nx.superpose(oral, [at(48 * k) for k in range(12)], [50.0] * 12, n)
    q["mor_trough_every_other_day"] = mor(eod)[at(48 * 11) - 1]
    daily = nx.superpose(oral, [at(24 * k) for k in range(28)], [50.0] * 28, n)
    last_day = t >= 27 * 24
    levels = nx.occupancy_levels(m, daily[last_day])
    q["weerts_MOR"] = 100 * _occ(levels["MOR"]).mean()
    q["weerts_DOR"] = 100 * _occ(levels["DOR"]).mean()
    xr = 380.0 * nx.unit_response(m, "injection", DT_H, n)
    q["xr_exposure_vs_oral"] = np.trapezoid(xr[:, 0], t) / np.trapezoid(daily[:, 0], t)

    window = (t >= RABINER_WINDOW_H[0]) & (t <= RABINER_WINDOW_H[1])
    levels_1mg = nx.occupancy_levels(m, oral[window])["MOR"]
    for dose in (2.0, 5.0, 15.0, 50.0):
        q[f"rabiner_{dose:g}mg"] = 100 * _occ(dose * levels_1mg).mean()
    return q


def _targets():
    from ..data_tables import load_table

    targets = load_table("naltrexone_fit_targets")
    pet = load_table("pet_occupancy")
    rabiner = pet[(pet["study"] == "rabiner2011") & (pet["receptor"] == "MOR")]
    weerts = pet[pet["study"] == "weerts2008"].set_index("receptor")
    return targets, rabiner, weerts


def residuals(m: nx.NaltrexoneModel, targets=None) -> np.ndarray:
    """Scaled residuals of the model against every fit target and PET point."""
    targets, rabiner, weerts = targets or _targets()
    q = model_quantities(m)
    res = []
    for row in targets.itertuples():
        value, lo, hi = q[row.key], row.value_low, row.value_high
        inner = INNER_MARGIN * (hi - lo)  # aim inside the range, not at its edge
        outside = max(lo + inner - value, 0.0, value - hi + inner)
        centre = value - 0.5 * (lo + hi)
        res.append(outside / row.fit_scale)
        res.append(CENTRE_PULL * centre / max(hi - lo, row.fit_scale))
    for row in rabiner.itertuples():
        res.append((q[f"rabiner_{row.dose_mg:g}mg"] - row.occupancy_pct) / PET_POINT_SCALE)
    for receptor in ("MOR", "DOR"):
        row = weerts.loc[receptor]
        res.append((q[f"weerts_{receptor}"] - row["occupancy_pct"]) / row["sd_pct"])
    return np.asarray(res)


def fit_naltrexone(start: dict | None = None) -> dict:
    """Fit the free parameters (log scale, bounded) by least squares; returns name -> value."""
    base = nx.build_model()
    targets = _targets()
    names = nx.FREE_PARAMETERS
    x0 = np.log([(start or nx.FITTED_PARAMETERS)[k] for k in names])
    lo = np.log([BOUNDS[k][0] for k in names])
    hi = np.log([BOUNDS[k][1] for k in names])

    def f(x):
        return residuals(replace(base, **dict(zip(names, np.exp(x)))), targets)

    sol = least_squares(
        f,
        np.clip(x0, lo + 1e-9, hi - 1e-9),
        bounds=(lo, hi),
        x_scale=1.0,
        xtol=1e-10,
        ftol=1e-10,
        max_nfev=4000,
    )
    return {k: float(v) for k, v in zip(names, np.exp(sol.x))}


if __name__ == "__main__":  # print the fitted values to paste into naltrexone.FITTED_PARAMETERS
    fitted = fit_naltrexone()
    for key, value in fitted.items():
        print(f'    "{key}": {value:.6g},')
