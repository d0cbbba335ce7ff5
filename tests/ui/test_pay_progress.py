"""A silent terminal, by touch on the real stacks: the screen stays alive and reassures.

The terminal takes the sale and then says nothing (the bank is slow). The time waited
grows, the bar with it, and once nothing has been heard for a while the screen says we are
checking and she will not be charged twice; the amount is written for the language shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from common.money import Money, format_money
from drivers.payment.simulator import Fault, Script
from screens.pay_progress import QUIET_S
from tests.fixtures.ui import KioskStack
from tests.ui.pay_steps import FINE, barcode_of, open_pay, pending_debts, scan, wait_result
from tests.ui.test_identify_journey import _look_both as look_both


def _waited_s(text: str) -> int:
    minutes, seconds = re.search(r"(\d+):(\d\d)", text).groups()  # type: ignore[union-attr]
    return int(minutes) * 60 + int(seconds)


def test_a_silent_terminal_shows_the_time_waited_and_that_she_will_not_be_charged_twice(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    stack.terminal.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    ui = stack.start({"devices": {"payment": {"response_timeout_s": QUIET_S + 12}}})
    open_pay(ui)
    scan(ui, barcode_of(*debt))
    ui.wait_for_screen("pay_confirm")
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    assert ui.call("widget", target="still_checking")["text"] == ""  # not at once
    ui.wait_until(lambda: _waited_s(ui.call("widget", target="elapsed")["text"]) >= 2,
                  "the time waited to grow")
    first = _waited_s(ui.call("widget", target="elapsed")["text"])
    assert "Tiempo de espera" in ui.call("widget", target="elapsed")["text"]
    ui.wait_until(lambda: "No se le cobrará dos veces"
                  in ui.call("widget", target="still_checking")["text"],
                  "the reassurance", timeout=QUIET_S + 5)
    assert _waited_s(ui.call("widget", target="elapsed")["text"]) >= max(first, QUIET_S - 1)
    heading = ui.call("widget", target="heading")["text"]
    assert format_money(Money(debt[1]), "es") in heading
    # in English the amount is written the English way, not as "$85.865"
    english = f"Paying {format_money(Money(debt[1]), 'en')}"
    assert english.startswith("Paying CLP ") and "," in english
    look_both(ui, "pay_progress-silent", artifacts_dir, english=english)
    assert format_money(Money(debt[1]), "es") in ui.call("widget", target="heading")["text"]

    shown = wait_result(ui, timeout=40)  # the driver's answer timeout, then recovery
    assert "Pago aprobado" in shown
    assert stack.terminal.memory.sale_commands == 1  # asked once, charged once


def test_a_bill_paid_in_english_is_written_the_english_way_on_screen_and_on_paper(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    english, chilean = format_money(Money(debt[1]), "en"), format_money(Money(debt[1]), "es")
    ui = stack.start()
    open_pay(ui)
    scan(ui, barcode_of(*debt))
    ui.wait_for_screen("pay_confirm")
    ui.tap("language")
    ui.wait_until(lambda: english in ui.call("widget", target="total")["text"], "English")
    assert chilean not in "\n".join(ui.call("texts"))
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    assert english in ui.call("widget", target="heading")["text"]
    shown = wait_result(ui)
    assert "Payment approved" in shown and english in shown and chilean not in shown
    (job,) = stack.printer.wait_for_jobs(1)
    assert english in job.text and chilean not in job.text  # the English receipt too
