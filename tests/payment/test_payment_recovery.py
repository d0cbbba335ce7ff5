"""Money is never guessed: hostile or faulty terminal answers, live and in recovery (pty).

Each case drives the real Transbank driver against the simulator on a socat pair and the
real journal file, then checks three things: what the journal says, what the terminal's
memory says (was the citizen charged, was it reversed), and that the bills stay out of sale
while nobody can prove their payment.
"""

from __future__ import annotations

import asyncio

import pytest

from common.money import Money
from drivers.payment.base import OutcomeUnknown
from drivers.payment.simulator import Fault, Script
from kiosk.services.card_payment import ANOMALY_MESSAGE, PaymentStatus, pay
from kiosk.services.payment_recovery import NO_SALE, OTHER_TICKET, recover_all
from offline_cache.errors import IllegalTransition
from offline_cache.journal import Journal, PaidBill, PaymentState
from offline_cache.outbox import Outbox
from tests.fixtures.terminal import TerminalLine

AMOUNT = 1_500_000  # $15.000
BILLS = (PaidBill("PROP-2026-0001", Money(AMOUNT)),)


def _pay(line: TerminalLine, journal: Journal) -> tuple[PaymentStatus, str, int]:
    outcome = asyncio.run(pay(journal, line.driver, Money(AMOUNT), BILLS, lambda _: None))
    return outcome.status, outcome.message_key, outcome.payment.ticket


def _killed_mid_sale(line: TerminalLine, journal: Journal) -> int:
    """A sale whose answer never came (the kiosk died): the row waits for recovery."""
    payment = journal.create_payment(Money(AMOUNT), BILLS)
    journal.begin_authorizing(payment.ticket)
    return payment.ticket


def _outbox(journal: Journal) -> Outbox:
    return Outbox(journal._database, journal._cipher)


def _incidents(journal: Journal) -> list[str]:
    conn = journal._database.conn
    return [row[0] for row in conn.execute("SELECT detail FROM incidents ORDER BY id")]


def test_a_charged_sale_with_a_5000_digit_field_is_settled_as_paid_not_declined(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(oversize_field=6))
    status, message, ticket = _pay(terminal_line, journal)
    (charged,) = terminal_line.memory.approved
    row = journal.get(ticket)
    assert status is PaymentStatus.PAID and row.state is PaymentState.AUTHORIZED
    assert row.authorization_code == charged.authorization_code  # from the last-sale query
    assert "9999" not in message and "Exceeds" not in message  # no exception text shown


def test_an_approval_for_one_peso_on_a_15000_peso_sale_is_an_anomaly_and_is_reversed(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(answer_amount=1))
    status, message, ticket = _pay(terminal_line, journal)
    row = journal.get(ticket)
    assert status is PaymentStatus.CHECKING and message == ANOMALY_MESSAGE
    assert row.state is PaymentState.DECLINED and row.decline_code == "reversed"
    (charged,) = terminal_line.memory.approved
    assert charged.amount_pesos == 1 and charged.operation_number in terminal_line.memory.refunded
    assert not [e for e in _outbox(journal).view() if e.kind == "payment"]  # nothing to book
    assert any(f"ticket {ticket:06d}: amount_mismatch" in i for i in _incidents(journal))
    assert journal.needing_recovery() == []


def test_an_anomaly_the_terminal_cannot_reverse_stays_for_staff_and_keeps_the_bills(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(answer_amount=1))
    terminal_line.memory.refunded.add("000001")  # the refund will be refused (already done)
    status, _message, ticket = _pay(terminal_line, journal)
    row = journal.get(ticket)
    assert status is PaymentStatus.CHECKING and row.state is PaymentState.ANOMALY
    assert row.review_reason == "amount_mismatch"
    assert [p.ticket for p in journal.awaiting_staff()] == [ticket]
    assert "PROP-2026-0001" in journal.unconfirmed_references()  # never sold again meanwhile
    assert "amount_mismatch" in _incidents(journal)[-1]


@pytest.mark.parametrize(("leave", "reason"), [
    ("reset", NO_SALE),
    ("foreign", OTHER_TICKET),
])
def test_recovery_that_cannot_prove_the_outcome_leaves_it_unknown_for_staff(
        terminal_line: TerminalLine, journal: Journal, leave: str, reason: str) -> None:
    terminal_line.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    status, _message, ticket = _pay(terminal_line, journal)  # charged, answer lost ...
    assert status is PaymentStatus.PAID  # ... and recovered at once from the last sale
    ticket = _killed_mid_sale(terminal_line, journal)  # a later sale, answer lost too
    if leave == "reset":
        terminal_line.memory.forget()  # the terminal was reset or swapped
    else:
        terminal_line.memory.foreign_sale(2_000)  # someone used it for something else
    (settled,) = asyncio.run(recover_all(journal, terminal_line.driver))
    assert (settled.state, settled.review_reason) == (PaymentState.UNKNOWN, reason)
    assert settled.decline_code is None  # never booked as "not paid"
    assert journal.needing_recovery() == []  # the terminal answered: sales may go on
    assert [p.ticket for p in journal.awaiting_staff()] == [ticket]
    assert f"ticket {ticket:06d}: {reason}" in _incidents(journal)[-1]
    status, _message, _next = _pay(terminal_line, journal)  # the next citizen can pay ...
    assert status is PaymentStatus.PAID  # ... with her own sale, once


def test_a_declined_answer_for_our_ticket_in_recovery_is_proof_of_not_paid(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(Fault.DECLINE, code="05"))
    terminal_line.driver.sale(AMOUNT, 1, lambda _: None)  # the terminal's memory: ticket 1
    ticket = _killed_mid_sale(terminal_line, journal)
    assert ticket == 1
    (settled,) = asyncio.run(recover_all(journal, terminal_line.driver))
    assert (settled.state, settled.decline_code) == (PaymentState.DECLINED, "05")


def test_same_ticket_approved_is_authorized_once_and_cannot_be_settled_again(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    ticket = _killed_mid_sale(terminal_line, journal)
    with pytest.raises(OutcomeUnknown):  # the answer is lost
        terminal_line.driver.sale(AMOUNT, ticket, lambda _: None)
    (settled,) = asyncio.run(recover_all(journal, terminal_line.driver))
    assert settled.state is PaymentState.AUTHORIZED
    with pytest.raises(IllegalTransition):  # a second "authorized" is refused
        journal.record_authorized(ticket, authorization_code="X1", operation_number="1",
                                  card_type="", card_last4="")
