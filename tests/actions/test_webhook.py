"""WebhookCaller against a real HTTP receiver: what is sent, what comes back, how failures are sorted."""

import time

import httpx
import pytest

from journey.actions.errors import ActionError
from journey.actions.webhook import USER_AGENT, WebhookCaller
from tests.support.http_receiver import HttpReceiver, Reply
from tests.support.ports import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def caller(http_client: httpx.AsyncClient) -> WebhookCaller:
    return WebhookCaller(http_client, max_body_bytes=1024)


async def test_posts_json_with_headers_and_returns_the_parsed_response(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/hooks/{unique}"
    http_receiver.reply(path, Reply(201, {"id": 7, "tags": ["a"]}, headers={"X-Request-Id": "r-1"}))
    output = await caller.call(
        {
            "method": "POST",
            "url": http_receiver.url(path) + "?source=journey",
            "headers": {"Authorization": "Bearer abc", "X-Custom": "yes"},
            "body": {"user": "u-1", "items": [1, 2], "note": "café"},
        },
        idempotency_key=f"run-{unique}/hook/1",
    )

    (received,) = http_receiver.requests(path)
    assert received.method == "POST"
    assert received.query == "source=journey"
    assert received.json() == {"user": "u-1", "items": [1, 2], "note": "café"}
    assert received.headers["content-type"] == "application/json"
    assert received.headers["idempotency-key"] == f"run-{unique}/hook/1"
    assert received.headers["user-agent"] == USER_AGENT
    assert received.headers["authorization"] == "Bearer abc"
    assert received.headers["x-custom"] == "yes"
    assert output["status"] == 201
    assert output["body"] == {"id": 7, "tags": ["a"]}
    assert output["truncated"] is False
    headers = output["headers"]
    assert isinstance(headers, dict)
    assert headers["x-request-id"] == "r-1"
    assert all(name == name.lower() for name in headers)


async def test_idempotency_key_is_the_same_on_every_retry_and_cannot_be_overridden(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/retry/{unique}"
    http_receiver.reply(path, Reply(503), Reply(200))
    params = {"url": http_receiver.url(path), "headers": {"Idempotency-Key": "mine"}, "body": {"n": 1}}
    with pytest.raises(ActionError):
        await caller.call(params, idempotency_key=f"key-{unique}")
    await caller.call(params, idempotency_key=f"key-{unique}")
    keys = [r.headers["idempotency-key"] for r in http_receiver.requests(path)]
    assert keys == [f"key-{unique}", f"key-{unique}"]


async def test_string_body_is_sent_as_text_and_none_as_no_body(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    text_path, empty_path = f"/text/{unique}", f"/empty/{unique}"
    await caller.call(
        {"method": "PUT", "url": http_receiver.url(text_path), "body": "hello {"}, idempotency_key="k"
    )
    await caller.call(
        {"method": "GET", "url": http_receiver.url(empty_path), "body": None}, idempotency_key="k"
    )

    (text,) = http_receiver.requests(text_path)
    assert (text.method, text.text) == ("PUT", "hello {")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    (empty,) = http_receiver.requests(empty_path)
    assert (empty.method, empty.body) == ("GET", b"")
    assert "content-type" not in empty.headers


async def test_a_caller_content_type_is_kept(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/ct/{unique}"
    await caller.call(
        {"url": http_receiver.url(path), "headers": {"Content-Type": "application/vnd.x+json"}, "body": [1]},
        idempotency_key="k",
    )
    (received,) = http_receiver.requests(path)
    assert received.headers["content-type"] == "application/vnd.x+json"
    assert received.body == b"[1]"


async def test_non_json_response_is_text(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/plain/{unique}"
    http_receiver.reply(path, Reply(200, "accepted"))
    output = await caller.call({"url": http_receiver.url(path)}, idempotency_key="k")
    assert output["body"] == "accepted"


async def test_a_large_body_is_cut_at_the_cap_and_marked(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/big/{unique}"
    http_receiver.reply(path, Reply(200, {"blob": "x" * 5000}))
    output = await caller.call({"url": http_receiver.url(path)}, idempotency_key="k")
    assert output["truncated"] is True
    assert isinstance(output["body"], str)
    assert len(output["body"]) == 1024
    assert output["body"].startswith('{"blob": "xxx')


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(500, True), (503, True), (408, True), (429, True), (404, False), (400, False), (422, False)],
)
async def test_unexpected_status_is_classified(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str, status: int, retryable: bool
) -> None:
    path = f"/status/{status}/{unique}"
    http_receiver.reply(path, Reply(status, {"error": "nope"}))
    with pytest.raises(ActionError) as caught:
        await caller.call({"url": http_receiver.url(path) + "?token=hidden"}, idempotency_key="k")
    assert caught.value.retryable is retryable
    assert f"POST {http_receiver.url(path)} answered {status}" in caught.value.message
    assert '{"error": "nope"}' in caught.value.message
    assert "hidden" not in caught.value.message


async def test_expect_status_decides_what_succeeds(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str
) -> None:
    path = f"/expect/{unique}"
    http_receiver.reply(path, Reply(404, {"found": False}))
    output = await caller.call(
        {"url": http_receiver.url(path), "expect_status": [200, 404]}, idempotency_key="k"
    )
    assert output["status"] == 404
    assert output["body"] == {"found": False}

    http_receiver.reply(path, Reply(200))
    with pytest.raises(ActionError) as caught:
        await caller.call({"url": http_receiver.url(path), "expect_status": [204]}, idempotency_key="k")
    assert caught.value.retryable is False


@pytest.mark.parametrize("limit", [0.3, "PT0.3S"])
async def test_a_slow_receiver_times_out_as_retryable(
    caller: WebhookCaller, http_receiver: HttpReceiver, unique: str, limit: float | str
) -> None:
    path = f"/slow/{unique}"
    http_receiver.reply(path, Reply(200, delay=2.0))
    started = time.monotonic()
    with pytest.raises(ActionError) as caught:
        await caller.call({"url": http_receiver.url(path), "timeout": limit}, idempotency_key="k")
    elapsed = time.monotonic() - started
    assert caught.value.retryable is True
    assert "timed out after 0.3 s" in caught.value.message
    assert 0.25 < elapsed < 1.5
    # The receiver records a request when its handler runs, which a busy machine may delay past
    # the caller's timeout.
    assert len(await http_receiver.wait_for_requests(path)) == 1


async def test_connection_refused_is_retryable(caller: WebhookCaller) -> None:
    with pytest.raises(ActionError) as caught:
        await caller.call({"url": f"http://127.0.0.1:{free_port()}/x"}, idempotency_key="k")
    assert caught.value.retryable is True


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"url": "ftp://example.com/file"}, "must start with http:// or https://"),
        ({"url": "example.com/hook"}, "must start with http:// or https://"),
        ({"url": "http://"}, "url: has no host"),
        ({"url": "http://[::1"}, "url: invalid URL"),
        ({"url": ""}, "url: must be a non-empty string"),
        ({"method": "TRACE"}, "method: 'TRACE' is not one of"),
        ({"timeout": "soon"}, "timeout: 'soon' is not a positive duration"),
        ({"timeout": 0}, "timeout: 0 is not a positive duration"),
        ({"expect_status": "200"}, "expect_status: '200' is not a list"),
        ({"headers": {"X-A": "one\r\nX-B: two"}}, "headers: 'X-A' must be a single line"),
        ({"headers": {"X-A": 1}}, "headers: 'X-A' must be a string"),
        ({"body": {"n": float("nan")}}, "body: not JSON"),
    ],
)
async def test_invalid_parameters_are_not_retryable(
    caller: WebhookCaller, http_receiver: HttpReceiver, params: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ActionError) as caught:
        await caller.call({"url": http_receiver.url("/never"), **params}, idempotency_key="k")
    assert complaint in caught.value.message
    assert caught.value.retryable is False
    assert http_receiver.requests("/never") == []
