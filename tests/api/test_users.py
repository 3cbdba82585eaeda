"""The users endpoints over HTTP (routes/users.py): status codes and bodies as the client sees them.

Reading, replacing and merging are tested without HTTP in tests/services/test_users.py; here
the HTTP side: shapes, 404/422/413 problems, and values a database would refuse (each of which
would be a 500 on PostgreSQL if it got that far).
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from journey.api.routes.users import MAX_BODY_BYTES

PROBLEM = "application/problem+json"


@pytest.fixture
def user_url() -> str:
    """The URL of a user no other test uses."""
    return f"/api/v1/users/test-{uuid.uuid4().hex[:12]}"


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_an_unknown_user_is_a_404_problem(api: httpx.AsyncClient, user_url: str) -> None:
    problem = _problem(await api.get(user_url), 404)
    assert "does not exist" in problem["detail"]


async def test_put_creates_the_user_and_get_reads_it(api: httpx.AsyncClient, user_url: str) -> None:
    attributes = {"email": "ann@example.com", "plan": "free", "tags": ["a"], "address": {"city": "Zürich"}}

    put = await api.put(user_url, json=attributes)
    got = await api.get(user_url)

    assert put.status_code == 200
    assert put.json() == got.json()
    body = got.json()
    assert set(body) == {"id", "attributes", "updated_at"}
    assert body["id"] == user_url.rsplit("/", 1)[1]
    assert body["attributes"] == attributes
    assert datetime.fromisoformat(body["updated_at"]).tzinfo is not None


async def test_put_replaces_every_attribute(api: httpx.AsyncClient, user_url: str) -> None:
    await api.put(user_url, json={"plan": "free", "email": "ann@example.com"})

    replaced = await api.put(user_url, json={"plan": "pro"})

    assert replaced.json()["attributes"] == {"plan": "pro"}
    assert (await api.get(user_url)).json()["attributes"] == {"plan": "pro"}


async def test_patch_merges_and_null_removes(api: httpx.AsyncClient, user_url: str) -> None:
    await api.put(user_url, json={"plan": "free", "email": "ann@example.com", "coupon": "X1"})

    patched = await api.patch(user_url, json={"plan": "pro", "coupon": None, "visits": 3})

    assert patched.status_code == 200
    assert patched.json()["attributes"] == {"plan": "pro", "email": "ann@example.com", "visits": 3}
    assert (await api.get(user_url)).json() == patched.json()


async def test_patch_creates_a_missing_user(api: httpx.AsyncClient, user_url: str) -> None:
    patched = await api.patch(user_url, json={"plan": "free", "never": None})

    assert patched.status_code == 200
    assert (await api.get(user_url)).json()["attributes"] == {"plan": "free"}


async def test_concurrent_patches_all_land(api: httpx.AsyncClient, user_url: str) -> None:
    await asyncio.gather(*(api.patch(user_url, json={f"key{n}": n}) for n in range(20)))

    assert (await api.get(user_url)).json()["attributes"] == {f"key{n}": n for n in range(20)}


@pytest.mark.parametrize("user_id", ["x" * 200, "ann@example.com", "Zoë 🚀", "a+b c"])
async def test_any_id_of_up_to_200_characters_round_trips(api: httpx.AsyncClient, user_id: str) -> None:
    unique = f"{user_id[:-12]}{uuid.uuid4().hex[:12]}" if len(user_id) == 200 else f"{user_id}-{uuid.uuid4()}"

    put = await api.put(f"/api/v1/users/{quote(unique)}", json={"n": 1})
    got = await api.get(f"/api/v1/users/{quote(unique)}")

    assert put.status_code == 200
    assert got.json()["id"] == unique


@pytest.mark.parametrize("user_id", ["x" * 201, "%00", "nul%00inside"])
async def test_ids_too_long_or_with_nul_are_422_problems(api: httpx.AsyncClient, user_id: str) -> None:
    for method in ("GET", "PUT", "PATCH"):
        problem = _problem(await api.request(method, f"/api/v1/users/{user_id}", json={}), 422)
        assert problem["errors"][0]["location"] == ["path", "user_id"]


@pytest.mark.parametrize("body", ["[]", '"pro"', "3", "null", "true", '{"plan": ', ""])
async def test_bodies_that_are_not_objects_are_422_problems(
    api: httpx.AsyncClient, user_url: str, body: str
) -> None:
    for method in ("PUT", "PATCH"):
        response = await api.request(
            method, user_url, content=body, headers={"content-type": "application/json"}
        )
        problem = _problem(response, 422)
        assert problem["errors"][0]["location"][0] == "body"
    _problem(await api.get(user_url), 404)


async def test_a_body_not_sent_as_json_is_a_422_problem(api: httpx.AsyncClient, user_url: str) -> None:
    response = await api.put(user_url, content='{"plan": "pro"}', headers={"content-type": "text/plain"})
    _problem(response, 422)


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ('{"score": NaN}', "/score: numbers must be finite"),
        ('{"score": [1, -Infinity]}', "/score/1: numbers must be finite"),
        ('{"score": 1e400}', "/score: numbers must be finite"),
        ('{"name": "a\\u0000b"}', "/name: text must not hold NUL"),
        ('{"a\\u0000": 1}', "/a\\\\x00: names must not hold NUL"),
        ('{"name": "\\ud800"}', "/name: text must not hold NUL or unpaired surrogates"),
        ('{"\\udfff": {"x": 1}}', "/\\\\udfff: names must not hold"),
        ('{"deep": ' + "[" * 40 + "]" * 40 + "}", "levels deep"),
    ],
)
async def test_values_a_database_would_refuse_are_422_problems_that_say_where(
    api: httpx.AsyncClient, user_url: str, raw: str, where: str
) -> None:
    for method in ("PUT", "PATCH"):
        response = await api.request(
            method, user_url, content=raw, headers={"content-type": "application/json"}
        )
        problem = _problem(response, 422)
        assert where.replace("\\\\", "\\") in problem["detail"]
    _problem(await api.get(user_url), 404)


async def test_a_body_at_the_limit_is_accepted_and_one_byte_more_is_a_413_problem(
    api: httpx.AsyncClient, user_url: str
) -> None:
    envelope = len('{"blob":""}')
    at_limit = '{"blob":"' + "x" * (MAX_BODY_BYTES - envelope) + '"}'
    headers = {"content-type": "application/json"}

    accepted = await api.put(user_url, content=at_limit, headers=headers)
    refused = await api.put(user_url, content=at_limit + " ", headers=headers)

    assert accepted.status_code == 200
    assert _problem(refused, 413)["detail"] == f"the request body is larger than {MAX_BODY_BYTES} bytes"
    assert len((await api.get(user_url)).json()["attributes"]["blob"]) == MAX_BODY_BYTES - envelope


async def test_a_body_sent_without_a_length_is_cut_off_at_the_limit(
    api: httpx.AsyncClient, user_url: str
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"blob":"'
        for _ in range(100):
            sent.append(1)
            yield b"x" * 16_384

    response = await api.patch(user_url, content=chunks(), headers={"content-type": "application/json"})

    _problem(response, 413)
    assert len(sent) <= MAX_BODY_BYTES // 16_384 + 1, "the body was read on past the limit"
    _problem(await api.get(user_url), 404)
