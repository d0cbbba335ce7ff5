"""Pay bills by card: journal first, then the terminal, then the journal again.

Each step is durable before the next side effect: the row is ``authorizing`` on disk
before the sale command is written to the terminal, so a crash at any point leaves a row
that :mod:`kiosk.services.payment_recovery` can settle. The citizen is told "paid" only with
an authorization code in the journal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from common.money import Money
from common.text import N_
from drivers.base import DriverError
from drivers.payment.base import OutcomeUnknown, PaymentTerminal
from kiosk.services import payment_recovery
from offline_cache.journal import Journal, PaidBill, Payment

log = logging.getLogger(__name__)

NOT_SENT = "terminal_unavailable"  # decline code: nothing reached the terminal


class PaymentStatus(StrEnum):
    PAID = "paid"
    NOT_PAID = "not_paid"
    CHECKING = "checking"  # outcome unknown: recovery must settle it before the next citizen


@dataclass(frozen=True)
class PaymentOutcome:
    """What the pay screen shows: the journal row, a status and a plain message."""

    payment: Payment
    status: PaymentStatus
    message_key: str


class RecoveryPending(Exception):
    """A previous payment is not settled yet; no new sale may start."""


CHECKING_MESSAGE = N_(
    "We could not confirm your payment. Please ask for help; you will not be charged twice.")


async def pay(journal: Journal, terminal: PaymentTerminal, amount: Money,
              bills: Sequence[PaidBill], on_progress: Callable[[str], None]) -> PaymentOutcome:
    """Charge ``amount`` for ``bills``; raise AmountError, or RecoveryPending if one is open."""
    amount.for_sale()  # whole pesos, or no journal row at all
    if await asyncio.to_thread(journal.needing_recovery):
        raise RecoveryPending("settle the open payments before a new sale")
    loop = asyncio.get_running_loop()

    def progress(message_key: str) -> None:  # called on the device thread
        try:
            loop.call_soon_threadsafe(on_progress, message_key)
        except RuntimeError:  # the loop is gone (app closing): the sale itself must go on
            log.info("progress message dropped: event loop closed")

    # shielded: if the citizen's session is cancelled mid-sale, the outcome is still recorded
    return await asyncio.shield(asyncio.to_thread(
        _pay_blocking, journal, terminal, amount, bills, progress))


def _pay_blocking(journal: Journal, terminal: PaymentTerminal, amount: Money,
                  bills: Sequence[PaidBill], progress: Callable[[str], None]) -> PaymentOutcome:
    payment = journal.create_payment(amount, bills)
    ticket = payment.ticket
    journal.begin_authorizing(ticket)  # durable BEFORE the sale command is written
    try:
        result = terminal.sale(amount.cents, ticket, progress)
    except OutcomeUnknown as err:
        log.warning("ticket %06d: outcome unknown (%s); recovering", ticket, err)
        journal.record_unknown(ticket)
        return _recover_now(journal, terminal, ticket)
    except (DriverError, ValueError) as err:  # nothing was accepted by the terminal
        log.warning("ticket %06d: sale not sent (%s)", ticket, err)
        message = err.message_key if isinstance(err, DriverError) else str(err)
        return PaymentOutcome(journal.record_declined(ticket, code=NOT_SENT),
                              PaymentStatus.NOT_PAID, message)
    if not result.approved:
        return PaymentOutcome(journal.record_declined(ticket, code=result.response_code),
                              PaymentStatus.NOT_PAID, result.message_key)
    if result.authorization_code is None or result.operation_number is None:
        journal.record_unknown(ticket)  # unreachable: the driver refuses such answers
        return PaymentOutcome(journal.get(ticket), PaymentStatus.CHECKING, CHECKING_MESSAGE)
    recorded = journal.record_authorized(
        ticket, authorization_code=result.authorization_code,
        operation_number=result.operation_number, card_type=result.card_type or "",
        card_last4=result.card_last4 or "")
    return PaymentOutcome(recorded, PaymentStatus.PAID, result.message_key)


def _recover_now(journal: Journal, terminal: PaymentTerminal, ticket: int) -> PaymentOutcome:
    """Try once to settle an unknown outcome right away; leave it unknown if we cannot."""
    try:
        payment = payment_recovery.recover_one(journal, terminal, journal.get(ticket))
    except (DriverError, payment_recovery.RecoveryConflict) as err:
        log.warning("ticket %06d: still unknown after one recovery attempt (%s)", ticket, err)
        return PaymentOutcome(journal.get(ticket), PaymentStatus.CHECKING, CHECKING_MESSAGE)
    return outcome_of(payment)


def outcome_of(payment: Payment) -> PaymentOutcome:
    """Describe a settled payment to the citizen."""
    if payment.authorization_code:
        return PaymentOutcome(payment, PaymentStatus.PAID, N_("Payment approved."))
    return PaymentOutcome(payment, PaymentStatus.NOT_PAID,
                          N_("The payment did not go through. No money was taken."))
