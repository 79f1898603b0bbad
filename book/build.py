"""Build the rendered lesson site (`make site`): every lesson executed, every figure drawn.

Steps: copy the lessons into build/book-src (code solutions tagged ``hide-cell`` so they stay
folded, as in JupyterLab), write the table of contents, the landing page's lesson list and the
sources page from data/, put the browser assets the pages need (plotly.js, MathJax) in
``_static`` so the site works offline, run Jupyter Book, and print the path of index.html.

Usage: python book/build.py [--out build/site] [--reuse-executed]
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

from widgets.data_tables import format_reference, load_table  # noqa: E402

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def lesson_title(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(next(c for c in nb["cells"] if c["cell_type"] == "markdown")["source"])
    return first.splitlines()[0].lstrip("# ").strip()


def execute_lessons(src: Path, reuse: Path | None = None) -> dict[str, float]:
    """Run every lesson top to bottom into src/lessons; return seconds per lesson.

    Code solutions get the tag ``hide-cell``, so the page folds them as JupyterLab does.
    No widget state is kept: the page shows each widget's static face (see _config.yml).
    """
    (src / "lessons").mkdir(parents=True)
    seconds = {}
    for path in LESSONS:
        if reuse is not None and (reuse / path.name).exists():  # a developer's quick rebuild
            shutil.copy(reuse / path.name, src / "lessons" / path.name)
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.setdefault("tags", [])
            if cell.cell_type == "code" and "solution" in tags and "hide-cell" not in tags:
                tags.append("hide-cell")
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


def write_pages(src: Path) -> None:
    toc = ["format: jb-book", "root: intro", "parts:", "  - caption: Lessons", "    chapters:"]
    toc += [f"      - file: lessons/{p.stem}" for p in LESSONS]
    toc += ["  - caption: Sources", "    chapters:", "      - file: references"]
    (src / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")

    lesson_list = "\n".join(f"* [{lesson_title(p)}](lessons/{p.stem})" for p in LESSONS)
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


def build(out: Path, reuse_executed: bool = False) -> Path:
    src = ROOT / "build" / "book-src"
    previous = ROOT / "build" / "executed-lessons"
    if reuse_executed and (src / "lessons").is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(src / "lessons", previous)
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    shutil.copy(BOOK / "_config.yml", src / "_config.yml")
    execute_lessons(src, previous if reuse_executed else None)
    write_pages(src)
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
    args = parser.parse_args()
    index = build(args.out.resolve(), args.reuse_executed)
    print(f"\nThe site is built: {index}")


if __name__ == "__main__":
    main()
