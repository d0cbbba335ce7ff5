"""Consents to use the e-ID card: recorded once per Idempotency-Key, listed for staff."""

from __future__ import annotations

import json
import secrets
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from procedure_api.auth import Kiosk, State, require_staff
from procedure_api.consent_schemas import ConsentIn, ConsentList, ConsentRecord, ConsentRecorded
from procedure_api.db import iso
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.schemas import KioskId

router = APIRouter(tags=["consents"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])


@router.post("/v1/consents", response_model=ConsentRecorded, status_code=201)
def record_consent(
    body: ConsentIn, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Keep who agreed to what, by field name, once even if the outbox resends it."""

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        consent_id = "CNS-" + secrets.token_hex(6).upper()
        conn.execute(
            "INSERT INTO consents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (consent_id, kiosk, body.decision, body.journey, body.procedure_id,
             json.dumps(body.fields_read), json.dumps(body.fields_shared),
             body.given_at.isoformat(), iso(state.config.clock())))
        return 201, {"consent_id": consent_id}

    return run_once(state, kiosk, idempotency_key, "consents", body, action)


@staff.get("/v1/staff/consents", response_model=ConsentList)
def list_consents(
    state: State,
    kiosk_id: Annotated[KioskId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ConsentList:
    """List consents, newest first, for one kiosk or all."""
    with state.db.transaction() as conn:
        rows = conn.execute(
            "SELECT * FROM consents WHERE ? IS NULL OR kiosk_id = ?"
            " ORDER BY received_at DESC, rowid DESC LIMIT ?",
            (kiosk_id, kiosk_id, limit)).fetchall()
    return ConsentList(consents=[ConsentRecord.model_validate(
        {**dict(row), "fields_read": json.loads(row["fields_read"]),
         "fields_shared": json.loads(row["fields_shared"])}) for row in rows])
