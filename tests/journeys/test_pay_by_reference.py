"""A bill found by the reference number a citizen types, on the real API, terminal and printer."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, datetime

import pytest

from kiosk.services.pay_bills import (
    BILL_ALREADY_PAID,
    BILL_NOT_FOUND,
    BILL_REFERENCE_INVALID,
    OFFLINE_BARCODE,
    PayBills,
)
from kiosk.services.pay_model import DebtsFound, PayResult, normalise_reference
from offline_cache.journal import PaymentState
from rig.wait import wait_for
from tests.fixtures.pay_rig import PayRig

FINE = "300000000001"  # María's parking fine in the demo seed


def find(service: PayBills, typed: str) -> DebtsFound:
    return asyncio.run(service.bill_by_reference(typed))


@pytest.mark.parametrize(("typed", "reference"), [
    ("300000000001", "300000000001"),
    (" 3000-0000 0001 ", "300000000001"),
    ("3000.0000/0001\t", "300000000001"),
    ("ab-12c", "AB12C"),
    ("", None), ("  - ", None), ("3000#0001", None), ("3" * 41, None), ("３０００", None),
])
def test_a_typed_reference_loses_spaces_dashes_and_case_or_is_refused(
        typed: str, reference: str | None) -> None:
    assert normalise_reference(typed) == reference


def test_a_typed_reference_finds_its_bill_which_is_paid_once_and_then_no_longer_offered(
        pay_rig: PayRig) -> None:
    found = find(pay_rig.service, " 3000-0000 0001 ")
    assert found.message_key is None and not found.offline
    (bill,) = found.bills
    assert bill.reference == FINE and bill.kind == "fine" and bill.amount.cents > 0
    assert bill.description["es"] == "Multa de estacionamiento"
    outcome = asyncio.run(pay_rig.service.pay(pay_rig.service.select([bill]), lambda _: None))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.payment is not None
    (sale,) = pay_rig.line.memory.approved
    assert sale.amount_pesos * 100 == bill.amount.cents
    (job,) = pay_rig.printer.wait_for_jobs(1)
    assert FINE in job.text
    payment = outcome.payment
    wait_for(lambda: pay_rig.store.journal.get(payment.ticket).state is PaymentState.SYNCED,
             "the payment to be delivered")
    assert pay_rig.payments_at_api(payment.idempotency_key) == 1
    again = find(pay_rig.service, FINE)  # the API now says paid
    assert again == DebtsFound((), message_key=BILL_ALREADY_PAID)
    elsewhere = PayBills(api=pay_rig.service.api, journal=pay_rig.store.journal,
                         devices=pay_rig.hub, kiosk=pay_rig.service.kiosk)
    assert find(elsewhere, FINE).message_key == BILL_ALREADY_PAID  # not only this session


def test_a_bill_paid_in_this_session_is_not_offered_before_the_api_knows_it(
        pay_rig: PayRig) -> None:
    pay_rig.sync.stop()  # the payment stays queued: the API still says "pending"
    pay_rig.service.confirm_wait_s = 0.1
    (bill,) = find(pay_rig.service, FINE).bills
    outcome = asyncio.run(pay_rig.service.pay(pay_rig.service.select([bill]), lambda _: None))
    assert outcome.result is PayResult.PAID_PRINTED and outcome.pending_confirmation
    assert pay_rig.service.api.bill(FINE)["status"] == "pending"
    assert find(pay_rig.service, FINE) == DebtsFound((), message_key=BILL_ALREADY_PAID)
    assert len(pay_rig.line.memory.approved) == 1


def test_an_unknown_reference_gets_a_plain_message_and_offers_nothing(pay_rig: PayRig) -> None:
    assert find(pay_rig.service, "9999-9999-9999") == DebtsFound((), message_key=BILL_NOT_FOUND)


def test_offline_the_reference_lookup_invites_the_barcode_and_a_bad_reference_asks_nothing(
        pay_rig: PayRig) -> None:
    pay_rig.api.stop()
    assert find(pay_rig.service, FINE) == DebtsFound((), offline=True,
                                                      message_key=OFFLINE_BARCODE)
    # refused before any call: with the server down it still says "check the number"
    assert find(pay_rig.service, "3000#0001") == DebtsFound(
        (), message_key=BILL_REFERENCE_INVALID)


def test_a_bill_paid_at_another_kiosk_is_reported_paid(pay_rig: PayRig) -> None:
    other = pay_rig.api.client(pay_rig.api.enrol("kiosk-elsewhere"))
    bill = other.bill(FINE)
    other.record_payment({
        "ticket": 5, "amount_cents": bill["amount_cents"], "currency": "CLP",
        "bills": [{"reference": FINE, "amount_cents": bill["amount_cents"]}],
        "authorization_code": "OTHER1", "operation_number": "55", "card_type": "CR",
        "card_last4": "0005", "authorized_at": datetime.now(UTC).isoformat()}, str(uuid.uuid4()))
    other.close()
    assert find(pay_rig.service, "3000 0000 0001").message_key == BILL_ALREADY_PAID
    assert pay_rig.line.memory.sale_commands == 0
    with sqlite3.connect(pay_rig.api.db_path) as conn:
        (status,) = conn.execute("SELECT status FROM debts WHERE reference = ?",
                                 (FINE,)).fetchone()
    assert status == "paid"
