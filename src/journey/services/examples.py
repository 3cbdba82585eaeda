"""The example journeys, published on a fresh installation so a newcomer has something to run.

They live in ``examples/`` at the repository's root; a wheel carries them as
``journey/examples`` (see ``pyproject.toml``).
"""

import json
from pathlib import Path

from journey.services.journeys import JourneyService

_PACKAGED = Path(__file__).resolve().parent.parent / "examples"
_CHECKOUT = Path(__file__).resolve().parents[3] / "examples"


def example_files() -> list[Path]:
    """The example documents, from the wheel or from the checkout, sorted by name."""
    directory = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


async def seed_examples(journeys: JourneyService) -> list[str]:
    """Create and publish every example, on an installation with no journeys yet.

    Returns the keys published; on a database that has any journey it does nothing, so a
    journey the user deleted or changed is never brought back.
    """
    if (await journeys.list(limit=1)).items:
        return []
    published: list[str] = []
    for path in example_files():
        document = json.loads(path.read_text(encoding="utf-8"))
        draft = await journeys.create(document)
        await journeys.publish(draft.journey.key, message="Example journey, published on first start")
        published.append(draft.journey.key)
    return published
