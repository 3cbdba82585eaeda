"""The condition builder's CEL (react-querybuilder's ``formatQuery(query, "cel")``) validates.

``web/src/expressions/builder-cel.json`` holds queries and the CEL the designer exports for them;
vitest (``celQuery.test.ts``) checks that the designer still exports exactly that CEL, and this
test sends each one to ``POST /validate``, as a condition and as a filter.
"""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "web" / "src" / "expressions" / "builder-cel.json"
BUILDER_CEL = [example["cel"] for example in json.loads(EXAMPLES.read_text())]


def _journey(key: str, cel: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Builder CEL",
        "nodes": [
            {"id": "start", "type": "trigger", "config": {"kind": "event", "event": "cart_updated"}},
            {"id": "hook", "type": "webhook", "config": {"url": "http://127.0.0.1:9/hook"}},
            {
                "id": "wait",
                "type": "wait_for_event",
                "config": {"event": "paid", "filter": cel, "timeout": "PT1H"},
            },
            {"id": "check", "type": "condition", "config": {"expression": cel}},
            {"id": "done", "type": "end"},
        ],
        "edges": [
            {"source": "start", "target": "hook"},
            {"source": "hook", "target": "wait"},
            {"source": "wait", "target": "check", "branch": "event"},
            {"source": "wait", "target": "done", "branch": "timeout"},
            {"source": "check", "target": "done", "branch": "true"},
            {"source": "check", "target": "done", "branch": "false"},
        ],
    }


def test_the_examples_cover_the_builder() -> None:
    assert len(BUILDER_CEL) >= 8
    assert all(cel.strip() for cel in BUILDER_CEL)


@pytest.mark.parametrize("cel", BUILDER_CEL)
async def test_builder_cel_validates(api: httpx.AsyncClient, journey_key: str, cel: str) -> None:
    response = await api.post("/api/v1/validate", json=_journey(journey_key, cel))

    assert response.status_code == 200
    assert response.json() == {"valid": True, "issues": []}


async def test_a_broken_expression_does_not_validate(api: httpx.AsyncClient, journey_key: str) -> None:
    response = await api.post("/api/v1/validate", json=_journey(journey_key, "user.tier == "))

    assert response.json()["valid"] is False
    assert {issue["path"] for issue in response.json()["issues"]} == {
        "/nodes/2/config/filter",
        "/nodes/3/config/expression",
    }
