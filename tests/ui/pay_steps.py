"""Steps the Pay journey tests share: open Pay, identify, pay, read the receipt and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from drivers.printer.simulator.job import Job
from kiosk.bill_barcode import Bill, encode
from rig.harness import KioskUI
from rig.wait import wait_for
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import symbols, texts

PROPERTY_TAX = "Pagar el impuesto predial"  # a lookup-fee procedure: its Start opens Pay
FINE = "300000000001"  # María's parking fine in the demo seed


@dataclass(frozen=True)
class ApiPayment:
    """A payment as the town hall recorded it."""

    ticket: int
    amount_cents: int
    idempotency_key: str
    bills: str


def open_pay(ui: KioskUI) -> None:
    """From the attract screen: home, Pay, the property tax procedure, Start."""
    open_pay_for(ui, PROPERTY_TAX)


def open_pay_for(ui: KioskUI, procedure: str) -> None:
    """From the attract screen: home, Pay, the procedure with this Spanish title, Start."""
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("pay", "procedures"), (procedure, "procedure"), ("start", "pay_start"))


def identify_with_card(ui: KioskUI, use_card: str, then: str) -> None:
    """Tap ``use_card``: confirm, consent, María's PIN, until the screen ``then`` shows."""
    ui.tap(use_card)
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "identify_pin"))
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == then, then, timeout=WAIT_CARD_S)


def identify(ui: KioskUI) -> None:
    """Use my card in Pay: confirm, consent, María's PIN, then her debts."""
    identify_with_card(ui, "pay_card", "pay_debts")
    ui.wait_until(lambda: not ui.call("disabled", target="continue"), "the debts looked up")


def wait_result(ui: KioskUI, timeout: float = 30.0) -> str:
    """Wait for the result screen and return its texts."""
    ui.wait_until(lambda: ui.call("screen") == "pay_result", "the payment's result", timeout)
    return texts(ui)


def scan(ui: KioskUI, digits: str) -> None:
    """What a keyboard-like USB barcode scanner sends: the digits, then Enter."""
    for digit in digits:
        ui.call("key", key=ord(digit), codepoint=digit)
    ui.call("key", key=13)


def pending_debts(stack: KioskStack) -> list[tuple[str, int, str]]:
    """María's pending debts at the API: (reference, amount in cents, due date)."""
    return [(str(row[0]), int(row[1]), str(row[2])) for row in stack.api_rows(
        "SELECT reference, amount_cents, due_date FROM debts WHERE national_number = ? "
        "AND status = 'pending' ORDER BY reference", MARIA.national_number)]


def barcode_of(reference: str, amount_cents: int, due_date: str) -> str:
    """The 34 digits printed under a bill's barcode."""
    return encode(Bill(reference, amount_cents, date.fromisoformat(due_date)))


def api_payments(stack: KioskStack) -> list[ApiPayment]:
    """Every payment the API recorded."""
    return [ApiPayment(*row) for row in stack.api_rows(
        "SELECT ticket, amount_cents, idempotency_key, bills FROM payments ORDER BY ticket")]


def one_payment_at_api(stack: KioskStack, timeout: float = 20.0) -> ApiPayment:
    """Wait for the API to hold a payment; fail unless it holds exactly one."""
    wait_for(lambda: api_payments(stack), "the payment at the API", timeout)
    (payment,) = api_payments(stack)
    return payment


def check_receipt(stack: KioskStack, job: Job, payment: ApiPayment) -> None:
    """The paper names this payment: its QR verifies it, its barcode is its reference."""
    assert job.complete and not job.errors
    verify = f"{stack.api.root_url}/verify?ref={payment.idempotency_key}"
    reference = f"PAG-{payment.ticket:06d}"
    assert job.qr_codes == [verify] and [b.data for b in job.barcodes] == [reference]
    decoded = symbols(job)
    assert decoded["QRCode"] == [verify] and decoded["Code128"] == [reference]
