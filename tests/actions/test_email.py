"""EmailSender against a real SMTP server: the message as received, and how failures are sorted."""

import socket

import pytest
from pydantic import SecretStr

from journey.actions.email import EmailSender
from journey.actions.errors import ActionError
from journey.settings import Settings
from tests.actions.conftest import SMTP_PASSWORD, SMTP_USER
from tests.support.ports import free_port
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.integration


@pytest.fixture
def sender(smtp_server: SmtpServer) -> EmailSender:
    settings = Settings(
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_user=SMTP_USER,
        smtp_password=SecretStr(SMTP_PASSWORD),
        smtp_from="Journey <journeys@shop.example>",
    )
    return EmailSender.from_settings(settings, timeout=5)


async def test_sends_text_and_html_as_alternatives_with_all_headers(
    sender: EmailSender, smtp_server: SmtpServer, unique: str
) -> None:
    to = f"ann-{unique}@example.com"
    output = await sender.send(
        {
            "to": f"Ann Smith <{to}>, bob-{unique}@example.com",
            "cc": f"carol-{unique}@example.com",
            "bcc": f"dave-{unique}@example.com",
            "reply_to": "help@shop.example",
            "subject": "Your cart misses you",
            "text": "Hi Ann, 2 items wait.",
            "html": "<p>Hi Ann, <b>2</b> items wait.</p>",
        },
        idempotency_key=f"run-{unique}/mail/1",
    )

    (received,) = smtp_server.messages_to(to)
    message = received.message
    assert message["From"] == "Journey <journeys@shop.example>"
    assert message["To"] == f"Ann Smith <{to}>, bob-{unique}@example.com"
    assert message["Cc"] == f"carol-{unique}@example.com"
    assert message["Reply-To"] == "help@shop.example"
    assert message["Bcc"] is None
    assert message["Subject"] == "Your cart misses you"
    assert message["Message-ID"] == output["message_id"]
    assert str(output["message_id"]).endswith("@shop.example>")
    assert message.get_content_type() == "multipart/alternative"
    assert received.part("text/plain").strip() == "Hi Ann, 2 items wait."
    assert received.part("text/html").strip() == "<p>Hi Ann, <b>2</b> items wait.</p>"
    assert received.mail_from == "journeys@shop.example"
    assert set(received.rcpt_tos) == {
        to,
        f"bob-{unique}@example.com",
        f"carol-{unique}@example.com",
        f"dave-{unique}@example.com",
    }
    assert type(output["message_id"]) is str
    assert output == {
        "message_id": output["message_id"],
        "to": [to, f"bob-{unique}@example.com"],
        "subject": "Your cart misses you",
    }


async def test_message_id_is_stable_across_retries_and_differs_between_actions(
    sender: EmailSender, unique: str
) -> None:
    params = {"to": f"x-{unique}@example.com", "subject": "Hi", "text": "Hello"}
    first = await sender.send(params, idempotency_key=f"run-{unique}/mail/1")
    retry = await sender.send(params, idempotency_key=f"run-{unique}/mail/1")
    other = await sender.send(params, idempotency_key=f"run-{unique}/mail/2")
    assert first["message_id"] == retry["message_id"] != other["message_id"]


async def test_html_only_is_a_single_html_part_and_from_can_be_overridden(
    sender: EmailSender, smtp_server: SmtpServer, unique: str
) -> None:
    to = f"html-{unique}@example.com"
    await sender.send(
        {"to": to, "subject": "Hi", "html": "<h1>Hello</h1>", "from": "news@shop.example"},
        idempotency_key=unique,
    )
    (received,) = smtp_server.messages_to(to)
    assert received.message.get_content_type() == "text/html"
    assert received.message["From"] == "news@shop.example"
    assert received.part("text/html").strip() == "<h1>Hello</h1>"


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"to": "not-an-address"}, "to: 'not-an-address' is not a valid address list"),
        ({"to": "ann smith@example.com"}, "is not a valid address list"),
        ({"to": "a@b.com; c@d.com"}, "to: 'a@b.com; c@d.com' is not a valid address list"),
        ({"to": "ann@"}, "is not a valid address list"),
        ({"to": ""}, "to: needs at least one recipient"),
        ({"to": '""@example.com'}, "is not a valid email address"),
        ({"cc": "@nowhere"}, "cc: '@nowhere' is not a valid address list"),
        ({"from": "a@b.com, c@d.com"}, "from: needs exactly one address"),
        ({"subject": "Hi\nBcc: victim@example.com"}, "subject: must be a single line"),
        ({"text": None}, "needs a body"),
    ],
)
async def test_malformed_parameters_are_not_retryable(
    sender: EmailSender, smtp_server: SmtpServer, params: dict[str, str | None], complaint: str
) -> None:
    before = len(smtp_server.messages)
    valid = {"to": "ann@example.com", "subject": "Hi", "text": "Hello"}
    with pytest.raises(ActionError) as caught:
        await sender.send({**valid, **params}, idempotency_key="k")
    assert complaint in caught.value.message
    assert caught.value.retryable is False
    assert len(smtp_server.messages) == before


async def test_permanent_refusal_is_not_retryable_and_temporary_one_is(
    sender: EmailSender, smtp_server: SmtpServer, unique: str
) -> None:
    gone, busy = f"gone-{unique}@example.com", f"busy-{unique}@example.com"
    smtp_server.refuse(gone, "550 5.1.1 No such user")
    smtp_server.refuse(busy, "451 4.3.0 Try again later")

    with pytest.raises(ActionError) as permanent:
        await sender.send({"to": gone, "subject": "Hi", "text": "x"}, idempotency_key=unique)
    assert permanent.value.retryable is False
    assert "550" in permanent.value.message

    with pytest.raises(ActionError) as temporary:
        await sender.send({"to": busy, "subject": "Hi", "text": "x"}, idempotency_key=unique)
    assert temporary.value.retryable is True
    assert "451" in temporary.value.message


async def test_partial_refusal_still_sends_and_reports_the_refused(
    sender: EmailSender, smtp_server: SmtpServer, unique: str
) -> None:
    ok, gone = f"ok-{unique}@example.com", f"gone-{unique}@example.com"
    smtp_server.refuse(gone, "550 5.1.1 No such user")
    output = await sender.send({"to": f"{ok}, {gone}", "subject": "Hi", "text": "x"}, idempotency_key=unique)
    assert len(smtp_server.messages_to(ok)) == 1
    assert output["refused"] == {gone: "550 5.1.1 No such user"}


async def test_wrong_password_is_not_retryable_and_never_shown(smtp_server: SmtpServer) -> None:
    wrong = "wrong-pa55word-xyz"
    sender = EmailSender(
        host=smtp_server.host,
        port=smtp_server.port,
        sender="a@b.example",
        user=SMTP_USER,
        password=SecretStr(wrong),
    )
    with pytest.raises(ActionError) as caught:
        await sender.send({"to": "ann@example.com", "subject": "Hi", "text": "x"}, idempotency_key="k")
    assert caught.value.retryable is False
    assert "535" in caught.value.message
    assert wrong not in repr(caught.value)
    assert wrong not in repr(sender)


async def test_connection_refused_is_retryable() -> None:
    sender = EmailSender(host="127.0.0.1", port=free_port(), sender="a@b.example", timeout=2)
    with pytest.raises(ActionError) as caught:
        await sender.send({"to": "ann@example.com", "subject": "Hi", "text": "x"}, idempotency_key="k")
    assert caught.value.retryable is True
    assert "unreachable" in caught.value.message


async def test_a_server_that_never_greets_times_out_as_retryable() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        sender = EmailSender(
            host="127.0.0.1", port=silent.getsockname()[1], sender="a@b.example", timeout=0.3
        )
        with pytest.raises(ActionError) as caught:
            await sender.send({"to": "ann@example.com", "subject": "Hi", "text": "x"}, idempotency_key="k")
    assert caught.value.retryable is True
