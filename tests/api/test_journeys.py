"""The journeys endpoints over HTTP (routes/journeys.py): status codes, headers and bodies.

The rules themselves (revisions, statuses, concurrency) are tested without HTTP in
tests/services/test_journeys.py; here each rule shows once as the client sees it.
"""

import asyncio
import copy
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from journey.api.pagination import encode_cursor
from journey.api.routes.journeys import MAX_BODY_BYTES
from journey.store import Database
from journey.store.runs import RunRecord, RunStore

PROBLEM = "application/problem+json"
JOURNEYS = "/api/v1/journeys"


@pytest.fixture
async def created(api: httpx.AsyncClient, journey_document: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(JOURNEYS, json=journey_document)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


async def _publish(api: httpx.AsyncClient, key: str, message: str = "") -> httpx.Response:
    return await api.post(f"{JOURNEYS}/{key}/publish", json={"message": message})


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_create_stores_the_document_as_draft(
    api: httpx.AsyncClient, journey_document: dict[str, Any], journey_key: str
) -> None:
    response = await api.post(JOURNEYS, json=journey_document)

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"http://test{JOURNEYS}/{journey_key}"
    body = response.json()
    assert body["key"] == journey_key
    assert body["name"] == "Welcome"
    assert body["status"] == "draft"
    assert body["revision"] == 1
    assert body["published_version"] is None
    assert body["draft"] == journey_document
    assert body["issues"] == []
    assert (await api.get(response.headers["location"])).json() == body


async def test_a_draft_may_have_errors(api: httpx.AsyncClient, journey_document: dict[str, Any]) -> None:
    journey_document["edges"] = []
    del journey_document["name"]

    response = await api.post(JOURNEYS, json=journey_document)

    assert response.status_code == 201
    assert response.json()["name"] == journey_document["key"]
    codes = {issue["code"] for issue in response.json()["issues"]}
    assert {"missing_field", "unreachable_node"} <= codes


async def test_create_refuses_a_taken_key(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    response = await api.post(JOURNEYS, json=created["draft"])

    assert created["key"] in _problem(response, 409)["detail"]


@pytest.mark.parametrize("key", [None, "Not A Key", 7])
async def test_create_needs_a_usable_key(
    api: httpx.AsyncClient, journey_document: dict[str, Any], key: object
) -> None:
    journey_document["key"] = key

    problem = _problem(await api.post(JOURNEYS, json=journey_document), 422)

    assert [issue["path"] for issue in problem["issues"]] == ["/key"]


async def test_create_needs_an_object(api: httpx.AsyncClient) -> None:
    _problem(await api.post(JOURNEYS, json=["a", "list"]), 422)


async def test_a_body_over_the_limit_is_refused_unread(api: httpx.AsyncClient, journey_key: str) -> None:
    padding = "x" * MAX_BODY_BYTES
    response = await api.post(JOURNEYS, json={"key": journey_key, "name": "Big", "description": padding})

    _problem(response, 413)
    _problem(await api.get(f"{JOURNEYS}/{journey_key}"), 404)


async def test_an_unknown_key_is_not_found(api: httpx.AsyncClient) -> None:
    for response in [
        await api.get(f"{JOURNEYS}/no-such-journey"),
        await api.get(f"{JOURNEYS}/Not%20a%20key"),
        await api.put(f"{JOURNEYS}/no-such-journey", json={"key": "no-such-journey"}),
        await api.delete(f"{JOURNEYS}/no-such-journey"),
        await api.get(f"{JOURNEYS}/no-such-journey/versions"),
        await api.get(f"{JOURNEYS}/no-such-journey/versions/1"),
    ]:
        _problem(response, 404)


async def test_list_pages_through_journeys_in_key_order(api: httpx.AsyncClient, journey_key: str) -> None:
    keys = [f"{journey_key}-{suffix}" for suffix in ("c", "a", "b")]
    for key in keys:
        assert (await api.post(JOURNEYS, json={"key": key, "name": key.upper()})).status_code == 201
    first = (await api.get(JOURNEYS, params={"limit": 2, "cursor": encode_cursor([journey_key])})).json()
    second = (await api.get(JOURNEYS, params={"limit": 2, "cursor": first["next_cursor"]})).json()

    seen = first["items"] + second["items"][:1]
    assert [item["key"] for item in seen] == sorted(keys)
    assert set(seen[0]) == {"key", "name", "status", "published_version", "updated_at", "runs_in_progress"}
    assert seen[0]["name"] == f"{journey_key}-A".upper()


async def test_list_filters_by_status(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    await api.delete(f"{JOURNEYS}/{created['key']}")

    archived = (await api.get(JOURNEYS, params={"status": "archived", "limit": 500})).json()["items"]
    drafts = (await api.get(JOURNEYS, params={"status": "draft", "limit": 500})).json()["items"]

    assert created["key"] in {item["key"] for item in archived}
    assert all(item["status"] == "archived" for item in archived)
    assert created["key"] not in {item["key"] for item in drafts}


async def test_list_counts_each_journeys_runs_in_progress(
    api: httpx.AsyncClient, database: Database, journey_key: str
) -> None:
    busy, idle = f"{journey_key}-busy", f"{journey_key}-idle"
    for key in (busy, idle):
        assert (await api.post(JOURNEYS, json={"key": key, "name": key})).status_code == 201
    statuses = ["running", "waiting", "waiting", "completed", "failed", "cancelled", "exited", "timed_out"]
    await RunStore(database).record_many(
        [
            RunRecord(f"{busy}-{n}", f"wf-{busy}-{n}", busy, 1, f"user-{n}", status, datetime.now(UTC))
            for n, status in enumerate(statuses)
        ]
    )

    listed = (await api.get(JOURNEYS, params={"cursor": encode_cursor([journey_key])})).json()["items"]

    counts = {item["key"]: item["runs_in_progress"] for item in listed if item["key"] in (busy, idle)}
    assert counts == {busy: 3, idle: 0}


@pytest.mark.parametrize(
    "cursor", ["%%%", encode_cursor([1]), encode_cursor(["a\u0000b"]), encode_cursor([])]
)
async def test_list_refuses_a_cursor_it_did_not_make(api: httpx.AsyncClient, cursor: str) -> None:
    _problem(await api.get(JOURNEYS, params={"cursor": cursor}), 422)


async def test_save_replaces_the_draft_and_counts_revisions(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    draft = copy.deepcopy(created["draft"])
    draft["name"] = "Welcome, again"
    draft["nodes"][1]["config"]["message"] = "{{ broken"

    response = await api.put(f"{JOURNEYS}/{created['key']}", json=draft, headers={"if-match": '"1"'})

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["revision"], body["name"], body["draft"]) == (2, "Welcome, again", draft)
    assert [issue["code"] for issue in body["issues"]] == ["invalid_template"]


async def test_a_stale_save_is_refused_and_changes_nothing(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    url = f"{JOURNEYS}/{created['key']}"
    await api.put(url, json=created["draft"])
    stale = {**created["draft"], "name": "Lost update"}

    problem = _problem(await api.put(url, json=stale, headers={"if-match": '"1"'}), 412)

    assert problem["revision"] == 2
    current = (await api.get(url)).json()
    assert (current["revision"], current["name"]) == (2, "Welcome")


async def test_of_two_saves_from_one_revision_exactly_one_wins(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    url = f"{JOURNEYS}/{created['key']}"
    drafts = [{**created["draft"], "name": f"Edit {number}"} for number in range(2)]

    responses = await asyncio.gather(
        *(api.put(url, json=draft, headers={"if-match": '"1"'}) for draft in drafts)
    )

    assert sorted(response.status_code for response in responses) == [200, 412]
    winner = next(response.json() for response in responses if response.status_code == 200)
    assert (await api.get(url)).json()["name"] == winner["name"]


@pytest.mark.parametrize("if_match", ['W/"1"', "one", '"0"', "99999999999"])
async def test_save_refuses_an_if_match_that_is_not_a_revision(
    api: httpx.AsyncClient, created: dict[str, Any], if_match: str
) -> None:
    response = await api.put(
        f"{JOURNEYS}/{created['key']}", json=created["draft"], headers={"if-match": if_match}
    )

    assert "If-Match" in _problem(response, 422)["detail"]


async def test_save_refuses_a_different_key(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    renamed = {**created["draft"], "key": "another-key"}

    problem = _problem(await api.put(f"{JOURNEYS}/{created['key']}", json=renamed), 422)

    assert "never changes" in problem["detail"]


async def test_publish_copies_the_draft_into_numbered_versions(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    key = created["key"]
    first = await _publish(api, key, "first")
    await api.put(f"{JOURNEYS}/{key}", json={**created["draft"], "name": "Renamed"})
    second = await api.post(f"{JOURNEYS}/{key}/publish")

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    assert first.headers["location"] == f"http://test{JOURNEYS}/{key}/versions/1"
    journey = (await api.get(f"{JOURNEYS}/{key}")).json()
    assert (journey["status"], journey["published_version"]) == ("active", 2)
    versions = (await api.get(f"{JOURNEYS}/{key}/versions")).json()
    assert [(item["version"], item["message"]) for item in versions["items"]] == [(2, ""), (1, "first")]
    assert versions["next_cursor"] is None
    one = (await api.get(f"{JOURNEYS}/{key}/versions/1")).json()
    assert (one["version"], one["document"]) == (1, created["draft"])
    assert one["author"] is None


async def test_versions_page_newest_first(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    for _ in range(3):
        await _publish(api, created["key"])
    url = f"{JOURNEYS}/{created['key']}/versions"

    first = (await api.get(url, params={"limit": 2})).json()
    rest = (await api.get(url, params={"limit": 2, "cursor": first["next_cursor"]})).json()

    assert [item["version"] for item in first["items"] + rest["items"]] == [3, 2, 1]
    assert rest["next_cursor"] is None


async def test_publishing_a_draft_with_errors_is_refused_with_its_issues(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    broken = {**created["draft"], "edges": []}
    await api.put(f"{JOURNEYS}/{created['key']}", json=broken)

    problem = _problem(await _publish(api, created["key"]), 422)

    assert "unreachable_node" in {issue["code"] for issue in problem["issues"]}
    assert (await api.get(f"{JOURNEYS}/{created['key']}/versions")).json()["items"] == []


async def test_publish_with_a_stale_if_match_is_refused(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    await api.put(f"{JOURNEYS}/{created['key']}", json=created["draft"])

    response = await api.post(f"{JOURNEYS}/{created['key']}/publish", headers={"if-match": '"1"'})

    _problem(response, 412)


@pytest.mark.parametrize("version", ["0", "2147483648", "one"])
async def test_a_version_number_out_of_range_is_refused(
    api: httpx.AsyncClient, created: dict[str, Any], version: str
) -> None:
    _problem(await api.get(f"{JOURNEYS}/{created['key']}/versions/{version}"), 422)


async def test_pause_and_resume_a_published_journey(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    url = f"{JOURNEYS}/{created['key']}"
    _problem(await api.post(f"{url}/pause"), 409)
    await _publish(api, created["key"])

    paused = await api.post(f"{url}/pause")
    resumed = await api.post(f"{url}/resume")

    assert (paused.status_code, paused.json()["status"]) == (200, "paused")
    assert (resumed.status_code, resumed.json()["status"]) == (200, "active")


async def test_delete_archives_for_good(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    url = f"{JOURNEYS}/{created['key']}"

    assert (await api.delete(url)).status_code == 204
    assert (await api.delete(url)).status_code == 204

    assert (await api.get(url)).json()["status"] == "archived"
    _problem(await api.put(url, json=created["draft"]), 409)
    _problem(await api.post(f"{url}/publish"), 409)
    _problem(await api.post(f"{url}/resume"), 409)
    _problem(await api.post(JOURNEYS, json=created["draft"]), 409)


async def test_publish_refuses_unknown_fields(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    response = await api.post(f"{JOURNEYS}/{created['key']}/publish", json={"mesage": "typo"})

    assert _problem(response, 422)["errors"][0]["location"] == ["body", "mesage"]
