"""update_attributes and load_user: rendered params in, the interpreter's merge format out."""

import uuid
from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from journey.actions.attributes import load_user, update_attributes
from journey.store import AttributeNotNumeric, Database, UserStore, upgrade


@pytest.fixture(scope="module")
async def database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('attributes') / 'journey.db'}"
    await upgrade(url)
    async with Database.connect(url) as opened:
        yield opened


@pytest.fixture
def users(database: Database) -> UserStore:
    return UserStore(database, workspace_id=uuid.uuid4().hex)


async def test_output_names_what_was_written_and_removed(users: UserStore) -> None:
    await users.put("u1", {"visits": 4, "coupon": "WELCOME", "email": "a@example.com"})

    output = await update_attributes(
        users,
        "u1",
        {"set": {"tier": "gold", "prefs": {"news": True}}, "increment": {"visits": 1}, "unset": ["coupon"]},
    )

    assert output == {
        "attributes": {"tier": "gold", "prefs": {"news": True}, "visits": 5},
        "removed": ["coupon"],
    }
    assert await load_user(users, "u1") == {
        "visits": 5,
        "email": "a@example.com",
        "tier": "gold",
        "prefs": {"news": True},
    }


async def test_unknown_user_loads_empty_and_is_created_by_an_update(users: UserStore) -> None:
    assert await load_user(users, "ghost") == {}

    await update_attributes(users, "ghost", {"increment": {"points": 2.5}})

    assert await load_user(users, "ghost") == {"points": 2.5}


async def test_params_that_change_nothing_or_repeat_a_name_are_refused(users: UserStore) -> None:
    with pytest.raises(ValidationError, match="changes nothing"):
        await update_attributes(users, "u1", {})
    with pytest.raises(ValidationError, match="more than once: plan"):
        await update_attributes(users, "u1", {"set": {"plan": "pro"}, "unset": ["plan"]})
    assert await users.get("u1") is None


async def test_incrementing_text_is_an_error(users: UserStore) -> None:
    await users.put("u1", {"plan": "pro"})
    with pytest.raises(AttributeNotNumeric, match="cannot increment attribute 'plan'"):
        await update_attributes(users, "u1", {"increment": {"plan": 1}})
