"""Start again from the top bar: asked once, then the full wipe; never while money moves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.payment.simulator import Fault, Script
from rig.harness import LANDSCAPE, KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.looks import look, texts
from tests.ui.pay_steps import FINE, open_pay, wait_result
from tests.ui.test_session_lifecycle import assert_nothing_left

TYPED = "farola rota en la calle cinco"


def _form_with_an_answer(ui: KioskUI) -> None:
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), ("Registro civil y trámites legales", "procedures"),
                   ("Presentar una reclamación", "procedure"), ("start", "request_form"))
    ui.tap("next")  # the phone is optional
    ui.wait_until(lambda: ui.call("widget", target="question")["text"]
                  == "Describa su solicitud", "the second question")
    ui.call("type_text", text=TYPED)


def _start_again_shown(ui: KioskUI) -> bool:
    return any(b["text"] == "Empezar de nuevo" for b in ui.call("buttons"))


def test_start_again_asks_first_then_wipes_the_half_filled_form(
        start_ui: Callable[..., KioskUI], artifacts_dir: Path) -> None:
    ui = start_ui()
    _form_with_an_answer(ui)
    assert _start_again_shown(ui)
    ui.tap("start_again")
    ui.wait_until(lambda: "¿Empezar de nuevo?" in texts(ui), "the question")
    look(ui, "start_again-es-portrait", artifacts_dir)
    ui.tap("keep_going")  # a slip of the finger costs nothing
    ui.wait_until(lambda: "¿Empezar de nuevo?" not in texts(ui), "the question closed")
    assert ui.call("screen") == "request_form"
    assert TYPED.capitalize() in ui.call("widget", target="field")["text"]
    ui.tap("language")
    ui.tap("start_again")
    ui.wait_until(lambda: "Start again?" in texts(ui), "the question in English")
    look(ui, "start_again-en-portrait", artifacts_dir)
    ui.tap("confirm_start_again")
    ui.wait_for_screen("attract")
    assert ui.call("session_state")["blank"]
    assert_nothing_left(ui, [TYPED, TYPED.capitalize(), "Describe your request"])


def test_start_again_fits_landscape_with_extra_large_text_and_the_top_bar_grows(
        start_ui: Callable[..., KioskUI], artifacts_dir: Path) -> None:
    ui = start_ui(LANDSCAPE)
    ui.tap("start")
    ui.wait_for_screen("home")
    normal = ui.call("widget", target="start_again")
    ui.tap("text_size")
    ui.tap("text_size")
    ui.wait_until(lambda: ui.call("widget", target="start_again")["font_size"]
                  > normal["font_size"] * 1.4, "the top bar's text grown")
    look(ui, "home-es-landscape-extra-large-text", artifacts_dir)  # nothing clipped
    ui.tap("start_again")
    ui.wait_until(lambda: "¿Empezar de nuevo?" in texts(ui), "the question")
    look(ui, "start_again-es-landscape-extra-large-text", artifacts_dir)
    ui.tap("keep_going")
    ui.wait_until(lambda: "¿Empezar de nuevo?" not in texts(ui), "the question closed")
    ui.tap("language")
    ui.tap("start_again")
    ui.wait_until(lambda: "Start again?" in texts(ui), "the question in English")
    look(ui, "start_again-en-landscape-extra-large-text", artifacts_dir)
    ui.tap("confirm_start_again")
    ui.wait_for_screen("attract")


def test_start_again_is_hidden_while_the_card_terminal_works(kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=1.5))
    ui = stack.start()
    open_pay(ui)
    ui.tap_through(("pay_reference", "pay_entry"))
    for digit in FINE:
        ui.tap(digit)
    ui.tap("find")
    ui.wait_until(lambda: ui.call("screen") == "pay_confirm", "the bill found")
    assert _start_again_shown(ui)
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    assert not _start_again_shown(ui)  # money may be moving: no way out
    ui.tap("start_again")  # where it would be: nothing opens
    assert "¿Empezar de nuevo?" not in texts(ui)
    assert "Pago aprobado" in wait_result(ui)
    assert len(stack.terminal.memory.approved) == 1
