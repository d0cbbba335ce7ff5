"""Check a status by touch: a case number typed on the keyboard, answered by the real API."""

from __future__ import annotations

from pathlib import Path

from kiosk.api_types import Enrolment
from kiosk.enrolment import save_enrolment
from tests.rig.api_server import ApiServer, enrol_kiosk
from tests.ui.conftest import PORTRAIT, ocr
from tests.ui.harness import KioskUI
from tests.ui.looks import look as _look

SEEDED_CASE = "VE-2026-000001"  # procedure_api/seed.py: the first demo citizen's open case


def _enrolled_ui(start_ui, server: ApiServer, tmp_path: Path) -> KioskUI:
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
        start_ui, own_api_server, tmp_path, artifacts_dir):
    case = enrol_kiosk(own_api_server).client().case_status(SEEDED_CASE)
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
    assert case["status_label"]["es"] in texts and case["title"]["es"] in texts
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
    assert case["title"]["en"] not in texts and "Status" not in ui.call("texts")
    _look(ui, "status_result-en-portrait-not-found", artifacts_dir)

    ui.tap("finish")
    ui.wait_for_screen("home")


def test_status_says_unavailable_when_the_api_is_stopped_and_guesses_nothing(
        start_ui, own_api_server, tmp_path, artifacts_dir):
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
