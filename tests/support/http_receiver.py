"""A real HTTP server (uvicorn) on a loopback ephemeral port that records every request.

It stands in for the systems a journey's webhooks call. By default every path answers
``200 {"ok": true}``; ``reply(path, ...)`` scripts the answers of one path (a status, a body,
headers, a delay), consumed in order with the last one repeating, so "fail twice, then succeed"
is ``reply(path, Reply(500), Reply(500), Reply(200))``. It runs in a thread with its own event
loop, so it answers whatever the test's loop is doing.
"""

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    """bytes are sent as they are, a str as text, anything else as JSON."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (the request is recorded at once)."""

    def response(self) -> Response:
        if isinstance(self.body, bytes):
            content, media_type = self.body, "application/octet-stream"
        elif isinstance(self.body, str):
            content, media_type = self.body.encode(), "text/plain; charset=utf-8"
        else:
            content, media_type = json.dumps(self.body).encode(), "application/json"
        headers = {"content-type": media_type, **self.headers}
        return Response(content, status_code=self.status, headers=headers)


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    """Lower-case names."""
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


class HttpReceiver:
    """``start()`` it, call ``url(path)``, read ``requests(path)``; ``stop()`` it."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((self.host, 0))
        self.port: int = self._socket.getsockname()[1]
        self._requests: list[ReceivedRequest] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        config = uvicorn.Config(
            self._app,
            interface="asgi3",
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="http-receiver", daemon=True
        )

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the HTTP receiver did not start within 10 s")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def reply(self, path: str, *replies: Reply) -> None:
        """Answer requests to ``path`` with ``replies`` in order; the last one repeats."""
        if not replies:
            raise ValueError("reply() needs at least one Reply")
        with self._lock:
            self._scripts[path] = list(replies)

    def requests(self, path: str | None = None) -> list[ReceivedRequest]:
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    async def wait_for_requests(
        self, path: str, *, count: int = 1, within: float = 10.0
    ) -> list[ReceivedRequest]:
        """Poll until ``path`` has received ``count`` requests, or fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while True:
            received = self.requests(path)
            if len(received) >= count:
                return received
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} received {len(received)} of {count} requests in {within} s")
            await asyncio.sleep(0.02)

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            script = self._scripts.get(path)
            if not script:
                return Reply()
            return script.pop(0) if len(script) > 1 else script[0]

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        received = ReceivedRequest(
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            headers={name.lower(): value for name, value in request.headers.items()},
            body=await request.body(),
        )
        with self._lock:
            self._requests.append(received)
        reply = self._next_reply(received.path)
        if reply.delay and await _client_left_within(receive, reply.delay):
            return
        await reply.response()(scope, receive, send)


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait ``seconds`` unless the client hangs up first (the body is read: only a disconnect comes)."""
    disconnect = asyncio.ensure_future(receive())
    done, _ = await asyncio.wait([disconnect], timeout=seconds)
    if not done:
        disconnect.cancel()
    return bool(done)
