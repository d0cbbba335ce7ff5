"""After the wipe, nothing reachable from the app holds the citizen's name, number or bills.

The search runs inside the app's process (bridge command ``citizen_traces``, walker in
``rig/citizen_traces.py``) from the app, the window and the log redactor: every screen
and its widgets (Kivy properties and what Kivy drew of them), overlays, the session
controller and the citizen's scope (session, history, flows, answers, redactor values),
the services and devices the composition root handed in, closures and pending tasks.

Not searched, and why: the program itself (modules, classes, code, a function's globals),
which holds no citizen and would lead the walk to the test's own needles; and what is
stored on disk by design (the journal's payment rows with their bill references, the
encrypted outbox), which are records, not memory, with their own tests. Nothing else is
skipped. The e-ID reader driver keeps the card's certificate while that card is in the
slot; the citizen takes her card at goodbye, as the goodbye asks, and that ends it too.
"""

from __future__ import annotations

from screens.journeys import GOODBYE_SCREEN, SURVEY_SCREEN
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.pay_steps import identify, open_pay, pending_debts, texts, wait_result

# Where a citizen's data lives during a session: the walk must go through each of them.
HOLDERS = {"KioskShell", "SessionController", "CitizenScope", "CitizenSession", "Navigator",
           "IdentifyFlow", "RequestFlow", "PayFlow", "StatusAnswers", "RememberedValues",
           "HelpPanel", "InactivityWarning", "ConfirmIdentityScreen", "PayDebtsScreen",
           "PayResultScreen", "ReceiptPreview", "DeviceHub", "PcscEidReader",
           "EscposReceiptPrinter", "ApiClient", "OfflineStore", "SyncWorker"}


def test_a_paid_journey_then_the_wipe_leaves_nothing_of_the_citizen_in_the_app(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    paid = [reference for reference, _, _ in pending_debts(stack)]
    needles = [*MARIA.given_names.split(), *MARIA.surname.split(), MARIA.national_number, *paid]
    ui = stack.start()
    open_pay(ui)
    identify(ui)
    ui.wait_until(lambda: "Total a pagar" in texts(ui), "the debts listed")
    ui.tap_through(("continue", "pay_confirm"))
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui)
    during = ui.call("citizen_traces", needles=needles)
    assert set(during["walked"]) >= HOLDERS
    held = "\n".join(during["traces"])
    # (the confirmation screen holds her name only while it shows: issue 16)
    for place in ("<CitizenScope>.<IdentifyFlow>", "<CitizenScope>.<PayFlow>", "REDACTOR.",
                  "<ReceiptPreview>"):
        assert place in held, place  # the walk finds her where she is while she is here

    ui.tap("finish")
    ui.wait_for_screen(SURVEY_SCREEN)
    ui.tap("Muy bien")
    ui.wait_for_screen(GOODBYE_SCREEN)
    stack.card.remove()  # she takes her card: the goodbye wipes at once
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)

    after = ui.call("citizen_traces", needles=needles)
    assert set(after["walked"]) >= HOLDERS  # the same places, searched again
    assert after["traces"] == []
