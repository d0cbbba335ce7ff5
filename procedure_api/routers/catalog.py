"""The procedure catalog, versioned with an ETag so unchanged catalogs cost a 304."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from procedure_api.auth import Kiosk, State
from procedure_api.schemas import Catalog

router = APIRouter(tags=["catalog"])


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
    return "*" in candidates or etag in candidates


@router.get(
    "/v1/catalog",
    response_model=Catalog,
    responses={304: {"description": "The catalog has not changed since that ETag"}},
)
def get_catalog(
    state: State,
    kiosk: Kiosk,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """Return categories and procedures, or 304 if the kiosk already has this version."""
    snapshot = state.catalog()
    headers = {"ETag": snapshot.etag, "Cache-Control": "no-cache"}
    if if_none_match and _matches(if_none_match, snapshot.etag):
        return Response(status_code=304, headers=headers)
    return Response(snapshot.body, media_type="application/json", headers=headers)
