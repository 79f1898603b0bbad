# Server settings for `make lab` and Binder (repo2docker copies .jupyter/ to ~/.jupyter).
# The lessons work without them; they only make the classroom experience smoother.
c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

# Open lessons without the "select kernel" dialog and never ask to build extensions.
c.ServerApp.open_browser = True
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
