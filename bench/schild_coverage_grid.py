"""Coverage of ``analyse_schild``'s pK_B interval with the drift estimated from the data (issue 24).

Each configuration simulates Schild experiments with the organ bath's model (operational agonist,
K_A 100 nM, efficacy tau; competitive antagonist, pK_B 9; 4 % point noise; a curve-to-curve drift
of the agonist's potency with SD ``drift``), one or two control curves, 3 or 4 antagonist
concentrations from 3 x K_B up in steps of ``spacing``. Each curve gets 11 half-log agonist
concentrations centred on its expected EC50 (as a student picks them). The table is then handed
to ``analyse_schild`` exactly as a student's CSV would be: nothing about the drift is passed.

Coverage counts a seed whose pK_B is undefined (None) as *not* covering. Width is the median
width of the interval (log units) over the seeds that have one.

Usage: python bench/schild_coverage.py --grid [--seeds 1000]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from widgets import pharmacology as ph  # noqa: E402
from widgets.pharmacology.analyse import analyse_schild, curves_table  # noqa: E402

KA, PKB, POINT_SD = 1e-7, 9.0, 4.0

# (tau, antagonist concentrations, spacing, drift SD, control curves)
GRID = [
    (5, 4, 3, 0.05, 1),
    (5, 3, 10, 0.05, 1),
    (2, 4, 3, 0.0, 1),
    (2, 3, 10, 0.3, 2),
    (30, 4, 10, 0.0, 2),
    (30, 3, 3, 0.3, 1),
    (10, 4, 3, 0.3, 2),
    (10, 3, 10, 0.0, 1),
    (5, 3, 3, 0.3, 1),
    (2, 4, 10, 0.05, 2),
    (30, 4, 3, 0.05, 1),
    (5, 4, 10, 0.3, 2),
]


def experiment(seed, tau, n_conc, spacing, drift, controls):
    kb = 10.0**-PKB
    b = 3 * kb * spacing ** np.arange(n_conc)
    conc = np.r_[np.zeros(controls), b]
    ec50_ctrl = KA / (1 + tau)
    curves = []
    for i, c in enumerate(conc):
        centre = ec50_ctrl * (1 + c / kb)
        doses = centre * 10.0 ** (0.5 * np.arange(11) - 2.5)
        r = ph.simulate_curve(
            doses, KA, tau, c, kb, noise=ph.BathNoise(POINT_SD, drift), rng=np.random.default_rng([seed, i])
        )
        curves.append((doses, r))
    return curves_table(curves, conc)


def measure(config, seeds):
    hits, widths, undefined, warned = 0, [], 0, 0
    for seed in range(seeds):
        df = experiment(seed, *config)
        r = analyse_schild(
            df, concentration="agonist_M", response="response", antagonist="antagonist_M", curve="curve"
        )
        if r.pkb_ci is None:
            undefined += 1
            continue
        hits += r.pkb_ci[0] <= PKB <= r.pkb_ci[1]
        widths.append(r.pkb_ci[1] - r.pkb_ci[0])
        warned += bool(r.warnings)
    return hits / seeds, float(np.median(widths)) if widths else float("nan"), undefined / seeds


def main(seeds=1000):
    print(
        f"analyse_schild pK_B 95 % interval, drift estimated from the data, {seeds} seeds per configuration"
    )
    print(
        f"{'tau':>4} {'[B]s':>5} {'step':>5} {'drift':>6} {'ctrls':>6} {'coverage':>9} {'median width':>13} {'undefined':>10} {'s':>5}"
    )
    for config in GRID:
        t0 = time.perf_counter()
        cov, width, undef = measure(config, seeds)
        tau, n, step, drift, ctrl = config
        print(
            f"{tau:>4} {n:>5} {'x' + str(step):>5} {drift:>6} {ctrl:>6} {cov:9.1%} {width:13.2f} {undef:10.1%} "
            f"{time.perf_counter() - t0:5.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
