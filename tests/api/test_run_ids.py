"""Run endpoints refuse what the database could not look up: an id or filter holding NUL (which
PostgreSQL text cannot carry) is a 422 problem naming the parameter, and a key that is no journey
key is a 404, as on the journeys endpoints. Found by the API fuzz test as a 500 on PostgreSQL."""

import httpx
import pytest


@pytest.mark.parametrize(
    ("method", "url", "location"),
    [
        ("GET", "/api/v1/runs?journey=a%00b", ["query", "journey"]),
        ("GET", "/api/v1/runs?user_id=%00", ["query", "user_id"]),
        ("GET", "/api/v1/users/u%00/runs", ["path", "user_id"]),
        ("GET", "/api/v1/runs/%00", ["path", "run_id"]),
        ("GET", "/api/v1/runs/r%00/stream", ["path", "run_id"]),
        ("POST", "/api/v1/runs/%00/cancel", ["path", "run_id"]),
    ],
)
async def test_ids_with_nul_are_422_problems(
    api: httpx.AsyncClient, method: str, url: str, location: list[str]
) -> None:
    response = await api.request(method, url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["location"] == location


async def test_stats_of_a_key_no_journey_can_have_is_a_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/journeys/no%00such/stats")
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
