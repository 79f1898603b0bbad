"""JupyterHub configuration for a LOCAL TRIAL of the lessons on a hub (`make hub`).

TRIAL ONLY: every student shares one password and all servers run as the same system user
with no isolation between them (JupyterHub's SimpleLocalProcessSpawner). Use it to try the
hub, nbgitpuller links and the load test on one machine, on 127.0.0.1. For a real class use
the production recipes beside this file (README.md: Zero to JupyterHub values.yaml, or The
Littlest JupyterHub).

Environment variables (all optional):
  OPIOID_HUB_DIR        state folder: database, cookie secret, students' home folders
                        (default: .hub-trial/ in the repository)
  OPIOID_HUB_PORT       port students open, on 127.0.0.1 (default 8000)
  OPIOID_HUB_API_PORT   the hub's own port behind the proxy (default 8081)
  OPIOID_PROXY_API_PORT configurable-http-proxy's API port (default 8001)
  OPIOID_HUB_PASSWORD   the shared password (default "trial-only", printed at start)
  OPIOID_HUB_KEEP_SERVERS=1  leave students' servers running when the hub stops, as a
                        production hub does (a hub restart then does not interrupt the class)
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
STATE = Path(os.environ.get("OPIOID_HUB_DIR", REPO / ".hub-trial")).resolve()
STATE.mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent  # the environment JupyterHub runs from (.venv/bin)

# --- everything on loopback ---------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('OPIOID_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("OPIOID_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('OPIOID_PROXY_API_PORT', '8001')}"
# configurable-http-proxy from npm, installed by `make hub` into classroom/hub/node_modules
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- state --------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = os.environ.get("OPIOID_HUB_KEEP_SERVERS") != "1"

# --- TRIAL ONLY: one shared password, any user name -------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("OPIOID_HUB_PASSWORD", "trial-only")
c.Authenticator.allow_all = True

# --- TRIAL ONLY: servers run as this system user, homes under the state folder -----------
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
# A class logs in at the same moment: on a small machine 30 servers start in tens of seconds.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
if os.getuid() == 0:  # containers: Jupyter refuses root unless told
    c.Spawner.args = ["--ServerApp.allow_root=True"]

print(
    f"TRIAL HUB (not for a real class): http://127.0.0.1:{c.JupyterHub.bind_url.rsplit(':', 1)[1]}"
    f" - any user name, password {c.SharedPasswordAuthenticator.user_password!r}; state in {STATE}",
    file=sys.stderr,
)
