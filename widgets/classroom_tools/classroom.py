"""Classroom tools: student versions of the lessons and JupyterHub / Binder links.

Cell-tag convention (see CONTRIBUTING.md):
  * ``exercise``: the task (a Markdown cell) and any code cell the student fills in;
  * ``solution``: the answer, right after its exercise: a Markdown ``<details>`` block or a
    code cell whose input is collapsed (``metadata.jupyter.source_hidden``).
The instructor version is the lessons/ folder as committed. The student version drops every
``solution`` cell.

Command line (after ``make lab``, run it with the project's Python, ``.venv/bin/python``)::

    .venv/bin/python -m widgets.classroom_tools.classroom student-version OUT_DIR     # write lessons without solutions
    .venv/bin/python -m widgets.classroom_tools.classroom hub-link --hub https://hub.example.edu --repo OWNER/NAME [--branch TAG]
    .venv/bin/python -m widgets.classroom_tools.classroom binder-links --repo OWNER/NAME [--ref TAG]
    .venv/bin/python -m widgets.classroom_tools.classroom normalize-notebooks [--check]   # lessons in JupyterLab's saved form
    .venv/bin/python -m widgets.classroom_tools.classroom publish --repo OWNER/NAME [--hub https://hub.example.edu]

``--repo`` takes ``OWNER/NAME`` on GitHub or the clone URL ``https://github.com/OWNER/NAME``;
``hub-link`` also takes a local repository, ``file:///path/to/clone`` (the trial hub). Placeholder
values copied from the guides (``https://YOUR-HUB``, ``OWNER/REPO``) still print links, with a
warning on stderr.

``publish`` is run once, in a clone, when the repository has its home on GitHub: it writes the
repository (and the hub, if given) into every link of the README, the instructor guide, the hub
recipes, the site's launch buttons (book/_config.yml) and the lessons, and removes the README's
"not yet published" note. Commit the result.
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

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"


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
    """The clone URL for ``repo``: ``OWNER/NAME`` on GitHub becomes ``https://github.com/OWNER/NAME``;
    a URL (``https://…``, or ``file:///…`` for a repository on the hub's own disk) stays as it is."""
    repo = repo.strip()
    if repo.startswith(("http://", "https://", "file:///")):
        return repo
    if re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        return _GITHUB + repo.removesuffix(".git")
    raise ValueError(
        f"repo must be OWNER/NAME on GitHub, the repository's clone URL or a local file:///path, got {repo!r}"
    )


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


# -- publish: every OWNER/REPO and hub placeholder replaced in one go ----------------------------
ROOT = Path(__file__).resolve().parents[2]
# The files whose links name the repository or the hub (lessons/*.ipynb are added when they do).
PUBLISHED_FILES = (
    "README.md",
    "instructor/README.md",
    "book/_config.yml",
    "classroom/hub/README.md",
    "classroom/hub/z2jh-values.yaml",
)
# What the guides write before publishing: the repository, the hub (in a URL or as a host name)
# and nbgitpuller's folder, named after the repository (lab/tree/REPO/lessons).
LINK_PLACEHOLDERS = re.compile(
    r"OWNER/REPO|YOUR-HUB|https://HUB\b|lab/tree/REPO/|CHANGE-ME-hub\.example\.edu"
)
# The README's note that the links are placeholders, removed on publishing.
UNPUBLISHED_NOTE = re.compile(r"<!-- unpublished -->.*?<!-- /unpublished -->\n?", re.S)


def files_to_publish(root: Path = ROOT) -> list[Path]:
    files = [root / name for name in PUBLISHED_FILES if (root / name).exists()]
    files += [
        p for p in lesson_paths(root / "lessons") if LINK_PLACEHOLDERS.search(p.read_text(encoding="utf-8"))
    ]
    return files


def published_text(text: str, repo: str, hub: str | None) -> str:
    """``text`` with the repository ``OWNER/NAME`` (and the ``hub`` URL, if given) in every link."""
    name = repo.split("/")[1]
    text = UNPUBLISHED_NOTE.sub("", text)
    text = text.replace("OWNER/REPO", repo).replace("lab/tree/REPO/", f"lab/tree/{name}/")
    if hub is not None:
        host = hub.split("://", 1)[1].split("/", 1)[0]
        text = text.replace("https://YOUR-HUB", hub).replace("https://HUB/", f"{hub}/")
        text = re.sub(r"https://HUB\b", hub, text).replace("CHANGE-ME-hub.example.edu", host)
    else:  # no hub: the site offers Binder only (a launch button to https://YOUR-HUB would be broken)
        text = re.sub(r"(?m)^\s*#[^\n]*\n(?=\s*jupyterhub_url: https://YOUR-HUB)", "", text)
        text = re.sub(r"(?m)^\s*jupyterhub_url: https://YOUR-HUB\n", "", text)
    return text


def publish(repo: str, hub: str | None = None, root: Path = ROOT) -> list[Path]:
    """Write ``repo`` (``OWNER/NAME`` on GitHub, or its URL) and ``hub`` into every link; return
    the files changed. Raises ValueError for a placeholder or a malformed value."""
    repo = github_name(repo)
    if hub is not None:
        hub = hub.strip().rstrip("/")
        if not re.fullmatch(r"https?://[\w.-]+(?::\d+)?(?:/[\w./-]*)?", hub):
            raise ValueError(f"hub must be the hub's address, such as https://hub.example.edu, got {hub!r}")
    warnings = placeholder_warnings(repo=repo, **({} if hub is None else {"hub": hub}))
    if warnings or repo.lower() == "owner/repo":
        raise ValueError(
            f"publish needs your own repository and hub, not the guides' placeholders ({repo}, {hub})"
        )
    changed = []
    for path in files_to_publish(root):
        text = path.read_text(encoding="utf-8")
        new = published_text(text, repo, hub)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.classroom_tools.classroom",
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
        help="rewrite lessons in the form JupyterLab saves (see widgets.classroom_tools.notebook_format)",
    )
    notebook_format.add_arguments(normalize_parser)
    pub = sub.add_parser(
        "publish", help="write the repository (and hub) into every link, once, after publishing"
    )
    pub.add_argument("--repo", required=True, help="OWNER/NAME on GitHub or https://github.com/OWNER/NAME")
    pub.add_argument(
        "--hub", help="your JupyterHub's address (the site's JupyterHub launch button and the guides)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "normalize-notebooks":
            raise SystemExit(notebook_format.run(args))
        if args.command == "publish":
            changed = publish(args.repo, args.hub)
            for path in changed:
                print(f"updated {path.relative_to(ROOT)}")
            left = [
                p.relative_to(ROOT)
                for p in files_to_publish()
                if LINK_PLACEHOLDERS.search(p.read_text("utf-8"))
            ]
            if not changed and not left:
                print("nothing to change: every link already names a repository (see git diff / git log)")
            for path in left:
                print(f"placeholders left in {path} (no --hub given: it still names https://YOUR-HUB)")
            print(f"Binder: {binder_link(args.repo)}\nCommit these files to publish the links.")
        elif args.command == "student-version":
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
