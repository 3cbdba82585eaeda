"""UserService: a missing user is NotFound; replace and merge write (and create) users."""

import pytest

from journey.errors import NotFound
from journey.services.users import UserService
from journey.store import Database, UserStore


@pytest.fixture
def users(database: Database, workspace: str) -> UserService:
    return UserService(UserStore(database, workspace))


async def test_an_unknown_user_is_not_found(users: UserService) -> None:
    with pytest.raises(NotFound, match="'nobody'"):
        await users.get("nobody")


async def test_replace_creates_the_user_then_replaces_every_attribute(users: UserService) -> None:
    created = await users.replace("u1", {"plan": "free", "email": "a@example.com"})
    replaced = await users.replace("u1", {"plan": "pro"})

    assert created.attributes == {"plan": "free", "email": "a@example.com"}
    assert replaced.attributes == {"plan": "pro"}
    assert await users.get("u1") == replaced
    assert replaced.updated_at >= created.updated_at


async def test_merge_sets_keeps_and_removes(users: UserService) -> None:
    await users.replace("u1", {"plan": "free", "email": "a@example.com", "coupon": "X1"})

    merged = await users.merge("u1", {"plan": "pro", "coupon": None, "address": {"city": "Lyon"}})

    assert merged.attributes == {"plan": "pro", "email": "a@example.com", "address": {"city": "Lyon"}}
    assert (await users.get("u1")).attributes == merged.attributes


async def test_merge_creates_a_missing_user(users: UserService) -> None:
    merged = await users.merge("new", {"plan": "free", "never": None})

    assert merged.attributes == {"plan": "free"}
    assert (await users.get("new")).id == "new"
