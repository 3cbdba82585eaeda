"""Users: read one, replace its attributes (``PUT``) or merge some in (``PATCH``)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path
from pydantic import BaseModel, JsonValue

from journey.api.body_limit import limited_body
from journey.api.schemas import problems
from journey.api.state import State
from journey.services.storable import ID_MAX_LENGTH, WITHOUT_NUL, StorableObject
from journey.services.users import UserService
from journey.store.users import User, UserStore

MAX_BODY_BYTES = 256 * 1024

router = APIRouter(tags=["users"], route_class=limited_body(MAX_BODY_BYTES))

_NO_SUCH_USER: dict[int | str, dict[str, Any]] = {404: {**problems(404)[404], "description": "No such user"}}

UserId = Annotated[str, Path(min_length=1, max_length=ID_MAX_LENGTH, pattern=WITHOUT_NUL)]


class UserView(BaseModel):
    id: str
    attributes: dict[str, JsonValue]
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> "UserView":
        return cls(id=user.id, attributes=user.attributes, updated_at=user.updated_at)


def _service(state: State) -> UserService:
    return UserService(UserStore(state.database))


Service = Annotated[UserService, Depends(_service)]


@router.get("/users/{user_id}", response_model=UserView, responses={**problems(422), **_NO_SUCH_USER})
async def get_user(user_id: UserId, users: Service) -> UserView:
    return UserView.of(await users.get(user_id))


@router.put("/users/{user_id}", response_model=UserView, responses=problems(400, 422))
async def replace_user(
    user_id: UserId,
    attributes: Annotated[StorableObject, Body(description="All of the user's attributes")],
    users: Service,
) -> UserView:
    """Replace the user's attributes with the body, creating the user if needed."""
    return UserView.of(await users.replace(user_id, attributes))


@router.patch("/users/{user_id}", response_model=UserView, responses=problems(400, 422))
async def merge_user(
    user_id: UserId,
    attributes: Annotated[StorableObject, Body(description="Attributes to set; null removes one")],
    users: Service,
) -> UserView:
    """Merge the body into the user's attributes (a ``null`` removes that one), creating the user."""
    return UserView.of(await users.merge(user_id, attributes))
