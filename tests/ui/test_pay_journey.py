"""Pay by touch on every real stack: reference API, pcscd + virtual card, printer, terminal.

Each journey ends with the receipt in the printer simulator (QR and barcode decoded from the
rendered paper) and the payment recorded once at the API.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.pay_steps import (
    check_receipt,
    identify,
    one_payment_at_api,
    open_pay,
    pending_debts,
    texts,
    wait_result,
)
from tests.ui.stack import KioskStack, kiosk_stack  # noqa: F401  (fixture)
from tests.ui.test_identify_journey import _look_both as look_both


def test_all_debts_after_the_eid_are_paid_in_one_sale_with_one_receipt_and_one_record(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:  # noqa: F811
    stack = kiosk_stack
    debts = pending_debts(stack)
    assert len(debts) >= 2
    ui = stack.start()
    open_pay(ui)
    look_both(ui, "pay_start", artifacts_dir)
    identify(ui)
    ui.wait_until(lambda: "Total a pagar" in texts(ui), "the debts listed")
    total = sum(amount for _, amount, _ in debts)
    look_both(ui, "pay_debts", artifacts_dir)

    ui.tap_through(("continue", "pay_confirm"))
    look_both(ui, "pay_confirm", artifacts_dir)
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
    assert ui.call("session_state")["history"] == ["pay_result"]  # sealed: no way back

    ui.tap("finish")
    ui.wait_for_screen("attract")
    assert pending_debts(stack) == []
