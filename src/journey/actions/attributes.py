"""``update_attributes`` and reading the user: the attribute side of the user store.

The output names every attribute written with its new value and every name removed, so the
interpreter can update its snapshot of the user without reading it again.
"""

from typing import Any

from pydantic import JsonValue

from journey.dsl.nodes.update_attributes import UpdateAttributesConfig
from journey.store.users import UserStore


async def update_attributes(store: UserStore, user_id: str, params: dict[str, Any]) -> dict[str, JsonValue]:
    """Apply rendered ``update_attributes`` params atomically; ``{"attributes": {...}, "removed": [...]}``."""
    config = UpdateAttributesConfig.model_validate(params)
    changes = await store.apply(user_id, set=config.set, increment=config.increment, unset=config.unset)
    return {"attributes": changes.attributes, "removed": list(changes.removed)}


async def load_user(store: UserStore, user_id: str) -> dict[str, JsonValue]:
    """The user's attributes, or ``{}`` for a user the store has never seen."""
    user = await store.get(user_id)
    return {} if user is None else user.attributes
