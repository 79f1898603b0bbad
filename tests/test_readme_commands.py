"""The commands the README and the instructor guide give work as written for a new user."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_says_how_to_stop_the_server_change_its_port_and_what_the_token_is():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Ctrl+C" in text
    assert "make lab PORT=" in text
    assert re.search(r"token[^.]*password", text), "say what the token in the printed link is for"


def test_classroom_commands_use_the_projects_python():
    """A plain `python` is not the environment `make lab` creates (ModuleNotFoundError: pandas)."""
    for doc in ("README.md", "instructor/README.md", "CONTRIBUTING.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        bare = re.findall(r"(?<![/\w])python -m widgets\.classroom", text)
        assert not bare, (
            f"{doc}: use `.venv/bin/python -m widgets.classroom_tools.classroom` (works after `make lab`)"
        )
