"""Recovery decisions on the real journal, for terminal answers a pty test cannot provoke."""

from __future__ import annotations

import logging

import pytest

from common.money import Money
from drivers.payment.base import SaleResult
from drivers.payment.codes import Outcome
from kiosk.services.payment_recovery import OTHER_TICKET, RecoveryConflict, settle
from offline_cache.errors import IllegalTransition
from offline_cache.journal import Journal, PaidBill, Payment, PaymentState


def open_payment(journal: Journal, amount: int = 300_000) -> Payment:
    payment = journal.create_payment(Money(amount), [PaidBill("FINE-7", Money(amount))])
    journal.begin_authorizing(payment.ticket)
    return journal.record_unknown(payment.ticket)


def approved(ticket: int, amount: int) -> SaleResult:
    return SaleResult(ticket, amount, True, Outcome.APPROVED, "00", "Payment approved.",
                      "123456", "000321", "CR", "4242")


def test_a_later_ticket_at_the_terminal_declines_and_alerts_the_technician(
        journal: Journal, caplog: pytest.LogCaptureFixture) -> None:
    payment = open_payment(journal)
    settled = settle(journal, payment, approved(payment.ticket + 5, 300_000))
    assert (settled.state, settled.decline_code) == (PaymentState.DECLINED, OTHER_TICKET)
    assert any(r.levelno == logging.ERROR and "later ticket" in r.getMessage()
               for r in caplog.records)


def test_same_ticket_approved_for_another_amount_is_left_for_a_person(
        journal: Journal) -> None:
    payment = open_payment(journal)
    with pytest.raises(RecoveryConflict):
        settle(journal, payment, approved(payment.ticket, 999_900))
    assert journal.get(payment.ticket).state is PaymentState.UNKNOWN


def test_same_ticket_approved_is_authorized_once_and_cannot_be_settled_again(
        journal: Journal) -> None:
    payment = open_payment(journal)
    settled = settle(journal, payment, approved(payment.ticket, 300_000))
    assert settled.state is PaymentState.AUTHORIZED and settled.authorization_code == "123456"
    assert journal.needing_recovery() == []
    with pytest.raises(IllegalTransition):  # a second "authorized" is refused
        settle(journal, payment, approved(payment.ticket, 300_000))
