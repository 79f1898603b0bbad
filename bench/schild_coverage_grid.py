"""Coverage of ``analyse_schild``'s pK_B interval with the drift estimated from the data (issue 24).

Each configuration simulates Schild experiments with the organ bath's model (operational agonist,
K_A 100 nM, efficacy tau; competitive antagonist, pK_B 9; 4 % point noise; a curve-to-curve drift
of the agonist's potency with SD ``drift``), one or two control curves, 3 or 4 antagonist
concentrations from 3 x K_B up in steps of ``spacing``. Each curve gets 11 half-log agonist
concentrations centred on its expected EC50 (as a student picks them), none above 10 mM. The table is then handed
to ``analyse_schild`` exactly as a student's CSV would be: nothing about the drift is passed.

pK_B: coverage counts a seed whose pK_B is undefined (None) as *not* covering. Width is the median
width of the interval (log units) over the seeds that have one.

pA2 (true value 9, the pK_B: the simulated antagonist is competitive) and the Schild slope (true
value 1), from the Schild plot (``SchildReport.pa2_ci``, ``slope_ci``): a seed either reports a
bounded interval, or reports the estimate with an *unbounded* interval (Fieller's interval for
pA2 when the slope's own interval reaches 0: the report says so, and an unbounded set contains
the truth), or reports no interval (pA2 undefined because the Schild plot is flat, or fewer than
3 Schild points left after points with a dose ratio hardly above 1 were dropped: the report makes
no claim). Coverage is over the seeds that report an interval, bounded or unbounded; the table
gives the fractions unbounded and without an interval beside it. Width is the median over the
bounded intervals.

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
from widgets.pharmacology.analyse import MAX_MOLAR, analyse_schild, curves_table  # noqa: E402

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
        # no bath holds more than 10 mM of agonist (analyse_schild refuses a molar column above it):
        # at dose ratios near 3000 the top one or two half-log steps are left out, as a student must
        doses = doses[doses <= MAX_MOLAR]
        r = ph.simulate_curve(
            doses, KA, tau, c, kb, noise=ph.BathNoise(POINT_SD, drift), rng=np.random.default_rng([seed, i])
        )
        curves.append((doses, r))
    return curves_table(curves, conc)


class Tally:
    """Coverage of one interval over the seeds: covered, bounded widths, unbounded, no interval."""

    def __init__(self, truth):
        self.truth, self.hits, self.widths, self.unbounded, self.none, self.n = truth, 0, [], 0, 0, 0

    def add(self, value, ci):
        self.n += 1
        if value is None:
            self.none += 1
        elif ci is None:
            self.unbounded += 1
            self.hits += 1
        else:
            self.hits += ci[0] <= self.truth <= ci[1]
            self.widths.append(ci[1] - ci[0])

    def row(self):
        told = self.n - self.none
        cov = self.hits / told if told else float("nan")
        width = float(np.median(self.widths)) if self.widths else float("nan")
        return f"{cov:7.1%} {width:6.2f} {self.unbounded / self.n:6.1%} {self.none / self.n:6.1%}"


def measure(config, seeds):
    """pK_B (undefined = miss), pA2 and slope tallies of one configuration."""
    hits, widths, undefined = 0, [], 0
    pa2, slope = Tally(PKB), Tally(1.0)
    for seed in range(seeds):
        df = experiment(seed, *config)
        r = analyse_schild(
            df, concentration="agonist_M", response="response", antagonist="antagonist_M", curve="curve"
        )
        pa2.add(r.pa2, r.pa2_ci)
        # the slope has an interval only with 3 or more Schild points
        slope.add(r.slope if r.slope_ci is not None else None, r.slope_ci)
        if r.pkb_ci is None:
            undefined += 1
            continue
        hits += r.pkb_ci[0] <= PKB <= r.pkb_ci[1]
        widths.append(r.pkb_ci[1] - r.pkb_ci[0])
    pkb = (hits / seeds, float(np.median(widths)) if widths else float("nan"), undefined / seeds)
    return pkb, pa2, slope


def main(seeds=1000):
    print(f"analyse_schild 95 % intervals, drift estimated from the data, {seeds} seeds per configuration")
    print("pK_B: coverage (undefined = miss), median width, undefined.")
    print("pA2 (truth 9) and slope (truth 1): coverage over the seeds reporting an interval (unbounded")
    print("counts as covering), median width of the bounded ones, % unbounded, % with no interval.")
    print(
        f"{'tau':>4} {'[B]s':>4} {'step':>4} {'drift':>5} {'ctrl':>4} | {'pKB cov':>7} {'width':>6} {'undef':>6} | "
        f"{'pA2 cov':>7} {'width':>6} {'unbd':>6} {'none':>6} | {'slp cov':>7} {'width':>6} {'unbd':>6} {'none':>6} "
        f"| {'s':>4}"
    )
    for config in GRID:
        t0 = time.perf_counter()
        (cov, width, undef), pa2, slope = measure(config, seeds)
        tau, n, step, drift, ctrl = config
        print(
            f"{tau:>4} {n:>4} {'x' + str(step):>4} {drift:>5} {ctrl:>4} | {cov:7.1%} {width:6.2f} {undef:6.1%} | "
            f"{pa2.row()} | {slope.row()} | {time.perf_counter() - t0:4.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
