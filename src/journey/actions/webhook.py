"""``webhook``: one HTTP request through a shared client; the response becomes the node's output.

Every request carries an ``Idempotency-Key`` that is the same for every retry of one action, so
a receiver can drop the duplicate that a lost response makes unavoidable. The response body is
read up to a cap: a node's output lands in the workflow history, which must stay small.
Error messages name the method, host and path but never the query string or credentials of the
URL, where tokens tend to live.
"""

import asyncio
import json
from collections.abc import Mapping
from datetime import timedelta
from importlib.metadata import version
from typing import Any

import httpx
from pydantic import JsonValue, TypeAdapter, ValidationError

from journey.actions.errors import ActionError
from journey.dsl.durations import Duration

MAX_BODY_BYTES = 256 * 1024
DEFAULT_TIMEOUT_SECONDS = 10.0
USER_AGENT = f"journey/{version('journey-platform')}"

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_DURATION = TypeAdapter(Duration)


class WebhookCaller:
    """Calls webhooks through one ``httpx.AsyncClient`` that its owner creates and closes.

    Sharing the client shares its connection pool: a journey calling the same endpoint for
    thousands of users reuses connections instead of opening one per call.
    """

    def __init__(self, client: httpx.AsyncClient, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self._client = client
        self._max_body_bytes = max_body_bytes

    async def call(self, params: Mapping[str, Any], *, idempotency_key: str) -> dict[str, JsonValue]:
        """Send the request described by ``params`` (the ``webhook`` config keys, rendered).

        Returns ``{"status", "headers", "body", "truncated"}``: header names in lower case, the
        body parsed when the response is JSON and complete, otherwise text.
        """
        method = _method(params.get("method"))
        url = _url(params.get("url"))
        timeout = _timeout_seconds(params.get("timeout"))
        expected = _expected_statuses(params.get("expect_status"))
        headers = _headers(params.get("headers"), idempotency_key)
        content = _content(params.get("body"), headers)
        target = f"{method} {_describe(url)}"

        request = self._client.build_request(
            method, url, headers=headers, content=content, timeout=httpx.Timeout(timeout)
        )
        try:
            async with asyncio.timeout(timeout):
                response = await self._client.send(request, stream=True)
                try:
                    raw, truncated = await _read_capped(response, self._max_body_bytes)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise ActionError(f"{target} timed out after {timeout:g} s", retryable=True) from None
        except httpx.LocalProtocolError as error:
            raise ActionError(f"{target}: invalid request: {error}", retryable=False) from None
        except httpx.TransportError as error:
            raise ActionError(
                f"{target} failed: {str(error) or type(error).__name__}", retryable=True
            ) from None

        status = response.status_code
        if not _succeeded(status, expected):
            snippet = raw[:200].decode(_charset(response), errors="replace")
            retryable = status in (408, 429) or status >= 500
            raise ActionError(
                f"{target} answered {status} {response.reason_phrase}: {snippet}", retryable=retryable
            )
        return {
            "status": status,
            "headers": dict(response.headers.items()),
            "body": _body(response, raw, truncated),
            "truncated": truncated,
        }


def _succeeded(status: int, expected: frozenset[int]) -> bool:
    return status in expected if expected else 200 <= status < 300


async def _read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes of the body; stop downloading as soon as there are more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)[:limit], size > limit


def _body(response: httpx.Response, raw: bytes, truncated: bool) -> JsonValue:
    text = raw.decode(_charset(response), errors="replace")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if truncated or not (media_type == "application/json" or media_type.endswith("+json")):
        return text
    try:
        parsed: JsonValue = json.loads(text)
    except ValueError:
        return text
    return parsed


def _charset(response: httpx.Response) -> str:
    charset = response.charset_encoding or "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return "utf-8"
    return charset


def _method(value: Any) -> str:
    method = "POST" if value is None else str(value).upper()
    if method not in _METHODS:
        raise ActionError(f"method: {value!r} is not one of {', '.join(sorted(_METHODS))}", retryable=False)
    return method


def _url(value: Any) -> httpx.URL:
    if not isinstance(value, str) or not value.strip():
        raise ActionError("url: must be a non-empty string", retryable=False)
    try:
        url = httpx.URL(value.strip())
    except httpx.InvalidURL as error:
        raise ActionError(f"url: invalid URL: {error}", retryable=False) from None
    if url.scheme not in ("http", "https"):
        raise ActionError(f"url: must start with http:// or https://, not {url.scheme!r}", retryable=False)
    if not url.host:
        raise ActionError("url: has no host", retryable=False)
    return url


def _describe(url: httpx.URL) -> str:
    """The URL without credentials or query string, fit for an error message."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{host}{port}{url.path}"


def _timeout_seconds(value: Any) -> float:
    if value is None:
        return DEFAULT_TIMEOUT_SECONDS
    if isinstance(value, bool):
        raise ActionError(f"timeout: {value!r} is not a duration", retryable=False)
    try:
        duration: timedelta = _DURATION.validate_python(value)
    except ValidationError:
        raise ActionError(
            f"timeout: {value!r} is not a positive duration (seconds or ISO 8601 such as PT5S)",
            retryable=False,
        ) from None
    return duration.total_seconds()


def _expected_statuses(value: Any) -> frozenset[int]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(
        isinstance(status, int) and not isinstance(status, bool) for status in value
    ):
        raise ActionError(f"expect_status: {value!r} is not a list of status codes", retryable=False)
    return frozenset(value)


def _headers(value: Any, idempotency_key: str) -> httpx.Headers:
    """The caller's headers, a default User-Agent, and our Idempotency-Key (which always wins)."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise ActionError("headers: must be an object of names to values", retryable=False)
    headers = httpx.Headers()
    for name, header_value in value.items():
        if not isinstance(header_value, str):
            raise ActionError(f"headers: {name!r} must be a string", retryable=False)
        if any(c in header_value for c in "\r\n\0"):
            raise ActionError(f"headers: {name!r} must be a single line", retryable=False)
        headers[name] = header_value
    headers.setdefault("user-agent", USER_AGENT)
    headers["idempotency-key"] = idempotency_key
    return headers


def _content(body: Any, headers: httpx.Headers) -> bytes | None:
    """A string is sent as text, any other JSON value as JSON, None as no body at all."""
    if body is None:
        return None
    if isinstance(body, str):
        headers.setdefault("content-type", "text/plain; charset=utf-8")
        return body.encode()
    try:
        encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ActionError(f"body: not JSON: {error}", retryable=False) from None
    headers.setdefault("content-type", "application/json")
    return encoded.encode()
