"""Settle payments whose outcome was lost (timeout, cable pulled, kiosk crash).

A terminal remembers only its last sale, so recovery asks for it and compares tickets:

* same ticket, approved, same amount → ``authorized`` with the terminal's authorization;
* same ticket, not approved → ``declined`` with the terminal's code;
* no sale stored, or another ticket → ``declined``: our sale never completed at the
  terminal (it never arrived, or the terminal finished an older one last). A *later*
  ticket cannot happen through :func:`kiosk.services.card_payment.pay`, which refuses to
  start a sale while any row needs recovery; if another system used the terminal, the row
  is declined with ``recovered_other_ticket`` and logged as an error for the day's
  reconciliation against the terminal's close report.
* same ticket, approved, different amount → left ``unknown`` (:class:`RecoveryConflict`):
  never guess about money; a technician reconciles it.

When the terminal cannot be reached the row stays as it is and the error propagates: the
kiosk must not serve a new citizen until every row is settled.
"""

from __future__ import annotations

import asyncio
import logging

from drivers.payment.base import PaymentTerminal, SaleResult
from offline_cache.journal import Journal, Payment

log = logging.getLogger(__name__)

NO_SALE = "recovered_no_sale"
OTHER_TICKET = "recovered_other_ticket"


class RecoveryConflict(Exception):
    """The terminal approved our ticket for a different amount; a person must decide."""


def settle(journal: Journal, payment: Payment, last: SaleResult | None) -> Payment:
    """Apply the terminal's last sale to one open payment; raise RecoveryConflict."""
    ticket = payment.ticket
    if last is None:
        log.info("recovery ticket %06d: terminal holds no sale -> declined", ticket)
        return journal.record_declined(ticket, code=NO_SALE)
    if last.ticket != ticket:
        if last.ticket > ticket:
            log.error("recovery ticket %06d: terminal's last sale is a later ticket %06d; "
                      "reconcile with the close report", ticket, last.ticket)
        else:
            log.info("recovery ticket %06d: last sale is ticket %06d -> declined",
                     ticket, last.ticket)
        return journal.record_declined(ticket, code=OTHER_TICKET)
    if not last.approved:
        log.info("recovery ticket %06d: terminal declined (%s)", ticket, last.response_code)
        return journal.record_declined(ticket, code=last.response_code)
    if last.amount_cents != payment.amount.cents or not last.authorization_code \
            or not last.operation_number:
        raise RecoveryConflict(f"ticket {ticket}: terminal approved {last.amount_cents}, "
                               f"journal has {payment.amount.cents}")
    log.info("recovery ticket %06d: approved at the terminal -> authorized", ticket)
    return journal.record_authorized(
        ticket, authorization_code=last.authorization_code,
        operation_number=last.operation_number, card_type=last.card_type or "",
        card_last4=last.card_last4 or "")


def recover_one(journal: Journal, terminal: PaymentTerminal, payment: Payment) -> Payment:
    """Ask the terminal for its last sale and settle ``payment`` (blocking)."""
    return settle(journal, payment, terminal.last_sale())


def recover_all_blocking(journal: Journal, terminal: PaymentTerminal) -> list[Payment]:
    """Settle every authorizing/unknown row, oldest first; stop at the first failure."""
    return [recover_one(journal, terminal, payment) for payment in journal.needing_recovery()]


async def recover_all(journal: Journal, terminal: PaymentTerminal) -> list[Payment]:
    """Settle every open row before the kiosk serves anyone (raises DriverError if offline)."""
    return await asyncio.to_thread(recover_all_blocking, journal, terminal)
