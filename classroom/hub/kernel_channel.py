"""Drive a kernel over its websocket (/api/kernels/ID/channels) as JupyterLab does.

Runs a notebook's code cells one after the other (Run All) and moves a widget by comm
messages (the ipywidgets protocol's ``update``), checking every reply. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

SLIDER_MODELS = {"FloatSliderModel", "IntSliderModel", "FloatLogSliderModel", "SelectionSliderModel"}


@dataclass
class RunAll:
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    widgets: dict[str, dict] = field(default_factory=dict)  # comm id -> state at comm_open


def _decode(frame) -> dict:
    """A websocket frame: JSON text, or the binary form (offsets, JSON, buffers) with buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    (n,) = struct.unpack("!I", frame[:4])
    offsets = list(struct.unpack(f"!{n}I", frame[4 : 4 + 4 * n])) + [len(frame)]
    return json.loads(frame[offsets[0] : offsets[1]].decode())


class KernelChannel:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.session = uuid.uuid4().hex
        self.ws = None

    async def __aenter__(self) -> KernelChannel:
        request = HTTPRequest(
            f"{self.url}?session_id={self.session}",
            headers={"Authorization": f"token {self.token}"},
            # JupyterLab retries a kernel connection until the kernel is up; 30 kernels starting
            # at once on 2 cores took more than a minute to accept it (measured), so wait longer.
            connect_timeout=180,
            request_timeout=180,
        )
        self.ws = await websocket_connect(request, max_message_size=256 * 2**20)
        return self

    async def __aexit__(self, *exc) -> None:
        self.ws.close()

    def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "session": self.session,
                        "username": "student",
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    async def replies(self, msg_id: str, timeout_s: float, need_reply: bool = True):
        """Yield the messages answering ``msg_id`` until the kernel is idle again (and, for a
        request, its reply has come)."""
        deadline = time.monotonic() + timeout_s
        idle = replied = False
        while not (idle and (replied or not need_reply)):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {msg_id[:8]} within {timeout_s:.0f} s")
            try:
                frame = await asyncio.wait_for(self.ws.read_message(), timeout=left)
            except TimeoutError:
                raise TimeoutError(f"no answer to {msg_id[:8]} within {timeout_s:.0f} s") from None
            if frame is None:
                raise ConnectionError("the kernel websocket closed")
            msg = _decode(frame)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            if kind.endswith("_reply"):
                replied = True
            yield msg

    async def wait_ready(self, timeout_s: float = 120) -> None:
        msg_id = self.send("kernel_info_request", {})
        async for _ in self.replies(msg_id, timeout_s):
            pass

    async def cpu_seconds(self, timeout_s: float = 60) -> float:
        """CPU time the kernel process has used (asked silently, as a user expression)."""
        msg_id = self.send(
            "execute_request",
            {
                "code": "",
                "silent": True,
                "store_history": False,
                "allow_stdin": False,
                "user_expressions": {"cpu": "__import__('time').process_time()"},
            },
        )
        async for msg in self.replies(msg_id, timeout_s):
            if msg["header"]["msg_type"] == "execute_reply":
                value = msg["content"]["user_expressions"]["cpu"]
        return float(value["data"]["text/plain"])

    async def execute(self, code: str, timeout_s: float) -> tuple[list[str], list[dict]]:
        """Run ``code``; return (error texts, widget comm_open messages it produced)."""
        msg_id = self.send(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        errors, opened = [], []
        async for msg in self.replies(msg_id, timeout_s):
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "execute_reply" and content["status"] != "ok" and not errors:
                errors.append(f"execute_reply status {content['status']}")
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                opened.append(msg)
        return errors, opened

    async def run_all(
        self, cells: list[dict], cell_timeout_s: float = 180, total_timeout_s: float = 900
    ) -> RunAll:
        """Execute every code cell in order, as Run All does (stops at the first error)."""
        result = RunAll()
        t0 = time.perf_counter()
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
                continue
            left = total_timeout_s - (time.perf_counter() - t0)
            errors, opened = await self.execute("".join(cell["source"]), min(cell_timeout_s, left))
            for msg in opened:
                result.widgets[msg["content"]["comm_id"]] = msg["content"]["data"]["state"]
            if errors:
                result.errors += [f"cell {index} ({cell.get('id')}): {e}" for e in errors]
                break
        result.seconds = time.perf_counter() - t0
        return result

    async def move_widget(
        self, comm_id: str, value, timeout_s: float = 60, key: str = "value"
    ) -> tuple[float, int]:
        """Set a widget's value as the browser does; return (round-trip seconds, number of other
        widgets the kernel updated in answer). Raises if the kernel does not echo the value."""
        t0 = time.perf_counter()
        msg_id = self.send(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "update", "state": {key: value}, "buffer_paths": []}},
        )
        echoed, updated = False, set()
        async for msg in self.replies(msg_id, timeout_s, need_reply=False):
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "error":
                raise RuntimeError(f"the widget update raised {content['ename']}: {content['evalue']}")
            if kind == "comm_msg":
                data = content["data"]
                if content["comm_id"] == comm_id and data.get("method") == "echo_update":
                    echoed = _same(data["state"].get(key), value)
                elif content["comm_id"] != comm_id:
                    updated.add(content["comm_id"])
        if not echoed:
            raise RuntimeError(f"the kernel did not confirm value {value!r}")
        return time.perf_counter() - t0, len(updated)


def _same(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return a == b


def slider_values(state: dict, moves: int) -> tuple[str, list]:
    """The state key a slider's move sets and ``moves`` values inside its range, stepping back
    and forth as arrow keys would."""
    if state["_model_name"] == "SelectionSliderModel":  # moves by option index
        last = len(state["_options_labels"]) - 1
        cycle = list(range(1, last + 1)) + list(range(last - 1, -1, -1)) or [0]
        return "index", [cycle[i % len(cycle)] for i in range(moves)]
    lo, hi = state["min"], state["max"]
    steps = [i % 18 if i % 18 <= 9 else 18 - i % 18 for i in range(moves)]  # 0..9..0: no repeats
    fractions = [0.25 + 0.5 * k / 9 for k in steps]
    values = [lo + f * (hi - lo) for f in fractions]
    if state["_model_name"] == "FloatLogSliderModel":
        return "value", [state.get("base", 10.0) ** v for v in values]
    if state["_model_name"] == "IntSliderModel":
        return "value", [int(round(v)) for v in values]
    step = state.get("step") or 0
    return "value", [round(lo + round((v - lo) / step) * step, 12) if step else v for v in values]


def sliders(widgets: dict[str, dict]) -> list[str]:
    """Comm ids of the sliders a Run All created, in creation order."""
    return [
        cid
        for cid, state in widgets.items()
        if state.get("_model_name") in SLIDER_MODELS and not state.get("disabled")
    ]
