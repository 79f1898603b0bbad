"""Student versions, exercise/solution pairing, and the hub / Binder links."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from nbclient import NotebookClient

from widgets.classroom_tools.classroom import (
    binder_link,
    cell_tags,
    lesson_paths,
    nbgitpuller_link,
    student_version,
    write_student_versions,
)

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
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
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
    link = nbgitpuller_link(
        "https://hub.example.edu/",
        "https://github.com/acme/opioid-lessons.git",
        "v1.0",
        "02_binding_occupancy_efficacy.ipynb",
    )
    parsed = urlparse(link)
    assert parsed.netloc == "hub.example.edu"
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parsed.query)
    assert query["repo"] == ["https://github.com/acme/opioid-lessons.git"]
    assert query["branch"] == ["v1.0"]
    assert query["urlpath"] == ["lab/tree/opioid-lessons/lessons/02_binding_occupancy_efficacy.ipynb"]


def test_binder_link_opens_full_lab():
    link = binder_link("acme/opioid-lessons")
    assert (
        link
        == "https://mybinder.org/v2/gh/acme/opioid-lessons/HEAD?urlpath=lab/tree/lessons/00_start_here.ipynb"
    )
    assert "labpath" not in link


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: nbgitpuller_link("hub.example.edu", "https://github.com/a/b"), "hub must be a URL"),
        (lambda: nbgitpuller_link("https://hub", "just-a-name"), "repo must be OWNER/NAME"),
        (lambda: binder_link("just-a-name"), "repo must be OWNER/NAME"),
        (lambda: binder_link("https://gitlab.com/a/b"), "GitHub"),
    ],
)
def test_link_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize(
    "repo",
    [
        "acme/opioid-lessons",
        "https://github.com/acme/opioid-lessons",
        "https://github.com/acme/opioid-lessons.git",
    ],
)
def test_both_link_commands_take_owner_name_or_the_clone_url(repo):
    hub = parse_qs(urlparse(nbgitpuller_link("https://hub.myuni.edu", repo)).query)
    assert hub["repo"][0].removesuffix(".git") == "https://github.com/acme/opioid-lessons"
    assert hub["urlpath"] == ["lab/tree/opioid-lessons/lessons/00_start_here.ipynb"]
    assert binder_link(repo).startswith("https://mybinder.org/v2/gh/acme/opioid-lessons/HEAD?")


@pytest.mark.parametrize(
    "argv, flagged",
    [
        (
            ["hub-link", "--hub", "https://YOUR-HUB", "--repo", "https://github.com/OWNER/REPO"],
            ["--hub", "--repo"],
        ),
        (["binder-links", "--repo", "OWNER/REPO"], ["--repo"]),
    ],
)
def test_placeholder_values_print_links_with_a_warning_on_stderr(argv, flagged, capsys):
    from widgets.classroom_tools.classroom import main

    main(argv)
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(LESSONS)
    assert "warning" in err and all(f"{flag} " in err for flag in flagged) and "placeholder" in err


def test_real_values_print_links_without_a_warning(capsys):
    from widgets.classroom_tools.classroom import main

    main(["hub-link", "--hub", "https://hub.myuni.edu", "--repo", "acme/opioid-lessons"])
    main(["binder-links", "--repo", "https://github.com/acme/opioid-lessons"])
    out, err = capsys.readouterr()
    assert err == "" and len(out.splitlines()) == 2 * len(LESSONS)


def test_the_review_lesson_shows_the_question_sources_but_not_the_answers(tmp_path):
    """Lesson 08 section 4 lists the question bank under the quiz, also in the student version:
    it must not give the answers (or the explanations, which state them) away."""
    from widgets.data_access.quiz_bank import load_questions

    written = {p.name: p for p in write_student_versions(tmp_path)}
    nb = nbformat.read(written["08_review.ipynb"], as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", []))
    nb.cells = nb.cells[:first]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(LESSONS[0].parent)}}
    ).execute()
    shown = [
        str(o.get("data", {}).get(kind, ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        for kind in ("text/html", "text/plain")
    ]
    tables = [s for s in shown if "<table" in s]
    assert any("source" in t and "question_id" in t for t in tables), "the sources are no longer shown"
    for table in tables:
        assert "<th>answer</th>" not in table and "<th>explanation</th>" not in table
        for q in load_questions():
            assert q.explanation[:60] not in table, f"the explanation of {q.question_id} is shown"


# -- issue 28: one command publishes every link --------------------------------------------------
def _copy_of_the_repository(tmp_path: Path) -> Path:
    """The committed files of this repository, as a fresh clone would have them (text files)."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    names = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in names:
        if (root / name).is_file():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes((root / name).read_bytes())
    return tmp_path


def _placeholders_left(root: Path) -> list[str]:
    """Every OWNER/REPO or hub placeholder in a link, in any file a user or the site reads."""
    from widgets.classroom_tools.classroom import LINK_PLACEHOLDERS

    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(("tests/", "widgets/classroom_tools/classroom.py", ".git/")):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{rel}: {m.group(0)}" for m in LINK_PLACEHOLDERS.finditer(text)]
    return found


def test_publish_writes_the_repository_and_hub_into_every_link(tmp_path):
    from widgets.classroom_tools.classroom import publish

    root = _copy_of_the_repository(tmp_path)
    before = _placeholders_left(root)
    assert any(p.startswith("book/_config.yml") for p in before) and any(
        p.startswith("classroom/hub/README.md") for p in before
    ), before  # the files the README's old sed missed
    changed = publish("uni-ms/opioid-lessons", "https://hub.physiol.uni-muenster.de", root=root)
    assert {p.relative_to(root).as_posix() for p in changed} >= {
        "README.md",
        "book/_config.yml",
        "classroom/hub/README.md",
        "instructor/README.md",
    }
    assert _placeholders_left(root) == []
    config = (root / "book" / "_config.yml").read_text(encoding="utf-8")
    assert "url: https://github.com/uni-ms/opioid-lessons" in config
    assert "jupyterhub_url: https://hub.physiol.uni-muenster.de" in config
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert (
        "https://mybinder.org/v2/gh/uni-ms/opioid-lessons/HEAD?urlpath=lab/tree/lessons/00_start_here.ipynb"
        in readme
    )
    assert (
        "https://hub.physiol.uni-muenster.de/hub/user-redirect/git-pull?repo=https://github.com/uni-ms/opioid-lessons"
        "&branch=main&urlpath=lab/tree/opioid-lessons/lessons/00_start_here.ipynb" in readme
    )
    assert "no\n> published home yet" not in readme and "unpublished" not in readme
    assert (
        publish("uni-ms/opioid-lessons", "https://hub.physiol.uni-muenster.de", root=root) == []
    )  # once is enough


def test_publish_without_a_hub_leaves_the_site_with_binder_only(tmp_path):
    from widgets.classroom_tools.classroom import publish

    root = _copy_of_the_repository(tmp_path)
    publish("https://github.com/uni-ms/opioid-lessons", root=root)
    config = (root / "book" / "_config.yml").read_text(encoding="utf-8")
    assert "jupyterhub_url" not in config and "binderhub_url: https://mybinder.org" in config
    left = _placeholders_left(root)
    assert left and all("HUB" in p.upper() for p in left), (
        left
    )  # only the hub is left, in the guides' commands


@pytest.mark.parametrize(
    "repo, hub, words",
    [
        ("OWNER/REPO", "https://hub.uni.org", "placeholders"),
        ("a/b", "hub.uni.org", "hub's address"),
        ("x", None, "OWNER/NAME"),
    ],
)
def test_publish_refuses_placeholders_and_malformed_values(repo, hub, words, tmp_path):
    from widgets.classroom_tools.classroom import publish

    with pytest.raises(ValueError, match=words):
        publish(repo, hub, root=tmp_path)


def test_hub_link_takes_a_local_file_repository(capsys):
    """The trial hub's README hands out a clone on the local disk: repo=file:///…"""
    from widgets.classroom_tools.classroom import main

    main(["hub-link", "--hub", "http://127.0.0.1:8000", "--repo", "file:///srv/opioid-lessons"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("00_start_here: http://127.0.0.1:8000/hub/user-redirect/git-pull?")
    query = parse_qs(urlparse(first.split(": ", 1)[1]).query)
    assert query["repo"] == ["file:///srv/opioid-lessons"] and query["branch"] == ["main"]
    assert query["urlpath"] == ["lab/tree/opioid-lessons/lessons/00_start_here.ipynb"]
