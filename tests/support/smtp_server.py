"""A real SMTP server (aiosmtpd) on a loopback ephemeral port that keeps what it receives.

It runs its own event loop in a thread, so it answers whatever the test's loop is doing. It can
be told to refuse a recipient with a given SMTP answer, and to accept AUTH for one account.
"""

import asyncio
import email.policy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, Self

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class ReceivedEmail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    def part(self, content_type: str) -> str:
        """The decoded body of the first part of this type (``text/plain``, ``text/html``)."""
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.is_multipart():
                return str(part.get_content())
        raise KeyError(f"no {content_type} part in message {self.message['Message-ID']}")


class SmtpServer:
    """``start()`` it, send to ``host:port``, read ``messages``; ``stop()`` it."""

    host = "127.0.0.1"

    def __init__(self, *, user: str | None = None, password: str | None = None) -> None:
        self.port = 0
        self._credentials = (user, password)
        self._messages: list[ReceivedEmail] = []
        self._refusals: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="smtp-server", daemon=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SMTP server did not start within 10 s")

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def refuse(self, address: str, answer: str) -> None:
        """Answer ``RCPT TO:<address>`` with ``answer`` (such as ``"550 5.1.1 no such user"``)."""
        with self._lock:
            self._refusals[address.lower()] = answer

    @property
    def messages(self) -> list[ReceivedEmail]:
        with self._lock:
            return list(self._messages)

    def messages_to(self, address: str) -> list[ReceivedEmail]:
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    async def wait_for(
        self, predicate: Callable[[ReceivedEmail], bool], *, count: int = 1, within: float = 10.0
    ) -> list[ReceivedEmail]:
        """Poll until ``count`` received messages match, or fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while True:
            found = [m for m in self.messages if predicate(m)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} of {count} expected emails arrived in {within} s")
            await asyncio.sleep(0.02)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        user, _ = self._credentials
        server = await self._loop.create_server(
            lambda: SMTP(
                self,
                hostname="journey-test",
                authenticator=self._authenticate if user is not None else None,
                auth_require_tls=False,
            ),
            host=self.host,
            port=0,
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stopping.wait()

    def _authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = self._credentials
        matches = (data.login.decode(), data.password.decode()) == (user, password)
        return AuthResult(success=matches, handled=False)

    async def handle_RCPT(
        self, _server: SMTP, _session: Session, envelope: Envelope, address: str, _options: list[str]
    ) -> str:
        """aiosmtpd's hook: refuse the addresses ``refuse`` named, accept the others."""
        with self._lock:
            refusal = self._refusals.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        """aiosmtpd's hook: keep the message as the client sent it."""
        message = BytesParser(policy=email.policy.default).parsebytes(envelope.original_content or b"")
        received = ReceivedEmail(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            message=message,
        )
        with self._lock:
            self._messages.append(received)
        return "250 Message accepted for delivery"
