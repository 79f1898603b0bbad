"""Kernel footprint (import time and memory), this tree side by side with a baseline commit.

Prints, for this working tree and for ``--baseline`` (default: the commit before the lazy
imports, i.e. "today's figures" of issue 14):
  * ``import widgets``: wall time and resident memory (VmRSS) of a fresh Python, next to
    ``import scipy.stats, pandas`` measured in the same run (median of ``--repeat`` runs);
  * a kernel's resident memory after executing lessons 02 and 03 headless (nbclient).

It asserts nothing (benchmarks live apart from the tests); the targets are printed below the
table. Usage: python bench/kernel_footprint.py [--baseline REV] [--repeat N] [--no-lessons]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "379b7aa"  # main before issue 14: eager imports in widgets/__init__.py
LESSONS = ["02_binding_occupancy_efficacy.ipynb", "03_competitive_blocking.ipynb"]
TARGETS = {
    "import widgets": "<= 90 MB and <= 0.5x the time of scipy.stats + pandas",
    "02_binding_occupancy_efficacy": "<= 125 MB",
    "03_competitive_blocking": "<= 165 MB",
}

IMPORTS = [
    ("import widgets", "import widgets"),
    ("import scipy.stats, pandas", "import scipy.stats, pandas"),
    # what lesson 02's first cell imports: the lazy names resolve here
    (
        "lesson 02's imports",
        "import numpy as np; from widgets import BindingExplorer, "
        "format_molar, load_table, pharmacology as ph, show_references; ph.occupancy",
    ),
]

_PROBE = """
import sys, time
t0 = time.perf_counter()
{statement}
elapsed = time.perf_counter() - t0
rss_kb = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmRSS'))
print(elapsed, rss_kb / 1024)
"""


def _env_for(tree: Path) -> dict[str, str]:
    # PYTHONPATH comes before the editable install's .pth entry, so `widgets` is the tree's.
    return dict(os.environ, PYTHONPATH=str(tree))


def measure_import(statement: str, tree: Path) -> tuple[float, float]:
    """(seconds, MB RSS) of a fresh interpreter after running ``statement``."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        cwd=tree,
        env=_env_for(tree),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seconds, mb = out.stdout.split()
    return float(seconds), float(mb)


def kernel_rss_after(lesson: Path, tree: Path) -> tuple[float, float]:
    """(execution seconds, kernel MB RSS) after running every cell of ``lesson`` headless."""
    import time

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(lesson, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "print(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1])"
        )
    )
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(lesson.parent)}}
    )
    os.environ["PYTHONPATH"] = str(tree)  # the kernel inherits it
    try:
        t0 = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - t0
    finally:
        os.environ.pop("PYTHONPATH", None)
    return seconds, int(nb.cells[-1].outputs[0]["text"].strip()) / 1024


def _baseline_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def measure_tree(tree: Path, repeat: int, lessons: bool) -> dict[str, tuple[float, float]]:
    rows = {}
    for label, statement in IMPORTS:
        runs = [measure_import(statement, tree) for _ in range(repeat)]
        rows[label] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    if lessons:
        for name in LESSONS:
            rows[Path(name).stem] = kernel_rss_after(tree / "lessons" / name, tree)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE_REV, help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=5, help="runs per import measurement")
    parser.add_argument("--no-lessons", action="store_true", help="skip the lesson kernels")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="footprint-baseline-") as tmp:
        base = measure_tree(_baseline_tree(args.baseline, Path(tmp)), args.repeat, not args.no_lessons)
        now = measure_tree(ROOT, args.repeat, not args.no_lessons)

    print(f"## Kernel footprint: this tree vs {args.baseline} (median of {args.repeat} imports)\n")
    print("| measured | baseline s | baseline MB | now s | now MB | target |")
    print("|---|---:|---:|---:|---:|---|")
    for label in now:
        (bs, bm), (ns, nm) = base[label], now[label]
        print(f"| {label} | {bs:.2f} | {bm:.0f} | {ns:.2f} | {nm:.0f} | {TARGETS.get(label, '')} |")
    ratio_now = now["import widgets"][0] / now["import scipy.stats, pandas"][0]
    ratio_base = base["import widgets"][0] / base["import scipy.stats, pandas"][0]
    print(
        f"\n`import widgets` / `import scipy.stats, pandas` time: baseline {ratio_base:.2f}x, "
        f"now {ratio_now:.2f}x (target <= 0.5x)"
    )
    print("Lesson rows: seconds = headless execution of every cell; MB = kernel VmRSS after it.")


if __name__ == "__main__":
    main()
