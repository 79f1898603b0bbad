"""The lessons on a real JupyterHub (the trial hub of classroom/hub/, on 127.0.0.1).

Nothing lost in class: a student's edits survive a second click on the nbgitpuller link after the
lessons changed upstream; a hub restart leaves running servers and kernels alive; a kernel
restart mid-lesson followed by Run All works; one student cannot open another's server.
And a two-student load test (`make loadtest` runs the class-sized one).

Needs `make hub-setup` (JupyterHub, nbgitpuller, configurable-http-proxy); `make test` runs it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import subprocess
import threading
import tomllib
from pathlib import Path

import pytest
import requests

from classroom.hub.kernel_channel import KernelChannel
from classroom.hub.loadtest import run_class
from classroom.hub.trial import REPO, Student, TrialHub

LESSON = "02_binding_occupancy_efficacy.ipynb"
REPO_DIR = "upstream"  # the folder nbgitpuller clones into: the name of the repository


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


@pytest.fixture(scope="module")
def upstream(tmp_path_factory) -> Path:
    """The instructor's repository: a clone of this one that the test can commit to."""
    path = tmp_path_factory.mktemp("instructor") / REPO_DIR
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(path)], check=True, timeout=120)
    _git(path, "config", "user.email", "instructor@example.org")
    _git(path, "config", "user.name", "Instructor")
    return path


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with TrialHub(tmp_path_factory.mktemp("hub"), keep_servers=True) as trial:
        yield trial


@pytest.fixture(scope="module")
def students(hub, upstream) -> dict[str, Student]:
    """Three students, logged in, servers started at once, lessons pulled with the link."""
    names, ready, errors = ["alice", "bob", "carol"], {}, []

    def arrive(name):
        try:
            student = Student(hub, name)
            student.log_in()
            student.start_server()
            student.click_nbgitpuller_link(
                f"file://{upstream}", _git(upstream, "branch", "--show-current"), LESSON
            )
            ready[name] = student
        except Exception as err:  # noqa: BLE001
            errors.append(f"{name}: {err}")

    threads = [threading.Thread(target=arrive, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(400)
    assert not errors, f"{errors}\n{hub.log_tail()}"
    return ready


def _run(coro):
    """Run a coroutine to its end in a thread of its own: the browser tests' Playwright (sync API)
    keeps an event loop running in the test session's main thread, where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _execute(student: Student, kernel_id: str, code: str) -> tuple[list[str], str]:
    """Run ``code``; (errors, printed text)."""
    async with KernelChannel(student.channels_url(kernel_id), student.token) as kernel:
        await kernel.wait_ready()
        msg_id = kernel.send(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        errors, text = [], ""
        async for msg in kernel.replies(msg_id, 120):
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                text += msg["content"]["text"]
            elif kind == "error":
                errors.append(msg["content"]["evalue"])
        return errors, text


def test_the_trial_hub_runs_the_jupyterhub_5_the_recipes_pin(hub):
    """TLJH needs jupyterhub>=5.2,<6 and the Z2JH 4.x chart runs 5.x: the hub extra pins a 5.x, and
    the running trial hub says (its REST API) that it is that version."""
    version = requests.get(f"{hub.url}/hub/api/", timeout=30).json()["version"]
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    pin = dict(req.split("==") for req in extras["hub"])["jupyterhub"]
    assert version == pin, f"the trial hub runs JupyterHub {version}, the hub extra pins {pin}"
    assert version.split(".")[0] == "5", version


def test_one_student_cannot_open_another_students_server(students):
    alice, bob = students["alice"], students["bob"]
    assert bob.api("GET", "/api/contents").status_code == 200  # bob himself may
    r = alice.session.get(f"{bob.server}/api/contents", timeout=60, allow_redirects=False)
    assert r.status_code == 403, f"alice reached bob's files: {r.status_code}"
    r = alice.session.post(
        f"{bob.server}/api/kernels", timeout=60, json={"name": "python3"}, allow_redirects=False
    )
    assert r.status_code == 403, f"alice could start a kernel on bob's server: {r.status_code}"


def test_edited_lesson_survives_a_second_click_after_upstream_changes(students, upstream):
    carol = students["carol"]
    path = f"{REPO_DIR}/lessons/{LESSON}"
    nb = carol.read_notebook(path)
    nb["cells"][0]["source"] = "# My own notes on binding: keep these!\n" + "".join(nb["cells"][0]["source"])
    carol.api(
        "PUT", f"/api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb}
    ).raise_for_status()
    # Upstream, the instructor fixes the last cell of the same lesson and adds a new file.
    lesson_file = upstream / "lessons" / LESSON
    upstream_nb = json.loads(lesson_file.read_text())
    upstream_nb["cells"][-1]["source"] = ["Instructor's correction after class.\n"]
    lesson_file.write_text(json.dumps(upstream_nb, indent=1, ensure_ascii=False) + "\n")
    (upstream / "lessons" / "new_handout.md").write_text("# Handout added after the first pull\n")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "--quiet", "-m", "Lessons changed during term")

    carol.click_nbgitpuller_link(f"file://{upstream}", _git(upstream, "branch", "--show-current"), LESSON)
    after = carol.read_notebook(path)
    assert "".join(after["cells"][0]["source"]).startswith("# My own notes on binding"), (
        "the student's edit was lost on the second pull"
    )
    handout = carol.api("GET", f"/api/contents/{REPO_DIR}/lessons/new_handout.md")
    assert handout.status_code == 200, "the upstream change did not arrive"


def test_hub_restart_leaves_servers_and_kernels_running(hub, students):
    bob = students["bob"]
    kernel_id = bob.open_notebook(f"{REPO_DIR}/lessons/{LESSON}")
    errors, _ = _run(_execute(bob, kernel_id, "remembered = 6 * 7"))
    assert not errors
    server_pids = {p.pid for p in hub.our_processes() if "jupyterhub-singleuser" in " ".join(p.cmdline())}
    assert len(server_pids) == 3

    hub.restart()

    assert {
        p.pid for p in hub.our_processes() if "jupyterhub-singleuser" in " ".join(p.cmdline())
    } == server_pids, "a server was restarted"
    assert bob.api("GET", "/api/status").status_code == 200
    assert kernel_id in [k["id"] for k in bob.api("GET", "/api/kernels").json()]
    errors, printed = _run(_execute(bob, kernel_id, "print(remembered)"))
    assert not errors and printed.strip() == "42", "the kernel lost its state over the hub restart"


def test_kernel_restart_mid_lesson_then_run_all(students):
    alice = students["alice"]
    path = f"{REPO_DIR}/lessons/{LESSON}"
    cells = alice.read_notebook(path)["cells"]
    kernel_id = alice.open_notebook(path)
    code_cells = [c for c in cells if c["cell_type"] == "code"]

    async def first_half_then_restart_then_all():
        async with KernelChannel(alice.channels_url(kernel_id), alice.token) as kernel:
            await kernel.wait_ready()
            half = await kernel.run_all(code_cells[: len(code_cells) // 2])
            assert not half.errors, half.errors
        alice.api("POST", f"/api/kernels/{kernel_id}/restart").raise_for_status()
        async with KernelChannel(alice.channels_url(kernel_id), alice.token) as kernel:
            await kernel.wait_ready()
            missing, _ = await kernel.execute("BindingExplorer", 60)
            assert missing and "NameError" in missing[0], "the kernel did not restart"
            return await kernel.run_all(cells)

    result = _run(first_half_then_restart_then_all())
    assert not result.errors, result.errors
    assert result.widgets, "Run All after the restart drew no widgets"


def test_small_load_test_two_students_no_failures(tmp_path):
    summary = run_class(
        students=2,
        lesson="03_competitive_blocking.ipynb",
        moves=20,
        timeout_s=400,
        state_dir=tmp_path / "hub",
    )
    assert summary["failures"] == 0, summary["failure_list"]
    assert summary["moves"] == 40
    assert summary["run_all_max_s"] > 0 and summary["user_mb_max"] > 50
