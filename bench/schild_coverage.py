"""How often do the organ bath's pK_B intervals contain the true value? (not a test; asserts nothing)

For each configuration (antagonist x number of antagonist concentrations) it simulates many
Schild experiments with ``ph.run_schild_experiment`` (the bath's noise: 4 % point noise and the
0.05 log-unit curve-to-curve drift, data/organ_bath_parameters.csv) and prints, per interval:

* global fit, pK_B (slope fixed at 1): the organ bath's headline (Lew & Angus 1995);
* global fit with the drift left out of the error model (what an earlier prototype did);
* classical Schild regression: pK_B with the slope fixed at 1, and pA2 by Fieller's theorem.

Coverage is the fraction of seeds whose 95 % interval contains the true pK_B; width is the
median interval width in log units. Fieller intervals that are unbounded count as covering and
are left out of the median width.

Usage: python bench/schild_coverage.py [--seeds 500]

``--grid`` instead measures ``analyse_schild`` (the "analyse your own experiment" entry point of
lesson 09) over the grid in ``bench/schild_coverage_grid.py``: the drift is estimated from the
data, never given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from widgets import pharmacology as ph  # noqa: E402

# Antagonist concentrations: the lesson's (about 2-70 x K_B), on the bath's 1-3-10 steps.
CONFIGS = {
    "naloxone": {4: [3e-9, 1e-8, 3e-8, 1e-7], 3: [3e-9, 1e-8, 3e-8]},
    "naltrexone": {4: [1e-9, 3e-9, 1e-8, 3e-8], 3: [1e-9, 3e-9, 1e-8]},
}
METHODS = ("global fit", "global, no drift", "classical pKB (slope 1)", "Fieller pA2")


def intervals(run, no_drift):
    """The four intervals of one simulated experiment, in METHODS order."""
    g, s = run.global_fit, run.schild
    return (g.pkb_ci, no_drift.pkb_ci, s.pkb_slope1_ci, s.pA2_ci)


def measure(drug: str, n_conc: int, seeds: int, params: dict) -> dict:
    kb = params[f"kb_{drug}"]
    pkb = -np.log10(kb)
    b = np.array(CONFIGS[drug][n_conc])
    noise = ph.BathNoise(params["point_noise_sd"], params["curve_shift_sd"])
    ka, tau = params["agonist_ka"], params["agonist_tau"]
    hits = {m: 0 for m in METHODS}
    widths = {m: [] for m in METHODS}
    for seed in range(seeds):
        run = ph.run_schild_experiment(seed, ka, tau, kb, b, ph.DOSES_M, noise)
        conc = np.r_[0.0, b]
        no_drift = ph.global_schild_fit(list(zip([run.doses] * conc.size, run.responses)), conc, 0.0)
        for m, ci in zip(METHODS, intervals(run, no_drift)):
            if ci is None:  # an unbounded Fieller interval contains everything
                hits[m] += 1
                continue
            hits[m] += ci[0] <= pkb <= ci[1]
            widths[m].append(ci[1] - ci[0])
    return {m: (hits[m] / seeds, float(np.median(widths[m])) if widths[m] else float("nan")) for m in METHODS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=500)
    parser.add_argument("--grid", action="store_true", help="analyse_schild over the 12-configuration grid")
    args = parser.parse_args()
    if args.grid:
        from schild_coverage_grid import main as grid_main

        grid_main(args.seeds)
        return
    params = ph.bath_parameters()
    print(
        f"95 % intervals of pK_B over {args.seeds} seeds (drift SD {params['curve_shift_sd']} log units, "
        f"point SD {params['point_noise_sd']} %)"
    )
    print(f"{'config':<16} {'method':<25} {'coverage':>9} {'median width':>13}")
    for drug in CONFIGS:
        for n_conc in (3, 4):
            t0 = time.perf_counter()
            result = measure(drug, n_conc, args.seeds, params)
            for m, (cov, width) in result.items():
                print(f"{drug + ' x' + str(n_conc):<16} {m:<25} {cov:9.1%} {width:13.2f}")
            print(f"{'':<16} ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
