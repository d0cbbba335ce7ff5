"""The daily close on the real stacks: terminal simulator, journal file, reference API, printer.

A close must match the terminal's batch, the journal and the town hall; every disagreement
is an incident naming the ticket, and the printed report says the same.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from common.money import Money
from drivers.printer.simulator.render import save_png
from kiosk.services.daily_close import close_and_report
from kiosk.services.pay_model import PayResult
from offline_cache.closes import CloseRecord
from offline_cache.journal import PaidBill, PaymentState
from rig.wait import wait_for
from tests.fixtures.pay_rig import PayRig

FINE, WATER = "300000000001", "200000000001"  # María's fine and water bill in the demo seed


def _pay(rig: PayRig, reference: str) -> int:
    (bill,) = asyncio.run(rig.service.bill_by_reference(reference)).bills
    outcome = asyncio.run(rig.service.pay(rig.service.select([bill]), lambda _: None))
    assert outcome.result in (PayResult.PAID_PRINTED, PayResult.PAID_RECEIPT_ON_SCREEN)
    assert outcome.payment is not None
    ticket = outcome.payment.ticket
    wait_for(lambda: rig.store.journal.get(ticket).state is PaymentState.SYNCED,
             "the payment at the town hall")
    return ticket


def _close(rig: PayRig, look: Path | None = None) -> tuple[CloseRecord, str]:
    printed = len(rig.printer.jobs)
    record = asyncio.run(close_and_report(
        rig.store.journal, rig.store.closes, rig.line.driver, sync=rig.sync,
        printer=rig.hub.printer, kiosk=rig.service.kiosk, wait_s=10))
    report = rig.printer.wait_for_jobs(printed + 1)[-1]
    if look is not None:  # the paper a technician reads
        save_png(report, look)
    return record, report.text


def test_a_close_matches_the_terminal_the_journal_and_the_town_hall(
        pay_rig: PayRig, artifacts_dir: Path) -> None:
    paid = [_pay(pay_rig, FINE), _pay(pay_rig, WATER)]
    record, report = _close(pay_rig, artifacts_dir / "close-report.png")
    assert record.differences == () and record.api_status == "reconciled"
    assert (record.terminal_count, record.kiosk_count) == (2, 2)
    assert record.terminal_total_cents == record.kiosk_total_cents
    assert pay_rig.line.memory.closes == 1 and pay_rig.line.memory.batch == []
    assert "Cierre diario" in report and "Todo coincide." in report
    assert "Municipalidad: coincide" in report
    assert pay_rig.store.database.incidents() == []
    assert pay_rig.store.closes.unclosed() == []  # counted once
    assert paid  # both sales belong to this close
    record_again, _ = _close(pay_rig)  # a second close counts nothing twice
    assert (record_again.terminal_count, record_again.kiosk_count) == (0, 0)


def test_a_payment_missing_at_the_town_hall_is_an_incident_and_named_in_the_report(
        pay_rig: PayRig, artifacts_dir: Path) -> None:
    _pay(pay_rig, FINE)
    journal = pay_rig.store.journal  # a charged sale whose upload the API refuses (parked)
    amount = Money(5_000_00)
    payment = journal.create_payment(amount, (PaidBill("X" * 200, amount),))
    journal.begin_authorizing(payment.ticket)
    sale = pay_rig.line.driver.sale(amount.cents, payment.ticket, lambda _: None)
    journal.record_authorized(payment.ticket, authorization_code=str(sale.authorization_code),
                              operation_number=str(sale.operation_number),
                              card_type=sale.card_type or "", card_last4="4242")
    pay_rig.sync.wake()
    wait_for(lambda: any(e.state == "parked" for e in pay_rig.store.outbox.view()),
             "the refused upload parked")
    record, report = _close(pay_rig, artifacts_dir / "close-report-differences.png")
    assert record.api_status == "differences"
    named = f"ticket {payment.ticket:06d}"
    assert any(named in d and "town hall" in d for d in record.differences)
    assert any(named in i.detail for i in pay_rig.store.database.incidents()
               if i.kind == "close_difference")
    assert named in report and "Municipalidad: hay diferencias" in report


def test_a_sale_someone_else_made_on_the_terminal_is_a_difference(pay_rig: PayRig) -> None:
    _pay(pay_rig, FINE)
    pay_rig.line.memory.foreign_sale(2_000)
    record, report = _close(pay_rig)
    assert any("ticket 900001" in d and "not in the journal" in d for d in record.differences)
    assert "ticket 900001" in report


def test_the_batch_proves_an_unknown_sale_was_charged(pay_rig: PayRig) -> None:
    journal = pay_rig.store.journal
    amount = Money(1_200_00)
    payment = journal.create_payment(amount, (PaidBill(WATER, amount),))
    journal.begin_authorizing(payment.ticket)
    pay_rig.line.driver.sale(amount.cents, payment.ticket, lambda _: None)  # charged ...
    journal.record_unproven(payment.ticket, "terminal_holds_no_sale")  # ... answer lost
    record, _ = _close(pay_rig)
    row = journal.get(payment.ticket)
    assert row.state in (PaymentState.AUTHORIZED, PaymentState.SYNCED)
    assert journal.awaiting_staff() == [] and record.kiosk_count == 1
