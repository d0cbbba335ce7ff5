"""Pay by touch on every real stack: reference API, pcscd + virtual card, printer, terminal.

Each journey ends with the receipt in the printer simulator (QR and barcode decoded from the
rendered paper) and the payment recorded once at the API.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from common.money import Money, format_money
from drivers.payment.simulator import Fault, Script
from screens.journeys import SURVEY_SCREEN
from tests.fixtures.ui import KioskStack
from tests.ui.pay_steps import (
    FINE,
    api_payments,
    barcode_of,
    check_receipt,
    identify,
    one_payment_at_api,
    open_pay,
    pending_debts,
    scan,
    texts,
    wait_result,
)
from tests.ui.test_identify_journey import _look_both as look_both


def test_all_debts_after_the_eid_are_paid_in_one_sale_with_one_receipt_and_one_record(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    debts = pending_debts(stack)
    assert len(debts) >= 2
    ui = stack.start()
    open_pay(ui)
    look_both(ui, "pay_start", artifacts_dir)
    identify(ui)
    ui.wait_until(lambda: "Total a pagar" in texts(ui), "the debts listed")
    for reference, _, _ in debts:  # she came for property tax: she adds the others
        if not reference.startswith("1"):
            ui.tap(reference)
    total = sum(amount for _, amount, _ in debts)
    ui.wait_until(lambda: format_money(Money(total), "es") in texts(ui), "every debt chosen")
    look_both(ui, "pay_debts", artifacts_dir)

    ui.tap_through(("continue", "pay_confirm"))
    lines = ui.call("widget", target="lines")["text"]  # whose bill it is, and when due
    assert "Propiedad CAT-000001, en Calle de los Álamos" in lines
    assert "Cuenta de agua AG00000001, en Calle de los Álamos" in lines
    assert "Vehículo patente VE0001" in lines and "Vence el 31 de diciembre de 2026" in lines
    assert "Álamos 14" not in texts(ui)  # the street, never the door
    look_both(ui, "pay_confirm", artifacts_dir, english="Property CAT-000001")
    ui.tap("pay")
    shown = wait_result(ui)
    assert "Pago aprobado" in shown
    look_both(ui, "pay_result", artifacts_dir)

    (sale,) = stack.terminal.memory.approved
    assert sale.amount_pesos * 100 == total
    (job,) = stack.printer.wait_for_jobs(1)
    payment = one_payment_at_api(stack)
    assert payment.amount_cents == total
    assert sorted(b["reference"] for b in json.loads(payment.bills)) == [r for r, _, _ in debts]
    check_receipt(stack, job, payment)
    assert all(reference in job.text for reference, _, _ in debts)
    paper = " ".join(job.text.split())
    assert "(Propiedad CAT-000001, en Calle de los Álamos)" in paper  # the property labelled
    assert "Pagado con tarjeta" in paper and "código de autorización" in paper
    assert ui.call("session_state")["history"] == ["pay_result"]  # sealed: no way back

    ui.tap("finish")
    ui.wait_for_screen(SURVEY_SCREEN)
    params = ui.call("screen_params")
    assert (params["journey"], params["receipt"]) == ("pay", True)  # "take your receipt"
    assert pending_debts(stack) == []


def test_one_bill_typed_by_its_reference_is_paid_with_the_terminal_messages_on_screen(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    (amount,) = [a for r, a, _ in pending_debts(stack) if r == FINE]
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=1.2))  # time to read each message
    ui = stack.start()
    open_pay(ui)
    ui.tap_through(("pay_reference", "pay_entry"))
    for digit in FINE[:6]:
        ui.tap(digit)
    ui.tap("find")
    assert "demasiado corto" in ui.call("widget", target="message")["text"]
    for digit in FINE[6:]:
        ui.tap(digit)
    assert ui.call("widget", target="field")["text"] == "3000 0000 0001|"
    look_both(ui, "pay_entry", artifacts_dir)
    ui.tap("find")
    ui.wait_until(lambda: ui.call("screen") == "pay_confirm", "the bill found")
    assert "Multa de estacionamiento" in texts(ui)
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    ui.wait_until(lambda: "terminal" in ui.call("widget", target="message")["text"]
                  and "Siga" not in ui.call("widget", target="message")["text"],
                  "a message from the terminal")
    assert not [b for b in ui.call("buttons") if b["text"].endswith("Volver")]  # no Back
    look_both(ui, "pay_progress", artifacts_dir)
    assert "Pago aprobado" in wait_result(ui)

    (sale,) = stack.terminal.memory.approved
    assert sale.amount_pesos * 100 == amount
    (job,) = stack.printer.wait_for_jobs(1)
    payment = one_payment_at_api(stack)
    assert payment.amount_cents == amount
    assert [b["reference"] for b in json.loads(payment.bills)] == [FINE]
    check_receipt(stack, job, payment)
    assert FINE in job.text and "Multa de estacionamiento" in job.text
    assert FINE not in [r for r, _, _ in pending_debts(stack)]  # the town hall has it paid


def test_a_scanned_barcode_is_paid_offline_and_delivered_once_when_the_link_returns(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    stack.api.stop()
    ui = stack.start()
    ui.wait_until(lambda: ui.call("widget", target="banner")["height"] > 0, "offline banner")
    open_pay(ui)
    scan(ui, barcode_of(*debt))  # the scanner types on the first Pay screen
    ui.wait_for_screen("pay_confirm")
    assert "pendiente de confirmación" in texts(ui)
    assert f"Boleta municipal {FINE}" in ui.call("widget", target="lines")["text"]
    look_both(ui, "pay_confirm-offline", artifacts_dir)
    ui.tap("pay")
    shown = wait_result(ui)
    assert "Pago aprobado" in shown and "pendiente de confirmación" in shown
    look_both(ui, "pay_result-offline", artifacts_dir)
    (job,) = stack.printer.wait_for_jobs(1)
    assert "PENDIENTE DE CONFIRMACIÓN" in job.text and "Boleta municipal" in job.text
    assert api_payments(stack) == []

    stack.api.start()
    payment = one_payment_at_api(stack)
    check_receipt(stack, job, payment)  # the QR printed offline finds the payment now
    assert payment.amount_cents == debt[1]
    time.sleep(1.5)  # several more sync rounds: nothing is sent twice
    assert len(api_payments(stack)) == 1 and len(stack.terminal.memory.approved) == 1
    ui.tap("finish")
    ui.wait_for_screen(SURVEY_SCREEN)
