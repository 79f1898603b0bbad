"""Jupyter server extension: the classroom's server settings, installed with the package.

``pip install`` puts ``jupyter-config/jupyter_server_config.d/opioid_lessons.json`` into
``<prefix>/etc/jupyter/jupyter_server_config.d/``, which enables this extension (and switches off
JupyterLab's news and update checks) for every ``jupyter lab`` run from that environment: a
plain ``jupyter lab``, Binder, and each JupyterHub user. ``jupyter server extension list`` shows
it as ``widgets.server_settings``.

Importing this module must stay cheap: the server loads it, not a kernel.
"""

from __future__ import annotations

NODELAY_FLAG = "_opioid_lessons_nodelay"


def _jupyter_server_extension_points():
    return [{"module": "widgets.server_settings"}]


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


def drop_widget_views(model, **kwargs):
    """Save notebooks without live-widget outputs (a pre-save hook; JupyterLab autosaves).

    A widget output only points at a model that lives in the running kernel. Saved into the file,
    it outlives that kernel: reopening the lesson later (a new kernel) logs "widget model not
    found" and "[anywidget] Failed to initialize model" for every such output, and the file
    differs from the committed lesson. An output that also carries a static form (the figures'
    static face in HTML, an image) keeps that form; one with only a text repr besides the widget
    view is dropped. The page on screen keeps its widgets; re-running the cells brings them back.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = []
        for output in outputs:
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                if not set(data) - {WIDGET_VIEW, "text/plain"}:
                    continue
                del data[WIDGET_VIEW]
            kept.append(output)
        cell["outputs"] = kept
    notebook.get("metadata", {}).pop("widgets", None)  # saved widget state points at the same models


def _load_jupyter_server_extension(serverapp) -> None:
    enable_kernel_websocket_nodelay()
    serverapp.contents_manager.register_pre_save_hook(drop_widget_views)
    serverapp.log.info("opioid lessons: TCP_NODELAY on the kernel websocket; widget views not saved")
