# Server settings for `make lab` and Binder (repo2docker copies .jupyter/ to ~/.jupyter).
# The lessons work without them; they only make the classroom experience smoother.
c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

# No news or update pop-ups over the lessons in class (the news toast itself is switched off by
# .jupyter/lab/overrides.json, which `make lab` and postBuild install into the environment).
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"

# Land on the first lesson: the URL printed in the terminal (and opened in the browser) goes there.
c.LabApp.default_url = "/lab/tree/lessons/00_start_here.ipynb"


def _kernel_websocket_nodelay():
    """Send small kernel -> browser frames at once (TCP_NODELAY) instead of holding them.

    jupyter_server leaves Nagle's algorithm on for the kernel websocket, which delays the
    small update messages of the widgets by tens of milliseconds; measured here, key press
    to redrawn plot fell from about 60 ms to about 26 ms with it off (bench/run.py
    measures it). The lessons work the same without this; they only respond faster.
    """
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    if getattr(KernelWebsocketHandler, "_opioid_lessons_nodelay", False):
        return
    original_open = KernelWebsocketHandler.open

    async def open(self, *args, **kwargs):
        self.set_nodelay(True)
        return await original_open(self, *args, **kwargs)

    KernelWebsocketHandler.open = open
    KernelWebsocketHandler._opioid_lessons_nodelay = True


_kernel_websocket_nodelay()
