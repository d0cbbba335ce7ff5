"""Assistance requests from kiosks, and their acknowledgement by staff."""

from __future__ import annotations

import logging
import sqlite3
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from procedure_api.auth import Kiosk, State, require_staff
from procedure_api.db import iso
from procedure_api.errors import ApiProblem
from procedure_api.report_schemas import AssistanceRequest, AssistanceRequestIn
from procedure_api.staff_schemas import Acknowledgement, AssistanceList

log = logging.getLogger(__name__)
router = APIRouter(tags=["assistance"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])
RequestId = Annotated[int, Path(ge=1, le=2**62)]


def _as_model(row: sqlite3.Row) -> AssistanceRequest:
    return AssistanceRequest(
        id=row["id"], kiosk_id=row["kiosk_id"], reason=row["reason"], status=row["status"],
        created_at=row["created_at"], acknowledged_by=row["acknowledged_by"])


@router.post("/v1/assistance-requests", response_model=AssistanceRequest, status_code=201)
def request_assistance(body: AssistanceRequestIn, state: State, kiosk: Kiosk) -> AssistanceRequest:
    """Ask staff to come to this kiosk."""
    with state.db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO assistance_requests (kiosk_id, reason, status, created_at)"
            " VALUES (?, ?, 'open', ?)", (kiosk, body.reason, iso(state.config.clock())))
        row = conn.execute("SELECT * FROM assistance_requests WHERE id = ?",
                           (cursor.lastrowid,)).fetchone()
    log.info("assistance requested at kiosk %s", kiosk)
    return _as_model(row)


@router.get("/v1/assistance-requests/{request_id}", response_model=AssistanceRequest)
def assistance_status(request_id: RequestId, state: State, kiosk: Kiosk) -> AssistanceRequest:
    """Tell the kiosk whether someone is on the way (only its own requests)."""
    with state.db.transaction() as conn:
        row = conn.execute("SELECT * FROM assistance_requests WHERE id = ? AND kiosk_id = ?",
                           (request_id, kiosk)).fetchone()
    if row is None:
        raise ApiProblem(404, "assistance_request_not_found")
    return _as_model(row)


@staff.get("/v1/staff/assistance-requests", response_model=AssistanceList)
def list_requests(
    state: State, status: Annotated[Literal["open", "acknowledged"], Query()] = "open"
) -> AssistanceList:
    """List assistance requests for the staff console, oldest first."""
    with state.db.transaction() as conn:
        rows = conn.execute("SELECT * FROM assistance_requests WHERE status = ? ORDER BY id",
                            (status,)).fetchall()
    return AssistanceList(requests=[_as_model(row) for row in rows])


@staff.post("/v1/staff/assistance-requests/{request_id}/acknowledgement",
            response_model=AssistanceRequest)
def acknowledge(request_id: RequestId, body: Acknowledgement, state: State) -> AssistanceRequest:
    """Mark a request as taken by a member of staff."""
    with state.db.transaction() as conn:
        conn.execute(
            "UPDATE assistance_requests SET status = 'acknowledged', acknowledged_at = ?,"
            " acknowledged_by = ? WHERE id = ?",
            (iso(state.config.clock()), body.staff_name, request_id))
        row = conn.execute("SELECT * FROM assistance_requests WHERE id = ?",
                           (request_id,)).fetchone()
    if row is None:
        raise ApiProblem(404, "assistance_request_not_found")
    return _as_model(row)
