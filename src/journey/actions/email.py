"""``send_email``: one email over SMTP, built from parameters the caller has already rendered.

The Message-ID is derived from the idempotency key, so every retry of one action sends the same
Message-ID and a receiving system (or a person) can recognise a duplicate. Failures are sorted
into what a retry can fix (the server is down, busy or answers 4xx) and what it cannot (a
malformed address, a permanent 5xx answer).
"""

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Any

import aiosmtplib
from pydantic import JsonValue, SecretStr

from journey.actions.errors import ActionError
from journey.settings import Settings


class EmailSender:
    """Sends one message per call; opens a fresh SMTP connection each time (no state to go stale)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        user: str | None = None,
        password: SecretStr | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._user = user
        self._password = password
        self._starttls = starttls
        self._timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float = 30.0) -> "EmailSender":
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=timeout,
        )

    def __repr__(self) -> str:
        return f"EmailSender(host={self._host!r}, port={self._port}, user={self._user!r})"

    async def send(self, params: Mapping[str, Any], *, idempotency_key: str) -> dict[str, JsonValue]:
        """Send the email described by ``params`` (the ``send_email`` config keys, rendered).

        Returns ``{"message_id", "to", "subject"}``, plus ``"refused"`` (address -> SMTP answer)
        when the server accepted the message for some recipients but not all: the message went
        out, so that is not a failure a retry should repeat.
        """
        message, sender, recipients = self._build(params, idempotency_key)
        password = self._password.get_secret_value() if self._password else None
        try:
            refused, _ = await aiosmtplib.send(
                message,
                sender=sender,
                recipients=recipients,
                hostname=self._host,
                port=self._port,
                username=self._user,
                password=password,
                start_tls=self._starttls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            answers = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
            retryable = any(400 <= r.code < 500 for r in error.recipients)
            raise ActionError(
                f"SMTP server refused every recipient ({answers})", retryable=retryable
            ) from None
        except aiosmtplib.SMTPResponseException as error:
            raise ActionError(
                f"SMTP server answered {error.code} {error.message}", retryable=400 <= error.code < 500
            ) from None
        except aiosmtplib.SMTPNotSupported as error:
            raise ActionError(f"SMTP server at {self._where}: {error}", retryable=False) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise ActionError(f"SMTP server at {self._where} unreachable: {error}", retryable=True) from None
        output: dict[str, JsonValue] = {
            "message_id": str(message["Message-ID"]),
            "to": [address.addr_spec for address in message["To"].addresses],
            "subject": str(message["Subject"]),
        }
        if refused:
            output["refused"] = {address: f"{r.code} {r.message}" for address, r in refused.items()}
        return output

    @property
    def _where(self) -> str:
        return f"{self._host}:{self._port}"

    def _build(self, params: Mapping[str, Any], idempotency_key: str) -> tuple[EmailMessage, str, list[str]]:
        sender = _single_address("from", params.get("from") or self._sender)
        to = _addresses("to", params.get("to"))
        if not to:
            raise ActionError("to: needs at least one recipient", retryable=False)
        cc = _addresses("cc", params.get("cc"))
        bcc = _addresses("bcc", params.get("bcc"))
        reply_to = _addresses("reply_to", params.get("reply_to"))
        subject = _header_text("subject", params.get("subject"))
        text, html = params.get("text"), params.get("html")
        if not text and not html:
            raise ActionError("needs a body: text, html or both", retryable=False)

        message = EmailMessage()
        message["From"] = sender
        message["To"] = to
        if cc:
            message["Cc"] = cc
        if reply_to:
            message["Reply-To"] = reply_to
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = _message_id(idempotency_key, sender.domain)
        if text:
            message.set_content(str(text))
            if html:
                message.add_alternative(str(html), subtype="html")
        else:
            message.set_content(str(html), subtype="html")
        recipients = [address.addr_spec for address in (*to, *cc, *bcc)]
        return message, sender.addr_spec, recipients


def _message_id(idempotency_key: str, domain: str) -> str:
    """A Message-ID that is the same for every retry of one action, and safe whatever the key holds."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def _header_text(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ActionError(f"{field}: must be a non-empty string", retryable=False)
    if "\r" in value or "\n" in value:
        raise ActionError(f"{field}: must be a single line", retryable=False)
    return value


def _addresses(field: str, value: Any) -> tuple[Address, ...]:
    """Parse a comma-separated address list, refusing anything the mail system would mangle."""
    if value is None or value == "":
        return ()
    text = _header_text(field, value)
    parsed = []
    for name, addr_spec in getaddresses([text]):
        try:
            address = Address(display_name=name, addr_spec=addr_spec)
        except (ValueError, IndexError, HeaderParseError) as error:
            raise ActionError(f"{field}: {text!r} is not a valid address list", retryable=False) from error
        if not address.username or not address.domain:
            raise ActionError(f"{field}: {addr_spec!r} is not a valid email address", retryable=False)
        parsed.append(address)
    return tuple(parsed)


def _single_address(field: str, value: Any) -> Address:
    addresses = _addresses(field, value)
    if len(addresses) != 1:
        raise ActionError(f"{field}: needs exactly one address, got {value!r}", retryable=False)
    return addresses[0]
