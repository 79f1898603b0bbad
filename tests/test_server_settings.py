"""The classroom's server settings travel with the package (widgets.classroom_tools.server_settings).

A plain `jupyter lab` started WITHOUT the repository's .jupyter/ config must still set
TCP_NODELAY on the kernel websocket and keep JupyterLab's news off: the installed package's
jupyter_server_config.d file enables the extension.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.browser.lab import jupyter_lab

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).parent / "jupyter"
SYS_PIDFD_OPEN, SYS_PIDFD_GETFD = 434, 438  # Linux >= 5.6, same numbers on x86-64 and arm64


def _server_socket_nodelay(server_pid: int, client_port: int) -> int:
    """TCP_NODELAY of the server's end of the connection from 127.0.0.1:client_port.

    Reads the option from inside the server process: pidfd_getfd duplicates its socket.
    """
    conn = next(
        c
        for c in psutil.Process(server_pid).net_connections("tcp")
        if c.raddr and c.raddr.port == client_port
    )
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = libc.syscall(SYS_PIDFD_OPEN, server_pid, 0)
    if pidfd < 0:
        pytest.fail(f"pidfd_open failed (errno {ctypes.get_errno()}): needs Linux >= 5.6")
    try:
        fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, conn.fd, 0)
        if fd < 0:
            pytest.fail(f"pidfd_getfd failed (errno {ctypes.get_errno()})")
        with socket.socket(fileno=fd) as dup:
            return dup.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        os.close(pidfd)


def _listening_pid(port: int) -> int:
    for proc in psutil.process_iter():
        try:
            if any(
                c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections("tcp")
            ):
                return proc.pid
        except (psutil.AccessDenied, psutil.NoSuchProcess):
            continue
    raise AssertionError(f"no process listens on port {port}")


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {token}"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


async def _nodelay_of_kernel_and_http(base: str, token: str, pid: int) -> tuple[int, int]:
    from tornado.websocket import websocket_connect

    kernel = _api(base, token, "/api/kernels", "POST", {"name": "python3"})
    ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel['id']}/channels"
    ws = await websocket_connect(ws_url + f"?token={token}")
    try:
        ws_port = ws.protocol.stream.socket.getsockname()[1]
        ws_nodelay = _server_socket_nodelay(pid, ws_port)
        # Control: a plain HTTP connection to the same server keeps the default (0).
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as http:
            http.sendall(
                b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + f"Authorization: token {token}\r\n\r\n".encode()
            )
            http.recv(4096)
            http_nodelay = _server_socket_nodelay(pid, http.getsockname()[1])
    finally:
        ws.close()
        _api(base, token, f"/api/kernels/{kernel['id']}", "DELETE")
    return ws_nodelay, http_nodelay


def test_extension_is_listed_by_jupyter_server_extension_list():
    out = subprocess.run(
        [str(JUPYTER), "server", "extension", "list"], capture_output=True, text=True, timeout=120
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    assert re.search(r"widgets\.classroom_tools\.server_settings\s+enabled", text), text[-2000:]
    assert re.search(r"widgets\.classroom_tools\.server_settings\s+OK", text), text[-2000:]


def test_plain_jupyter_lab_without_repo_config_has_nodelay_and_no_news():
    with jupyter_lab(config=None) as (base, token):
        pid = _listening_pid(int(base.rsplit(":", 1)[1]))
        # In a thread of its own: Playwright's sync API may hold an event loop in this thread.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            ws_nodelay, http_nodelay = pool.submit(
                asyncio.run, _nodelay_of_kernel_and_http(base, token, pid)
            ).result()
        lab_page = urllib.request.urlopen(f"{base}/lab?token={token}", timeout=30).read().decode()
    assert ws_nodelay == 1, "the kernel websocket still waits for Nagle's algorithm"
    assert http_nodelay == 0, "control failed: cannot tell the websocket setting apart"
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', lab_page, re.S).group(1))
    assert config.get("newsUrl") in (None, ""), f"news is on: newsUrl={config.get('newsUrl')!r}"


def test_the_config_file_is_shipped_in_the_wheel_layout():
    import tomllib

    shared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]["shared-data"]
    config = ROOT / "jupyter-config/jupyter_server_config.d/opioid_lessons.json"
    assert shared[str(config.relative_to(ROOT))] == "etc/jupyter/jupyter_server_config.d/" + config.name
    settings = json.loads(config.read_text())
    assert settings["ServerApp"]["jpserver_extensions"] == {"widgets.classroom_tools.server_settings": True}
    installed = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d" / config.name
    assert installed.exists(), f"{installed} missing: reinstall the package (make setup)"
