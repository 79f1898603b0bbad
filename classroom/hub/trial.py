"""Start and stop the local trial hub (jupyterhub_config.py) from Python: tests and the load test.

``TrialHub`` runs JupyterHub on free ports on 127.0.0.1 with its state in a folder of its own,
can restart the hub (students' servers keep running: OPIOID_HUB_KEEP_SERVERS=1), and on exit
stops every process it started: the hub, the proxy, and each student's server and kernels.
``Student`` is one simulated student speaking the hub's HTTP API as a browser does.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONFIG = HERE / "jupyterhub_config.py"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent
PASSWORD = "trial-only-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout_s: float, what: str, interval_s: float = 0.25):
    """Poll ``predicate`` until it returns a truthy value; fail naming ``what`` after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(interval_s)


class TrialHub:
    def __init__(self, state_dir: Path, keep_servers: bool = True):
        if not PROXY.exists():
            raise RuntimeError(f"{PROXY} is missing: run `make hub-setup` (npm install)")
        if not (BIN / "jupyterhub").exists():
            raise RuntimeError("jupyterhub is not installed: run `make hub-setup`")
        self.state = Path(state_dir).resolve()
        self.port, self.api_port, self.proxy_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            OPIOID_HUB_DIR=str(self.state),
            OPIOID_HUB_PORT=str(self.port),
            OPIOID_HUB_API_PORT=str(self.api_port),
            OPIOID_PROXY_API_PORT=str(self.proxy_port),
            OPIOID_HUB_PASSWORD=PASSWORD,
            OPIOID_HUB_KEEP_SERVERS="1" if keep_servers else "0",
        )
        self.proc: subprocess.Popen | None = None
        self.log_path = self.state / "hub.log"

    # --- life cycle ---------------------------------------------------------------------
    def start(self, timeout_s: float = 120) -> TrialHub:
        self.state.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.state,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log_tail()}")
            try:
                return requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, timeout_s, f"the hub at {self.url}")
        return self

    def stop_hub(self, timeout_s: float = 30) -> None:
        """Stop the hub process only (SIGTERM, as systemd or Kubernetes would)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop_hub()
        self.start()

    def our_processes(self) -> list[psutil.Process]:
        """Students' servers and kernels (they run in homes under the state folder) + proxy."""
        found = []
        for proc in psutil.process_iter(["cwd", "cmdline"]):
            cwd, cmd = proc.info["cwd"] or "", " ".join(proc.info["cmdline"] or [])
            if (
                cwd.startswith(str(self.state))
                or f"127.0.0.1:{self.proxy_port}" in cmd
                or f"--api-port {self.proxy_port}" in cmd
                or f"--api-port={self.proxy_port}" in cmd
            ):
                if proc.pid != os.getpid():
                    found.append(proc)
        return found

    def stop(self) -> None:
        self.stop_hub()
        leftovers = self.our_processes()
        for proc in leftovers:
            try:
                proc.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=10)
        for proc in alive:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass

    def __enter__(self) -> TrialHub:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    # --- memory -------------------------------------------------------------------------
    def hub_rss_mb(self) -> float:
        """The hub and the proxy, resident memory."""
        procs = [psutil.Process(self.proc.pid)] if self.proc and self.proc.poll() is None else []
        procs += [p for p in self.our_processes() if "configurable-http-proxy" in " ".join(p.cmdline())]
        return sum(_rss(p) for p in procs) / 2**20

    def user_rss_mb(self) -> dict[str, float]:
        """Per student: resident memory of their server and its kernels."""
        return self._per_user(lambda proc: _rss(proc) / 2**20)

    def user_cpu_s(self) -> dict[str, float]:
        """Per student: CPU seconds (user + system) their server and kernels have used so far."""
        return self._per_user(_cpu_s)

    def _per_user(self, measure) -> dict[str, float]:
        per_user: dict[str, float] = {}
        home = self.state / "home"
        for proc in self.our_processes():
            try:
                cwd = Path(proc.cwd())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if home in cwd.parents:
                user = cwd.relative_to(home).parts[0]
                per_user[user] = per_user.get(user, 0.0) + measure(proc)
        return per_user


def _rss(proc: psutil.Process) -> int:
    try:
        return proc.memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def _cpu_s(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
        return times.user + times.system
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0


def nbgitpuller_query(repo: str, branch: str, lesson: str) -> str:
    repo_dir = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    return urlencode(
        {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{repo_dir}/lessons/{lesson}"},
        quote_via=quote,
        safe="/",
    )


class Student:
    """One student: logs in with the shared password, then talks to the hub and their server."""

    def __init__(self, hub: TrialHub, name: str):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.token: str | None = None
        self.server = f"{hub.url}/user/{name}"

    def log_in(self) -> None:
        """The login form as a browser submits it, then an API token for this student."""
        s = self.session
        s.get(f"{self.hub.url}/hub/login", timeout=30).raise_for_status()
        xsrf = s.cookies.get("_xsrf", path="/hub/")
        r = s.post(
            f"{self.hub.url}/hub/login?next=",
            timeout=60,
            allow_redirects=False,
            data={"username": self.name, "password": PASSWORD, "_xsrf": xsrf},
        )
        if r.status_code != 302:
            raise RuntimeError(f"{self.name}: login refused ({r.status_code})")
        xsrf = s.cookies.get("_xsrf", path="/hub/")  # a new one, bound to the logged-in user
        r = s.post(
            f"{self.hub.url}/hub/api/users/{self.name}/tokens",
            timeout=60,
            headers={"X-XSRFToken": xsrf},
            json={"note": "load test", "expires_in": 3600},
        )
        r.raise_for_status()
        self.token = r.json()["token"]
        s.headers["Authorization"] = f"token {self.token}"

    def start_server(self, timeout_s: float = 300) -> float:
        """Ask the hub for this student's server; return seconds until it answers."""
        t0 = time.perf_counter()
        r = self.session.post(f"{self.hub.url}/hub/api/users/{self.name}/server", timeout=60)
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"{self.name}: server start refused ({r.status_code}: {r.text[:200]})")

        def ready():
            user = self.session.get(f"{self.hub.url}/hub/api/users/{self.name}", timeout=30).json()
            server = user.get("servers", {}).get("")
            return server and server.get("ready")

        wait_for(ready, timeout_s, f"{self.name}'s server", interval_s=0.5)
        wait_for(
            lambda: self.session.get(f"{self.server}/api/status", timeout=30).ok,
            60,
            f"{self.name}'s server through the proxy",
        )
        return time.perf_counter() - t0

    def click_nbgitpuller_link(self, repo: str, branch: str, lesson: str, timeout_s: float = 180) -> str:
        """Open the nbgitpuller link (hub redirect, OAuth to the server) and run the pull it starts."""
        query = nbgitpuller_query(repo, branch, lesson)
        page = self.session.get(f"{self.hub.url}/hub/user-redirect/git-pull?{query}", timeout=60)
        page.raise_for_status()
        if f"/user/{self.name}/git-pull" not in page.url:
            raise RuntimeError(f"{self.name}: the link landed on {page.url}")
        # The page's script streams the pull from this endpoint (server-sent events).
        repo_dir = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
        api = f"{self.server}/git-pull/api?" + urlencode(
            {"repo": repo, "branch": branch, "targetpath": repo_dir}
        )
        deadline = time.monotonic() + timeout_s
        log = []
        with self.session.get(api, stream=True, timeout=(30, timeout_s)) as stream:
            for line in stream.iter_lines(decode_unicode=True):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name}: git pull took over {timeout_s} s")
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event.get("phase") == "error":
                    raise RuntimeError(
                        f"{self.name}: nbgitpuller failed: {event.get('message')} {event.get('output', '')}"
                    )
                log.append(event.get("output", ""))
                if event.get("phase") == "finished":
                    return repo_dir
        raise RuntimeError(f"{self.name}: the pull stream ended early: {''.join(log)[-500:]}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, f"{self.server}{path}", timeout=60, **kwargs)

    def read_notebook(self, path: str) -> dict:
        r = self.api("GET", f"/api/contents/{quote(path)}?content=1")
        r.raise_for_status()
        return r.json()["content"]

    def open_notebook(self, path: str) -> str:
        """A kernel session for the notebook at ``path`` (as JupyterLab opens one); its kernel id."""
        r = self.api(
            "POST",
            "/api/sessions",
            json={"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}},
        )
        r.raise_for_status()
        return r.json()["kernel"]["id"]

    def channels_url(self, kernel_id: str) -> str:
        return self.server.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
