"""Start a private JupyterLab server and headless Chromium (used by the browser tests and bench/)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_CONFIG = ROOT / ".jupyter" / "jupyter_server_config.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(config: Path | None = SERVER_CONFIG, app: str = "lab"):
    """Yield (base_url, token) of a JupyterLab (or, with app="notebook", a Jupyter Notebook 7)
    serving a copy of lessons/.

    Config, runtime, settings, workspaces and IPython dirs live in a temporary folder so a
    developer's own settings and restored workspaces never leak in; lessons are copied
    because JupyterLab autosaves outputs into the files it opens. ``config=None`` runs
    without the project's server config (to measure what it changes).
    """
    with tempfile.TemporaryDirectory(prefix="lessons-lab-") as tmp:
        home = Path(tmp)
        served = home / "served"
        shutil.copytree(ROOT / "lessons", served / "lessons")
        # The project's own JupyterLab defaults (as `make lab` and Binder install them), so the
        # tests see what a student sees; user settings start empty.
        app_settings = home / "app-settings"
        app_settings.mkdir()
        shutil.copy(ROOT / ".jupyter" / "lab" / "overrides.json", app_settings / "overrides.json")
        port, token = _free_port(), secrets.token_hex(16)
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            IPYTHONDIR=str(home / "ipython"),
        )
        module, cls = {"lab": ("jupyterlab", "LabApp"), "notebook": ("notebook", "JupyterNotebookApp")}[app]
        args = [
            sys.executable,
            "-m",
            module,
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={served}",
            f"--{cls}.workspaces_dir={home / 'workspaces'}",
            f"--{cls}.user_settings_dir={home / 'settings'}",
            f"--{cls}.app_settings_dir={app_settings}",
            f"--{cls}.expose_app_in_browser=True",
            "--ServerApp.open_browser=False",
        ]
        if config is not None:
            args.append(f"--config={config}")
        log_path = home / "server.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(args, cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_until_up(proc, f"{base}/api/status?token={token}", log_path)
                yield base, token
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()


def _wait_until_up(proc, url: str, log_path: Path, timeout_s: float = 90) -> None:
    deadline = time.time() + timeout_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("JupyterLab did not start:\n" + log_path.read_text()[-3000:]) from None
            time.sleep(0.5)


# The font families a figure must hold its layout with. plotly's font list (theme.TEMPLATE) ends
# in Arial, which fontconfig maps to Liberation Sans where it is installed (Debian's chromium
# recommends it, and so do many desktops and hub images) and to DejaVu Sans where it is not:
# their widths differ enough to move labels. .ci/run installs both packages.
FONT_SETS = {
    "dejavu": ("fonts-dejavu-core", ["/usr/share/fonts/truetype/dejavu"]),
    "liberation": (
        "fonts-liberation",
        ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2"],
    ),
}


def fontconfig_file(font_set: str, folder: Path) -> Path:
    """A fontconfig file in ``folder`` that shows Chromium only the fonts of ``font_set``."""
    package, dirs = FONT_SETS[font_set]
    present = [d for d in dirs if Path(d).is_dir()]
    if not present:
        raise RuntimeError(
            f"font set {font_set!r} is not installed (none of {dirs}): `apt-get install {package}` "
            "(.ci/run does this)"
        )
    cache = folder / "fontconfig-cache"
    lines = "".join(f"  <dir>{d}</dir>\n" for d in present)
    conf = folder / f"fonts-{font_set}.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"{lines}  <cachedir>{cache}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n'
    )
    return conf


def launch_chromium(playwright, fontconfig: Path | None = None):
    """Headless Chromium; with ``fontconfig`` (see :func:`fontconfig_file`) it sees only those fonts."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` "
            "(.ci/run does this), or set CHROMIUM to its path"
        )
    env = None if fontconfig is None else dict(os.environ, FONTCONFIG_FILE=str(fontconfig))
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=env)


def wait_for_notebook_and_idle_kernel(page) -> None:
    """Wait until the opened notebook shows its cells and its kernel is connected and idle."""
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
        timeout=60_000,
    )


def open_lesson_and_run_all(
    page, base: str, token: str, lesson: str, timeout_ms: int = 120_000, ui: str = "lab"
) -> float:
    """Open ``lesson`` (in a fresh JupyterLab workspace, or in Notebook 7 with ui="notebook"),
    Run All, wait for idle and drawn plots; return seconds."""
    if ui == "notebook":
        page.goto(f"{base}/notebooks/lessons/{lesson}?token={token}")
    else:
        workspace = "t" + secrets.token_hex(4)  # unique name + ?reset: no restored layout
        page.goto(f"{base}/lab/workspaces/{workspace}/tree/lessons/{lesson}?reset&token={token}")
    wait_for_notebook_and_idle_kernel(page)
    start = time.perf_counter()
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const nb = window.jupyterapp.shell.currentWidget;"
        " const cells = nb.content.widgets.filter(c => c.model.type === 'code');"
        " return nb.sessionContext.session.kernel.status === 'idle'"
        " && cells.every(c => c.model.executionCount !== null); }",
        timeout=timeout_ms,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ol-liveplot')].every(el => el.querySelector('.main-svg'))",
        timeout=60_000,
    )
    return time.perf_counter() - start


def nudge_slider(page, handle) -> str:
    """Press one arrow key on a focused slider handle, towards the side that has room."""
    now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
    key = "ArrowRight" if now < top else "ArrowLeft"
    page.keyboard.press(key)
    return key
