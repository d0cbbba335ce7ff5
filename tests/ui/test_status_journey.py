"""Check a status by touch: a case number typed on the keyboard, answered by the real API."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import requests

from drivers.printer.simulator.render import render_job
from kiosk.api_types import Enrolment
from kiosk.enrolment import save_enrolment
from kiosk.simulated.api import ApiServer, enrol_kiosk
from rig.catalog import demo_catalog
from rig.harness import LANDSCAPE, PORTRAIT, KioskUI
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import look as _look
from tests.ui.looks import look_both as _look_in_both
from tests.ui.looks import ocr, symbols
from tests.ui.pay_steps import identify_with_card
from tests.ui.test_session_lifecycle import assert_nothing_left

StartUI = Callable[..., KioskUI]
SEEDED_CASE = "VE-2026-000001"  # procedure_api/seed.py: the first demo citizen's open case


def _seeded_title(db_path: Path) -> dict[str, str]:
    """The seeded case's procedure title, which only an identified citizen may see."""
    with sqlite3.connect(db_path) as conn:
        (procedure_id,) = conn.execute("SELECT procedure_id FROM cases WHERE case_number = ?",
                                       (SEEDED_CASE,)).fetchone()
    (procedure,) = [p for p in demo_catalog()["procedures"] if p["id"] == procedure_id]
    return dict(procedure["title"])


def _enrolled_ui(start_ui: StartUI, server: ApiServer, tmp_path: Path) -> KioskUI:
    kiosk = enrol_kiosk(server)
    save_enrolment(tmp_path / "data" / "enrolment.json",
                   Enrolment(kiosk_id=kiosk.kiosk_id, token=kiosk.token))
    return start_ui({**PORTRAIT, "api": {"url": server.base_url}})


def _check(ui: KioskUI, typed: str) -> str:
    """Type ``typed`` on the keyboard, touch Check and return the result screen's texts."""
    ui.call("type_text", text=typed)
    ui.tap("check")
    ui.wait_for_screen("status_result")
    return "\n".join(ui.call("texts"))


def test_case_number_typed_on_the_keyboard_shows_the_live_status_and_what_happens_next(
        start_ui: StartUI, own_api_server: ApiServer, tmp_path: Path,
        artifacts_dir: Path) -> None:
    case = enrol_kiosk(own_api_server).client().case_status(SEEDED_CASE)
    title = _seeded_title(own_api_server.db_path)
    ui = _enrolled_ui(start_ui, own_api_server, tmp_path)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("status")
    ui.wait_for_screen("status")
    ui.call("type_text", text="ve 2026")
    assert ui.call("widget", target="field")["text"] == "VE 2026|"
    _look(ui, "status-es-portrait", artifacts_dir)
    texts = _check(ui, " 000001")
    assert f"Expediente {SEEDED_CASE}" in texts
    assert case["status_label"]["es"] in texts
    assert title["es"] not in texts  # typed by number alone: nothing about the person
    assert "Por su privacidad" in texts  # the detail needs her identity card
    assert "revisando su solicitud" in texts  # what happens next for "in_review"
    shot = _look(ui, "status_result-es-portrait", artifacts_dir)
    assert case["status_label"]["es"].lower() in ocr(shot, "es").lower()

    ui.tap("language")
    ui.wait_until(lambda: case["status_label"]["en"] in ui.call("texts"), "the case in English")
    assert "Someone is reviewing your request" in "\n".join(ui.call("texts"))
    _look(ui, "status_result-en-portrait", artifacts_dir)

    ui.tap("back")
    ui.wait_for_screen("status")
    assert ui.call("widget", target="field")["text"] == "VE 2026 000001|"  # kept for a retry
    _look(ui, "status-en-portrait", artifacts_dir)
    for _ in range(6):
        ui.tap("\b")
    texts = _check(ui, "999999")
    assert "We found no case with this number" in texts
    assert title["en"] not in texts and "Status" not in ui.call("texts")
    _look(ui, "status_result-en-portrait-not-found", artifacts_dir)

    ui.tap("finish")  # the journey ends: survey, goodbye, wipe
    ui.wait_for_screen("survey")
    assert "How was it?" in ui.call("texts")  # still in English
    ui.tap("skip")
    ui.wait_for_screen("goodbye")
    texts = "\n".join(ui.call("texts"))
    assert "Thank you!" in texts and "Take your receipt" not in texts  # nothing printed
    assert "Take your identity card" not in texts  # no card was used
    ui.tap("thanks")  # a touch anywhere ends it at once
    ui.wait_for_screen("attract")
    assert_nothing_left(ui, [title["es"], title["en"],
                             case["status_label"]["en"], "No answer for this number"])


def test_status_says_unavailable_when_the_api_is_stopped_and_guesses_nothing(
        start_ui: StartUI, own_api_server: ApiServer, tmp_path: Path,
        artifacts_dir: Path) -> None:
    ui = _enrolled_ui(start_ui, own_api_server, tmp_path)
    own_api_server.stop()
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("status")
    ui.wait_for_screen("status")
    texts = _check(ui, "ve2026000001")
    assert "Ahora no podemos consultarlo" in texts
    assert "Expediente VE" not in texts and "revisando" not in texts  # no status, no guess
    _look(ui, "status_result-es-portrait-unavailable", artifacts_dir)


def test_after_the_id_card_the_citizen_sees_her_open_cases_then_answers_the_survey_once(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    open_case = {**enrol_kiosk(kiosk_stack.api).client().case_status(SEEDED_CASE),
                 "title": _seeded_title(kiosk_stack.api.db_path)}
    ui = kiosk_stack.start({"timeouts": {"goodbye_s": 120}})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"), ("use_card", "identify_card"))
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the card read",
                  timeout=WAIT_CARD_S)  # María's card is already in the reader
    ui.tap_through(("confirm", "identify_consent"),)
    assert [line.strip("• ") for line in ui.call("widget", target="fields")["text"].splitlines()
            ] == ["Número nacional", "Nombre completo"]  # both are in the card's certificate
    ui.tap_through(("agree", "identify_pin"))
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "status_cases", "her cases",
                  timeout=WAIT_CARD_S)
    ui.wait_until(lambda: SEEDED_CASE in ui.call("widget", target="cases")["text"],
                  "the live answer")
    shown = ui.call("widget", target="cases")["text"]
    assert open_case["title"]["es"] in shown and open_case["status_label"]["es"] in shown
    assert "revisando su solicitud" in shown  # what happens next, in plain words
    assert "VE-2026-000002" not in shown  # her resolved case is not open
    assert ui.call("session_state")["history"] == ["status_cases"]  # no way back to the PIN
    _look_in_both(ui, "status_cases", artifacts_dir, open_case["status_label"]["en"])

    ui.tap("finish")
    ui.wait_for_screen("survey")
    _look_in_both(ui, "survey", artifacts_dir, "How was it?")
    ui.tap("Bien")  # score 4
    ui.wait_for_screen("goodbye")
    assert "Retire su cédula de identidad del lector." in ui.call("texts")  # still inserted
    _look_in_both(ui, "goodbye", artifacts_dir, "Take your identity card from the reader.")
    kiosk_stack.card.remove()  # she takes her card: that is the end
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)
    assert_nothing_left(ui, [MARIA.given_names, MARIA.surname, SEEDED_CASE,
                             open_case["title"]["es"], open_case["status_label"]["es"]])

    def answers() -> list[tuple[int, str]]:
        return [(int(score), str(journey)) for score, journey in kiosk_stack.api_rows(
            "SELECT score, journey FROM satisfaction")]

    ui.wait_until(answers, "the survey answer at the API")
    ui.wait_until(lambda: ui.call("outbox_depth") == 0, "the outbox drained")
    assert answers() == [(4, "status")]  # delivered exactly once


def test_pulling_the_card_while_her_cases_show_ends_the_session(
        kiosk_stack: KioskStack) -> None:
    ui = kiosk_stack.start()
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"))
    identify_with_card(ui, "use_card", "status_cases")
    kiosk_stack.card.remove()
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)
    assert_nothing_left(ui, [MARIA.given_names, MARIA.surname, SEEDED_CASE])


def test_a_checked_status_prints_on_a_slip_whose_qr_and_barcode_find_the_case(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    ui = kiosk_stack.start()
    ui.tap("start")
    ui.tap_through(("status", "status"))
    shown = _check(ui, SEEDED_CASE.lower().replace("-", " "))  # typed loosely
    assert "En revisión" in shown
    ui.tap("print_slip")
    (job,) = kiosk_stack.printer.wait_for_jobs(1)
    ui.wait_until(lambda: "Retire su comprobante" in ui.call("widget", target="slip_message")
                  ["text"], "the slip message")
    _look(ui, "status_result-slip-printed-es-portrait", artifacts_dir)
    verify = f"{kiosk_stack.api.root_url}/verify?ref={SEEDED_CASE}"
    assert job.complete and not job.errors
    assert job.qr_codes == [verify] and [b.data for b in job.barcodes] == [SEEDED_CASE]
    decoded = symbols(job)
    assert decoded["QRCode"] == [verify] and decoded["Code128"] == [SEEDED_CASE]
    assert "Estado: En revisión" in job.text
    page = requests.get(verify, timeout=5)
    assert page.status_code == 200 and SEEDED_CASE in page.text  # the QR leads to the case
    render_job(job).save(artifacts_dir / "receipt-status-slip.png")

    kiosk_stack.printer.faults.set_paper("out")  # a second slip with no paper: said plainly
    ui.tap("print_slip")
    ui.wait_until(lambda: "Anote su número" in ui.call("widget", target="slip_message")
                  ["text"], "the printer-down message")
    ui.tap("finish")
    ui.wait_for_screen("survey")


def test_the_case_pages_fit_landscape_with_extra_large_text_in_both_languages(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    ui = kiosk_stack.start(LANDSCAPE)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("text_size")
    ui.tap("text_size")
    ui.tap_through(("status", "status"))
    _look(ui, "status-es-landscape-extra-large-text", artifacts_dir)
    assert "En revisión" in _check(ui, SEEDED_CASE.replace("-", " "))
    _look(ui, "status_result-es-landscape-extra-large-text", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: "In review" in ui.call("texts"), "the case in English")
    _look(ui, "status_result-en-landscape-extra-large-text", artifacts_dir)
    ui.tap("language")
    ui.tap_through(("back", "status"), ("use_card", "identify_card"))
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the card read",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "identify_pin"))
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "status_cases", "her cases",
                  timeout=WAIT_CARD_S)
    ui.wait_until(lambda: SEEDED_CASE in ui.call("widget", target="cases")["text"],
                  "the live answer")
    _look(ui, "status_cases-es-landscape-extra-large-text", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: "In review" in ui.call("widget", target="cases")["text"],
                  "her cases in English")
    _look(ui, "status_cases-en-landscape-extra-large-text", artifacts_dir)
