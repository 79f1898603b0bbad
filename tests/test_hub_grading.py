"""The classroom round trip on the trial hub (JupyterHub 5.x, classroom/hub/): hand out, answer,
export, grade.

The instructor builds lesson 02's assignment and publishes the student notebook as a git
repository; two students pull it with the nbgitpuller link, fill in their answers (one right, one
wrong), save, run the whole notebook in their own kernel (the Check buttons and the export cell
included) and download the zip the export cell wrote; the instructor grades the two zips. Bounded:
every wait has a time limit and the hub stops everything it started.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import csv
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

from classroom.grading import grade as grading_grade
from classroom.hub.kernel_channel import KernelChannel
from classroom.hub.trial import Student, TrialHub

ROOT = Path(__file__).resolve().parents[1]
SPEC = yaml.safe_load((ROOT / "classroom" / "grading" / "exercises.yml").read_text(encoding="utf-8"))
LESSON = SPEC["02"]["notebook"]
REPO_DIR = "assignments"  # the repository's name: the folder nbgitpuller clones into
ANSWERS = {
    "alice": {
        "answer_2_1": "ph.occupancy(3.0, 0.3)",
        "occupied_for_half_2_3": "1 / 102",
        "occupied_for_90pct_2_3": "9 / 110",
    },
    "bob": {"answer_2_1": "3 / 3.3 + 0.2", "occupied_for_half_2_3": "0.5", "occupied_for_90pct_2_3": "0.9"},
}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


@pytest.fixture(scope="module")
def published(built, tmp_path_factory) -> tuple[Path, Path]:
    """`make assignments` (conftest: every lesson), lesson 02 published as a repository."""
    repo = tmp_path_factory.mktemp("instructor") / REPO_DIR
    (repo / "lessons").mkdir(parents=True)
    shutil.copy(built / "student" / LESSON, repo / "lessons" / LESSON)
    _git(repo, "init", "--quiet", "-b", "main")
    _git(repo, "config", "user.email", "instructor@example.org")
    _git(repo, "config", "user.name", "Instructor")
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "-m", "Assignment 02")
    return built, repo


def _fill(nb: dict, student: str, answers: dict[str, str]) -> dict:
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        src = src.replace('STUDENT = ""', f"STUDENT = {student!r}")
        for name, code in answers.items():
            src = re.sub(rf"^{re.escape(name)} = None", f"{name} = {code}", src, flags=re.M)
        cell["source"] = src
    return nb


def _run(coro):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _run_all(student: Student, kernel_id: str, cells: list[dict]):
    async with KernelChannel(student.channels_url(kernel_id), student.token) as kernel:
        await kernel.wait_ready()
        return await kernel.run_all(cells, cell_timeout_s=180, total_timeout_s=400)


def test_two_students_pull_answer_export_and_the_instructor_grades(published, tmp_path):
    built, repo = published
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    folder = f"{REPO_DIR}/lessons"
    errors: list[str] = []

    with TrialHub(tmp_path / "hub", keep_servers=False) as hub:

        def student_works(name: str) -> None:
            try:
                student = Student(hub, name)
                student.log_in()
                student.start_server()
                student.click_nbgitpuller_link(f"file://{repo}", "main", LESSON)
                path = f"{folder}/{LESSON}"
                nb = _fill(student.read_notebook(path), name.capitalize(), ANSWERS[name])
                student.api(
                    "PUT", f"/api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb}
                ).raise_for_status()  # Ctrl+S
                kernel_id = student.open_notebook(path)
                result = _run(_run_all(student, kernel_id, nb["cells"]))  # Run All, export cell last
                if result.errors:
                    raise RuntimeError(f"Run All stopped: {result.errors}")
                listing = student.api("GET", f"/api/contents/{folder}").json()["content"]
                zips = [f["name"] for f in listing if f["name"].endswith(".zip")]
                if len(zips) != 1:
                    raise RuntimeError(f"the export cell wrote {zips}")
                got = student.api(
                    "GET", f"/api/contents/{folder}/{zips[0]}?type=file&format=base64&content=1"
                )
                got.raise_for_status()
                # the download, saved as the LMS or a shared folder would name it
                (downloads / f"{name}_{zips[0]}").write_bytes(base64.b64decode(got.json()["content"]))
            except Exception as err:  # noqa: BLE001
                errors.append(f"{name}: {err}")

        threads = [threading.Thread(target=student_works, args=(n,)) for n in ANSWERS]
        for t in threads:
            t.start()
        for t in threads:
            t.join(500)
        assert not any(t.is_alive() for t in threads), "a student did not finish within the time limit"
        assert not errors, f"{errors}\n{hub.log_tail()}"

    assert not hub.our_processes(), "the hub left processes behind"

    # The instructor grades the two downloads.
    result = grading_grade.grade(downloads, built, tmp_path / "grades")
    assert not result["reported"], result["report"]
    with (result["dir"] / "grades.csv").open(encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert set(rows) == {"Alice", "Bob"}
    points = {}
    for q in SPEC["02"]["questions"]:
        name = "q{}_{}".format(*q["exercise"].split("."))
        public = 0.5 * len(q["answers"])
        points[name] = (public, public + sum(a.get("points", 1) for a in q["answers"].values()))
    for q, (public, full) in points.items():
        assert float(rows["Alice"][q]) == pytest.approx(full), rows["Alice"]
        assert float(rows["Bob"][q]) == pytest.approx(public), rows["Bob"]
    assert float(rows["Alice"]["total"]) == pytest.approx(sum(full for _, full in points.values()))
    print(json.dumps(rows))
