"""Build the rendered lesson site (`make site`): every lesson executed, every figure drawn.

Steps: copy the lessons as last committed (``git show HEAD:lessons/…``, so a student's or an
author's unsaved or half-edited working copy is neither executed nor published; ``--working-copy``
builds the files as they are) into build/book-src (code solutions tagged ``hide-cell`` so they stay
folded, as in JupyterLab, behind "Show solution"), write the table of contents, the landing page's lesson list and the
sources page from data/, put the browser assets the pages need (plotly.js, MathJax) in
``_static`` so the site works offline, run Jupyter Book, and print the path of index.html.

Usage: python book/build.py [--out build/site] [--reuse-executed] [--working-copy]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import plotly
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(ROOT))

from widgets.data_access.data_tables import format_reference, load_table  # noqa: E402

LESSON_NAME = re.compile(r"[0-9][0-9]_[^/]*\.ipynb")
# The words on a folded code solution's button (MyST-NB's default: "Show code cell content").
SOLUTION_PROMPTS = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}


def lesson_sources(root: Path = ROOT, working_copy: bool = False) -> dict[str, str]:
    """File name -> notebook text of every lesson, as committed at HEAD (``git show``), or with
    ``working_copy`` as the files in lessons/ are now. Outside a git checkout (an unpacked
    release) the files are all there is."""
    folder = root / "lessons"
    files = {p.name: p for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))}
    if not working_copy:
        listed = subprocess.run(
            ["git", "ls-tree", "--name-only", "HEAD", "lessons/"], cwd=root, capture_output=True, text=True
        )
        if listed.returncode == 0:
            names = sorted(Path(n).name for n in listed.stdout.split() if LESSON_NAME.fullmatch(Path(n).name))
            return {
                name: subprocess.run(
                    ["git", "show", f"HEAD:lessons/{name}"],
                    cwd=root,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                for name in names
            }
        print("not a git checkout: building the lessons as they are in lessons/", flush=True)
    return {name: path.read_text(encoding="utf-8") for name, path in files.items()}


def uncommitted_lessons(root: Path = ROOT) -> list[str]:
    """Lessons whose file in lessons/ differs from the commit (these changes are not built)."""
    done = subprocess.run(
        ["git", "status", "--porcelain", "--", "lessons/"], cwd=root, capture_output=True, text=True
    )
    return sorted({Path(line[3:]).name for line in done.stdout.splitlines() if line[3:].endswith(".ipynb")})


def lesson_title(text: str) -> str:
    nb = json.loads(text)
    first = "".join(next(c for c in nb["cells"] if c["cell_type"] == "markdown")["source"])
    return first.splitlines()[0].lstrip("# ").strip()


def fold_solutions(nb) -> None:
    """Tag code solutions ``hide-cell`` (folded, as in JupyterLab) behind "Show solution"."""
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if cell.cell_type == "code" and "solution" in tags:
            if "hide-cell" not in tags:
                tags.append("hide-cell")
            cell.metadata.setdefault("mystnb", {}).update(SOLUTION_PROMPTS)


def execute_lessons(src: Path, sources: dict[str, str], reuse: Path | None = None) -> dict[str, float]:
    """Run every lesson (``sources``: name -> notebook text) top to bottom into src/lessons;
    return seconds per lesson.

    Code solutions get the tag ``hide-cell``, so the page folds them as JupyterLab does.
    No widget state is kept: the page shows each widget's static face (see _config.yml).
    """
    (src / "lessons").mkdir(parents=True)
    seconds = {}
    for name, text in sources.items():
        path = Path(name)
        if reuse is not None and (reuse / path.name).exists():  # a developer's quick rebuild
            shutil.copy(reuse / path.name, src / "lessons" / path.name)
            continue
        nb = nbformat.reads(text, as_version=4)
        fold_solutions(nb)
        start = time.perf_counter()
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            store_widget_state=False,
            resources={"metadata": {"path": str(ROOT / "lessons")}},
        ).execute()
        seconds[path.stem] = time.perf_counter() - start
        print(f"executed {path.name} in {seconds[path.stem]:.1f} s", flush=True)
        drop_embedded_plotly(nb)
        nbformat.write(nb, src / "lessons" / path.name)
    return seconds


EMBEDDED_PLOTLY = re.compile(r'<script class="ol-plotlyjs"[^>]*>.*?</script>', re.S)


def drop_embedded_plotly(nb) -> None:
    """Remove the copy of plotly.js a kernel's first static face embeds (for a plain nbconvert
    export): every page of the site loads the one in _static instead (see _config.yml)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                text = "".join(html) if isinstance(html, list) else html
                output["data"]["text/html"] = EMBEDDED_PLOTLY.sub("", text)


def write_pages(src: Path, sources: dict[str, str]) -> None:
    toc = ["format: jb-book", "root: intro", "parts:", "  - caption: Lessons", "    chapters:"]
    toc += [f"      - file: lessons/{Path(n).stem}" for n in sources]
    toc += ["  - caption: Sources", "    chapters:", "      - file: references"]
    (src / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")

    lesson_list = "\n".join(f"* [{lesson_title(t)}](lessons/{Path(n).stem})" for n, t in sources.items())
    intro = (BOOK / "intro.md").read_text(encoding="utf-8").replace("{LESSON_LIST}", lesson_list)
    (src / "intro.md").write_text(intro, encoding="utf-8")

    refs = load_table("references").sort_values(["authors", "year"])
    lines = [
        "# Sources",
        "",
        "Every reference cited in the lessons and the data tables (`data/references.csv`).",
        "",
    ]
    lines += [f"* {format_reference(key)}" for key in refs["key"]]
    (src / "references.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_assets(src: Path) -> None:
    static = src / "_assets"  # served as _static/ (see _config.yml)
    static.mkdir()
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", static / "plotly.min.js")
    mathjax = BOOK / "node_modules" / "mathjax" / "es5"
    if not mathjax.is_dir():
        sys.exit("MathJax is missing: run `npm ci --prefix book` (make site does this)")
    # MathJax's one combined file the pages load, plus what it fetches on demand: its CHTML
    # fonts, TeX extensions, the accessibility menu and speech rules (screen readers).
    for part in ["tex-chtml.js", "output/chtml", "input/tex/extensions", "ui", "a11y", "sre"]:
        source, target = mathjax / part, static / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    shutil.copy(BOOK / "lessons.css", static / "lessons.css")


def build(out: Path, reuse_executed: bool = False, working_copy: bool = False) -> Path:
    src = ROOT / "build" / "book-src"
    previous = ROOT / "build" / "executed-lessons"
    if reuse_executed and (src / "lessons").is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(src / "lessons", previous)
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    shutil.copy(BOOK / "_config.yml", src / "_config.yml")
    sources = lesson_sources(ROOT, working_copy)
    if not working_copy and (changed := uncommitted_lessons(ROOT)):
        print(
            f"building the lessons as committed; not built: your changes to {', '.join(changed)} "
            "(commit them, or pass --working-copy)",
            flush=True,
        )
    execute_lessons(src, sources, previous if reuse_executed else None)
    write_pages(src, sources)
    copy_assets(src)
    # Jupyter Book writes Sphinx's conf.py from _config.yml; two extensions it always adds are
    # dropped: Thebe (live code from a CDN, and its script twice on every page) and comments.
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "jupyter-book"), "config", "sphinx", str(src)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + (
            "\nextensions = [e for e in extensions if e not in ('sphinx_thebe', 'sphinx_comments')]\n"
            "html_context = {'default_mode': 'light'}\n"
        ),
        encoding="utf-8",
    )
    subprocess.run(
        [
            str(bin_dir / "sphinx-build"),
            "-b",
            "html",
            "-q",
            "-W",
            "--keep-going",
            "-n",
            str(src),
            str(src / "_build" / "html"),
        ],
        check=True,
        cwd=ROOT,
    )
    html = src / "_build" / "html"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(html, out)
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static as is
    return out / "index.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument(
        "--reuse-executed",
        action="store_true",
        help="keep the lessons executed by the last build (to work on the site's look)",
    )
    parser.add_argument(
        "--working-copy",
        action="store_true",
        help="build the lessons as they are in lessons/ (default: as committed at HEAD)",
    )
    args = parser.parse_args()
    index = build(args.out.resolve(), args.reuse_executed, args.working_copy)
    print(f"\nThe site is built: {index}")


if __name__ == "__main__":
    main()
