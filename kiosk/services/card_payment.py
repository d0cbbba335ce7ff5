"""Pay bills by card: journal first, then the terminal, then the journal again.

Each step is durable before the next side effect: the row is ``authorizing`` on disk
before the sale command is written to the terminal, so a crash at any point leaves a row
that :mod:`kiosk.services.payment_recovery` can settle. The citizen is told "paid" only with
an authorization code in the journal, for exactly the amount asked (:mod:`.approval`).

What the terminal driver raises decides "sent or not" (``drivers.payment.base``):
``OutcomeUnknown`` means the command may have left, so the row goes to recovery; any other
driver error or a ``ValueError`` is raised before a byte is written, so nothing was taken.
Anything else breaks that contract and is treated as unknown: money is never guessed. The
citizen never sees an exception's text, only a message key.
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
from kiosk.services.approval import apply_approval
from offline_cache.journal import Journal, PaidBill, Payment, PaymentState

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
ANOMALY_MESSAGE = N_(
    "The card terminal gave an answer we cannot accept. Please wait here: a member of staff "
    "will check your payment. You will not be charged twice.")
NOT_SENT_MESSAGE = N_("The card terminal is not available right now. No money was taken.")


async def pay(journal: Journal, terminal: PaymentTerminal, amount: Money,
              bills: Sequence[PaidBill], on_progress: Callable[[str], None]) -> PaymentOutcome:
    """Charge ``amount`` for ``bills``; raise AmountError, or RecoveryPending if one is open.

    A row still waiting for the terminal is first settled here (the terminal is at hand);
    only when the terminal cannot answer for it does the new sale wait.
    """
    amount.for_sale()  # whole pesos, or no journal row at all
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
    with payment_recovery.SALE_LOCK:
        _settle_open_rows(journal, terminal)
        payment = journal.create_payment(amount, bills)
        journal.begin_authorizing(payment.ticket)  # durable BEFORE the sale command is written
        return _sell(journal, terminal, payment, progress)


def _settle_open_rows(journal: Journal, terminal: PaymentTerminal) -> None:
    if not journal.needing_recovery():
        return
    try:
        payment_recovery.recover_all_blocking(journal, terminal)
    except DriverError as err:
        raise RecoveryPending(f"an open payment waits for the terminal: {err}") from err


def _sell(journal: Journal, terminal: PaymentTerminal, payment: Payment,
          progress: Callable[[str], None]) -> PaymentOutcome:
    ticket = payment.ticket
    try:
        result = terminal.sale(payment.amount.cents, ticket, progress)
    except OutcomeUnknown as err:
        log.warning("ticket %06d: outcome unknown (%s); recovering", ticket, err)
        journal.record_unknown(ticket)
        return _recover_now(journal, terminal, ticket)
    except (DriverError, ValueError) as err:  # raised before any byte left: not sent
        log.warning("ticket %06d: sale not sent (%s: %s)", ticket, type(err).__name__, err)
        message = err.message_key if isinstance(err, DriverError) else NOT_SENT_MESSAGE
        return PaymentOutcome(journal.record_declined(ticket, code=NOT_SENT),
                              PaymentStatus.NOT_PAID, message)
    except Exception as err:  # the driver broke its contract: it may have been sent
        log.exception("ticket %06d: unexpected %s from the terminal; outcome unknown", ticket,
                      type(err).__name__)
        journal.record_unknown(ticket)
        return _recover_now(journal, terminal, ticket)
    if not result.approved:
        return PaymentOutcome(journal.record_declined(ticket, code=result.response_code),
                              PaymentStatus.NOT_PAID, result.message_key)
    return outcome_of(apply_approval(journal, terminal, payment, result), result.message_key)


def _recover_now(journal: Journal, terminal: PaymentTerminal, ticket: int) -> PaymentOutcome:
    """Try once to settle an unknown outcome right away; leave it unknown if we cannot."""
    try:
        payment = payment_recovery.recover_one(journal, terminal, journal.get(ticket))
    except DriverError as err:
        log.warning("ticket %06d: still unknown after one recovery attempt (%s)", ticket, err)
        return PaymentOutcome(journal.get(ticket), PaymentStatus.CHECKING, CHECKING_MESSAGE)
    return outcome_of(payment)


def outcome_of(payment: Payment, approved_message: str = N_("Payment approved.")
               ) -> PaymentOutcome:
    """Describe a payment after the terminal answered, to the citizen."""
    if payment.state is PaymentState.ANOMALY or payment.decline_code == "reversed":
        return PaymentOutcome(payment, PaymentStatus.CHECKING, ANOMALY_MESSAGE)
    if payment.state is PaymentState.UNKNOWN:  # unproven: staff will settle it
        return PaymentOutcome(payment, PaymentStatus.CHECKING, CHECKING_MESSAGE)
    if payment.authorization_code and payment.state is not PaymentState.DECLINED:
        return PaymentOutcome(payment, PaymentStatus.PAID, approved_message)
    return PaymentOutcome(payment, PaymentStatus.NOT_PAID,
                          N_("The payment did not go through. No money was taken."))
