"""The Pay journey's services on the real stacks: API, terminal and printer simulators."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
import requests

from common.money import Money
from drivers.payment.simulator import Fault, Script
from kiosk import bill_barcode
from kiosk.devices import ReceiptMode
from kiosk.services.pay_bills import (
    BILL_ALREADY_PAID,
    AlreadyPaid,
    NotPayableByCard,
    PayBills,
    PreviousPaymentOpen,
    ReceiptChoiceRequired,
    SelectionUsed,
)
from kiosk.services.pay_model import PayableBill, PayOutcome, PayResult, Selection, SelectionState
from offline_cache.journal import PaymentState
from rig.wait import wait_for
from tests.fixtures.pay_rig import PayRig

WATER_REFERENCE = "200000000001"


def pay(service: PayBills, selection: Selection, progress: list[str] | None = None,
        **options: bool) -> PayOutcome:
    sink = progress if progress is not None else []
    return asyncio.run(service.pay(selection, sink.append, **options))


def water_bill_selection(rig: PayRig) -> Selection:
    found = asyncio.run(rig.service.bill_by_reference(WATER_REFERENCE))
    assert not found.offline and found.message_key is None
    (bill,) = [b for b in found.bills if b.reference == WATER_REFERENCE]
    return rig.service.select([bill])


def test_one_bill_paid_by_reference_prints_a_receipt_whose_qr_verifies_at_the_api(
        pay_rig: PayRig) -> None:
    selection = water_bill_selection(pay_rig)
    progress: list[str] = []
    outcome = pay(pay_rig.service, selection, progress)
    assert outcome.result is PayResult.PAID_PRINTED and outcome.payment is not None
    assert progress and selection.state is SelectionState.SEALED
    (job,) = pay_rig.printer.wait_for_jobs(1)
    key = outcome.payment.idempotency_key
    assert job.complete and job.qr_codes == [f"{pay_rig.api.root_url}/verify?ref={key}"]
    assert job.barcodes[0].data == f"PAG-{outcome.payment.ticket:06d}"
    assert "200000000001" in job.text and "Agua potable" in job.text
    # online: the sync worker delivered the payment before printing, so it is confirmed
    assert not outcome.pending_confirmation and "PAGO CONFIRMADO" in job.text
    wait_for(lambda: pay_rig.store.journal.get(outcome.payment.ticket).state
             is PaymentState.SYNCED, "the sync worker to deliver the payment")
    assert pay_rig.payments_at_api(key) == 1
    page = requests.get(job.qr_codes[0], timeout=5)
    assert page.status_code == 200  # the QR's page finds the payment
    # the API now holds the debt as paid: looked up again, it is gone
    again = asyncio.run(pay_rig.service.bill_by_reference(WATER_REFERENCE))
    assert WATER_REFERENCE not in [b.reference for b in again.bills]


def test_offline_barcode_payment_says_pending_and_is_delivered_once_when_the_link_returns(
        pay_rig: PayRig) -> None:
    pay_rig.api.stop()
    found = asyncio.run(pay_rig.service.bill_by_reference(WATER_REFERENCE))
    assert found.offline and found.message_key is not None and not found.bills
    barcode = bill_barcode.encode(bill_barcode.Bill(WATER_REFERENCE, 1_234_500,
                                                    date(2026, 12, 1)))
    bill = pay_rig.service.bill_from_barcode(barcode)
    outcome = pay(pay_rig.service, pay_rig.service.select([bill]))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.pending_confirmation
    assert outcome.payment is not None
    (job,) = pay_rig.printer.wait_for_jobs(1)
    assert "PENDIENTE DE CONFIRMACIÓN" in job.text
    ticket, key = outcome.payment.ticket, outcome.payment.idempotency_key
    assert pay_rig.store.journal.get(ticket).state is PaymentState.RECEIPT_PRINTED
    pay_rig.api.start()
    wait_for(lambda: pay_rig.store.journal.get(ticket).state is PaymentState.SYNCED,
             "delivery after the link returns")
    time.sleep(0.6)  # a few more sync rounds: nothing is sent again
    assert pay_rig.payments_at_api(key) == 1


def test_a_declined_card_prints_nothing_and_records_nothing_at_the_api(
        pay_rig: PayRig) -> None:
    pay_rig.line.memory.queue(Script(Fault.DECLINE, code="01"))
    selection = water_bill_selection(pay_rig)
    outcome = pay(pay_rig.service, selection)
    assert outcome.result is PayResult.NOT_PAID and outcome.payment is not None
    assert pay_rig.store.journal.get(outcome.payment.ticket).state is PaymentState.DECLINED
    assert selection.state is SelectionState.OPEN  # nothing taken: another card may be tried
    assert pay_rig.sync.status().queue_depth == 0  # nothing was queued for the API
    assert pay_rig.printer.jobs == []
    assert pay_rig.payments_at_api(outcome.payment.idempotency_key) == 0


@pytest.mark.parametrize("fault", ["before", "during"])
def test_paper_out_keeps_the_payment_paid_with_an_on_screen_receipt_and_reprints_later(
        pay_rig: PayRig, fault: str) -> None:
    selection = water_bill_selection(pay_rig)
    if fault == "before":
        pay_rig.printer.faults.set_paper("out")
        pay_rig.hub.refresh()
        assert pay_rig.hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED
        with pytest.raises(ReceiptChoiceRequired):
            pay(pay_rig.service, selection)  # the citizen has not accepted the QR yet
        assert pay_rig.line.memory.approved == []
        outcome = pay(pay_rig.service, selection, receipt_on_screen_ok=True)
    else:
        pay_rig.printer.faults.paper_out_after(200)
        outcome = pay(pay_rig.service, selection)
    assert outcome.result is PayResult.PAID_RECEIPT_ON_SCREEN
    assert outcome.print_job_id is not None and outcome.receipt is not None
    assert outcome.payment is not None
    assert outcome.receipt.verification_url.endswith(outcome.payment.idempotency_key)
    state = pay_rig.store.journal.get(outcome.payment.ticket).state
    assert state in (PaymentState.AUTHORIZED, PaymentState.SYNCED)  # paid, no receipt yet
    pay_rig.printer.faults.set_paper("ok")
    pay_rig.hub.refresh()
    assert pay_rig.hub.receipt_mode() is ReceiptMode.PAPER
    reprinted = asyncio.run(pay_rig.service.reprint(outcome))
    assert reprinted.result is PayResult.PAID_PRINTED
    printed = [job for job in pay_rig.printer.jobs if job.complete]
    assert len(printed) == 1 and printed[0].qr_codes == [outcome.receipt.verification_url]
    assert len(pay_rig.line.memory.approved) == 1  # one sale, never re-charged


def test_paying_the_same_selection_again_after_back_cannot_charge_twice(
        pay_rig: PayRig) -> None:
    selection = water_bill_selection(pay_rig)
    first = pay(pay_rig.service, selection)
    assert first.result is PayResult.PAID_PRINTED
    with pytest.raises(SelectionUsed):
        pay(pay_rig.service, selection)  # "Back" then "Pay" on the same screen
    with pytest.raises(AlreadyPaid):
        pay_rig.service.select(list(selection.bills))  # "Back" to the list, same bill
    assert len(pay_rig.line.memory.approved) == 1
    assert len(pay_rig.printer.wait_for_jobs(1)) == 1


def test_a_terminal_silent_after_approving_is_recovered_and_paid_once(pay_rig: PayRig) -> None:
    pay_rig.line.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    outcome = pay(pay_rig.service, water_bill_selection(pay_rig))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.payment is not None
    (sale,) = pay_rig.line.memory.approved
    assert outcome.payment.authorization_code == sale.authorization_code
    assert pay_rig.line.memory.sale_commands == 1
    assert len(pay_rig.printer.wait_for_jobs(1)) == 1


def test_a_line_lost_mid_sale_seals_the_selection_and_blocks_new_sales_until_recovered(
        pay_rig: PayRig) -> None:
    pay_rig.line.memory.queue(Script(Fault.DISCONNECT))
    selection = water_bill_selection(pay_rig)
    outcome = pay(pay_rig.service, selection)
    assert outcome.result is PayResult.CHECKING and outcome.payment is not None
    assert pay_rig.store.journal.get(outcome.payment.ticket).state is PaymentState.UNKNOWN
    with pytest.raises(SelectionUsed):
        pay(pay_rig.service, selection)
    other = pay_rig.service.bill_from_barcode(bill_barcode.encode(
        bill_barcode.Bill("100000000002", 5_000_00, date(2026, 12, 31))))
    fresh = pay_rig.service.select([other])
    with pytest.raises(PreviousPaymentOpen):
        pay(pay_rig.service, fresh)  # the unknown row must be settled first
    assert fresh.state is SelectionState.OPEN
    # one paper only: the first citizen's "being checked" receipt, with her reference
    (slip,) = pay_rig.printer.jobs
    assert "Pago en revisión" in slip.text and f"PAG-{outcome.payment.ticket:06d}" in slip.text
    assert outcome.receipt is not None and outcome.receipt.status_text.startswith("En revisi")
    assert pay_rig.line.memory.sale_commands == 1


def test_a_bill_paid_offline_cannot_be_paid_again_in_a_later_session_until_confirmed(
        pay_rig: PayRig) -> None:
    pay_rig.api.stop()
    barcode = bill_barcode.encode(bill_barcode.Bill(WATER_REFERENCE, 1_234_500,
                                                    date(2026, 12, 1)))
    first = pay_rig.service
    outcome = pay(first, first.select([first.bill_from_barcode(barcode)]))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.pending_confirmation
    # The next citizen's session (a new PayBills) scans the same paper bill.
    later = PayBills(api=first.api, journal=first.journal, devices=first.devices,
                     kiosk=first.kiosk, sync=first.sync)
    with pytest.raises(AlreadyPaid):
        pay(later, later.select([later.bill_from_barcode(barcode)]))
    assert len(pay_rig.line.memory.approved) == 1  # the terminal was never asked again
    assert pay_rig.store.journal.unconfirmed_references() == {WATER_REFERENCE}


def test_a_scanned_bill_is_checked_at_the_api_when_it_answers_and_paid_offline_otherwise(
        pay_rig: PayRig) -> None:
    barcode = bill_barcode.encode(bill_barcode.Bill(WATER_REFERENCE, 1_234_500,
                                                    date(2026, 12, 1)))
    online = asyncio.run(pay_rig.service.bill_by_barcode(barcode))
    (bill,) = online.bills
    assert not online.offline and bill.description["es"]  # the API's bill, described
    outcome = pay(pay_rig.service, pay_rig.service.select([bill]))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.payment is not None
    ticket = outcome.payment.ticket
    wait_for(lambda: pay_rig.store.journal.get(ticket).state is PaymentState.SYNCED,
             "the payment to be delivered")
    later = PayBills(api=pay_rig.service.api, journal=pay_rig.store.journal,
                     devices=pay_rig.hub, kiosk=pay_rig.service.kiosk)
    paid = asyncio.run(later.bill_by_barcode(barcode))
    assert paid.bills == () and paid.message_key == BILL_ALREADY_PAID
    pay_rig.api.stop()
    offline = asyncio.run(later.bill_by_barcode(barcode))
    assert offline.offline and [b.amount.cents for b in offline.bills] == [1_234_500]
    assert offline.bills[0].description == {"es": "Boleta municipal", "en": "Municipal bill"}
    with pytest.raises(bill_barcode.BarcodeError):
        asyncio.run(later.bill_by_barcode(barcode[:-1] + str((int(barcode[-1]) + 1) % 10)))


def test_an_amount_in_fractions_of_a_peso_is_refused_when_chosen_before_any_journal_row(
        pay_rig: PayRig, caplog: pytest.LogCaptureFixture) -> None:
    bill = PayableBill(WATER_REFERENCE, Money(1_234_550), "2026-12-01")  # $12.345,50
    with pytest.raises(NotPayableByCard):  # its message_key: plain words on the screen
        pay_rig.service.select([bill])
    assert "1234550 cents of CLP" in caplog.text  # and the technicians' reason in the log
    assert pay_rig.store.database.conn.execute("SELECT COUNT(*) FROM payments").fetchone()[0] == 0
    assert pay_rig.line.memory.sale_commands == 0
