"""Binder: repo2docker must pick the conda buildpack, install the environment before copying
the repository (so a commit does not re-solve it), and install the package in postBuild.

`repo2docker --no-build` prints the Dockerfile without needing Docker.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    exe = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run(
        [str(exe), "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_conda_buildpack_installs_environment_before_copying_the_repo(dockerfile):
    solve = dockerfile.find('--file "environment.yml"')
    copy_repo = dockerfile.find("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert solve != -1, "repo2docker did not use environment.yml (conda buildpack)"
    assert copy_repo != -1
    assert solve < copy_repo, "the environment must be installed before the repo is copied"
    # Only environment.yml is copied before the solve: other commits do not invalidate it.
    pre_solve = dockerfile[:solve]
    assert re.findall(r"COPY --chown=\S+ src/(\S+)", pre_solve) == ["environment.yml"]


def test_postbuild_runs_after_the_copy(dockerfile):
    copy_repo = dockerfile.find("COPY --chown=0:0 src/ ${REPO_DIR}/")
    post = dockerfile.find("./postBuild")
    assert post > copy_repo, "postBuild must run after the repository is copied"
    assert "pip install --no-deps" in (ROOT / "postBuild").read_text()
