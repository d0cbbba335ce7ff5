"""Settle payments whose outcome was lost (timeout, cable pulled, kiosk crash), never guessing.

A terminal remembers only its last sale, so recovery asks for it and compares tickets:

* same ticket, approved, matching the journal -> ``authorized`` with the terminal's codes;
  approved but for another amount (or malformed) -> an anomaly (:mod:`.approval`);
* same ticket, not approved -> ``declined`` with the terminal's code (it said so);
* no sale stored, or another ticket -> **unproven**: the terminal may have been reset,
  swapped or used by someone else after charging us, so the row stays ``unknown`` for staff
  (an incident names it) and stops blocking new sales. The daily close's sales detail may
  prove it later (:mod:`kiosk.services.daily_close`).

When the terminal cannot be reached the row stays as it is and the error propagates: no new
card sale starts while a row waits for an answer the terminal could still give.
Every call holds :data:`SALE_LOCK`, so recovery never settles a row a live sale is writing.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from drivers.payment.base import PaymentTerminal, SaleResult
from kiosk.services.approval import apply_approval
from offline_cache.journal import Journal, Payment

log = logging.getLogger(__name__)

NO_SALE = "terminal_holds_no_sale"
OTHER_TICKET = "terminal_last_sale_is_another_ticket"
# One sale or one recovery at a time, in this process: both write the same journal rows.
SALE_LOCK = threading.RLock()


def settle(journal: Journal, terminal: PaymentTerminal, payment: Payment,
           last: SaleResult | None) -> Payment:
    """Apply the terminal's last sale to one open payment."""
    ticket = payment.ticket
    if last is None:
        log.warning("recovery ticket %06d: the terminal holds no sale; unproven", ticket)
        return journal.record_unproven(ticket, NO_SALE)
    if last.ticket != ticket:
        log.warning("recovery ticket %06d: the terminal's last sale is ticket %06d; "
                    "unproven", ticket, last.ticket)
        return journal.record_unproven(ticket, OTHER_TICKET)
    if not last.approved:
        log.info("recovery ticket %06d: terminal declined (%s)", ticket, last.response_code)
        return journal.record_declined(ticket, code=last.response_code)
    log.info("recovery ticket %06d: approved at the terminal", ticket)
    return apply_approval(journal, terminal, payment, last)


def recover_one(journal: Journal, terminal: PaymentTerminal, payment: Payment) -> Payment:
    """Ask the terminal for its last sale and settle ``payment`` (blocking)."""
    with SALE_LOCK:
        return settle(journal, terminal, payment, terminal.last_sale())


def recover_all_blocking(journal: Journal, terminal: PaymentTerminal) -> list[Payment]:
    """Settle every row waiting for the terminal, oldest first; stop at the first failure."""
    with SALE_LOCK:
        return [recover_one(journal, terminal, payment)
                for payment in journal.needing_recovery()]


async def recover_all(journal: Journal, terminal: PaymentTerminal) -> list[Payment]:
    """Settle every open row before the kiosk serves anyone (raises DriverError if offline)."""
    return await asyncio.to_thread(recover_all_blocking, journal, terminal)
