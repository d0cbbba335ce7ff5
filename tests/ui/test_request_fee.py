"""A request with a fixed fee is paid where it is made, on every real stack.

The birth certificate costs $1.500: after the PIN signature the case number comes back and
the fee is paid at once, through the one money path (journal, then the terminal); ONE
receipt carries the case number (Code128) and the payment (the QR code and a "Pago PAG-"
line), and says when and where the certificate is ready. Declined, the request is kept
"awaiting payment" at the API, its receipt says how to pay later, and the fee is then paid
as a bill by its number, which moves the case on.
"""

from __future__ import annotations

import json
from pathlib import Path

from drivers.payment.simulator import Fault, Script
from drivers.printer.simulator.render import render_job
from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from rig.harness import LANDSCAPE, KioskUI
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import look, look_both, symbols_in, texts
from tests.ui.pay_steps import api_payments, open_pay, wait_result

BIRTH = next(p for p in PROCEDURES if p["id"] == "birth_certificate")  # $1.500, e-ID
SEND_S = 30.0


def _sign_birth_certificate(ui: KioskUI) -> None:
    """From attract: the procedure, the card, the phone, check, PIN: the fee screen."""
    (category,) = [c for c in CATEGORIES if c["id"] == BIRTH["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (BIRTH["title"]["es"], "procedure"))
    ui.tap("start")
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "request_form"))
    ui.call("type_text", text="0470123456")
    ui.tap("next")
    ui.wait_for_screen("request_check")
    assert "Este trámite cuesta $1.500. Después de enviarlo, puede pagarlo aquí" in texts(ui)
    ui.tap("confirm")
    ui.wait_for_screen("identify_pin")
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "request_fee", "the fee", timeout=SEND_S)
    ui.wait_until(lambda: "Pagar ahora" in {b["text"] for b in ui.call("buttons")},
                  "the fee's bill found at the API")


def _case(stack: KioskStack) -> tuple[str, str, str]:
    """The birth certificate case at the API: (case number, status, fee bill)."""
    (row,) = stack.api_rows("SELECT case_number, status, fee_reference FROM cases"
                            " WHERE procedure_id = ? AND idempotency_key IS NOT NULL",
                            BIRTH["id"])
    return str(row[0]), str(row[1]), str(row[2])


def _fee_status(stack: KioskStack, reference: str) -> str:
    ((status,),) = stack.api_rows("SELECT status FROM debts WHERE reference = ?", reference)
    return str(status)


def test_a_fixed_fee_is_paid_in_the_same_session_with_one_sale_and_one_receipt(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    _sign_birth_certificate(ui)
    case_number, status, fee_reference = _case(stack)
    assert status == "awaiting_payment" and _fee_status(stack, fee_reference) == "pending"
    assert ui.call("widget", target="reference")["text"] == case_number
    assert ui.call("widget", target="amount")["text"] == "$1.500"
    assert stack.printer.jobs == []  # the one receipt waits for the payment
    look_both(ui, "request_fee", artifacts_dir, english="Pay the fee of your request")

    ui.tap("pay_now")
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the paid request",
                  timeout=SEND_S)
    assert "La tasa está pagada" in texts(ui)
    assert ui.call("widget", target="ready")["text"] == (
        "Listo en: 5 minutos. Lo retira en: Registro civil, primer piso")
    assert ui.call("widget", target="reference")["text"] == case_number
    look_both(ui, "request_done-fee-paid", artifacts_dir, english="The fee is paid")

    (sale,) = stack.terminal.memory.approved  # exactly one sale at the terminal
    assert sale.amount_pesos == 1500
    (payment,) = api_payments(stack)
    assert payment.amount_cents == 150_000
    assert [b["reference"] for b in json.loads(payment.bills)] == [fee_reference]
    assert _case(stack)[1] == "received" and _fee_status(stack, fee_reference) == "paid"

    (job,) = stack.printer.wait_for_jobs(1)  # ONE receipt
    assert job.complete and not job.errors
    printed = " ".join(job.text.split())
    for expected in ("SOLICITUD RECIBIDA, TASA PAGADA", case_number, "Pago PAG-",
                     "Acta de nacimiento", "TOTAL", "$1.500",
                     "Listo en: 5 minutos. Lo retira en: Registro civil, primer piso"):
        assert expected in printed, expected
    paper = render_job(job)
    paper.save(artifacts_dir / "receipt-request-fee-paid.png")
    verify = f"{stack.api.root_url}/verify?ref={payment.idempotency_key}"
    assert symbols_in(paper) == {"QRCode": [verify], "Code128": [case_number]}


def test_a_declined_fee_keeps_the_request_awaiting_payment_and_it_is_paid_later_by_number(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.DECLINE, code="01"))
    ui = stack.start(LANDSCAPE)
    _sign_birth_certificate(ui)
    look(ui, "request_fee-es-landscape", artifacts_dir)
    ui.tap("pay_now")
    ui.wait_until(lambda: "No se cobró" in str(ui.call("widget", target="message")["text"]),
                  "the decline", timeout=SEND_S)
    assert ui.call("widget", target="pay_now")["text"] == "Intentar de nuevo"
    look(ui, "request_fee-declined-es-landscape", artifacts_dir)
    assert stack.terminal.memory.approved == [] and stack.printer.jobs == []

    ui.tap("pay_later")
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the request's receipt",
                  timeout=SEND_S)
    assert "La tasa aún no está pagada" in texts(ui)
    assert ui.call("widget", target="ready")["text"].startswith(
        "Listo en: 5 minutos una vez pagada la tasa.")
    look(ui, "request_done-fee-later-es-landscape", artifacts_dir)
    case_number, status, fee_reference = _case(stack)
    assert status == "awaiting_payment" and api_payments(stack) == []
    (job,) = stack.printer.wait_for_jobs(1)
    printed = " ".join(job.text.split())
    grouped = " ".join(fee_reference[i:i + 4] for i in range(0, 12, 4))  # as on the keypad
    for expected in ("ESPERANDO EL PAGO", case_number, grouped, "Tasa $1.500: aún no pagada",
                     "Listo en: 5 minutos una vez pagada la tasa. Lo retira en: Registro"):
        assert expected in printed, expected
    assert "TOTAL" not in printed
    render_job(job).save(artifacts_dir / "receipt-request-fee-later.png")

    ui.tap("finish")
    ui.wait_for_screen("survey")
    ui.tap("Muy bien")
    ui.wait_for_screen("goodbye")
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=30)

    open_pay(ui)  # later, as anyone at any kiosk: the fee's number from the receipt
    ui.tap_through(("pay_reference", "pay_entry"))
    for digit in fee_reference:
        ui.tap(digit)
    ui.tap("find")
    ui.wait_until(lambda: ui.call("screen") == "pay_confirm", "the fee found")
    assert case_number in texts(ui)  # the fee names its case
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui)
    (sale,) = stack.terminal.memory.approved
    assert sale.amount_pesos == 1500
    (payment,) = api_payments(stack)
    assert [b["reference"] for b in json.loads(payment.bills)] == [fee_reference]
    assert _case(stack)[1] == "received" and _fee_status(stack, fee_reference) == "paid"
