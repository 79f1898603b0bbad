"""The maintainers' tooling is valid and tied to the one test command.

GitHub Actions, Dependabot and pre-commit cannot run here; these tests check that their
files are valid against the published schemas (vendored by check-jsonschema, so offline)
and that the workflow runs exactly what CI runs (.ci/run, which calls the README's command).
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from check_jsonschema.cli.main_command import main as check_jsonschema

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    tests = [c for c in commands if c.startswith("make test")]
    assert tests, "README.md shows no `make test` command in a bash block"
    return tests[0]


def _validate(schema: str, path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        check_jsonschema(["--builtin-schema", schema, str(path)])
    assert done.value.code == 0, f"{path.relative_to(ROOT)} does not validate against {schema}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    _validate("vendor.github-workflows", path)


def test_dependabot_config_is_valid_and_covers_the_pins():
    path = ROOT / ".github" / "dependabot.yml"
    _validate("vendor.dependabot", path)
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(path.read_text())["updates"]}
    assert "pip" in ecosystems, "Dependabot must watch the pins in pyproject.toml"


def test_ci_script_runs_the_readme_test_command():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert _readme_test_command() in lines, ".ci/run must call the README's test command"


def test_pull_request_workflow_runs_what_ci_runs():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert "pull_request" in triggers and "main" in triggers["push"]["branches"]
    runs = [
        shlex.split(step["run"])
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]
    assert ["bash", ".ci/run"] in runs, "the pull-request workflow must run .ci/run"


def test_weekly_workflow_executes_lessons_on_unpinned_dependencies():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "weekly-latest.yml").read_text())
    assert "schedule" in workflow[True]
    script = "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    assert "--upgrade" in script and "pytest lessons" in script
    # the widgets' browser side too: a plotly.js or ipywidgets release can break what it relies on
    assert "pytest tests/browser" in script and "chromium" in script
    upgrade = script[script.index("--upgrade") :]
    assert script.index("--upgrade") < script.index("pytest tests/browser")
    assert {"plotly", "anywidget", "ipywidgets", "jupyterlab", "notebook"} <= set(upgrade.split())
    assert "permissions" in workflow and workflow["permissions"] == {"contents": "read"}, (
        "the weekly run only reports; it must not be able to write (open issues or pull requests)"
    )


def test_pre_commit_hooks_install_from_pypi_with_pins():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert {r["repo"] for r in config["repos"]} == {"local"}, "hooks must not fetch hook repositories"
    ids = {h["id"] for h in hooks}
    assert {
        "ruff-check",
        "ruff-format",
        "trailing-whitespace",
        "end-of-file-fixer",
        "notebook-hygiene",
        "data-tables",
    } <= ids
    for hook in hooks:
        for dep in hook.get("additional_dependencies", []):
            assert "==" in dep, f"pre-commit hook {hook['id']}: pin {dep!r} with =="
    ruff_pin = next(d for h in hooks if h["id"] == "ruff-check" for d in h["additional_dependencies"])
    test_extra = (ROOT / "pyproject.toml").read_text()
    assert f'"{ruff_pin}"' in test_extra, "pre-commit and `make test` must use the same ruff version"
