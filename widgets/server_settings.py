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


def _load_jupyter_server_extension(serverapp) -> None:
    enable_kernel_websocket_nodelay()
    serverapp.log.info("opioid lessons: TCP_NODELAY on the kernel websocket")
