"""The money journal: each payment's state, durable before the side effect it announces.

Call order for one payment (issue 7's service)::

    p = journal.create_payment(amount, bills)    # ticket + Idempotency-Key assigned here
    journal.begin_authorizing(p.ticket)          # on disk BEFORE the terminal is asked
    ... terminal sale with p.ticket ...
    journal.record_authorized(...) | record_declined(...) | record_unknown(...)
    journal.record_receipt_printed(p.ticket)     # print from the Payment returned above
    # the sync worker uploads and calls record_synced; personal data is then purged

At start-up :meth:`needing_recovery` lists payments left ``authorizing`` or ``unknown``;
each must be settled with the terminal's "last sale" (by ticket) before a new citizen is
served. Transitions follow :data:`offline_cache.machine.PAYMENT_TRANSITIONS`.

The bills paid are stored encrypted as JSON (``{"reference", "amount_cents"}`` each, in the
payment's currency), the same shape the API takes in ``POST /v1/payments``.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from common.money import Money
from offline_cache import outbox
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, set_state, utc_now
from offline_cache.errors import UnknownRecord
from offline_cache.machine import PaymentState, next_payment_state

MAX_TICKET = 999_999  # the terminal's ticket field has six digits

__all__ = ["MAX_TICKET", "Journal", "PaidBill", "Payment", "PaymentState"]


@dataclass(frozen=True)
class PaidBill:
    """One bill in a payment: its reference and the amount paid for it."""

    reference: str
    amount: Money


@dataclass(frozen=True)
class Payment:
    """A payment as the journal holds it (bills and card_last4 empty once purged)."""

    ticket: int
    idempotency_key: str
    amount: Money
    bills: tuple[PaidBill, ...]
    state: PaymentState
    authorization_code: str | None
    operation_number: str | None
    card_type: str | None
    card_last4: str | None
    decline_code: str | None


_COLUMNS = (
    "id, ticket, idempotency_key, amount_cents, state, authorization_code, operation_number,"
    " card_type, decline_code, private, authorized_at, currency"
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
                                        {"bills": _stored(bills), "card_last4": None})
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
        with self._database.transaction() as tx:
            row_id, state, private = self._current(tx, ticket)
            nxt = next_payment_state(ticket, state, "authorized")
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
                tx, self._cipher, "payment", _upload_body(payment, now),
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
        """List payments left authorizing or unknown (settle them before serving anyone)."""
        with self._database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM payments WHERE state IN (?, ?) ORDER BY id",
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
                f"SELECT {_COLUMNS} FROM payments WHERE state IN (?, ?, ?, ?)",
                (PaymentState.AUTHORIZING, PaymentState.UNKNOWN, PaymentState.AUTHORIZED,
                 PaymentState.RECEIPT_PRINTED),
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
            bills=_read(private["bills"], currency), state=PaymentState(row[4]),
            authorization_code=row[5], operation_number=row[6], card_type=row[7],
            card_last4=private["card_last4"], decline_code=row[8],
        )


def _upload_body(payment: Payment, authorized_at: str) -> dict[str, Any]:
    """Build the POST /v1/payments body (shared contract, issue 3)."""
    return {
        "ticket": payment.ticket,
        "amount_cents": payment.amount.cents,
        "currency": payment.amount.currency,
        "bills": _stored(payment.bills),
        "authorization_code": payment.authorization_code,
        "operation_number": payment.operation_number,
        "card_type": payment.card_type,
        "card_last4": payment.card_last4,
        "authorized_at": authorized_at,
    }


def _stored(bills: Sequence[PaidBill]) -> list[dict[str, Any]]:
    """Write bills as the journal stores them and the API takes them."""
    return [{"reference": bill.reference, "amount_cents": bill.amount.cents} for bill in bills]


def _read(stored: list[dict[str, Any]], currency: str) -> tuple[PaidBill, ...]:
    """Read bills written by :func:`_stored` (all in the payment's currency)."""
    return tuple(PaidBill(str(bill["reference"]), Money(int(bill["amount_cents"]), currency))
                 for bill in stored)
