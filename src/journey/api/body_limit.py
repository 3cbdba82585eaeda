"""A size limit on request bodies, so no client can make the API buffer more than it accepts.

FastAPI reads the whole body before any dependency runs, so the limit lives in the route class,
FastAPI's hook for a custom ``Request``: a declared ``Content-Length`` over the limit is refused
before anything is read, and a body sent without one is cut off as soon as it passes the limit.
Either way the client gets a 413 problem, which the route class also documents in the OpenAPI
of every route that takes a body.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope

from journey.api.schemas import problems


def limited_body(max_bytes: int) -> type[APIRoute]:
    """A route class for ``APIRouter(route_class=...)`` whose requests hold at most ``max_bytes``."""

    class LimitedBodyRoute(APIRoute):
        def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
            super().__init__(path, endpoint, **options)
            if self.body_field is not None:
                [problem] = problems(422).values()
                description = f"The body is larger than {max_bytes} bytes"
                self.responses.setdefault(413, {**problem, "description": description})

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def handle_limited(request: Request) -> Response:
                return await handle(_LimitedRequest(request.scope, request.receive, max_bytes))

            return handle_limited

    return LimitedBodyRoute


class _LimitedRequest(Request):
    def __init__(self, scope: Scope, receive: Receive, max_bytes: int) -> None:
        super().__init__(scope, receive)
        self._max_bytes = max_bytes

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self._max_bytes:
                raise self._too_large()
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > self._max_bytes:
                    raise self._too_large()
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    def _too_large(self) -> HTTPException:
        # FastAPI passes its own HTTPException through while reading a body; any other error
        # would become a 400.
        return HTTPException(413, f"the request body is larger than {self._max_bytes} bytes")
