"""The designer's built files (``web/dist``) at ``/``, for the paths the API does not own.

Only GET and HEAD outside ``/api`` reach these files, so the API's own answers are unchanged:
an unknown ``/api/...`` path is still a problem+json 404, and a wrong method still a 405. A path
that names no file gets ``index.html`` (the designer routes in the browser: ``/journeys/x``).
Hashed assets are cached for good; ``index.html`` never, so a new build shows at once.
"""

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

DEFAULT_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
"""Where ``make web-build`` puts the designer, in a checkout of the repository."""

_API = "/api"
_IMMUTABLE = "public, max-age=31536000, immutable"


class _DesignerRoute(Route):
    """A catch-all that never matches the API's paths or methods other than GET and HEAD."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return Match.NONE, {}
        if path == _API or path.startswith(_API + "/"):
            return Match.NONE, {}
        return super().matches(scope)


def install(app: FastAPI, dist: Path | None = None) -> bool:
    """Serve ``dist`` (default ``DEFAULT_DIST``) if it holds a build; call after adding the API routers."""
    root = (dist or DEFAULT_DIST).resolve()
    index = root / "index.html"
    if not index.is_file():
        return False

    async def designer(request: Request) -> Response:
        relative = request.path_params.get("path", "")
        candidate = (root / relative).resolve()
        if relative and candidate.is_relative_to(root) and candidate.is_file():
            cache = _IMMUTABLE if candidate.parent.name == "assets" else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.router.routes.append(_DesignerRoute("/{path:path}", designer, methods=["GET", "HEAD"]))
    return True
