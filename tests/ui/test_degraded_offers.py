"""Link down on the real stacks: every journey says up front what will and won't work.

No citizen fills in a form that cannot be sent: a request with the e-ID does not start,
another request starts with "we send it when the connection returns", and Pay takes only a
bill's barcode. When the link returns, everything is offered again.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.i18n import load_catalog
from kiosk.services.degraded import (
    MSG_OFFLINE_OFFERS,
    MSG_PAY_BARCODE_ONLY,
    MSG_REQUEST_NEEDS_LINK,
    MSG_REQUEST_SENT_LATER,
)
from rig.harness import KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.looks import look_both, texts

SPANISH = load_catalog("es")
CIVIL = "Registro civil y trámites legales"
BIRTH = "Acta de nacimiento"  # identified with the e-ID
COMPLAINT = "Presentar una reclamación"  # no identification: can be sent later
PROPERTY_TAX = "Pagar el impuesto predial"


def _notice(ui: KioskUI) -> str:
    return str(ui.call("widget", target="start_notice")["text"])


def test_with_the_api_stopped_each_journey_says_up_front_what_works_and_the_link_brings_all_back(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.api.stop()
    ui = stack.start()
    ui.wait_until(lambda: not ui.call("offer")["live_lookups"], "the link seen down")
    ui.tap("start")
    ui.wait_for_screen("home")
    assert SPANISH._(MSG_OFFLINE_OFFERS) in ui.call("widget", target="degraded")["text"]
    assert ui.call("disabled", target="status")  # a status needs the live API
    assert not ui.call("disabled", target="pay") and not ui.call("disabled", target="request")
    shown = texts(ui)
    assert "Ahora solo boletas con código de barras" in shown
    assert "Sin su cédula de identidad: se envía cuando vuelva la conexión" in shown
    look_both(ui, "home-offline", artifacts_dir, "What still works")

    ui.tap_through(("request", "categories"), (CIVIL, "procedures"), (BIRTH, "procedure"))
    assert _notice(ui) == SPANISH._(MSG_REQUEST_NEEDS_LINK)  # before anything is typed
    assert ui.call("disabled", target="start")
    ui.tap("start")  # switched off: nothing opens
    assert ui.call("screen") == "procedure"
    look_both(ui, "procedure-offline-eid", artifacts_dir, "needs your identity card")

    ui.tap_through(("back", "procedures"), (COMPLAINT, "procedure"))
    assert _notice(ui) == SPANISH._(MSG_REQUEST_SENT_LATER)
    assert not ui.call("disabled", target="start")
    look_both(ui, "procedure-offline-sent-later", artifacts_dir, "as soon as the connection")
    ui.tap_through(("start", "request_form"))  # this one can be filled in and sent later

    ui.call("end_session")
    ui.wait_for_screen("attract")
    ui.tap("start")
    ui.tap_through(("pay", "procedures"), (PROPERTY_TAX, "procedure"))
    assert _notice(ui) == SPANISH._(MSG_PAY_BARCODE_ONLY)
    ui.tap_through(("start", "pay_start"))
    assert ui.call("disabled", target="pay_card")  # its PIN is checked at the API
    assert ui.call("disabled", target="pay_reference")  # looked up at the API
    assert not ui.call("disabled", target="pay_barcode")  # decoded here, paid offline
    assert "No es posible sin conexión" in ui.call("widget", target="pay_card")["text"]
    look_both(ui, "pay_start-offline", artifacts_dir, "Not possible without a connection")
    ui.tap("pay_card")
    assert ui.call("screen") == "pay_start"

    stack.api.start()  # the link returns: the same screen offers everything again
    ui.wait_until(lambda: not ui.call("disabled", target="pay_card"), "the card offered again",
                  timeout=20)
    assert not ui.call("disabled", target="pay_reference")
    ui.tap_through(("back", "procedure"))
    assert _notice(ui) == ""
    ui.tap_through(("back", "procedures"), ("back", "home"))
    assert ui.call("widget", target="degraded")["text"] == ""
    assert not ui.call("disabled", target="status")
