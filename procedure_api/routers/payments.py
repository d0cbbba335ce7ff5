"""Recording authorized card payments, exactly once per Idempotency-Key."""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from typing import Any

from fastapi import APIRouter

from procedure_api.auth import Kiosk, State
from procedure_api.db import iso
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.schemas import PaymentRecorded, PaymentRequest

log = logging.getLogger(__name__)
router = APIRouter(tags=["payments"])


def _settle_bills(conn: sqlite3.Connection, body: PaymentRequest) -> bool:
    """Mark the paid debts; return True if anything needs a person to reconcile."""
    review = sum(bill.amount_cents for bill in body.bills) != body.amount_cents
    for bill in body.bills:
        settled = conn.execute(
            "UPDATE debts SET status = 'paid' WHERE reference = ? AND amount_cents = ?"
            " AND status = 'pending'", (bill.reference, bill.amount_cents)).rowcount
        review = review or not settled
    return review


@router.post("/v1/payments", response_model=PaymentRecorded, status_code=201)
def record_payment(
    body: PaymentRequest, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Record a payment the card terminal already authorized.

    The money has been taken, so an authorized payment is always recorded: a bill that is
    unknown, already paid or for another amount is flagged for review, never refused.
    """

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        payment_id = "PAY-" + secrets.token_hex(5).upper()
        review = _settle_bills(conn, body)
        conn.execute(
            "INSERT INTO payments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (payment_id, kiosk, body.ticket, body.amount_cents, body.currency,
             json.dumps([b.model_dump() for b in body.bills]), body.authorization_code,
             body.operation_number, body.card_type, body.card_last4,
             body.authorized_at.isoformat(), iso(state.config.clock()), int(review),
             idempotency_key))
        if review:
            log.warning("payment %s from kiosk %s needs reconciliation", payment_id, kiosk)
        return 201, {"payment_id": payment_id, "status": "recorded"}

    return run_once(state, kiosk, idempotency_key, "payments", body, action)
