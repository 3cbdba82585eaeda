"""JourneyService without HTTP: drafts, revisions, publishing, statuses, concurrency, workspaces."""

import asyncio
import copy
from typing import Any

import pytest

from journey.errors import Conflict, DocumentRejected, InvalidRequest, NotFound, StaleRevision
from journey.services.journeys import JourneyService, check_document, simulate_document
from journey.store import Database
from journey.store.journeys import JourneyStore


@pytest.fixture
def journeys(database: Database, workspace: str) -> JourneyService:
    return JourneyService(JourneyStore(database, workspace))


@pytest.fixture
def document() -> dict[str, Any]:
    return {
        "key": "welcome",
        "name": "Welcome",
        "nodes": [
            {"id": "signed_up", "type": "trigger", "config": {"kind": "event", "event": "signed_up"}},
            {"id": "done", "type": "end"},
        ],
        "edges": [{"source": "signed_up", "target": "done"}],
    }


async def test_create_then_get(journeys: JourneyService, document: dict[str, Any]) -> None:
    created = await journeys.create(document)

    read = await journeys.get("welcome")

    assert read == created
    assert (read.journey.status, read.journey.revision, read.journey.published_version) == ("draft", 1, None)
    assert read.journey.draft == document
    assert read.issues == []


async def test_a_draft_keeps_its_errors_and_falls_back_to_its_key_for_a_name(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    document["name"] = "x" * 201
    document["nodes"].append({"id": "stray", "type": "end"})

    created = await journeys.create(document)

    assert created.journey.name == "welcome"
    assert {issue.code for issue in created.issues} == {"invalid_field", "unreachable_node"}


async def test_a_key_is_taken_once(journeys: JourneyService, document: dict[str, Any]) -> None:
    await journeys.create(document)

    with pytest.raises(Conflict, match="'welcome'"):
        await journeys.create(document)


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "a\x00b"), ("metadata", {"ratio": float("nan")}), ("name", "\ud800")],
)
async def test_text_no_database_can_store_is_refused(
    journeys: JourneyService, document: dict[str, Any], field: str, value: object
) -> None:
    document[field] = value

    with pytest.raises(InvalidRequest, match=f"journey/{field}"):
        await journeys.create(document)


async def test_save_counts_revisions_and_refuses_a_stale_one(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    saved = await journeys.save("welcome", {**document, "name": "Second"}, expected_revision=1)

    with pytest.raises(StaleRevision) as stale:
        await journeys.save("welcome", {**document, "name": "Lost"}, expected_revision=1)

    assert saved.journey.revision == 2
    assert stale.value.extra == {"revision": 2}
    assert (await journeys.get("welcome")).journey.name == "Second"


async def test_save_without_a_revision_always_applies(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    await journeys.save("welcome", document)

    saved = await journeys.save("welcome", document)

    assert saved.journey.revision == 3


async def test_concurrent_saves_from_one_revision_have_one_winner(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    edits = [{**document, "name": f"Edit {number}"} for number in range(5)]

    outcomes = await asyncio.gather(
        *(journeys.save("welcome", edit, expected_revision=1) for edit in edits), return_exceptions=True
    )

    winners = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(outcome, StaleRevision) for outcome in outcomes if outcome not in winners)
    current = await journeys.get("welcome")
    assert (current.journey.revision, current.journey.name) == (2, winners[0].journey.name)


async def test_concurrent_publishes_get_distinct_versions(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)

    versions = await asyncio.gather(*(journeys.publish("welcome", message=str(n)) for n in range(5)))

    assert sorted(version.version for version in versions) == [1, 2, 3, 4, 5]
    assert (await journeys.get("welcome")).journey.published_version == 5
    listed = await journeys.versions("welcome", limit=10)
    assert [info.version for info in listed.items] == [5, 4, 3, 2, 1]
    assert not listed.more


async def test_a_published_version_does_not_change_with_the_draft(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    await journeys.publish("welcome", message="first")
    changed = copy.deepcopy(document)
    changed["nodes"][0]["config"]["event"] = "registered"
    await journeys.save("welcome", changed)

    version = await journeys.version("welcome", 1)

    assert (version.message, version.document) == ("first", document)


async def test_publishing_errors_is_refused_with_the_issues(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    document["edges"] = []
    await journeys.create(document)

    with pytest.raises(DocumentRejected) as rejected:
        await journeys.publish("welcome")

    issues = {issue["code"]: issue["severity"] for issue in rejected.value.extra["issues"]}
    assert issues == {"unreachable_node": "error", "path_without_end": "warning"}
    assert (await journeys.versions("welcome", limit=10)).items == []


async def test_publishing_only_warnings_is_allowed(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    document["nodes"][1] = {"id": "done", "type": "log", "config": {"message": "no end after me"}}
    await journeys.create(document)

    version = await journeys.publish("welcome")

    assert version.version == 1
    assert [issue.severity for issue in (await journeys.get("welcome")).issues] == ["warning"]


async def test_status_follows_publish_pause_resume_and_archive(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    with pytest.raises(Conflict, match="never published"):
        await journeys.pause("welcome")
    with pytest.raises(Conflict, match="never published"):
        await journeys.resume("welcome")

    await journeys.publish("welcome")
    assert (await journeys.get("welcome")).journey.status == "active"
    assert (await journeys.pause("welcome")).status == "paused"
    assert (await journeys.pause("welcome")).status == "paused"
    await journeys.publish("welcome")
    assert (await journeys.get("welcome")).journey.status == "paused"
    assert (await journeys.resume("welcome")).status == "active"
    assert (await journeys.resume("welcome")).status == "active"
    assert (await journeys.archive("welcome")).status == "archived"
    assert (await journeys.archive("welcome")).status == "archived"


async def test_an_archived_journey_cannot_change(journeys: JourneyService, document: dict[str, Any]) -> None:
    await journeys.create(document)
    await journeys.archive("welcome")

    for change in (
        journeys.save("welcome", document),
        journeys.publish("welcome"),
        journeys.pause("welcome"),
        journeys.resume("welcome"),
    ):
        with pytest.raises(Conflict, match="archived"):
            await change


async def test_unknown_journeys_and_versions_are_not_found(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)

    with pytest.raises(NotFound, match="no version 1"):
        await journeys.version("welcome", 1)
    for missing in (
        journeys.get("nobody"),
        journeys.get("NOT A KEY\x00"),
        journeys.save("nobody", {"key": "nobody"}),
        journeys.publish("nobody"),
        journeys.archive("nobody"),
        journeys.versions("nobody", limit=1),
        journeys.version("nobody", 1),
    ):
        with pytest.raises(NotFound, match="no journey"):
            await missing


async def test_list_is_in_byte_order_of_keys_with_a_next_page(
    journeys: JourneyService, document: dict[str, Any]
) -> None:
    keys = ["b-2", "b2", "a", "b-10", "c"]
    for key in keys:
        await journeys.create({**document, "key": key})
    await journeys.archive("c")

    first = await journeys.list(limit=3)
    rest = await journeys.list(limit=3, after=first.items[-1].key)
    archived = await journeys.list(limit=3, status="archived")

    assert [journey.key for journey in first.items + rest.items] == sorted(keys)
    assert (first.more, rest.more) == (True, False)
    assert [journey.key for journey in archived.items] == ["c"]


async def test_workspaces_do_not_share_journeys(
    database: Database, journeys: JourneyService, document: dict[str, Any]
) -> None:
    await journeys.create(document)
    elsewhere = JourneyService(JourneyStore(database, "another-workspace-of-this-test"))

    with pytest.raises(NotFound):
        await elsewhere.get("welcome")
    assert "welcome" not in {journey.key for journey in (await elsewhere.list(limit=500)).items}


def test_check_document_answers_any_json() -> None:
    assert [issue.code for issue in check_document([1, 2])] == ["invalid_document"]
    with pytest.raises(InvalidRequest, match="NUL"):
        check_document({"key": "\x00"})


def test_simulate_document_refuses_an_invalid_journey(document: dict[str, Any]) -> None:
    document["nodes"] = []

    with pytest.raises(DocumentRejected) as rejected:
        simulate_document(document, input={}, user={"id": "u1"})

    assert "no_trigger" in {issue["code"] for issue in rejected.value.extra["issues"]}
