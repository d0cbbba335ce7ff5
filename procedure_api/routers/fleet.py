"""What staff see of their kiosks: enrolment, revocation and the heartbeats they send."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from procedure_api.auth import State, require_staff
from procedure_api.errors import ApiProblem
from procedure_api.report_schemas import HeartbeatIn
from procedure_api.staff_schemas import Heartbeat, HeartbeatList, KioskList, KioskSummary

staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])


def _heartbeat(row: sqlite3.Row) -> Heartbeat | None:
    if row["body"] is None:
        return None
    return Heartbeat(received_at=row["received_at"],
                     report=HeartbeatIn.model_validate_json(row["body"]))


@staff.get("/v1/staff/kiosks", response_model=KioskList)
def list_kiosks(state: State) -> KioskList:
    """List every enrolled kiosk with its latest heartbeat (None if it never sent one)."""
    with state.db.transaction() as conn:
        rows = conn.execute(
            "SELECT k.kiosk_id, k.enrolled_at, k.revoked_at, h.received_at, h.body"
            " FROM kiosks k LEFT JOIN heartbeats h ON h.id ="
            " (SELECT MAX(id) FROM heartbeats WHERE kiosk_id = k.kiosk_id)"
            " ORDER BY k.kiosk_id").fetchall()
    return KioskList(kiosks=[KioskSummary(
        kiosk_id=row["kiosk_id"], enrolled_at=row["enrolled_at"], revoked_at=row["revoked_at"],
        last_heartbeat=_heartbeat(row)) for row in rows])


@staff.get("/v1/staff/kiosks/{kiosk_id}/heartbeats", response_model=HeartbeatList)
def list_heartbeats(
    kiosk_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")],
    state: State,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> HeartbeatList:
    """List one kiosk's latest heartbeats, newest first."""
    with state.db.transaction() as conn:
        if conn.execute("SELECT 1 FROM kiosks WHERE kiosk_id = ?", (kiosk_id,)).fetchone() is None:
            raise ApiProblem(404, "not_found")
        rows = conn.execute("SELECT received_at, body FROM heartbeats WHERE kiosk_id = ?"
                            " ORDER BY id DESC LIMIT ?", (kiosk_id, limit)).fetchall()
    return HeartbeatList(kiosk_id=kiosk_id, heartbeats=[
        heartbeat for row in rows if (heartbeat := _heartbeat(row)) is not None])
