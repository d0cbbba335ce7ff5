"""Identify with the e-ID card by touch: pcscd + vpcd + the virtual card + the reference API."""

from __future__ import annotations

from pathlib import Path

from drivers.eid.virtual_card.control import VirtualCardClient
from kiosk.api_types import Enrolment
from kiosk.enrolment import save_enrolment
from kiosk.services.consent import shared_fields
from kiosk.simulated.api import ApiServer, enrol_kiosk
from procedure_api.catalog_data import PROCEDURES
from rig.catalog import demo_catalog
from rig.harness import PORTRAIT, KioskUI, StartUI
from tests.fixtures.eid import CITIZENS, wait_slot
from tests.ui.looks import look as _look
from tests.ui.looks import look_both as _look_both
from tests.ui.looks import texts as _texts

MARIA = CITIZENS[0]
PROCEDURE = next(p for p in PROCEDURES if p["id"] == "birth_certificate")  # identity "eid"
WAIT_CARD_S = 20.0  # pcscd polls vpcd; a read and a signature take a few seconds on 2 cores


def _kiosk(start_ui: StartUI, tmp_path: Path, api_url: str,
           token: Enrolment | None = None) -> KioskUI:
    if token is not None:
        save_enrolment(tmp_path / "data" / "enrolment.json", token)
    return start_ui({**PORTRAIT, "api": {"url": api_url},
                     "timeouts": {"inactivity_warning_s": 600}})


def _open_procedure(ui: KioskUI) -> None:
    (category,) = [c for c in demo_catalog()["categories"]
                   if c["id"] == PROCEDURE["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (PROCEDURE["title"]["es"], "procedure"))


def _enrolled_kiosk(start_ui: StartUI, api: ApiServer, tmp_path: Path) -> KioskUI:
    kiosk = enrol_kiosk(api)
    return _kiosk(start_ui, tmp_path, api.base_url,
                  Enrolment(kiosk_id=kiosk.kiosk_id, token=kiosk.token))


def _start_reader(ui: KioskUI) -> None:
    ui.call("start_devices")
    ui.wait_until(lambda: ui.call("eid_ready"), "the reader", timeout=WAIT_CARD_S)


def _at_confirmation(start_ui: StartUI, api: ApiServer, tmp_path: Path) -> KioskUI:
    """A kiosk whose reader holds the card, on the identity confirmation screen."""
    ui = _enrolled_kiosk(start_ui, api, tmp_path)
    _start_reader(ui)
    _open_procedure(ui)
    ui.tap("start")  # the card is already in: read at once
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    return ui


def test_insert_confirm_consent_pin_then_identified_and_a_wrong_pin_says_tries_left(
        start_ui: StartUI, card: VirtualCardClient, eid_api: ApiServer, tmp_path: Path,
        artifacts_dir: Path) -> None:
    ui = _enrolled_kiosk(start_ui, eid_api, tmp_path)
    card.remove()
    wait_slot(present=False)
    _start_reader(ui)
    _open_procedure(ui)
    ui.tap("start")
    ui.wait_for_screen("identify_card")
    assert "Inserte su cédula de identidad" in _texts(ui)
    assert ui.call("widget", target="picture")["height"] > 0  # the card going in, drawn
    _look_both(ui, "identify_card", artifacts_dir)

    card.insert(MARIA.national_number)  # the reader's event moves the screen on
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    texts = _texts(ui)
    assert f"{MARIA.given_names} {MARIA.surname}" in texts
    assert "•" * 8 + MARIA.national_number[-3:] in texts
    assert MARIA.national_number not in texts  # only the masked number on screen
    _look_both(ui, "identify_confirm", artifacts_dir)

    ui.tap("confirm")
    ui.wait_for_screen("identify_consent")
    listed = ui.call("widget", target="fields")["text"].splitlines()
    assert [line.strip("• ") for line in listed] == [
        f.label["es"] for f in shared_fields(PROCEDURE)]
    assert [f.name for f in shared_fields(PROCEDURE)] == [
        "national_number", "full_name", "address"]
    _look_both(ui, "identify_consent", artifacts_dir)

    ui.tap("agree")  # the request's form (pre-filled from the card), then its check
    ui.wait_for_screen("request_form")
    ui.tap_through(("next", "request_check"), ("confirm", "identify_pin"))
    ui.call("type_text", text="0000")
    assert ui.call("widget", target="dots")["text"] == "•  " * 4  # dots, never digits
    ui.tap("pin_confirm")
    ui.wait_until(lambda: "2" in ui.call("widget", target="message")["text"],
                  "the card's tries left", timeout=WAIT_CARD_S)
    assert "no es correcto" in ui.call("widget", target="message")["text"]
    _look_both(ui, "identify_pin", artifacts_dir, english="You have 2 tries left")

    ui.call("type_text", text=MARIA.pin)
    assert not any(d in ui.call("widget", target="dots")["text"] for d in "0123456789")
    ui.tap("pin_confirm")  # identified: the signed request is sent
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the request sent",
                  timeout=WAIT_CARD_S)
    assert ui.call("session_state")["history"] == ["request_done"]  # no way back to the PIN


def test_pulling_the_card_during_identification_wipes_back_to_attract(
        start_ui: StartUI, card: VirtualCardClient, eid_api: ApiServer, tmp_path: Path) -> None:
    ui = _at_confirmation(start_ui, eid_api, tmp_path)
    ui.tap("confirm")
    ui.wait_for_screen("identify_consent")
    card.remove()
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)
    state = ui.call("session_state")
    assert state["history"] == [] and not state["active"]
    assert f"{MARIA.given_names} {MARIA.surname}" not in "\n".join(ui.call("all_texts"))


def test_start_explains_plainly_when_the_card_reader_is_unusable(
        start_ui: StartUI, tmp_path: Path, loopback_port: int) -> None:
    ui = _kiosk(start_ui, tmp_path, f"http://127.0.0.1:{loopback_port}/v1")
    # Devices never started: the reader has reported nothing usable.
    _open_procedure(ui)
    ui.tap("start")
    assert ui.call("screen") == "procedure"
    assert "el lector de cédulas de este quiosco no funciona" in ui.call(
        "widget", target="start_notice")["text"]


def test_last_wrong_pin_says_the_pin_is_blocked_and_offers_no_more_tries(
        start_ui: StartUI, card: VirtualCardClient, eid_api: ApiServer, tmp_path: Path,
        artifacts_dir: Path) -> None:
    card.use_citizen(MARIA.national_number)
    card.set_pin(MARIA.pin, tries=1)
    ui = _at_confirmation(start_ui, eid_api, tmp_path)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "request_form"),
                   ("next", "request_check"), ("confirm", "identify_pin"))
    ui.call("type_text", text="0000")
    ui.tap("pin_confirm")
    ui.wait_until(lambda: "bloqueado" in ui.call("widget", target="message")["text"],
                  "the blocked PIN message", timeout=WAIT_CARD_S)
    texts = [b["text"] for b in ui.call("buttons")]
    assert "Confirmar" not in texts and "1" not in texts  # nothing left to try
    _look(ui, "identify_pin-es-portrait-locked", artifacts_dir)
