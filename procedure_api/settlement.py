"""Which debts a reported card payment settles, and why a person must look at it.

The money was taken by the time a kiosk reports a payment, so it is always recorded; what
this decides is whether its debts are marked paid. A payment authorized outside the window
[now - ``payment_max_age_days``, now + 10 min] settles nothing until staff confirm it (a
kiosk clock gone wrong, or a replay). Inside the window each bill that matches a pending
debt is settled; a wrong total or a bill that is unknown, already paid or for another
amount puts the payment up for review with that reason. A settled fee bill moves its case
from ``awaiting_payment`` to ``received``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from procedure_api.db import iso
from procedure_api.schemas import PaymentBill, PaymentRequest

CLOCK_TOLERANCE = timedelta(minutes=10)  # a kiosk clock slightly ahead of ours is no fraud


def authorized_in_window(authorized_at: datetime, now: datetime, max_age_days: int) -> bool:
    """Tell whether a terminal's authorization time is plausible for a payment today."""
    return now - timedelta(days=max_age_days) <= authorized_at <= now + CLOCK_TOLERANCE


def settle_debts(
    conn: sqlite3.Connection, payment: PaymentRequest, now: datetime, max_age_days: int
) -> list[str]:
    """Mark the debts ``payment`` pays; return why it needs review (empty: it does not)."""
    if not authorized_in_window(payment.authorized_at, now, max_age_days):
        return ["authorized_at_out_of_window"]
    reasons: list[str] = []
    if sum(bill.amount_cents for bill in payment.bills) != payment.amount_cents:
        reasons.append("amount_mismatch")
    for bill in payment.bills:
        settled = conn.execute(
            "UPDATE debts SET status = 'paid' WHERE reference = ? AND amount_cents = ?"
            " AND status = 'pending'", (bill.reference, bill.amount_cents)).rowcount
        if not settled:
            reasons.append(_why_unsettled(conn, bill))
            continue
        conn.execute("UPDATE cases SET status = 'received', updated_at = ?"
                     " WHERE fee_reference = ? AND status = 'awaiting_payment'",
                     (iso(now), bill.reference))
    return list(dict.fromkeys(reasons))


def _why_unsettled(conn: sqlite3.Connection, bill: PaymentBill) -> str:
    debt = conn.execute("SELECT status, amount_cents FROM debts WHERE reference = ?",
                        (bill.reference,)).fetchone()
    if debt is None:
        return "bill_unknown"
    if debt["status"] == "paid":
        return "bill_already_paid"
    return "bill_amount_differs"
