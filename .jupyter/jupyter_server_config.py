# Server settings for `make lab` and Binder (repo2docker copies .jupyter/ to ~/.jupyter).
# The lessons work without them; they only make the classroom experience smoother.
#
# TCP_NODELAY on the kernel websocket and "no news or update pop-ups" travel with the package
# itself (widgets/classroom_tools/server_settings.py, enabled by the jupyter_server_config.d file that
# `pip install` puts into the environment), so a plain `jupyter lab`, Binder and every
# JupyterHub user get them without this file. `jupyter server extension list` shows it.
c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

# Land on the first lesson: the URL printed in the terminal (and opened in the browser) goes there.
c.LabApp.default_url = "/lab/tree/lessons/00_start_here.ipynb"
