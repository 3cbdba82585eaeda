"""Small journeys for tests: a manual trigger followed by the given nodes, one after the other."""

import itertools
from typing import Any


def linear_journey(key: str, nodes: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    ids = ["start", *(node["id"] for node in nodes)]
    return {
        "key": key,
        "name": key,
        "settings": settings,
        "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *nodes],
        "edges": [{"source": source, "target": target} for source, target in itertools.pairwise(ids)],
    }
