"""Compare a terminal's batch close with the payments the server recorded for that kiosk.

A close covers the kiosk's payments that no earlier close covered and that were authorized
at or before ``closed_at``. When the terminal lists its operation numbers (or says it sold
nothing), payments are matched one to one by operation number: a payment the terminal does
not list is flagged ``not_in_terminal_batch`` for review, and a listed operation we lack is
reported as missing at the server. Without a list only the counts and totals are compared.
The close is "reconciled" when nothing is missing or extra and the terminal's, the kiosk's
and the server's counts and totals all agree.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from procedure_api.report_schemas import CloseRequest

FLAG_NOT_IN_BATCH = (
    "UPDATE payments SET needs_review = 1, review_reason = CASE WHEN review_reason IS NULL"
    " THEN 'not_in_terminal_batch' ELSE review_reason || ',not_in_terminal_batch' END"
    " WHERE payment_id = ?")


@dataclass(frozen=True)
class Reconciliation:
    """The outcome of one close, as answered to the kiosk and kept for staff."""

    status: str
    server_count: int
    server_total_cents: int
    missing_at_server: list[str]
    not_in_terminal: list[str]


def reconcile_close(
    conn: sqlite3.Connection, kiosk_id: str, close_id: str, close: CloseRequest
) -> Reconciliation:
    """Attach this kiosk's open payments to ``close_id``, flag the extra ones, and compare."""
    payments = _open_payments(conn, kiosk_id, close.closed_at)
    missing: list[str] = []
    extra: list[str] = []
    if close.operations or close.sales_count == 0:
        missing, extra = _match(close.operations, payments)
    for payment in payments:
        conn.execute("UPDATE payments SET close_id = ? WHERE payment_id = ?",
                     (close_id, payment["payment_id"]))
    for payment_id in extra:
        conn.execute(FLAG_NOT_IN_BATCH, (payment_id,))
    count, total = len(payments), sum(p["amount_cents"] for p in payments)
    agree = ((close.sales_count, close.sales_total_cents) == (count, total)
             == (close.kiosk_count, close.kiosk_total_cents))
    status = "reconciled" if agree and not missing and not extra else "differences"
    return Reconciliation(status, count, total, missing, extra)


def _open_payments(
    conn: sqlite3.Connection, kiosk_id: str, closed_at: datetime
) -> list[sqlite3.Row]:
    rows = conn.execute(
        "SELECT payment_id, operation_number, amount_cents, authorized_at FROM payments"
        " WHERE kiosk_id = ? AND close_id IS NULL ORDER BY recorded_at, payment_id",
        (kiosk_id,)).fetchall()
    return [row for row in rows if datetime.fromisoformat(row["authorized_at"]) <= closed_at]


def _match(operations: list[str], payments: list[sqlite3.Row]) -> tuple[list[str], list[str]]:
    """Pair listed operations with payments one to one; return (missing, extra payment ids)."""
    unmatched = Counter(operation.strip() for operation in operations)
    extra: list[str] = []
    for payment in payments:
        number = payment["operation_number"].strip()
        if unmatched[number] > 0:
            unmatched[number] -= 1
        else:
            extra.append(payment["payment_id"])
    missing = [number for number, left in unmatched.items() for _ in range(left)]
    return missing, extra
