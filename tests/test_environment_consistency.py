"""environment.yml (Binder) must pin the same versions as pyproject.toml (the one source)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = {}
    for requirement in project["project"]["dependencies"] + project["build-system"]["requires"]:
        name, _, version = requirement.partition("==")
        assert version, f"pyproject.toml: {requirement!r} is not pinned with =="
        pins[name.strip().lower()] = version.strip()
    return pins


def _environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"], "environment.yml must use conda-forge only"
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # a pip: section
            raise AssertionError("environment.yml: keep dependencies in conda; no pip section")
        name, _, version = dep.partition("=")
        pins[name.strip().lower()] = version.strip()
    return pins


def test_every_pinned_dependency_is_in_environment_yml_with_the_same_version():
    env = _environment_pins()
    for name, version in _pyproject_pins().items():
        assert name in env, f"environment.yml lacks {name} (pyproject pins {version})"
        assert env[name] == version, f"{name}: environment.yml has {env[name]}, pyproject.toml {version}"


def test_environment_pins_python_and_nothing_unpinned():
    env = _environment_pins()
    assert re.fullmatch(r"3\.\d+", env.get("python", "")), "environment.yml must pin Python (3.x)"
    unpinned = [n for n, v in env.items() if not v and n != "pip"]
    assert not unpinned, f"environment.yml has unpinned packages: {unpinned}"


def test_postbuild_installs_the_project_for_binder():
    post = (ROOT / "postBuild").read_text()
    assert "set -euo pipefail" in post
    # non-editable: a hub mounts students' homes over /home/jovyan, hiding an editable source
    assert re.search(r"pip install --no-deps .*\s\.$", post, re.M)
    assert " -e ." not in post
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_plotly_figurewidget_dependency_is_listed():
    # plotly does not install anywidget, which its widgets (and ours) need.
    assert "anywidget" in _pyproject_pins()


# Pinned in pyproject's extras and installed by Binder / a hub image too (not jupyterhub itself:
# repo2docker's base environment provides jupyterhub-singleuser at the hub's major version).
EXTRAS_IN_ENVIRONMENT = {"test": ["nbval"], "hub": ["nbgitpuller", "otter-grader"], "grade": ["otter-grader"]}


def test_nbval_and_nbgitpuller_pins_agree_with_pyproject_extras():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    env = _environment_pins()
    for extra, names in EXTRAS_IN_ENVIRONMENT.items():
        pins = dict(req.split("==") for req in extras[extra])
        for name in names:
            assert name in pins, f"pyproject's {extra!r} extra lacks {name}"
            assert env.get(name) == pins[name], (
                f"{name}: environment.yml has {env.get(name)}, pyproject.toml [{extra}] {pins[name]}"
            )


# Zero to JupyterHub chart major -> the JupyterHub major it runs (the chart's changelog: 4.3.3 runs
# JupyterHub 5.4.4, 4.4.0 runs 5.5.0; chart 5 moves to JupyterHub 6).
Z2JH_CHART_RUNS_JUPYTERHUB = {"4": "5"}


def test_the_z2jh_recipe_names_a_chart_release_that_runs_the_hub_extras_jupyterhub():
    values = (ROOT / "classroom" / "hub" / "z2jh-values.yaml").read_text()
    chart = re.search(r"jupyterhub/jupyterhub --version (\S+)", values).group(1)
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart), f"not a chart release: {chart}"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    hub = dict(req.split("==") for req in extras["hub"])["jupyterhub"]
    assert Z2JH_CHART_RUNS_JUPYTERHUB.get(chart.split(".")[0]) == hub.split(".")[0], (chart, hub)
