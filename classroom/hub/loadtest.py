"""Load test of the trial hub: a class of N simulated students (`make loadtest STUDENTS=N`).

Each student, all at once: logs in through the hub's login form and HTTP API, starts their
server, clicks the nbgitpuller link (the lessons come from a local clone of this repository:
no network), opens a lesson (a kernel session), waits until every student is ready, then runs
every cell over the kernel websocket (Run All, all students at the same moment, as a class
does), then moves a slider ``--moves`` times by comm messages as the browser does, checking
that the kernel confirms each value and redraws. Prints one table; exits non-zero on any
failure. Everything listens on 127.0.0.1; every wait is bounded; everything started is stopped.

Usage: python -m classroom.hub.loadtest [--students 30] [--lesson 03_competitive_blocking.ipynb]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from classroom.hub.kernel_channel import KernelChannel, slider_values, sliders
from classroom.hub.trial import REPO, Student, TrialHub

DEFAULT_LESSON = "03_competitive_blocking.ipynb"


@dataclass
class Outcome:
    name: str
    server_start_s: float | None = None
    run_all_s: float | None = None
    run_all_cpu_s: float | None = None  # the kernel's CPU time for Run All
    round_trips_s: list[float] = field(default_factory=list)
    redraws: int = 0
    failure: str | None = None


def lessons_repo(into: Path) -> tuple[str, str]:
    """A local bare clone of this repository's committed HEAD: (file:// URL, branch)."""
    target = into / "opioid-lessons.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(REPO), str(target)], check=True, timeout=120)
    branch = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--abbrev-ref", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"file://{target}", branch


def simulate_student(
    hub: TrialHub, name: str, repo: str, branch: str, lesson: str, moves: int, barrier: threading.Barrier
) -> Outcome:
    out = Outcome(name)
    at_barrier = False
    phase = "logging in"  # named in a failure
    try:
        student = Student(hub, name)
        student.log_in()
        phase = "starting the server"
        out.server_start_s = student.start_server()
        phase = "pulling the lessons (nbgitpuller)"
        repo_dir = student.click_nbgitpuller_link(repo, branch, lesson)
        path = f"{repo_dir}/lessons/{lesson}"
        cells = student.read_notebook(path)["cells"]
        phase = "opening the lesson (kernel start)"
        kernel_id = student.open_notebook(path)

        async def drive():
            nonlocal phase
            phase = "connecting to the kernel"
            async with KernelChannel(student.channels_url(kernel_id), student.token) as kernel:
                phase = "waiting for the kernel"
                await kernel.wait_ready()
                nonlocal at_barrier
                at_barrier = True
                await asyncio.get_running_loop().run_in_executor(None, barrier.wait)
                phase = "Run All"
                cpu_before = await kernel.cpu_seconds()
                result = await kernel.run_all(cells)
                out.run_all_s = result.seconds
                out.run_all_cpu_s = await kernel.cpu_seconds() - cpu_before
                if result.errors:
                    raise RuntimeError("; ".join(result.errors))
                candidates = sliders(result.widgets)
                if not candidates:
                    raise RuntimeError("Run All made no slider to move")
                # The first slider whose move redraws something (a figure or a summary line).
                for comm_id in candidates[:10]:
                    state = result.widgets[comm_id]
                    key, values = slider_values(state, moves)
                    probe = next((v for v in values if v != state.get(key)), values[0])
                    _, redrawn = await kernel.move_widget(comm_id, probe, key=key)
                    if redrawn:
                        break
                else:
                    raise RuntimeError("no slider redraws anything when moved")
                phase = "moving a slider"
                if values[0] == probe:  # the first move must change the value
                    values = values[1:] + values[:1]
                for value in values:
                    seconds, redrawn = await kernel.move_widget(comm_id, value, key=key)
                    out.round_trips_s.append(seconds)
                    out.redraws += bool(redrawn)
                if out.redraws < moves:
                    raise RuntimeError(f"only {out.redraws} of {moves} moves redrew anything")

        asyncio.run(drive())
    except Exception as err:  # noqa: BLE001  (a student's failure is reported, not raised)
        out.failure = f"{phase}: {type(err).__name__}: {err}"
        if "--traceback" in sys.argv:
            traceback.print_exc()
    finally:
        if not at_barrier:
            try:
                barrier.wait()  # do not hold the class back
            except threading.BrokenBarrierError:
                pass
    return out


def run_class(
    students: int,
    lesson: str = DEFAULT_LESSON,
    moves: int = 50,
    timeout_s: float = 1800,
    state_dir: Path | None = None,
) -> dict:
    """Run the load test; return the summary (also for the tests)."""
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        tmp = Path(tmp)
        repo, branch = lessons_repo(tmp)
        with TrialHub(state_dir or tmp / "hub", keep_servers=False) as hub:
            barrier = threading.Barrier(students, timeout=timeout_s)
            outcomes: list[Outcome] = [Outcome(f"student{i:02d}") for i in range(students)]

            def one(i):
                outcomes[i] = simulate_student(hub, outcomes[i].name, repo, branch, lesson, moves, barrier)

            threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(students)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(max(1.0, timeout_s - (time.perf_counter() - t0)))
            for i, t in enumerate(threads):
                if t.is_alive():
                    outcomes[i].failure = outcomes[i].failure or f"still running after {timeout_s:.0f} s"
            per_user = hub.user_rss_mb()
            summary = summarize(outcomes, hub.hub_rss_mb(), per_user, time.perf_counter() - t0)
            cpu = list(hub.user_cpu_s().values())
            summary["user_cpu_s_mean"] = statistics.mean(cpu) if cpu else float("nan")
            run_cpu = [o.run_all_cpu_s for o in outcomes if o.run_all_cpu_s is not None]
            summary["run_all_cpu_s_mean"] = statistics.mean(run_cpu) if run_cpu else float("nan")
            summary["hub_log_tail"] = hub.log_tail() if summary["failures"] else ""
    return summary


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarize(outcomes: list[Outcome], hub_mb: float, per_user: dict[str, float], wall_s: float) -> dict:
    starts = [o.server_start_s for o in outcomes if o.server_start_s is not None]
    runs = [o.run_all_s for o in outcomes if o.run_all_s is not None and not o.failure]
    trips = [t for o in outcomes for t in o.round_trips_s]
    users = list(per_user.values())
    return {
        "students": len(outcomes),
        "failures": sum(bool(o.failure) for o in outcomes),
        "failure_list": [f"{o.name}: {o.failure}" for o in outcomes if o.failure],
        "server_start_p50_s": _pct(starts, 0.5),
        "server_start_max_s": max(starts, default=float("nan")),
        "run_all_p50_s": _pct(runs, 0.5),
        "run_all_max_s": max(runs, default=float("nan")),
        "rtt_p50_ms": 1000 * _pct(trips, 0.5),
        "rtt_p95_ms": 1000 * _pct(trips, 0.95),
        "rtt_max_ms": 1000 * max(trips, default=float("nan")),
        "moves": len(trips),
        "hub_mb": hub_mb,
        "user_mb_mean": statistics.mean(users) if users else float("nan"),
        "user_mb_max": max(users, default=float("nan")),
        "total_mb": hub_mb + sum(users),
        "wall_s": wall_s,
    }


def table(s: dict, lesson: str) -> str:
    rows = [
        ("students", f"{s['students']}"),
        ("lesson", lesson),
        ("server start p50 / max, s", f"{s['server_start_p50_s']:.1f} / {s['server_start_max_s']:.1f}"),
        ("Run All (all at once) p50 / max, s", f"{s['run_all_p50_s']:.1f} / {s['run_all_max_s']:.1f}"),
        (
            "widget round trip p50 / p95 / max, ms",
            f"{s['rtt_p50_ms']:.0f} / {s['rtt_p95_ms']:.0f} / {s['rtt_max_ms']:.0f} ({s['moves']} moves)",
        ),
        ("failures", f"{s['failures']}"),
        ("hub + proxy memory, MB", f"{s['hub_mb']:.0f}"),
        ("per student (server + kernel) mean / max, MB", f"{s['user_mb_mean']:.0f} / {s['user_mb_max']:.0f}"),
        ("total memory, MB", f"{s['total_mb']:.0f}"),
        (
            "CPU per student: Run All in the kernel / server + kernel whole run, mean s",
            f"{s.get('run_all_cpu_s_mean', float('nan')):.1f} / {s.get('user_cpu_s_mean', float('nan')):.1f}",
        ),
        ("load average (1 min) at the end", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
        ("whole run, s", f"{s['wall_s']:.0f}"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'measure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|---|"]
    lines += [f"| {k.ljust(width)} | {v} |" for k, v in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m classroom.hub.loadtest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--lesson", default=DEFAULT_LESSON)
    parser.add_argument("--moves", type=int, default=50, help="widget moves per student")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the whole class")
    parser.add_argument("--traceback", action="store_true", help="print each failure's traceback")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    summary = run_class(args.students, args.lesson, args.moves, args.timeout)
    print(table(summary, args.lesson))
    for line in summary["failure_list"]:
        print("FAILED", line)
    if summary["hub_log_tail"]:
        print("\nhub log (tail):\n" + summary["hub_log_tail"])
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
