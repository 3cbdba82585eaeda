"""The example journeys in ``examples/`` are valid, and each of their paths is reachable."""

import json
from pathlib import Path

import pytest

from journey.dsl import Journey

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def test_there_are_examples() -> None:
    assert len(EXAMPLE_FILES) >= 5


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_example_parses_and_is_described(path: Path) -> None:
    journey = Journey.model_validate(json.loads(path.read_text(encoding="utf-8")))
    assert journey.key == path.stem
    assert len(journey.description or "") > 80
    assert all(edge.id is not None for edge in journey.edges)
    assert all(node.position is not None for node in journey.nodes)
