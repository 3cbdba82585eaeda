"""UserStore: replace, merge, atomic set/increment/unset, on SQLite and PostgreSQL."""

import asyncio
from datetime import UTC

import pytest

from journey.store import AttributeNotNumeric, Database, UserStore


@pytest.fixture
def users(database: Database, workspace: str) -> UserStore:
    return UserStore(database, workspace)


async def test_unknown_user_is_none(users: UserStore) -> None:
    assert await users.get("nobody") is None


async def test_put_creates_then_replaces(users: UserStore) -> None:
    created = await users.put("u1", {"email": "a@example.com", "plan": "free"})
    replaced = await users.put("u1", {"plan": "pro"})

    stored = await users.get("u1")
    assert stored is not None
    assert stored.attributes == {"plan": "pro"}
    assert replaced.attributes == {"plan": "pro"}
    assert stored.created_at == created.created_at
    assert stored.updated_at >= created.updated_at
    assert stored.created_at.tzinfo == UTC


async def test_patch_merges_and_none_removes(users: UserStore) -> None:
    await users.put("u1", {"email": "a@example.com", "plan": "free", "tags": ["x"]})

    patched = await users.patch("u1", {"plan": "pro", "tags": None, "address": {"city": "Lyon"}})

    assert patched.attributes == {"email": "a@example.com", "plan": "pro", "address": {"city": "Lyon"}}
    stored = await users.get("u1")
    assert stored is not None
    assert stored.attributes == patched.attributes


async def test_patch_creates_a_missing_user(users: UserStore) -> None:
    await users.patch("new", {"plan": "free", "gone": None})
    stored = await users.get("new")
    assert stored is not None
    assert stored.attributes == {"plan": "free"}


async def test_apply_sets_increments_and_unsets(users: UserStore) -> None:
    await users.put("u1", {"orders": 2, "score": 1.5, "coupon": "X1", "name": "Ann"})

    changes = await users.apply(
        "u1", set={"tier": "gold"}, increment={"orders": 1, "score": 0.25, "visits": 1}, unset=["coupon"]
    )

    assert changes.attributes == {"tier": "gold", "orders": 3, "score": 1.75, "visits": 1}
    assert changes.removed == ["coupon"]
    stored = await users.get("u1")
    assert stored is not None
    assert stored.attributes == {"orders": 3, "score": 1.75, "visits": 1, "name": "Ann", "tier": "gold"}
    assert isinstance(stored.attributes["orders"], int)


async def test_apply_creates_a_missing_user(users: UserStore) -> None:
    await users.apply("fresh", increment={"logins": 1})
    stored = await users.get("fresh")
    assert stored is not None
    assert stored.attributes == {"logins": 1}


async def test_incrementing_a_non_number_fails_and_changes_nothing(users: UserStore) -> None:
    await users.put("u1", {"name": "Ann", "flag": True})

    with pytest.raises(AttributeNotNumeric, match="'name'"):
        await users.apply("u1", set={"plan": "pro"}, increment={"name": 1})
    with pytest.raises(AttributeNotNumeric, match="'flag'"):
        await users.apply("u1", increment={"flag": 1})

    stored = await users.get("u1")
    assert stored is not None
    assert stored.attributes == {"name": "Ann", "flag": True}


async def test_concurrent_increments_all_count(users: UserStore) -> None:
    await asyncio.gather(*(users.apply("busy", increment={"clicks": 1}) for _ in range(20)))

    stored = await users.get("busy")
    assert stored is not None
    assert stored.attributes == {"clicks": 20}


async def test_workspaces_do_not_share_users(database: Database, workspace: str) -> None:
    await UserStore(database, workspace).put("u1", {"plan": "pro"})
    assert await UserStore(database, f"{workspace}-other").get("u1") is None
