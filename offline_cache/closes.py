"""The daily close's books: which payments a close counted, what disagreed, what the API said.

A close counts every payment that reached the terminal with an approval since the previous
close (``close_id IS NULL``), compares them with the terminal's batch, stores the figures
and marks the payments, in one transaction, with an incident per difference (tickets only,
never personal data). Its report to the API travels through the outbox like a payment
(kind ``close``, idempotent); the API's answer is written back by :func:`record_answer`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, record_incident, utc_now
from offline_cache.journal import Journal, Payment, PaymentState
from offline_cache.outbox import enqueue

# What a close counts: payments the terminal approved (reversed anomalies included: the sale
# and its refund are both in the terminal's batch).
COUNTED = (PaymentState.AUTHORIZED, PaymentState.RECEIPT_PRINTED, PaymentState.SYNCED,
           PaymentState.ANOMALY, PaymentState.DECLINED)


@dataclass(frozen=True)
class CloseRecord:
    """One close as stored: the two sides' figures and what disagreed."""

    id: int
    closed_at: str
    terminal_count: int
    terminal_total_cents: int
    kiosk_count: int
    kiosk_total_cents: int
    differences: tuple[str, ...]
    api_status: str  # pending | reconciled | differences


class CloseBook:
    """The ``closes`` table and the payments' ``close_id``."""

    def __init__(self, database: OfflineDatabase, cipher: RecordCipher,
                 journal: Journal) -> None:
        self._database, self._cipher, self._journal = database, cipher, journal

    def unclosed(self) -> list[Payment]:
        """Payments the terminal approved that no close has counted yet, oldest first."""
        marks = ", ".join("?" for _ in COUNTED)
        with self._database.reading() as conn:
            tickets = [row[0] for row in conn.execute(
                f"SELECT ticket FROM payments WHERE close_id IS NULL AND state IN ({marks})"
                " AND authorization_code IS NOT NULL ORDER BY id", COUNTED)]
        return [self._journal.get(ticket) for ticket in tickets]

    def record(self, payments: list[Payment], *, terminal_count: int,
               terminal_total_cents: int, differences: list[str],
               api_body: dict[str, Any], idempotency_key: str) -> CloseRecord:
        """Store the close, mark its payments, note each difference, queue the API report."""
        now = utc_now()
        kiosk_total = sum(p.amount.cents for p in payments)
        with self._database.transaction() as tx:
            cur = tx.execute(
                "INSERT INTO closes (state, started_at, closed_at, terminal_count,"
                " terminal_total_cents, kiosk_count, kiosk_total_cents, api_status, differences)"
                " VALUES ('closed', ?, ?, ?, ?, ?, ?, 'pending', ?)",
                (now, now, terminal_count, terminal_total_cents, len(payments), kiosk_total,
                 json.dumps(differences)))
            close_id = int(cur.lastrowid or 0)
            for payment in payments:
                tx.execute("UPDATE payments SET close_id = ? WHERE ticket = ? AND close_id IS NULL"
                           " AND authorization_code = ?",
                           (close_id, payment.ticket, payment.authorization_code))
            for difference in differences:
                record_incident(tx, "close_difference", f"close {close_id}: {difference}")
            enqueue(tx, self._cipher, "close", api_body, stream="close", ref_id=close_id,
                    idempotency_key=idempotency_key)
        return self.get(close_id)

    def get(self, close_id: int) -> CloseRecord:
        """Read one close back."""
        with self._database.reading() as conn:
            row = conn.execute(
                "SELECT id, closed_at, terminal_count, terminal_total_cents, kiosk_count,"
                " kiosk_total_cents, differences, api_status FROM closes WHERE id = ?",
                (close_id,)).fetchone()
        return CloseRecord(row[0], row[1], row[2], row[3], row[4], row[5],
                           tuple(json.loads(row[6] or "[]")), row[7])

    def last_closed_at(self) -> str | None:
        """When the newest close happened (UTC ISO time), None before the first one."""
        with self._database.reading() as conn:
            row = conn.execute("SELECT max(closed_at) FROM closes").fetchone()
        return None if row[0] is None else str(row[0])


def record_answer(tx: Any, close_id: int, answer: dict[str, Any]) -> None:
    """Write the API's reconciliation into the close (inside the delivery's transaction)."""
    status = str(answer.get("status", "differences"))
    found = [f"{_ticket_of(tx, close_id, str(op))} is at the terminal but not at the town hall"
             for op in answer.get("missing_at_server", [])]
    found += [f"payment {pid} is at the town hall but not in the terminal's batch"
              for pid in answer.get("not_in_terminal", [])]
    row = tx.execute("SELECT differences FROM closes WHERE id = ?", (close_id,)).fetchone()
    differences = json.loads(row[0] or "[]") if row else []
    tx.execute("UPDATE closes SET api_status = ?, differences = ? WHERE id = ?",
               (status, json.dumps(differences + found), close_id))
    for difference in found:
        record_incident(tx, "close_difference", f"close {close_id}: {difference}")


def _ticket_of(tx: Any, close_id: int, operation: str) -> str:
    row = tx.execute("SELECT ticket FROM payments WHERE close_id = ? AND ltrim(operation_number,"
                     " '0') = ltrim(?, '0')", (close_id, operation)).fetchone()
    return f"ticket {row[0]:06d} (operation {operation})" if row else f"operation {operation}"
