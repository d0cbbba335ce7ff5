"""Accept a terminal's approval only when it is for exactly the sale the journal holds.

A live sale and a recovered one are checked by the same rule: the answer's ticket, amount
and currency must be ours, and it must carry an authorization code and an operation number
of a sane shape. Anything else is an *anomaly*: the bills are not marked paid, an incident
names the ticket, and the sale is reversed through the terminal when the protocol allows it
(POS Integrado refunds an operation by its number). A person settles what remains.
"""

from __future__ import annotations

import logging
import re

from drivers.base import DriverError
from drivers.payment.base import PaymentTerminal, SaleResult
from offline_cache.journal import Journal, Payment

log = logging.getLogger(__name__)

TERMINAL_CURRENCY = "CLP"  # POS Integrado counts Chilean pesos only
AUTHORIZATION = re.compile(r"[A-Za-z0-9]{1,12}")
OPERATION = re.compile(r"[0-9]{1,12}")


def answer_problems(payment: Payment, result: SaleResult) -> list[str]:
    """Say what in an approved answer differs from the journaled sale (empty: it matches)."""
    problems = []
    if result.ticket != payment.ticket:
        problems.append("ticket_mismatch")
    if result.amount_cents != payment.amount.cents:
        problems.append("amount_mismatch")
    if payment.amount.currency != TERMINAL_CURRENCY:
        problems.append("currency_mismatch")
    if not AUTHORIZATION.fullmatch(result.authorization_code or ""):
        problems.append("authorization_code_invalid")
    if not OPERATION.fullmatch(result.operation_number or ""):
        problems.append("operation_number_invalid")
    return problems


def apply_approval(journal: Journal, terminal: PaymentTerminal, payment: Payment,
                   result: SaleResult) -> Payment:
    """Record an approval that matches, or an anomaly (reversed when the terminal can)."""
    problems = answer_problems(payment, result)
    ticket = payment.ticket
    if not problems:
        return journal.record_authorized(
            ticket, authorization_code=str(result.authorization_code),
            operation_number=str(result.operation_number), card_type=result.card_type or "",
            card_last4=result.card_last4 or "")
    reason = ",".join(problems)
    log.error("ticket %06d: terminal approved %d cents for a %d-cent sale (%s); not paid, "
              "staff must settle it", ticket, result.amount_cents, payment.amount.cents, reason)
    anomaly = journal.record_anomaly(
        ticket, reason, terminal_amount_cents=result.amount_cents,
        authorization_code=result.authorization_code, operation_number=result.operation_number)
    if not result.operation_number or not OPERATION.fullmatch(result.operation_number):
        return anomaly
    try:
        refund = terminal.refund(result.operation_number)
    except DriverError as err:
        log.error("ticket %06d: reversal of operation %s failed (%s)", ticket,
                  result.operation_number, err)
        return anomaly
    if not refund.approved:
        log.error("ticket %06d: reversal refused with code %s", ticket, refund.response_code)
        return anomaly
    log.warning("ticket %06d: anomalous sale reversed at the terminal", ticket)
    return journal.record_reversed(ticket)
