"""The proactive note after the e-ID, on the real stacks (pcscd + virtual card, the API).

José (demo seed) has two bills due and a case waiting for a document of his; after his PIN
in the request journey a bar says so, the request goes on underneath, and one tap acts on
it. Luis, whose bills are paid and whose cases wait for nothing, gets no note.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from rig.harness import LANDSCAPE, KioskUI, UIError
from rig.wait import wait_for
from tests.fixtures.eid import CITIZENS, wait_slot
from tests.fixtures.ui import WAIT_CARD_S, KioskStack
from tests.ui.looks import look, look_both, texts

JOSE, LUIS = CITIZENS[1], CITIZENS[3]
SENIOR_CARD = next(p for p in PROCEDURES if p["id"] == "senior_card")  # e-ID, free
SEND_S = 30.0


def _card_of(stack: KioskStack, national_number: str) -> None:
    stack.card.remove()
    wait_slot(present=False)
    stack.card.insert(national_number)
    wait_slot(present=True)


def _request_with_card(ui: KioskUI, pin: str) -> None:
    """Request the senior card with the e-ID: consent, form, check, PIN, case number."""
    (category,) = [c for c in CATEGORIES if c["id"] == SENIOR_CARD["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (SENIOR_CARD["title"]["es"], "procedure"))
    ui.tap("start")
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "request_form"),
                   ("next", "request_check"), ("confirm", "identify_pin"))
    ui.call("type_text", text=pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "request_done", "the case number",
                  timeout=SEND_S)


def _note(ui: KioskUI) -> str:
    try:
        return str(ui.call("widget", target="note_text")["text"])
    except UIError:  # the bar is hidden: no such widget on screen
        return ""


def _logs(stack_tmp: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in stack_tmp.glob("logs/*.log*"))


def _waiting_case(stack: KioskStack, national_number: str) -> str:
    ((case,),) = stack.api_rows(
        "SELECT case_number FROM cases WHERE national_number = ?"
        " AND status = 'waiting_for_citizen'", national_number)
    return str(case)


def test_after_his_pin_a_note_tells_of_bills_due_and_a_waiting_case_and_one_tap_pays(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    _card_of(stack, JOSE.national_number)
    due = stack.api_rows("SELECT due_date FROM debts WHERE national_number = ?"
                         " AND status = 'pending' ORDER BY due_date", JOSE.national_number)
    assert len(due) == 2 and due[0][0] == "2026-12-01"
    case = _waiting_case(stack, JOSE.national_number)
    ui = stack.start()
    _request_with_card(ui, JOSE.pin)
    overdue = date.today() > date(2026, 12, 1)  # never "next" for a date gone by
    bills = ("Tiene 2 cuentas por pagar; la primera venció el 1 dic" if overdue
             else "Tiene 2 cuentas por pagar (la próxima vence: 1 dic)")
    ui.wait_until(lambda: bills in _note(ui), "the note", timeout=SEND_S)
    assert f"Su expediente {case} necesita un documento" in _note(ui)
    # It never blocks: the request went on underneath, its case number is on screen.
    ((new_case,),) = stack.api_rows("SELECT case_number FROM cases WHERE procedure_id = ?"
                                    " AND idempotency_key IS NOT NULL", SENIOR_CARD["id"])
    assert ui.call("widget", target="reference")["text"] == new_case
    look_both(ui, "proactive_note-request_done", artifacts_dir,
              english="the first was due on 1 Dec" if overdue else "(next: 1 Dec)")

    ui.tap("note_pay")  # one tap: his debts, as Pay lists them after the card
    ui.wait_for_screen("pay_debts")
    ui.wait_until(lambda: "Agua potable" in texts(ui), "his debts")
    assert _note(ui) == ""  # acted upon: the note is gone
    assert ui.call("screen_params")["journey"] == "pay"
    ui.tap("language")  # gone for good: it takes no touch from the top bar
    ui.wait_until(lambda: ui.call("session_state")["language"] == "en", "English")


def test_one_tap_on_the_waiting_case_opens_his_cases_from_the_pay_journey(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    _card_of(stack, JOSE.national_number)
    case = _waiting_case(stack, JOSE.national_number)
    ui = stack.start(LANDSCAPE)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("pay", "procedures"), ("Pagar el impuesto predial", "procedure"),
                   ("start", "pay_start"), ("pay_card", "identify_card"))
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "identify_pin"))
    ui.call("type_text", text=JOSE.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "pay_debts", "his debts", timeout=SEND_S)
    ui.wait_until(lambda: case in _note(ui), "the note", timeout=SEND_S)
    assert "cuentas por pagar" not in _note(ui)  # the debts are the screen itself
    look(ui, "proactive_note-pay_debts-es-landscape", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: f"Your case {case} needs a document" in _note(ui), "English")
    look(ui, "proactive_note-pay_debts-en-landscape", artifacts_dir)
    ui.tap("note_case")
    ui.wait_for_screen("status_cases")
    ui.wait_until(lambda: case in ui.call("widget", target="cases")["text"], "his cases")


def test_a_citizen_with_nothing_due_and_nothing_waiting_gets_no_note(
        kiosk_stack: KioskStack, tmp_path: Path) -> None:
    stack = kiosk_stack
    with_paid = "UPDATE debts SET status = 'paid' WHERE national_number = ?"
    stack.api_rows(with_paid, LUIS.national_number)  # Luis has paid everything
    assert stack.api_rows("SELECT COUNT(*) FROM debts WHERE national_number = ?"
                          " AND status = 'pending'", LUIS.national_number) == [(0,)]
    assert stack.api_rows("SELECT COUNT(*) FROM cases WHERE national_number = ?"
                          " AND status = 'waiting_for_citizen'", LUIS.national_number) == [(0,)]
    _card_of(stack, LUIS.national_number)
    ui = stack.start()
    _request_with_card(ui, LUIS.pin)
    wait_for(lambda: "proactive note after the e-ID: nothing to say" in _logs(tmp_path),
             "the kiosk asked and found nothing", SEND_S)
    assert _note(ui) == ""
    assert "cuentas por pagar" not in texts(ui) and "necesita un documento" not in texts(ui)
