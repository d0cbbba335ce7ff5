"""Reprint a receipt later, at any kiosk, on every real stack.

Kiosk A issues the receipts (a fine paid by card, a complaint requested) and is switched
off; kiosk B, another kiosk id on another data folder, prints them again from what the API
holds: by the QR code (a USB scanner types its URL and Enter), by the typed payment
reference with the card's last four digits (wrong digits refused), by the case number. The
copy is marked COPIA at the printer simulator and decodes to the same QR and reference. A
receipt older than the window is refused with a plain message.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drivers.printer.simulator.render import render_job
from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from rig.harness import LANDSCAPE, KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.looks import look, look_both, symbols_in, texts
from tests.ui.pay_steps import (
    FINE,
    barcode_of,
    one_payment_at_api,
    open_pay,
    pending_debts,
    scan,
    wait_result,
)

COMPLAINT = next(p for p in PROCEDURES if p["id"] == "complaint")  # no identity, free
LOOK_UP_S = 20.0


def _message(ui: KioskUI) -> str:
    return str(ui.call("widget", target="message")["text"])


def _second_kiosk(stack: KioskStack, first: KioskUI, tmp_path: Path,
                  extra: dict[str, object] | None = None) -> KioskUI:
    """Switch kiosk A off; start kiosk B: its own id, data folder and empty database."""
    first.__exit__(None, None, None)
    folder = tmp_path / "kiosk-b"
    kiosk = stack.api.enrol_into(folder / "enrolment.json")
    ui = stack.start({"kiosk": {"id": kiosk.kiosk_id, "data_dir": str(folder)}, **(extra or {})})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("reprint", "reprint"))
    return ui


def _type_scanned(ui: KioskUI, text: str) -> None:
    """What a keyboard-like USB scanner sends for a QR code: its text, then Enter."""
    for char in text:
        ui.call("key", key=ord(char), codepoint=char)
    ui.call("key", key=13)


def _copy_printed(ui: KioskUI, stack: KioskStack, count: int) -> None:
    ui.wait_until(lambda: "Su copia se está imprimiendo" in _message(ui), "the copy",
                  timeout=LOOK_UP_S)
    stack.printer.wait_for_jobs(count)


def _again(ui: KioskUI) -> None:
    """Finish, then a new session straight to Reprint (the survey answered)."""
    ui.tap("continue")  # "Finish"
    ui.wait_for_screen("survey")
    ui.tap("Muy bien")
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=30)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("reprint", "reprint"))


def test_a_payment_receipt_is_reprinted_at_a_second_kiosk_by_qr_and_by_reference(
        kiosk_stack: KioskStack, artifacts_dir: Path, tmp_path: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    open_pay(ui)
    scan(ui, barcode_of(*debt))
    ui.wait_for_screen("pay_confirm")
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui)
    payment = one_payment_at_api(stack)
    (original,) = stack.printer.wait_for_jobs(1)
    reference = f"PAG-{payment.ticket:06d}"
    ((last4,),) = stack.api_rows("SELECT card_last4 FROM payments")
    assert "COPIA" not in original.text

    ui = _second_kiosk(stack, ui, tmp_path, LANDSCAPE)
    look(ui, "reprint-es-landscape", artifacts_dir)
    (qr,) = original.qr_codes
    _type_scanned(ui, qr)  # kiosk B has never seen this payment: the API answers
    _copy_printed(ui, stack, 2)
    look(ui, "reprint-done-es-landscape", artifacts_dir)
    copy = stack.printer.jobs[1]
    assert copy.complete and not copy.errors
    assert "COPIA" in copy.text and reference in copy.text
    for same in ("Multa de estacionamiento", f"****{last4}", "TOTAL"):
        assert same in copy.text, same
    paper = render_job(copy)
    paper.save(artifacts_dir / "receipt-payment-copy.png")
    assert symbols_in(paper) == {"QRCode": [qr], "Code128": [reference]}

    _again(ui)
    ui.call("type_text", text=reference.replace("-", ""))  # no hyphen key: not needed
    ui.tap("continue")
    ui.wait_until(lambda: "4 últimos dígitos" in texts(ui), "the last four digits")
    assert ui.call("widget", target="subject")["text"] == reference  # which receipt it is
    wrong = "0000" if last4 != "0000" else "1111"
    ui.call("type_text", text=wrong)
    ui.tap("continue")
    ui.wait_until(lambda: "No encontramos ningún comprobante" in _message(ui), "the refusal",
                  timeout=LOOK_UP_S)
    look(ui, "reprint-wrong-digits-es-landscape", artifacts_dir)
    assert len(stack.printer.jobs) == 2  # nothing printed for wrong digits
    ui.call("type_text", text=last4)
    ui.tap("continue")
    _copy_printed(ui, stack, 3)
    assert "COPIA" in stack.printer.jobs[2].text and reference in stack.printer.jobs[2].text


def test_a_request_receipt_is_reprinted_by_case_number_and_refused_after_the_window(
        kiosk_stack: KioskStack, artifacts_dir: Path, tmp_path: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    (category,) = [c for c in CATEGORIES if c["id"] == COMPLAINT["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (COMPLAINT["title"]["es"], "procedure"), ("start", "request_form"))
    ui.tap("next")  # the phone is optional
    ui.wait_until(lambda: ui.call("widget", target="question")["text"]
                  == "Describa su solicitud", "the second question")
    ui.call("type_text", text="farola rota, calle 5")
    ui.tap_through(("next", "request_check"), ("confirm", "request_sending"))
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the case number", timeout=30)
    case_number = str(ui.call("widget", target="reference")["text"])
    (original,) = stack.printer.wait_for_jobs(1)

    ui = _second_kiosk(stack, ui, tmp_path)
    ui.call("type_text", text="HOLA")
    ui.tap("continue")
    assert "Esto no es una referencia de comprobante" in _message(ui)
    look_both(ui, "reprint", artifacts_dir, english="This is not a receipt reference")
    for _ in range(4):
        ui.tap("\b")
    ui.call("type_text", text=case_number.replace("-", ""))
    ui.tap("continue")
    _copy_printed(ui, stack, 2)
    look_both(ui, "reprint-done", artifacts_dir, english="Your copy is printing")
    copy = stack.printer.jobs[1]
    assert "COPIA" in copy.text and case_number in copy.text
    assert COMPLAINT["title"]["es"] in " ".join(copy.text.split())
    assert symbols_in(render_job(copy)) == {"QRCode": original.qr_codes,
                                            "Code128": [case_number]}

    aged = (datetime.now(UTC) - timedelta(days=91)).isoformat()  # the town hall's record, aged
    with sqlite3.connect(stack.api.db_path) as conn:
        conn.execute("UPDATE cases SET submitted_at = ? WHERE case_number = ?",
                     (aged, case_number))
    _again(ui)
    ui.call("type_text", text=case_number.replace("-", ""))
    ui.tap("continue")
    ui.wait_until(lambda: "tiene más de 90 días" in _message(ui), "the refusal",
                  timeout=LOOK_UP_S)
    assert _message(ui) == ("Este comprobante tiene más de 90 días, por eso no se puede volver"
                            " a imprimir aquí. Consulte en la oficina municipal.")
    look(ui, "reprint-too-old-es-portrait", artifacts_dir)
    assert len(stack.printer.jobs) == 2
