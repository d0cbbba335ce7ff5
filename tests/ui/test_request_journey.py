"""Request a procedure by touch, on every real stack (tests/ui/stack.py).

The form comes from the API's catalog, one question per screen, typed on the on-screen
keyboard or the digit pad; check your answers with Change; signed with the e-ID PIN (or sent
at once for procedures that need no card); the case number or provisional reference on
screen and on the printer simulator's paper (its QR and barcode decoded with zxing-cpp);
the case at the reference API. Faults: the card pulled during the form, the API down
during a submission, the printer out of paper.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

from PIL import Image

from drivers.printer.simulator.render import render_job
from kiosk.services.identify import mask_national_number
from kiosk.settings import load_settings
from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from rig.harness import KioskUI
from rig.wait import wait_for
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import look, look_both, symbols_in, texts

CATALOG = {p["id"]: p for p in PROCEDURES}
SIGNED = CATALOG["death_certificate"]  # e-ID, fixed fee, a phone and a name to type
# (paying the fee in the same session: tests/ui/test_request_fee.py; here it is left for later)
BY_ID_NUMBER = CATALOG["pension_advice"]  # typed ID number, free, an optional phone
ANONYMOUS = CATALOG["complaint"]  # no identity, free, a text to type
SEND_S = 30.0  # PIN, signature, API round trips and a receipt on 2 busy cores


def _open(ui: KioskUI, procedure: dict[str, Any]) -> None:
    """From the attract screen to the procedure's page, by touch, in Spanish."""
    (category,) = [c for c in CATEGORIES if c["id"] == procedure["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (procedure["title"]["es"], "procedure"))


def _field(ui: KioskUI) -> str:
    """What the answer field shows, without its cursor bar."""
    return str(ui.call("widget", target="field")["text"]).removesuffix("|")


def _message(ui: KioskUI) -> str:
    return str(ui.call("widget", target="message")["text"])


def _kiosk_rows(ui: KioskUI, sql: str) -> list[tuple[Any, ...]]:
    """Query the kiosk's own offline database (what it journalled)."""
    settings = load_settings(ui.config)
    with sqlite3.connect(settings.data_path(settings.offline.database)) as conn:
        return list(conn.execute(sql).fetchall())


def _cases(stack: KioskStack, procedure_id: str) -> list[tuple[Any, ...]]:
    return stack.api_rows(
        "SELECT case_number, national_number, form, idempotency_key FROM cases"
        " WHERE procedure_id = ? AND idempotency_key IS NOT NULL", procedure_id)


def test_signed_request_fills_the_form_from_the_card_and_prints_the_case_number(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    _open(ui, SIGNED)
    ui.tap("start")  # María's card is in: read at once
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "request_form"))

    # Number, name and address came from the card: the first question asked is the phone.
    assert ui.call("screen_params")["procedure_id"] == SIGNED["id"]
    assert ui.call("widget", target="question")["text"] == "Teléfono de contacto"
    assert "Pregunta 1 de 2" in texts(ui)  # only what she answers is counted
    ui.call("type_text", text="12")  # on the digit pad
    ui.tap("next")
    assert _message(ui) == "Escriba un número de teléfono: solo dígitos, de 7 a 15."
    look_both(ui, "request_form-phone-invalid", artifacts_dir,
              english="Please type a phone number")
    ui.tap("\b")
    ui.tap("\b")
    ui.call("type_text", text="0470123456")
    ui.tap("next")
    ui.wait_until(lambda: ui.call("widget", target="question")["text"]
                  == "Nombre del fallecido", "the next question")
    assert "Pregunta 2 de 2" in texts(ui)
    ui.call("type_text", text="juan pérez")  # on the letter keyboard
    assert _field(ui) == "Juan pérez"
    look_both(ui, "request_form", artifacts_dir, english="Name of the deceased")
    ui.tap("next")
    ui.wait_for_screen("request_check")

    shown = texts(ui)
    for answer in (mask_national_number(MARIA.national_number),
                   f"{MARIA.given_names} {MARIA.surname}", "0470123456", "Juan pérez"):
        assert answer in shown
    assert MARIA.national_number not in shown  # a bystander sees its last digits only
    assert "Este trámite cuesta $1.500. Después de enviarlo, puede pagarlo aquí" in shown
    assert "Número nacional · de su cédula de identidad" in shown  # vouched by the card:
    assert [b["text"] for b in ui.call("buttons")].count("Cambiar") == 3  # no Change for it
    look_both(ui, "request_check", artifacts_dir, english="you can pay it here with your bank")
    ui.tap("change:phone")  # back to that one question, its answer kept
    ui.wait_for_screen("request_form")
    assert _field(ui) == "0470123456"
    ui.tap("\b")
    ui.tap("7")
    ui.tap("next")
    ui.wait_for_screen("request_check")  # Next after a Change returns here
    assert "0470123457" in texts(ui) and "0470123456" not in texts(ui)

    ui.tap("confirm")  # "Sign with my card"
    ui.wait_for_screen("identify_pin")
    assert ui.call("widget", target="pin_heading")["text"] == (
        "Escriba el PIN de su cédula para firmar su solicitud")
    look_both(ui, "identify_pin-sign", artifacts_dir, english="to sign your request")
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "request_fee", "the fee", timeout=SEND_S)
    ui.tap("pay_later")
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the case number",
                  timeout=SEND_S)

    ((case_number, national_number, form, key),) = _cases(stack, SIGNED["id"])
    assert national_number == MARIA.national_number  # from the signed e-ID session
    assert json.loads(form) == {
        "national_number": MARIA.national_number,
        "full_name": f"{MARIA.given_names} {MARIA.surname}", "address": json.loads(form)[
            "address"], "phone": "0470123457", "deceased_name": "Juan pérez"}
    assert json.loads(form)["address"]  # pre-filled from the card's address file
    assert ui.call("widget", target="reference")["text"] == case_number
    look_both(ui, "request_done", artifacts_dir, english="Your case number")

    (job,) = stack.printer.wait_for_jobs(1)
    assert job.complete and not job.errors
    printed = " ".join(job.text.split())  # lines joined as a person reads them
    for expected in ("Acta de defunción", "ESPERANDO EL PAGO", case_number,
                     "Tasa $1.500: aún no pagada.",
                     "Listo en: 5 minutos una vez pagada la tasa. Lo retira en: Registro"):
        assert expected in printed, expected
    assert "TOTAL" not in job.text  # nothing was paid at the kiosk
    verify = f"{stack.api.root_url}/verify?ref={key}"
    assert job.qr_codes == [verify] and [b.data for b in job.barcodes] == [case_number]
    paper = render_job(job)
    paper.save(artifacts_dir / "receipt-request-signed.png")
    assert symbols_in(paper) == {"QRCode": [verify], "Code128": [case_number]}
    assert _kiosk_rows(ui, "SELECT state, private FROM submissions") == [("synced", None)]

    ui.tap("finish")  # the survey, then a goodbye that reminds of the printed receipt
    ui.wait_for_screen("survey")
    assert ui.call("session_state")["history"] == ["request_done", "survey"]  # sealed
    ui.tap("Muy bien")
    ui.wait_for_screen("goodbye")
    assert "Retire su comprobante de la impresora." in texts(ui)


def test_pulling_the_card_during_the_form_wipes_everything_and_sends_nothing(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    ui = stack.start()
    _open(ui, SIGNED)
    ui.tap("start")
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "request_form"))
    ui.call("type_text", text="0470999888")
    ui.tap("next")
    ui.call("type_text", text="ana")
    assert _field(ui) == "Ana"

    stack.card.remove()
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)
    state = ui.call("session_state")
    assert state["history"] == [] and not state["active"]
    everything = "\n".join(ui.call("all_texts"))
    for trace in (MARIA.national_number, MARIA.surname, "0470999888", "Ana|"):
        assert trace not in everything
    assert _cases(stack, SIGNED["id"]) == []  # nothing reached the town hall
    assert _kiosk_rows(ui, "SELECT COUNT(*) FROM submissions") == [(0,)]
    assert _kiosk_rows(ui, "SELECT COUNT(*) FROM outbox WHERE kind = 'submission'") == [(0,)]


def test_request_by_id_number_with_the_api_down_prints_a_provisional_reference_then_delivers_once(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    _open(ui, BY_ID_NUMBER)
    ui.tap("start")
    ui.wait_for_screen("request_id_number")
    ui.call("type_text", text="123")
    ui.tap("next")
    assert _message(ui) == "Este número de identificación no es válido. Revise los dígitos."
    look_both(ui, "request_id_number", artifacts_dir, english="This ID number is not valid")
    for _ in range(3):
        ui.tap("\b")
    ui.call("type_text", text=MARIA.national_number)
    ui.tap_through(("next", "request_form"))
    assert ui.call("widget", target="question")["text"] == "Teléfono de contacto"
    assert "Puede dejarlo en blanco." in texts(ui)  # an optional question says so
    ui.call("type_text", text="024561234")
    ui.tap_through(("next", "request_check"))
    assert mask_national_number(MARIA.national_number) in texts(ui)
    assert MARIA.national_number not in texts(ui) and "Este trámite es gratuito." in texts(ui)
    assert [b["text"] for b in ui.call("buttons") if b["main"]] == ["Enviar"]  # no PIN

    # The API freezes while the citizen sends: the kiosk still believes it is online, so it
    # waits its few seconds for a case number (a link already known down skips the wait).
    assert stack.api.process is not None
    os.kill(stack.api.process.pid, signal.SIGSTOP)
    try:
        ui.tap("confirm")
        ui.wait_for_screen("request_sending")
        ui.tap("back")  # Back is hidden and does nothing while the request is being sent
        assert ui.call("screen") == "request_sending"
        look(ui, "request_sending-es-portrait", artifacts_dir)
        ui.tap("language")
        ui.wait_until(lambda: "Sending your request…" in texts(ui), "the sending screen in English")
        ui.call("screenshot", path=str(artifacts_dir / "request_sending-en-portrait.png"))
        ui.tap("language")
        ui.wait_until(lambda: ui.call("screen") == "request_done", "the provisional reference",
                      timeout=SEND_S)
    finally:
        stack.api.kill()  # the frozen server dies; the request it held is lost with it
    reference = ui.call("widget", target="reference")["text"]
    assert reference.startswith("SOL-") and len(reference) == 12
    assert "Pendiente de confirmación" in ui.call("widget", target="explanation")["text"]
    look_both(ui, "request_done-pending", artifacts_dir, english="Pending confirmation")

    ((key, state),) = _kiosk_rows(ui, "SELECT idempotency_key, state FROM submissions")
    assert state == "receipt_printed"
    (job,) = stack.printer.wait_for_jobs(1)
    assert "PENDIENTE DE CONFIRMACIÓN" in job.text and reference in job.text
    verify = f"{stack.api.root_url}/verify?ref={key}"
    paper = render_job(job)
    paper.save(artifacts_dir / "receipt-request-pending.png")
    assert symbols_in(paper) == {"QRCode": [verify], "Code128": [reference]}

    stack.api.start()  # the link returns: the sync worker delivers it by itself
    wait_for(lambda: _cases(stack, BY_ID_NUMBER["id"]), "the delivered request", 20)
    wait_for(lambda: _kiosk_rows(ui, "SELECT state FROM submissions") == [("synced",)],
             "the journal to record the case number", 20)
    ((case_number, national_number, form, delivered_key),) = _cases(stack, BY_ID_NUMBER["id"])
    assert delivered_key == key and national_number is None  # no e-ID session: no identity
    assert json.loads(form) == {"national_number": MARIA.national_number, "phone": "024561234"}
    assert stack.api_rows("SELECT COUNT(*) FROM idempotency_keys WHERE key = ?", key) == [(1,)]
    assert case_number.startswith("VE-")


def test_anonymous_request_with_the_printer_out_of_paper_shows_the_receipt_and_its_qr(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.printer.faults.set_paper("out")
    ui = stack.start()
    _open(ui, ANONYMOUS)
    ui.tap("start")
    ui.wait_for_screen("request_form")  # no identity needed: the form at once
    ui.tap("next")  # the phone is optional
    ui.wait_until(lambda: ui.call("widget", target="question")["text"]
                  == "Describa su solicitud", "the second question")
    ui.tap("next")
    assert _message(ui) == "Por favor, responda esta pregunta."
    ui.call("type_text", text="farola rota, calle 5")
    ui.tap_through(("next", "request_check"), ("confirm", "request_sending"))
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the case number",
                  timeout=SEND_S)

    ((case_number, national_number, form, key),) = _cases(stack, ANONYMOUS["id"])
    assert national_number is None and json.loads(form) == {"details": "Farola rota, calle 5"}
    assert ui.call("widget", target="reference")["text"] == case_number
    assert "La impresora no funciona" in ui.call("widget", target="receipt_message")["text"]
    look_both(ui, "request_done-receipt-on-screen", artifacts_dir,
              english="The printer is not working")
    shot = artifacts_dir / "request_done-receipt-on-screen-es-portrait.png"
    found = symbols_in(Image.open(shot))
    assert found["QRCode"] == [f"{stack.api.root_url}/verify?ref={key}"]
    assert stack.printer.jobs == []  # nothing reached the paper
    assert _kiosk_rows(ui, "SELECT state FROM submissions") == [("synced",)]
