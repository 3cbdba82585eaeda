"""Users as the API shows them: read one, replace its attributes, or merge some in.

Writes create the user: events and runs may name a user before anyone described it, and a
client syncing its user base should not have to ask first whether each user exists.
"""

from collections.abc import Mapping

from pydantic import JsonValue

from journey.errors import NotFound
from journey.store.users import User, UserStore


class UserService:
    def __init__(self, users: UserStore) -> None:
        self._users = users

    async def get(self, user_id: str) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id!r} does not exist")
        return user

    async def replace(self, user_id: str, attributes: Mapping[str, JsonValue]) -> User:
        """Make ``attributes`` the user's only attributes, creating the user if needed."""
        return await self._users.put(user_id, attributes)

    async def merge(self, user_id: str, attributes: Mapping[str, JsonValue]) -> User:
        """Set each attribute given, remove each given as ``None``; keep the others."""
        return await self._users.patch(user_id, attributes)
