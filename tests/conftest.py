"""Project-wide test settings.

Tiers: `make check` runs lint and the fast tier (`-m "not browser and not slow"`: the science
core and the widgets driven headless, about 3 minutes on 2 cores); `make test` runs everything.
A test is `slow` when it starts a server, a hub or repo2docker, executes whole lessons or re-runs
a many-start model fit;
SLOW lists them here, in one place, so a test file need not know which tier it is in.
Also: fixtures shared by several test modules.
"""

from __future__ import annotations

import fcntl
import html
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property-based tests are judged on what they find, not on wall time: on a busy 2-core CI
# machine a single example can take over hypothesis' default 200 ms deadline.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

SLOW = (
    "tests/test_saved_lesson_size.py",
    "tests/test_hub.py",
    "tests/test_binder.py",
    "tests/test_server_settings.py",
    "tests/test_readme_commands.py",
    "tests/test_grading.py",
    "tests/test_hub_grading.py",
    "tests/test_answer_check.py",
    "tests/test_site_build.py",
    "tests/test_classroom.py::test_student_version_runs_cleanly_up_to_its_first_exercise",
    "tests/test_naltrexone.py::test_twenty_random_starts_reach_the_same_optimum_live",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SLOW) or item.nodeid.startswith("lessons/"):
            item.add_marker(pytest.mark.slow)


ROOT = Path(__file__).resolve().parents[1]


def _lesson_bytes() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ROOT / "lessons").glob("*.ipynb"))}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """`make assignments` for every lesson in exercises.yml, once per test run.

    Under `make test`'s two workers (pytest-xdist) the files that use it may run on both; the
    first to get here builds into the run's shared temporary folder while the other waits on a
    lock, then reuses it (the build executes every lesson: about 45 s of processor time).
    """
    from classroom.grading import build as grading_build

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's basetemp is popen-gwN inside the run's folder
    out, done = shared / "assignments", shared / "assignments.done"
    with open(shared / "assignments.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            lessons = sorted(grading_build.load_spec())
            before = _lesson_bytes()
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            summaries = grading_build.build(lessons, out)
            assert [s["lesson"] for s in summaries] == lessons
            assert _lesson_bytes() == before, "building the assignments changed a lesson"
            done.touch()
    return out


@pytest.fixture(scope="session")
def hidden_tests(built) -> dict[str, dict[str, list[str]]]:
    """Per lesson, what no student may see before grading, read from its grading bundle: the code
    lines of every hidden test (otter's prompts removed) and their failure messages."""
    from classroom.grading import build as grading_build

    found = {}
    for lesson, entry in grading_build.load_spec().items():
        code, messages = [], []
        bundle = built / "grading" / Path(entry["notebook"]).stem / "autograder.zip"
        with zipfile.ZipFile(bundle) as zf:
            for name in zf.namelist():
                if not (name.startswith("tests/") and name.endswith(".py")):
                    continue
                scope: dict = {}
                exec(zf.read(name).decode(), scope)
                for case in (c for s in scope["test"]["suites"] for c in s["cases"] if c["hidden"]):
                    code += [
                        re.sub(r"^(>>>|\.\.\.) ?", "", line.strip()) for line in case["code"].splitlines()
                    ]
                    messages.append(case["failure_message"])
        found[lesson] = {"code": [line for line in code if line], "messages": messages}
    return found


def _page_text(path: Path) -> str:
    """What a reader of an HTML page sees: its text without the tags (code highlighting splits a
    line into spans), entities decoded; then the page as written, for anything inside a tag."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(re.sub(r"<[^>]+>", "", raw)) + "\n" + raw


@pytest.fixture(scope="session")
def page_text():
    """The leak checks' reader of HTML pages (feedback pages, the rendered site)."""
    return _page_text
