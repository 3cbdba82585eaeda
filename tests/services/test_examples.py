"""Seeding: a fresh installation gets every example journey published, and only once."""

from journey.services.examples import example_files, seed_examples
from journey.services.journeys import JourneyService
from journey.store import Database, upgrade
from journey.store.journeys import JourneyStore


async def test_a_fresh_database_gets_every_example_published_once(fresh_database_url: str) -> None:
    await upgrade(fresh_database_url)
    async with Database.connect(fresh_database_url) as database:
        journeys = JourneyService(JourneyStore(database))

        seeded = await seed_examples(journeys)

        assert len(seeded) == len(example_files()) >= 5
        for key in seeded:
            draft = await journeys.get(key)
            assert draft.journey.status == "active"
            assert draft.journey.published_version == 1
        assert await seed_examples(journeys) == []
