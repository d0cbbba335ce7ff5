"""The money journal: each payment's state, durable before the side effect it announces.

Call order for one payment (issue 7's service)::

    p = journal.create_payment(amount, bills)    # ticket + Idempotency-Key assigned here
    journal.begin_authorizing(p.ticket)          # on disk BEFORE the terminal is asked
    ... terminal sale with p.ticket ...
    journal.record_authorized(...) | record_declined(...) | record_unknown(...)
    journal.record_receipt_printed(p.ticket)     # print from the Payment returned above
    # the sync worker uploads and calls record_synced; personal data is then purged

:meth:`needing_recovery` lists payments left ``authorizing`` or ``unknown`` that the
terminal has not answered for yet: a new sale waits until the terminal's "last sale" (by
ticket) has settled them. What the terminal answers but cannot prove (it holds no sale,
or another ticket) is never guessed: :meth:`record_unproven` keeps the row ``unknown`` for
staff (:meth:`awaiting_staff`) with an incident, and new sales go on. An approval that does
not match what was asked is an ``anomaly`` (:meth:`record_anomaly`), never "paid".
Transitions follow :data:`offline_cache.machine.PAYMENT_TRANSITIONS`; the record types are
in :mod:`offline_cache.payment_records`.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from typing import Any

from common.money import Money
from offline_cache import outbox
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, record_incident, set_state, utc_now
from offline_cache.errors import IllegalTransition, UnknownRecord
from offline_cache.machine import PaymentState, next_payment_state
from offline_cache.payment_records import PaidBill, Payment, read_bills, stored_bills, upload_body

MAX_TICKET = 999_999  # the terminal's ticket field has six digits

__all__ = ["MAX_TICKET", "Journal", "PaidBill", "Payment", "PaymentState"]


_COLUMNS = (
    "id, ticket, idempotency_key, amount_cents, state, authorization_code, operation_number,"
    " card_type, decline_code, private, authorized_at, currency, review_reason"
)


class Journal:
    """The payment state machine over one offline database connection."""

    def __init__(self, database: OfflineDatabase, cipher: RecordCipher) -> None:
        self._database = database
        self._cipher = cipher

    def create_payment(self, amount: Money, bills: Sequence[PaidBill]) -> Payment:
        """Record a new payment; assign its ticket and Idempotency-Key."""
        if amount.cents <= 0:
            raise ValueError(f"a payment amount must be positive, got {amount.cents}")
        now = utc_now()
        with self._database.transaction() as tx:
            cur = tx.execute(
                "INSERT INTO payments (ticket, idempotency_key, amount_cents, currency, state,"
                " created_at, updated_at) VALUES (0, ?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), amount.cents, amount.currency, PaymentState.CREATED, now,
                 now),
            )
            row_id = int(cur.lastrowid or 0)
            private = self._cipher.seal("payments", row_id,
                                        {"bills": stored_bills(bills), "card_last4": None})
            tx.execute(
                "UPDATE payments SET ticket = ?, private = ? WHERE id = ?",
                ((row_id - 1) % MAX_TICKET + 1, private, row_id),
            )
            return self._load(tx, row_id)

    def begin_authorizing(self, ticket: int) -> Payment:
        """Mark the payment as sent to the terminal; durable before the terminal call."""
        return self._move(ticket, "begin_authorizing")

    def record_authorized(
        self,
        ticket: int,
        *,
        authorization_code: str,
        operation_number: str,
        card_type: str,
        card_last4: str,
    ) -> Payment:
        """Record the terminal's approval and queue the upload in the same transaction."""
        return self._authorize(ticket, "authorized", authorization_code=authorization_code,
                               operation_number=operation_number, card_type=card_type,
                               card_last4=card_last4)

    def _authorize(self, ticket: int, event: str, *, authorization_code: str,
                   operation_number: str, card_type: str, card_last4: str) -> Payment:
        with self._database.transaction() as tx:
            row_id, state, private = self._current(tx, ticket)
            nxt = next_payment_state(ticket, state, event)
            now = utc_now()
            private["card_last4"] = card_last4
            tx.execute(
                "UPDATE payments SET state = ?, authorization_code = ?, operation_number = ?,"
                " card_type = ?, private = ?, authorized_at = ?, updated_at = ? WHERE id = ?",
                (nxt, authorization_code, operation_number, card_type,
                 self._cipher.seal("payments", row_id, private), now, now, row_id),
            )
            payment = self._load(tx, row_id)
            outbox.enqueue(
                tx, self._cipher, "payment", upload_body(payment, now),
                stream=f"payment:{row_id}", ref_id=row_id,
                idempotency_key=payment.idempotency_key,
            )
            return payment

    def record_declined(self, ticket: int, *, code: str) -> Payment:
        """Record that the terminal declined (or never made) the sale."""
        return self._move(ticket, "declined", decline_code=code)

    def record_unknown(self, ticket: int) -> Payment:
        """Record that the terminal's answer was lost; recovery must settle it."""
        return self._move(ticket, "unknown")

    def record_unproven(self, ticket: int, reason: str) -> Payment:
        """The terminal answered but cannot prove the outcome: it stays unknown for staff.

        The row no longer waits for the terminal (new sales may go on), keeps its bills out of
        sale (:meth:`unconfirmed_references`) and raises an incident naming the ticket.
        """
        with self._database.transaction() as tx:
            row_id, state, _private = self._current(tx, ticket)
            if state is PaymentState.AUTHORIZING:
                set_state(tx, "payments", row_id, next_payment_state(ticket, state, "unknown"))
            elif state is not PaymentState.UNKNOWN:
                raise IllegalTransition("payment", ticket, state, "unproven")
            tx.execute("UPDATE payments SET review_reason = ? WHERE id = ?", (reason, row_id))
            record_incident(tx, "payment_unproven", f"ticket {ticket:06d}: {reason}")
            return self._load(tx, row_id)

    def record_anomaly(self, ticket: int, reason: str, *, terminal_amount_cents: int,
                       authorization_code: str | None, operation_number: str | None) -> Payment:
        """The terminal approved something else than asked: keep its codes, tell staff."""
        with self._database.transaction() as tx:
            row_id, state, _private = self._current(tx, ticket)
            set_state(tx, "payments", row_id, next_payment_state(ticket, state, "anomaly"),
                      authorization_code=authorization_code, operation_number=operation_number)
            tx.execute("UPDATE payments SET review_reason = ?, terminal_amount_cents = ?"
                       " WHERE id = ?", (reason, terminal_amount_cents, row_id))
            record_incident(tx, "payment_anomaly", f"ticket {ticket:06d}: {reason}")
            return self._load(tx, row_id)

    def record_reversed(self, ticket: int) -> Payment:
        """The terminal refunded an anomalous sale: nothing was kept from the citizen."""
        return self._move(ticket, "reversed", decline_code="reversed")

    def record_found_in_batch(self, ticket: int, *, authorization_code: str,
                              operation_number: str, card_type: str) -> Payment:
        """The close's sales detail proves an unknown sale was charged: record it, upload it."""
        return self._authorize(ticket, "found_in_batch", authorization_code=authorization_code,
                               operation_number=operation_number, card_type=card_type,
                               card_last4="")

    def awaiting_staff(self) -> list[Payment]:
        """Payments a person must settle: unproven outcomes and anomalies."""
        with self._database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM payments WHERE (state = ? AND review_reason IS NOT NULL)"
                " OR state = ? ORDER BY id", (PaymentState.UNKNOWN, PaymentState.ANOMALY),
            ).fetchall()
        return [self._payment(row) for row in rows]

    def record_receipt_printed(self, ticket: int) -> Payment:
        """Note that the citizen got a receipt."""
        return self._move(ticket, "receipt_printed", receipt_printed_at=utc_now())

    def record_synced(self, ticket: int) -> Payment:
        """Record the server's confirmation and purge the payment's personal data."""
        with self._database.transaction() as tx:
            row_id, _state, _private = self._current(tx, ticket)
            self.synced_in(tx, row_id)
            return self._load(tx, row_id)

    def synced_in(self, tx: sqlite3.Connection, row_id: int) -> None:
        """Mark row ``row_id`` synced inside the caller's transaction (used by the worker)."""
        state = PaymentState(self._row(tx, row_id)[4])
        nxt, now = next_payment_state(row_id, state, "synced"), utc_now()
        set_state(tx, "payments", row_id, nxt, private=None, synced_at=now, purged_at=now)

    def needing_recovery(self) -> list[Payment]:
        """List payments left authorizing or unknown that the terminal has not answered for."""
        with self._database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM payments WHERE state IN (?, ?)"
                " AND review_reason IS NULL ORDER BY id",
                (PaymentState.AUTHORIZING, PaymentState.UNKNOWN),
            ).fetchall()
        return [self._payment(row) for row in rows]

    def unconfirmed_references(self) -> set[str]:
        """Bill references of payments that may have taken money the API has not confirmed.

        A bill in one of them must not be sold again, even in a later citizen session: the
        API still lists it as pending until the payment is delivered.
        """
        with self._database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM payments WHERE state IN (?, ?, ?, ?, ?)",
                (PaymentState.AUTHORIZING, PaymentState.UNKNOWN, PaymentState.AUTHORIZED,
                 PaymentState.RECEIPT_PRINTED, PaymentState.ANOMALY),
            ).fetchall()
        return {str(bill["reference"]) for row in rows for bill in self._private(row)["bills"]}

    def get(self, ticket: int) -> Payment:
        """Return the newest payment with this ticket number."""
        with self._database.reading() as conn:
            return self._load(conn, self._row_id(conn, ticket))

    def _move(self, ticket: int, event: str, **columns: str) -> Payment:
        with self._database.transaction() as tx:
            row_id, state, _private = self._current(tx, ticket)
            set_state(tx, "payments", row_id, next_payment_state(ticket, state, event), **columns)
            return self._load(tx, row_id)

    def _row_id(self, conn: sqlite3.Connection, ticket: int) -> int:
        row = conn.execute(
            "SELECT id FROM payments WHERE ticket = ? ORDER BY id DESC LIMIT 1", (ticket,)
        ).fetchone()
        if row is None:
            raise UnknownRecord(f"no payment with ticket {ticket}")
        return int(row[0])

    def _row(self, conn: sqlite3.Connection, row_id: int) -> tuple[Any, ...]:
        row = conn.execute(f"SELECT {_COLUMNS} FROM payments WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise UnknownRecord(f"no payment row {row_id}")
        return tuple(row)

    def _current(
        self, tx: sqlite3.Connection, ticket: int
    ) -> tuple[int, PaymentState, dict[str, Any]]:
        row = self._row(tx, self._row_id(tx, ticket))
        return row[0], PaymentState(row[4]), self._private(row)

    def _private(self, row: tuple[Any, ...]) -> dict[str, Any]:
        if row[9] is None:
            return {"bills": [], "card_last4": None}
        value: dict[str, Any] = self._cipher.open("payments", row[0], row[9])
        return value

    def _load(self, conn: sqlite3.Connection, row_id: int) -> Payment:
        return self._payment(self._row(conn, row_id))

    def _payment(self, row: tuple[Any, ...]) -> Payment:
        private, currency = self._private(row), row[11]
        return Payment(
            ticket=row[1], idempotency_key=row[2], amount=Money(row[3], currency),
            bills=read_bills(private["bills"], currency), state=PaymentState(row[4]),
            authorization_code=row[5], operation_number=row[6], card_type=row[7],
            card_last4=private["card_last4"], decline_code=row[8], review_reason=row[12],
        )
