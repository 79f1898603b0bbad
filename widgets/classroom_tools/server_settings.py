"""Jupyter server extension: the classroom's server settings, installed with the package.

``pip install`` puts ``jupyter-config/jupyter_server_config.d/opioid_lessons.json`` into
``<prefix>/etc/jupyter/jupyter_server_config.d/``, which enables this extension (and switches off
JupyterLab's news and update checks) for every ``jupyter lab`` run from that environment: a
plain ``jupyter lab``, Binder, and each JupyterHub user. ``jupyter server extension list`` shows
it as ``widgets.classroom_tools.server_settings``.

Importing this module must stay cheap: the server loads it, not a kernel.
"""

from __future__ import annotations

import re
from pathlib import Path

NODELAY_FLAG = "_opioid_lessons_nodelay"


def _jupyter_server_extension_points():
    return [{"module": "widgets.classroom_tools.server_settings"}]


def enable_kernel_websocket_nodelay() -> bool:
    """Send small kernel -> browser frames at once (TCP_NODELAY) instead of holding them.

    jupyter_server leaves Nagle's algorithm on for the kernel websocket, which delays the small
    update messages of the widgets by tens of milliseconds (key press to redrawn plot measured
    about 60 ms with it, about 26 ms without; bench/run.py measures it). The lessons work the
    same without this; they only respond faster. Returns False if it was already on.
    """
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    if getattr(KernelWebsocketHandler, NODELAY_FLAG, False):
        return False
    original_open = KernelWebsocketHandler.open

    async def open(self, *args, **kwargs):
        self.set_nodelay(True)
        return await original_open(self, *args, **kwargs)

    KernelWebsocketHandler.open = open
    setattr(KernelWebsocketHandler, NODELAY_FLAG, True)
    return True


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FACE_KEY = "opioid_lessons"  # as widgets.display.figure_transport.FACE_KEY (not imported: it is heavy)
PLOTLY_URL = "opioid-lessons/plotly.min.js"
# The copy of plotly.js a kernel with no Jupyter server embeds in its first still picture.
_EMBEDDED_PLOTLY = re.compile(r'<script class="ol-plotlyjs"[^>]*>.*?</script>', re.S)


def _runtime_face_dir() -> Path:
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir()) / "opioid-lessons-faces"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def save_live_widgets_small(model, face_dir: Path | None = None, **kwargs):
    """Pre-save hook: keep live widgets re-attachable, their still pictures current, the file small.

    * Widget view outputs stay in the file, so a reload or a reopened tab re-attaches them to the
      kernel that still holds their models (as stock ipywidgets does). Each widget holding figures
      has its still picture in the next output (widgets.display.figure_transport); where no kernel holds
      the widget, the picture shows instead of the view.
    * Each still picture is replaced by the newest one its kernel wrote (``face_dir``: the runtime
      folder), so the file keeps the state the student left, not the state first shown.
    * No output carries plotly.js: inside Jupyter the pictures load it from this extension.
    * Saved widget state (notebook metadata) goes: it would hold plotly.js and point at models of
      one kernel.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    face_dir = _runtime_face_dir() if face_dir is None else face_dir
    notebook = model["content"]
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            if "text/html" not in data:
                continue
            face_of = (output.get("metadata") or {}).get(FACE_KEY, {}).get("face_of")
            if face_of and re.fullmatch(r"[0-9a-f]{32}", face_of):
                try:
                    data["text/html"] = (face_dir / f"{face_of}.html").read_text(encoding="utf-8")
                except OSError:
                    pass  # no newer picture: keep the one shown
            html = _text(data["text/html"])
            if 'class="ol-plotlyjs"' in html:
                data["text/html"] = _EMBEDDED_PLOTLY.sub("", html)
    notebook.get("metadata", {}).pop("widgets", None)


def _plotly_js_dir() -> str:
    """plotly's package_data folder, found without importing plotly (the server stays light)."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    return str(Path(spec.submodule_search_locations[0]) / "package_data")


def _face_handler():
    """GET opioid-lessons/face/<model id>: the newest still picture a kernel wrote for that widget
    (a page whose kernel restarted shows it instead of the picture it was first given)."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class FaceHandler(JupyterHandler):
        @web.authenticated
        def get(self, model_id: str) -> None:
            try:
                text = (_runtime_face_dir() / f"{model_id}.html").read_text(encoding="utf-8")
            except OSError:
                raise web.HTTPError(404) from None
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(text)

    return FaceHandler


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.utils import url_path_join
    from tornado.web import StaticFileHandler

    # A hub config written before the folders may enable the old name (widgets.server_settings)
    # beside the package's own file: both names are this module, so set up once per server.
    if getattr(serverapp, "_opioid_lessons_loaded", False):
        return
    serverapp._opioid_lessons_loaded = True
    enable_kernel_websocket_nodelay()
    serverapp.contents_manager.register_pre_save_hook(save_live_widgets_small)
    web_app = serverapp.web_app
    base = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (
                url_path_join(base, r"opioid-lessons/(plotly\.min\.js)"),
                StaticFileHandler,
                {"path": _plotly_js_dir()},
            ),
            (url_path_join(base, r"opioid-lessons/face/([0-9a-f]{32})"), _face_handler()),
        ],
    )
    serverapp.log.info(
        "opioid lessons: TCP_NODELAY on the kernel websocket; still pictures kept current on save;"
        f" plotly.js at {PLOTLY_URL}"
    )
