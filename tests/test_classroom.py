"""Student versions, exercise/solution pairing, and the hub / Binder links."""

import json
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from nbclient import NotebookClient

from widgets.classroom import (binder_link, cell_tags, lesson_paths, nbgitpuller_link,
                               student_version, write_student_versions)

LESSONS = lesson_paths()


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_student_version_has_no_solutions_and_keeps_everything_else(path):
    nb = json.loads(path.read_text())
    student = student_version(nb)
    assert not any("solution" in cell_tags(c) for c in student["cells"])
    n_solutions = sum("solution" in cell_tags(c) for c in nb["cells"])
    assert len(student["cells"]) == len(nb["cells"]) - n_solutions
    assert any("exercise" in cell_tags(c) for c in student["cells"])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_student_version_runs_cleanly_up_to_its_first_exercise(path, tmp_path):
    written = {p.name: p for p in write_student_versions(tmp_path)}
    nb = nbformat.read(written[path.name], as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", []))
    nb.cells = nb.cells[:first]
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_solution_code_cells_are_collapsed_until_asked_for(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if "solution" in cell_tags(cell):
            if cell["cell_type"] == "code":
                assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
            else:
                assert "<details>" in "".join(cell["source"])


def test_nbgitpuller_link_format():
    link = nbgitpuller_link("https://hub.example.edu/", "https://github.com/acme/opioid-lessons.git",
                            "v1.0", "02_binding_occupancy_efficacy.ipynb")
    parsed = urlparse(link)
    assert parsed.netloc == "hub.example.edu"
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parsed.query)
    assert query["repo"] == ["https://github.com/acme/opioid-lessons.git"]
    assert query["branch"] == ["v1.0"]
    assert query["urlpath"] == ["lab/tree/opioid-lessons/lessons/02_binding_occupancy_efficacy.ipynb"]


def test_binder_link_opens_full_lab():
    link = binder_link("acme/opioid-lessons")
    assert link == "https://mybinder.org/v2/gh/acme/opioid-lessons/HEAD?urlpath=lab/tree/lessons/00_start_here.ipynb"
    assert "labpath" not in link


@pytest.mark.parametrize("call, words", [
    (lambda: nbgitpuller_link("hub.example.edu", "https://github.com/a/b"), "hub must be a URL"),
    (lambda: nbgitpuller_link("https://hub", "a/b"), "repo must be the repository's clone URL"),
    (lambda: binder_link("just-a-name"), "repo must be OWNER/NAME"),
])
def test_link_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
