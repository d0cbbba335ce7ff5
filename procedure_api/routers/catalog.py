"""The procedure catalog, versioned with an ETag so unchanged catalogs cost a 304."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response

from procedure_api.auth import Kiosk, State, require_staff
from procedure_api.errors import ApiProblem
from procedure_api.schemas import Catalog
from procedure_api.staff_schemas import ProcedureChange, ProcedureChanged

router = APIRouter(tags=["catalog"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])


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


@staff.patch("/v1/staff/procedures/{procedure_id}", response_model=ProcedureChanged)
def change_procedure(
    procedure_id: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,64}$")], body: ProcedureChange,
    state: State,
) -> ProcedureChanged:
    """Change a procedure's fee or withdraw it; kiosks see a new catalog version."""
    with state.db.transaction() as conn:
        row = conn.execute("SELECT data FROM procedures WHERE id = ?", (procedure_id,)).fetchone()
        if row is None:
            raise ApiProblem(404, "not_found")
        data = json.loads(row[0])
        if body.fee is not None:
            data["fee"] = body.fee.model_dump()
        if body.withdrawn is not None:
            data["withdrawn"] = body.withdrawn
        conn.execute("UPDATE procedures SET data = ? WHERE id = ?",
                     (json.dumps(data, ensure_ascii=False), procedure_id))
    state.catalog_changed()
    return ProcedureChanged(procedure_id=procedure_id, version=json.loads(
        state.catalog().body)["version"])
