# Server settings for `make lab` and Binder (repo2docker copies .jupyter/ to ~/.jupyter).
# The lessons work without them; they only make the classroom experience smoother.
c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

# No news or update pop-ups over the lessons in class (the news toast itself is switched off by
# .jupyter/lab/overrides.json, which `make lab` and postBuild install into the environment).
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"

# Land on the first lesson: the URL printed in the terminal (and opened in the browser) goes there.
c.LabApp.default_url = "/lab/tree/lessons/00_start_here.ipynb"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widget_views(model, **kwargs):
    """Save notebooks without live-widget outputs (a pre-save hook; JupyterLab autosaves).

    A widget output only points at a model that lives in the running kernel. Saved into the file,
    it outlives that kernel: reopening the lesson later (a new kernel) logs "widget model not
    found" and "[anywidget] Failed to initialize model" for every such output, and the file
    differs from the committed lesson. An output that also carries a static form (HTML, an
    image) keeps that form; one with only a text repr besides the widget view is dropped. The
    page on screen keeps its widgets; re-running the cells brings them back after a reload.
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


c.ContentsManager.pre_save_hook = drop_widget_views


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
