"""Classroom tools: student versions of the lessons and JupyterHub / Binder links.

Cell-tag convention (see CONTRIBUTING.md):
  * ``exercise``: the task (a Markdown cell) and any code cell the student fills in;
  * ``solution``: the answer, right after its exercise: a Markdown ``<details>`` block or a
    code cell whose input is collapsed (``metadata.jupyter.source_hidden``).
The instructor version is the lessons/ folder as committed. The student version drops every
``solution`` cell.

Command line (after ``make lab``, run it with the project's Python, ``.venv/bin/python``)::

    .venv/bin/python -m widgets.classroom student-version OUT_DIR     # write lessons without solutions
    .venv/bin/python -m widgets.classroom hub-link --hub https://hub.example.edu --repo OWNER/NAME [--branch TAG]
    .venv/bin/python -m widgets.classroom binder-links --repo OWNER/NAME [--ref TAG]
    .venv/bin/python -m widgets.classroom normalize-notebooks [--check]   # lessons in JupyterLab's saved form

``--repo`` takes either form in both commands: ``OWNER/NAME`` on GitHub or the clone URL
``https://github.com/OWNER/NAME``. Placeholder values copied from the guides (``https://YOUR-HUB``,
``OWNER/REPO``) still print links, with a warning on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

from . import notebook_format
from .notebook_format import dumps, normalize

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"


def lesson_paths(folder: Path = LESSONS_DIR) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def cell_tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def student_version(notebook: dict) -> dict:
    """A copy of ``notebook`` without its solution cells."""
    copy = json.loads(json.dumps(notebook))
    copy["cells"] = [c for c in copy["cells"] if "solution" not in cell_tags(c)]
    return copy


def write_student_versions(out_dir: Path, folder: Path = LESSONS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lesson_paths(folder):
        nb = json.loads(path.read_text(encoding="utf-8"))
        target = out_dir / path.name
        # in the form JupyterLab saves, so a student's copy opens unmodified too
        target.write_text(dumps(normalize(student_version(nb))), encoding="utf-8")
        written.append(target)
    return written


_GITHUB = "https://github.com/"
# Words the README and the instructor guide use in place of a real hub or repository.
_PLACEHOLDER = re.compile(r"YOUR-HUB|\bHUB\b|\bOWNER\b|\bREPO\b|example\.(?:edu|org|com)")


def repo_url(repo: str) -> str:
    """The clone URL for ``repo``: ``OWNER/NAME`` on GitHub becomes ``https://github.com/OWNER/NAME``."""
    repo = repo.strip()
    if repo.startswith(("http://", "https://")):
        return repo
    if re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        return _GITHUB + repo.removesuffix(".git")
    raise ValueError(f"repo must be OWNER/NAME on GitHub or the repository's clone URL, got {repo!r}")


def github_name(repo: str) -> str:
    """``OWNER/NAME`` for ``repo`` given as ``OWNER/NAME`` or as a GitHub clone URL."""
    repo = repo.strip()
    if repo.startswith(("http://", "https://")):
        if not repo.startswith(_GITHUB):
            raise ValueError(f"Binder links here are for GitHub repositories; got {repo!r}")
        repo = repo[len(_GITHUB) :].rstrip("/").removesuffix(".git")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ValueError(f"repo must be OWNER/NAME on GitHub or https://github.com/OWNER/NAME, got {repo!r}")
    return repo


def placeholder_warnings(**values: str) -> list[str]:
    """A warning for each value that still looks like a placeholder from the guides."""
    return [
        f"warning: --{name} {value} looks like a placeholder; replace it with your own "
        f"{'hub address' if name == 'hub' else 'repository'} before sharing these links"
        for name, value in values.items()
        if _PLACEHOLDER.search(value)
    ]


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", lesson: str = "00_start_here.ipynb") -> str:
    """A JupyterHub link that clones or updates the lessons and opens ``lesson`` in JupyterLab.

    nbgitpuller merges on every click, and the student's own edits always win.
    """
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"hub must be a URL such as https://hub.example.edu, got {hub!r}")
    repo = repo_url(repo)
    repo_dir = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    query = urlencode(
        {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{repo_dir}/lessons/{lesson}"},
        quote_via=quote,
        safe="/",
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binder_link(repo: str, ref: str = "HEAD", lesson: str = "00_start_here.ipynb") -> str:
    """A mybinder.org link opening ``lesson`` in full JupyterLab (``urlpath``, not ``labpath``)."""
    repo = github_name(repo)
    return f"https://mybinder.org/v2/gh/{repo}/{ref}?urlpath=lab/tree/lessons/{lesson}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.classroom",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    student = sub.add_parser("student-version", help="write the lessons without solutions")
    student.add_argument("out_dir", type=Path)
    hub = sub.add_parser("hub-link", help="print nbgitpuller links for a JupyterHub")
    hub.add_argument("--hub", required=True)
    hub.add_argument("--repo", required=True, help="OWNER/NAME on GitHub or a clone URL")
    hub.add_argument("--branch", default="main", help="branch or release tag (pin a tag for a term)")
    binder = sub.add_parser("binder-links", help="print Binder links, one per lesson")
    binder.add_argument("--repo", required=True, help="OWNER/NAME on GitHub or https://github.com/OWNER/NAME")
    binder.add_argument("--ref", default="HEAD")
    normalize_parser = sub.add_parser(
        "normalize-notebooks",
        help="rewrite lessons in the form JupyterLab saves (see widgets.notebook_format)",
    )
    notebook_format.add_arguments(normalize_parser)
    args = parser.parse_args(argv)
    try:
        if args.command == "normalize-notebooks":
            raise SystemExit(notebook_format.run(args))
        if args.command == "student-version":
            for path in write_student_versions(args.out_dir):
                print(path)
        elif args.command == "hub-link":
            for warning in placeholder_warnings(hub=args.hub, repo=args.repo):
                print(warning, file=sys.stderr)
            for path in lesson_paths():
                print(f"{path.stem}: {nbgitpuller_link(args.hub, args.repo, args.branch, path.name)}")
        else:
            for warning in placeholder_warnings(repo=args.repo):
                print(warning, file=sys.stderr)
            for path in lesson_paths():
                print(f"{path.stem}: {binder_link(args.repo, args.ref, path.name)}")
    except ValueError as err:
        parser.error(str(err))


if __name__ == "__main__":
    main()
