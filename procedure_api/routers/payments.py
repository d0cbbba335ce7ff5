"""Recording authorized card payments, exactly once per Idempotency-Key."""

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
from procedure_api.schemas import KioskId, PaymentRecorded, PaymentRequest
from procedure_api.settlement import settle_debts
from procedure_api.staff_schemas import PaymentList, PaymentRecord

log = logging.getLogger(__name__)
router = APIRouter(tags=["payments"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])


@router.post("/v1/payments", response_model=PaymentRecorded, status_code=201)
def record_payment(
    body: PaymentRequest, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Record a payment the card terminal already authorized.

    The money has been taken, so an authorized payment is always recorded: one that does
    not add up is flagged for review with its reasons (procedure_api/settlement.py), never
    refused.
    """

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        payment_id, now = "PAY-" + secrets.token_hex(5).upper(), state.config.clock()
        reasons = settle_debts(conn, body, now, state.config.payment_max_age_days)
        conn.execute(
            "INSERT INTO payments (payment_id, kiosk_id, ticket, amount_cents, currency, bills,"
            " authorization_code, operation_number, card_type, card_last4, authorized_at,"
            " recorded_at, needs_review, idempotency_key, review_reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (payment_id, kiosk, body.ticket, body.amount_cents, body.currency,
             json.dumps([b.model_dump() for b in body.bills]), body.authorization_code,
             body.operation_number, body.card_type, body.card_last4,
             body.authorized_at.isoformat(), iso(now), int(bool(reasons)), idempotency_key,
             ",".join(reasons) or None))
        if reasons:
            log.warning("payment %s from kiosk %s needs review: %s", payment_id, kiosk,
                        ", ".join(reasons))
        return 201, {"payment_id": payment_id, "status": "recorded",
                     "needs_review": bool(reasons), "review_reasons": reasons}

    return run_once(state, kiosk, idempotency_key, "payments", body, action)


@staff.get("/v1/staff/payments", response_model=PaymentList)
def list_payments(
    state: State,
    needs_review: Annotated[bool | None, Query()] = None,
    kiosk_id: Annotated[KioskId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PaymentList:
    """List recorded payments, newest first: the ones to review, or one kiosk's."""
    with state.db.transaction() as conn:
        rows = conn.execute(
            "SELECT * FROM payments WHERE (? IS NULL OR needs_review = ?)"
            " AND (? IS NULL OR kiosk_id = ?) ORDER BY recorded_at DESC, rowid DESC LIMIT ?",
            (needs_review, needs_review, kiosk_id, kiosk_id, limit)).fetchall()
    return PaymentList(payments=[PaymentRecord.model_validate({
        **dict(row), "bills": json.loads(row["bills"]), "needs_review": bool(row["needs_review"]),
        "review_reasons": row["review_reason"].split(",") if row["review_reason"] else [],
    }) for row in rows])
