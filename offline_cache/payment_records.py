"""A payment as the journal keeps it, and the one JSON shape its bills are stored and sent in.

The bills paid are stored encrypted as ``{"reference", "amount_cents"}`` each (in the
payment's currency): the same shape ``POST /v1/payments`` takes, so what was journaled is
exactly what is uploaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from common.money import Money
from offline_cache.machine import PaymentState


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
    review_reason: str | None = None  # set when a person must look at it (see record_unproven)


def upload_body(payment: Payment, authorized_at: str) -> dict[str, Any]:
    """Build the POST /v1/payments body (shared contract, issue 3)."""
    return {
        "ticket": payment.ticket,
        "amount_cents": payment.amount.cents,
        "currency": payment.amount.currency,
        "bills": stored_bills(payment.bills),
        "authorization_code": payment.authorization_code,
        "operation_number": payment.operation_number,
        "card_type": payment.card_type,
        "card_last4": payment.card_last4,
        "authorized_at": authorized_at,
    }


def stored_bills(bills: Sequence[PaidBill]) -> list[dict[str, Any]]:
    """Write bills as the journal stores them and the API takes them."""
    return [{"reference": bill.reference, "amount_cents": bill.amount.cents} for bill in bills]


def read_bills(stored: list[dict[str, Any]], currency: str) -> tuple[PaidBill, ...]:
    """Read bills written by :func:`stored_bills` (all in the payment's currency)."""
    return tuple(PaidBill(str(bill["reference"]), Money(int(bill["amount_cents"]), currency))
                 for bill in stored)
