"""Size of each lesson as JupyterLab would save it after Run All (bytes), with this checkout's
package: the lesson executed by nbclient, then the server's pre-save hook applied (as JupyterLab's
save runs it). Not a test; prints one line per lesson.

    .venv/bin/python bench/saved_size.py [LESSON ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

from widgets.classroom_tools import server_settings  # noqa: E402  (the package installed in this environment)

HOOK = getattr(server_settings, "save_live_widgets_small", None) or server_settings.drop_widget_views


def saved_size(lesson: Path) -> tuple[int, int]:
    nb = nbformat.read(lesson, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(lesson.parent)}}
    ).execute()
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}
    HOOK(model=model)
    return lesson.stat().st_size, len(json.dumps(model["content"], indent=1, ensure_ascii=False).encode())


if __name__ == "__main__":
    lessons = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    for lesson in lessons:
        committed, saved = saved_size(lesson)
        print(
            f"{lesson.name:40s} committed {committed / 1000:6.1f} KB  saved after Run All {saved / 1000:7.1f} KB",
            flush=True,
        )
