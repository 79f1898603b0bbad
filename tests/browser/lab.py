"""Start a private JupyterLab server and headless Chromium (used by the browser tests and bench/)."""

from __future__ import annotations

import ast
import contextlib
import json
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

from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
            time.sleep(0.1)  # polling interval


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


def refuse_network(context) -> list[str]:
    """Let ``context`` (a Playwright browser context or page) load only ``file://`` URLs, as a
    computer with no network would; every other request is refused and its URL added to the list
    returned. (``data:`` URLs, such as scripts embedded in a page, never reach the route.)"""
    refused: list[str] = []

    def only_local(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return refused


def wait_for_notebook_and_idle_kernel(page) -> None:
    """Wait until the opened notebook shows its cells and its kernel is connected and idle."""
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
        timeout=60_000,
    )


def shut_down_lesson_kernel(base: str, token: str, lesson: str) -> None:
    """End the session (and kernel) an earlier test left running for ``lesson``, so the lesson
    opens with a new kernel, as a student's first visit does.

    Why: a page opened on a kernel that holds hundreds of widgets from earlier runs spends seconds
    restoring them, and a Run All started meanwhile can race that restore (ipywidgets' manager
    then keeps two models for one new widget, and the view gets the one no message reaches:
    seen here as lesson 06's forest plot drawn at revision 0 with an empty summary, frozen).
    """

    def call(method: str, path: str):
        req = urllib.request.Request(f"{base}{path}?token={token}", method=method)
        with urllib.request.urlopen(req, timeout=30) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    for session in call("GET", "/api/sessions"):
        if session.get("path", "").endswith(f"lessons/{lesson}"):
            call("DELETE", f"/api/sessions/{session['id']}")


def open_lesson_and_run_all(
    page, base: str, token: str, lesson: str, timeout_ms: int = 120_000, ui: str = "lab"
) -> float:
    """Open ``lesson`` (in a fresh JupyterLab workspace, or in Notebook 7 with ui="notebook") with a
    new kernel, Run All, wait for idle and drawn plots; return seconds."""
    shut_down_lesson_kernel(base, token, lesson)
    if ui == "notebook":
        page.goto(f"{base}/notebooks/lessons/{lesson}?token={token}")
    else:
        workspace = "t" + secrets.token_hex(4)  # unique name + ?reset: no restored layout
        page.goto(f"{base}/lab/workspaces/{workspace}/tree/lessons/{lesson}?reset&token={token}")
    wait_for_notebook_and_idle_kernel(page)
    start = time.perf_counter()
    # Clear first: a lesson the same server ran earlier was autosaved with execution counts, and
    # "every code cell has one" below would then hold before Run All had run anything.
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.widgets"
        ".every(c => c.model.type !== 'code' || c.model.executionCount === null)",
        timeout=30_000,
    )
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


def save_notebook(page) -> None:
    """Save the open notebook (Ctrl+S) and wait until it is saved."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)


def reload_page(page) -> None:
    """Reload the page as a student would (the kernel stays alive) and wait for the notebook, an
    idle kernel and every cell drawn."""
    page.reload()
    wait_for_notebook_and_idle_kernel(page)
    render_every_cell(page)


def nudge_slider(page, handle) -> str:
    """Press one arrow key on a focused slider handle, towards the side that has room."""
    now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
    key = "ArrowRight" if now < top else "ArrowLeft"
    page.keyboard.press(key)
    return key


# --- waiting on real signals ------------------------------------------------------------------
# The browser tests wait for a condition, never for a fixed time: a figure root's
# data-drawn-revision (widgets/display/static/live_plot.js, circuit_diagram.js), the kernel having
# handled everything the page sent it, the next animation frames (the a11y pass, JupyterLab's
# layout), or a retrying `expect(...)`.

_FRAMES = "n => new Promise(done => { const step = k => k ? requestAnimationFrame(() => step(k - 1)) : done(); step(n); })"


def next_frames(page, n: int = 2) -> None:
    """Wait for ``n`` animation frames: work queued for the next frame (widgets/display/static/a11y.js's
    pass, Lumino's layout after a resize or a panel toggle) has run."""
    page.evaluate(_FRAMES, n)


# The kernel handles shell messages in order; an empty silent request sent now is answered only
# after every widget message the page sent before it, and its reply (with the kernel's "idle")
# comes after the updates those messages caused. ipywidgets holds back a model's next state while
# one is unanswered and sends it when the kernel goes idle, so a second request catches that one.
_KERNEL_CAUGHT_UP = """async () => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  for (let i = 0; i < 2; i++) await kernel.requestExecute({code: '', silent: true, store_history: false}).done;
}"""


def kernel_caught_up(page) -> None:
    """Wait until the kernel has handled every widget message the page sent so far (a key on a
    slider, a click) and the page has applied the kernel's answers (and drawn the next frames)."""
    page.evaluate(_KERNEL_CAUGHT_UP)
    next_frames(page)


def kernel_value(page, expression: str) -> str:
    """``repr`` of ``expression`` evaluated in the notebook's kernel (a silent request: no cell,
    no output, no history)."""
    reply = page.evaluate(
        "async (expr) => { const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;"
        " const reply = await kernel.requestExecute({code: '', silent: true, store_history: false,"
        " user_expressions: {v: expr}}).done; return reply.content.user_expressions.v; }",
        expression,
    )
    assert reply["status"] == "ok", f"{expression!r} in the kernel: {reply}"
    return reply["data"]["text/plain"]


def frozen_widget_report(page, control_label: str) -> str:
    """What the kernel holds when a figure did not follow a control (for a failure message): the
    value of every control labelled ``control_label`` and the revision of every LivePlot, beside
    the page's console warnings. A kernel value unchanged means the key never reached the kernel;
    a LivePlot revision above the view's means the view's model missed the kernel's messages."""
    expression = (
        "[(type(w).__name__, getattr(w, 'value', None)) for w in list(__import__('ipywidgets').Widget.widgets.values())"
        f" if getattr(w, 'description', None) == {control_label!r}],"
        " [w._state['revision'] for w in list(__import__('ipywidgets').Widget.widgets.values())"
        " if type(w).__name__ == 'LivePlot']"
    )
    try:
        held = kernel_value(page, expression)
    except Exception as err:  # the report must not hide the failure it describes
        held = f"(the kernel did not answer: {err})"
    warnings = getattr(page, "console_warnings", [])[-5:]
    return f"kernel's controls and LivePlot revisions: {held}; console warnings: {warnings}"


def note_recovered_freeze(report: str) -> None:
    """Keep on record a figure that did not follow its control until a save and a reload (a
    pytest warning in the run's summary, and a line in test-artifacts/recovered-freezes.txt)."""
    import warnings

    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    with open(folder / "recovered-freezes.txt", "a", encoding="utf-8") as log:
        log.write(report + "\n")
    warnings.warn(f"a figure followed its control only after a save and a reload: {report}", stacklevel=2)


# The kernel writes each changed widget's newest still picture to Jupyter's runtime folder once the
# widgets have been still for a moment (widgets.display.figure_transport: a threading.Timer running
# _write_faces, debounced), and the server's pre-save hook puts it into the saved lesson. Written
# = nothing changed since the last write, and no such timer waiting or running.
_STILL_PICTURES_WRITTEN = (
    "(lambda ft, threading: not ft._changed_since_write and not any("
    "isinstance(t, threading.Timer) and t.function is ft._write_faces for t in threading.enumerate()))"
    "(__import__('widgets.display.figure_transport', fromlist=['_']), __import__('threading'))"
)


def wait_for_still_pictures_written(page, timeout_s: float = 20) -> None:
    """Wait until the kernel has written the still picture of every widget changed so far."""
    deadline = time.monotonic() + timeout_s
    while kernel_value(page, _STILL_PICTURES_WRITTEN) != "True":
        assert time.monotonic() < deadline, f"the kernel wrote no still pictures for {timeout_s} s"
        time.sleep(0.1)  # polling interval


def render_every_cell(page) -> None:
    """JupyterLab draws only the cells on screen: scroll through so that every output renders."""
    n = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    for i in range(n):
        page.evaluate(f"() => window.jupyterapp.shell.currentWidget.content.scrollToItem({i})")
        next_frames(page, 1)


def drawn_revision(root) -> str | None:
    """A figure root's (``.ol-liveplot``, ``svg.ol-diagram``) ``data-drawn-revision``: what it shows now."""
    return root.get_attribute("data-drawn-revision")


def wait_for_redraw(page, root, before: str | None, timeout_ms: int = 10_000) -> str:
    """Wait until the figure root ``root`` (a locator) has drawn a revision other than ``before``;
    return the one drawn."""
    page.wait_for_function(
        "([el, before]) => el.getAttribute('data-drawn-revision') !== before",
        arg=[root.element_handle(), before],
        timeout=timeout_ms,
    )
    return drawn_revision(root)


# Drawn and no longer changing: the SVG's size and every text label's box are the same for
# `frames` animation frames running (plotly may lay a figure out twice after a resize, moving
# margins and labels a frame or two after Plotly.react resolves).
_STILL = """([el, frames, timeoutMs]) => new Promise((done, fail) => {
  const shape = () => [...el.querySelectorAll('svg')].map(s => {
    const b = s.getBoundingClientRect();
    return [b.width, b.height].concat([...s.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect(); return `${t.textContent}:${r.left}:${r.top}:${r.width}`; }));
  }).join('|');
  const start = performance.now();
  let last = shape(), same = 0;
  const tick = () => {
    const now = shape();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= frames) done(true);
    else if (performance.now() - start > timeoutMs) fail(new Error(`still changing after ${timeoutMs} ms`));
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def wait_until_drawing_is_still(page, figure, frames: int = 5, timeout_ms: int = 10_000) -> None:
    """Wait until ``figure`` (a locator) draws the same thing for ``frames`` animation frames."""
    figure.evaluate(
        "(el, [frames, timeoutMs]) => (" + _STILL + ")([el, frames, timeoutMs])", [frames, timeout_ms]
    )


def table_rows(table) -> list[list[str]]:
    """The cells' texts of each row of an HTML table (a locator), header rows included: tests
    compare numbers in their columns rather than a row's words."""
    return table.evaluate(
        "t => [...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


# --- how many figures each lesson shows -------------------------------------------------------
# Figures each lesson widget shows once a cell has displayed it: (LivePlot figures, `.ol-liveplot`;
# SVG diagrams, `.ol-diagram`). Typed once per widget; the per-lesson counts (lesson_figures) are
# counted from the lessons' own cells, so a lesson that adds, drops or swaps a widget changes them
# by itself, and a lesson displaying a widget missing here fails with its name.
WIDGET_FIGURES = {
    "WidgetCheck": (1, 0),
    "SignallingCascade": (1, 0),
    "AffinityExplorer": (1, 0),
    "BindingExplorer": (1, 0),
    "OrganBath": (1, 0),
    "PetComparison": (1, 0),
    "DosingTimeline": (1, 0),
    "RewardCircuit": (1, 1),  # the time course and the circuit diagram
    "ExtinctionSimulator": (1, 0),
    "EvidenceForest": (1, 0),
    "DisplacementSimulator": (1, 0),
    "Quiz": (0, 0),
    # its report's figure, once a file is analysed (lesson 09 analyses the template before showing it)
    "ExperimentAnalyser": (1, 0),
    "report_plot": (1, 0),
}


def _displayed_widgets(lesson: str) -> list[str]:
    """The widgets (names of WIDGET_FIGURES) the code cells of ``lesson`` display, in order: a
    cell's last line calling one (``Quiz(...)``, ``report_plot(r)``) or naming a variable bound to
    one (``bath = OrganBath(...)`` ... ``bath``)."""
    nb = json.loads((ROOT / "lessons" / lesson).read_text(encoding="utf-8"))
    bound, shown = {}, []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "widgets":
                classes = [a.name for a in node.names if a.name[0].isupper() and not a.name.isupper()]
                unknown = [name for name in classes if name not in WIDGET_FIGURES]
                assert not unknown, f"{lesson} imports {unknown} from widgets: add them to WIDGET_FIGURES"
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Name) and func.id in WIDGET_FIGURES:
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            bound[target.id] = func.id
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr):
            value = last.value
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in WIDGET_FIGURES
            ):
                shown.append(value.func.id)
            elif isinstance(value, ast.Name) and value.id in bound:
                shown.append(bound[value.id])
    return shown


def lesson_figures(lesson: str) -> tuple[int, int]:
    """(LivePlot figures, SVG diagrams) that ``lesson`` shows after Run All."""
    counts = [WIDGET_FIGURES[name] for name in _displayed_widgets(lesson)]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def assert_lesson_figures(page, lesson: str) -> int:
    """The page shows as many figures as ``lesson`` displays (a loop over them cannot pass by
    finding none); returns the number of LivePlot figures."""
    plots, diagrams = lesson_figures(lesson)
    with contextlib.suppress(PlaywrightTimeout):  # a figure may still be on its way: the assert names it
        page.wait_for_function(
            "([p, d]) => document.querySelectorAll('.ol-liveplot').length === p"
            " && document.querySelectorAll('svg.ol-diagram').length === d",
            arg=[plots, diagrams],
            timeout=30_000,
        )
    shown = (page.locator(".ol-liveplot").count(), page.locator("svg.ol-diagram").count())
    assert shown == (plots, diagrams), (
        f"{lesson}: (live plots, diagrams) shown {shown}, the lesson displays {(plots, diagrams)}"
    )
    return plots
