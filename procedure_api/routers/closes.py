"""Terminal batch closes: reconciled against recorded payments, kept for staff."""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from procedure_api.auth import Kiosk, State, require_staff
from procedure_api.db import iso
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.reconciliation import reconcile_close
from procedure_api.report_schemas import CloseAnswer, CloseRequest
from procedure_api.schemas import KioskId
from procedure_api.staff_schemas import CloseList, CloseRecord

log = logging.getLogger(__name__)
router = APIRouter(tags=["closes"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])
LIST_FIELDS = ("operations", "missing_at_server", "not_in_terminal")


@router.post("/v1/closes", response_model=CloseAnswer, status_code=201)
def record_close(
    body: CloseRequest, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Keep the terminal's batch totals and say which payments do not reconcile."""

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        close_id = "CLS-" + secrets.token_hex(5).upper()
        outcome = reconcile_close(conn, kiosk, close_id, body)
        conn.execute(
            "INSERT INTO closes (close_id, kiosk_id, terminal_id, closed_at, received_at,"
            " sales_count, sales_total_cents, kiosk_count, kiosk_total_cents, server_count,"
            " server_total_cents, operations, status, missing_at_server, not_in_terminal)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (close_id, kiosk, body.terminal_id, body.closed_at.isoformat(),
             iso(state.config.clock()), body.sales_count, body.sales_total_cents,
             body.kiosk_count, body.kiosk_total_cents, outcome.server_count,
             outcome.server_total_cents, json.dumps(body.operations), outcome.status,
             json.dumps(outcome.missing_at_server), json.dumps(outcome.not_in_terminal)))
        if outcome.status != "reconciled":
            log.warning("close %s from kiosk %s does not reconcile: missing at server %s,"
                        " not in terminal %s", close_id, kiosk, outcome.missing_at_server,
                        outcome.not_in_terminal)
        return 201, {"close_id": close_id, "status": outcome.status,
                     "server_count": outcome.server_count,
                     "server_total_cents": outcome.server_total_cents,
                     "missing_at_server": outcome.missing_at_server,
                     "not_in_terminal": outcome.not_in_terminal}

    return run_once(state, kiosk, idempotency_key, "closes", body, action)


@staff.get("/v1/staff/closes", response_model=CloseList)
def list_closes(
    state: State,
    kiosk_id: Annotated[KioskId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CloseList:
    """List terminal closes, newest first, for one kiosk or all."""
    with state.db.transaction() as conn:
        rows = conn.execute(
            "SELECT * FROM closes WHERE ? IS NULL OR kiosk_id = ?"
            " ORDER BY received_at DESC, rowid DESC LIMIT ?",
            (kiosk_id, kiosk_id, limit)).fetchall()
    return CloseList(closes=[CloseRecord.model_validate(
        {**dict(row), **{name: json.loads(row[name]) for name in LIST_FIELDS}})
        for row in rows])
