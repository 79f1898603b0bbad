"""Lessons committed in the exact form JupyterLab saves them, so opening one changes nothing.

Opening a notebook, JupyterLab 4 (measured with 4.6) changes two things in its model and marks
the file modified, then autosaves:

* every code cell whose output is hidden (``metadata.jupyter.outputs_hidden``, the collapsed
  solutions) gets ``metadata.collapsed = true``, the older nbformat flag for the same thing;
* the notebook's ``metadata.language_info`` becomes the kernel's full ``language_info``
  (codemirror mode, file extension, mimetype, lexer, Python version).

The server then writes the file with ``nbformat.write`` (keys sorted, one-space indent, a final
newline). :func:`normalize` applies the same changes and :func:`dumps` writes the same bytes;
both are idempotent. ``language_info.version`` is the Python of the environment this runs in
(the project's ``.venv``), since that is what its kernel reports; a kernel on another Python
version rewrites that one value on the first save.

Command line (also ``python -m widgets.classroom_tools.classroom normalize-notebooks``)::

    .venv/bin/python -m widgets.classroom_tools.notebook_format [--check] [NOTEBOOK ...]   # default: lessons/*.ipynb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"


def kernel_language_info() -> dict:
    """The ``language_info`` the lessons' kernel (ipykernel, this Python) reports to JupyterLab."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def normalize(nb: dict, language_info: dict | None = None) -> dict:
    """Apply what JupyterLab changes on opening ``nb`` (an nbformat v4 dict), in place; return it."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell.get("metadata", {}).get("jupyter", {}).get("outputs_hidden"):
            cell["metadata"]["collapsed"] = True
    nb["metadata"]["language_info"] = dict(language_info or kernel_language_info())
    return nb


def dumps(nb: dict) -> str:
    """The text the Jupyter server writes for ``nb`` (``nbformat.write``, with its final newline)."""
    import nbformat

    text = nbformat.writes(nbformat.from_dict(nb), version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def normalized_text(text: str, language_info: dict | None = None) -> str:
    """``text`` of a notebook file as JupyterLab would save it after opening it."""
    import json

    return dumps(normalize(json.loads(text), language_info))


def normalize_files(paths: list[Path], check: bool = False) -> list[Path]:
    """Rewrite each notebook in ``paths`` in JupyterLab's form (or, with ``check``, only report).

    Returns the paths that were (or, with ``check``, would be) changed.
    """
    info = kernel_language_info()
    changed = []
    for path in paths:
        old = path.read_text(encoding="utf-8")
        new = normalized_text(old, info)
        if new != old:
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.classroom_tools.notebook_format",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson in lessons/")
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the notebooks that are not in JupyterLab's form (exit 1 if any)",
    )


def run(args: argparse.Namespace) -> int:
    paths = args.notebooks or sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))
    changed = normalize_files(paths, check=args.check)
    for path in changed:
        print(f"{'not in JupyterLab form' if args.check else 'normalized'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
