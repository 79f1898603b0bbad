"""`make lab` installs only what the lessons need; `make test` adds the test tools (dry runs)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(target: str, tmp_path: Path) -> str:
    """What ``make TARGET`` would run in a fresh clone (no .venv yet)."""
    npm_files = subprocess.run(
        ["git", "ls-files", "*package.json", "*package-lock.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in ("Makefile", "pyproject.toml", ".jupyter/lab/overrides.json", *npm_files):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    done = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(autouse=True)
def _needs_make():
    if shutil.which("make") is None:
        pytest.fail("`make` is not installed; the README's two commands need it")


def test_make_lab_installs_the_lessons_without_the_test_tools(tmp_path):
    out = _dry_run("lab", tmp_path)
    installs = [line for line in out.splitlines() if "pip install" in line]
    assert len(installs) == 1 and installs[0].rstrip().endswith("-e ."), installs
    assert "[test" not in out and "jupyter lab" in out


def test_make_test_installs_the_test_tools_and_runs_pytest(tmp_path):
    out = _dry_run("test", tmp_path)
    assert "-e '.[test,site]'" in out and "-m pytest" in out


def test_each_install_has_its_own_stamp(tmp_path):
    lab, test = _dry_run("lab", tmp_path), _dry_run("test", tmp_path)
    lab_stamps = {w for line in lab.splitlines() if line.startswith("touch") for w in line.split()[1:]}
    test_stamps = {w for line in test.splitlines() if line.startswith("touch") for w in line.split()[1:]}
    assert lab_stamps and lab_stamps < test_stamps  # the test install also covers the lessons'


def test_ci_runs_the_readmes_test_command():
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")


def test_make_lab_shows_progress_on_its_first_install(tmp_path):
    """The first `make lab` takes minutes: it says so, and pip's own lines show it working."""
    out = _dry_run("lab", tmp_path)
    install = next(line for line in out.splitlines() if "pip install" in line)
    assert "--quiet" not in install and "first run only" in out


def test_make_site_installs_only_what_the_site_needs(tmp_path):
    out = _dry_run("site", tmp_path)
    installs = [line for line in out.splitlines() if "pip install" in line]
    assert len(installs) == 1 and installs[0].rstrip().endswith("-e '.[site]'"), installs
    assert "[test" not in out and "book/build.py" in out
    assert "axe" not in out  # nor the browser tests' npm packages


def test_the_readme_states_the_measured_first_run_time():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "about a minute" not in readme
    assert re.search(r"measured[^.]*\d+ min", readme), "the README should give the measured first-run time"
