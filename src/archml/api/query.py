"""Unknown query parameters are refused (422), not ignored: a misspelt ``?feilds=codeNumber``
would otherwise quietly return every field."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from archml.api.errors import ApiError


async def reject_unknown_query(request: Request) -> None:
    """An app-wide dependency: every query parameter must be one the route declares."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    declared = _names(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise ApiError(422, "unknown_parameter", "unknown query parameter(s): "
                       + ", ".join(map(repr, unknown)) + f"; {route.path} takes "
                       + (", ".join(sorted(declared)) or "none"))


def _names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _names(sub)
    return names
