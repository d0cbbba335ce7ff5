"""Her card back, as an ATM asks for it: at goodbye, and after the wipe never used again.

On the real stacks (pcscd, vpcd and the virtual card, the reference API): María identifies
and finishes without taking her card. Goodbye asks for it; after the wipe the attract
screen says "please take your card"; the next person's "use my card" does not read it (the
virtual card's APDU log proves it: no "Is it you? María…", no PIN try spent) until it has
been taken out and a card put in again.
"""

from __future__ import annotations

from pathlib import Path

from rig.harness import LANDSCAPE
from tests.fixtures.eid import CITIZENS
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import look, look_both, texts
from tests.ui.pay_steps import (
    check_receipt,
    identify,
    identify_with_card,
    one_payment_at_api,
    open_pay,
    wait_result,
)

JOSE = CITIZENS[1]
CARD_LEFT = "Hay en el lector una tarjeta de otra persona"
TAKE_CARD_FIRST = "Retire su cédula de identidad del lector: a continuación se imprime"


def test_a_card_left_after_goodbye_is_asked_back_and_never_read_for_the_next_citizen(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start({"timeouts": {"goodbye_s": 1}})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"))
    identify_with_card(ui, "use_card", "status_cases")
    ui.tap("finish")
    ui.wait_for_screen("survey")
    ui.tap("skip")
    ui.wait_for_screen("goodbye")
    assert "Retire su cédula de identidad del lector." in texts(ui)
    look(ui, "goodbye-card-es-portrait", artifacts_dir)

    # She walks away without it: the wipe comes by itself, and the card is asked back.
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe", timeout=WAIT_CARD_S)
    wiped_at = int(stack.card.status()["apdu_count"])
    ui.wait_until(lambda: "Por favor, retire su tarjeta del lector." in texts(ui),
                  "please take your card")
    assert "Please take your card from the reader." in texts(ui)  # in both languages
    look(ui, "attract-card-left-es-portrait", artifacts_dir)

    # The next person: "use my card" does not read the card left behind.
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"), ("use_card", "identify_card"))
    ui.wait_until(lambda: CARD_LEFT in ui.call("widget", target="message")["text"],
                  "the card left behind said")
    assert ui.call("screen") == "identify_card"
    assert MARIA.given_names not in "\n".join(ui.call("all_texts"))
    assert stack.card.apdu_log(wiped_at) == []  # not one command to her card
    look(ui, "identify_card-card-left-es-portrait", artifacts_dir)

    # Taken out, and a card put in again: now it is read (José's, not María's).
    stack.card.remove()
    ui.wait_until(lambda: CARD_LEFT not in ui.call("widget", target="message")["text"],
                  "the card taken out", timeout=WAIT_CARD_S)
    stack.card.insert(JOSE.national_number)
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the new card read",
                  timeout=WAIT_CARD_S)
    shown = texts(ui)
    assert f"{JOSE.given_names} {JOSE.surname}" in shown and MARIA.given_names not in shown
    assert int(stack.card.status()["tries_left"]) == 3  # no PIN try was spent


def test_the_card_left_attract_state_fits_landscape_in_english(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    ui = kiosk_stack.start(LANDSCAPE)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"), ("use_card", "identify_card"))
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the card read",
                  timeout=WAIT_CARD_S)
    ui.call("end_session")  # as the inactivity wipe does, her card still in
    ui.wait_until(lambda: ui.call("screen") == "attract", "the wipe")
    ui.wait_until(lambda: "Please take your card from the reader." in texts(ui),
                  "please take your card")
    look(ui, "attract-card-left-es-landscape", artifacts_dir)
    ui.tap("lang_en")
    look(ui, "attract-card-left-en-landscape", artifacts_dir)


def test_after_a_paid_sale_her_card_is_asked_back_before_the_receipt_prints(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start({"timeouts": {"card_back_s": 120}})
    open_pay(ui)
    identify(ui)
    ui.wait_until(lambda: "Total a pagar" in texts(ui), "the debts listed")
    ui.tap_through(("continue", "pay_confirm"))
    ui.tap("pay")
    ui.wait_until(lambda: TAKE_CARD_FIRST in texts(ui), "her card asked back", timeout=30)
    payment = one_payment_at_api(stack)  # the sale is recorded: only the paper waits
    assert stack.printer.jobs == []
    look_both(ui, "pay_progress-card-back", artifacts_dir,
              english="Please take your identity card from the reader")

    stack.card.remove()  # she takes it: now the receipt
    assert "Pago aprobado" in wait_result(ui)
    (job,) = stack.printer.wait_for_jobs(1)
    check_receipt(stack, job, payment)
