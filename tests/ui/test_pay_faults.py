"""Pay faults by touch on every real stack: declines, a silent terminal, paper out, Back, time-out.

Whatever happens, the terminal's memory holds at most one sale per bill and the API at most
one payment; every fault ends with a plain message on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from drivers.printer.simulator import PrinterSimulator
from rig.harness import PORTRAIT, KioskUI
from rig.serial_pty import SerialPair
from tests.fixtures.ui import KioskStack
from tests.ui.pay_steps import (
    FINE,
    api_payments,
    barcode_of,
    check_receipt,
    identify,
    one_payment_at_api,
    open_pay,
    pending_debts,
    scan,
    texts,
    wait_result,
)
from tests.ui.test_identify_journey import _look_both as look_both
from tests.ui.test_status_journey import _look


def _fine_to_confirm(stack: KioskStack, ui: KioskUI) -> tuple[str, int, str]:
    """Open Pay, scan María's parking fine, wait for the amount; return the debt."""
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    open_pay(ui)
    scan(ui, barcode_of(*debt))
    ui.wait_for_screen("pay_confirm")
    return debt


def _main_buttons(ui: KioskUI) -> list[str]:
    return [b["text"] for b in ui.call("buttons") if b["main"]]


def test_a_declined_card_says_so_plainly_and_another_card_pays_once(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.DECLINE, code="01"))
    ui = stack.start()
    _, amount, _ = _fine_to_confirm(stack, ui)
    ui.tap("pay")
    shown = wait_result(ui)
    assert "El pago no se realizó" in shown and "No se cobró" in shown
    look_both(ui, "pay_result-declined", artifacts_dir, english="No money was taken")
    assert stack.terminal.memory.approved == [] and stack.printer.jobs == []

    ui.tap_through(("try_again", "pay_confirm"))  # nothing was taken: the same bill again
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui)
    (sale,) = stack.terminal.memory.approved
    assert sale.amount_pesos * 100 == amount
    payment = one_payment_at_api(stack)
    (job,) = stack.printer.wait_for_jobs(1)
    check_receipt(stack, job, payment)


def test_a_terminal_silent_after_charging_is_settled_from_its_last_sale_never_charged_twice(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    ui = stack.start()
    _, amount, _ = _fine_to_confirm(stack, ui)
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui, timeout=40)  # the driver's answer timeout first
    memory = stack.terminal.memory
    assert memory.sale_commands == 1 and len(memory.approved) == 1  # ONE sale, asked once
    payment = one_payment_at_api(stack)
    assert payment.amount_cents == amount
    (job,) = stack.printer.wait_for_jobs(1)
    check_receipt(stack, job, payment)


def test_paper_out_before_paying_needs_the_screen_receipt_accepted_and_reprints_later(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.printer.faults.set_paper("out")
    ui = stack.start()
    ui.wait_until(lambda: ui.call("capabilities")["receipt_mode"] == "qr_only_if_accepted",
                  "the printer's paper-out status")
    _fine_to_confirm(stack, ui)
    ui.wait_until(lambda: "fotografiar" in texts(ui), "the screen-receipt choice")
    assert _main_buttons(ui) == []  # Pay is disabled until the citizen accepts
    assert "primero acepte el comprobante" in ui.call("widget", target="notice")["text"]
    look_both(ui, "pay_confirm-paper-out", artifacts_dir)
    ui.tap("accept_screen_receipt")
    ui.tap("pay")
    shown = wait_result(ui)
    assert "Pago aprobado" in shown and "código QR" in shown
    look_both(ui, "pay_result-on-screen", artifacts_dir)
    assert stack.printer.jobs == []
    payment = one_payment_at_api(stack)

    stack.printer.faults.set_paper("ok")
    ui.tap("reprint")
    (job,) = stack.printer.wait_for_jobs(1)
    check_receipt(stack, job, payment)
    assert len(stack.terminal.memory.approved) == 1 and len(api_payments(stack)) == 1


def test_paper_running_out_during_the_receipt_keeps_it_paid_on_screen_and_reprints_it(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    _fine_to_confirm(stack, ui)
    stack.printer.faults.paper_out_after(200)
    ui.tap("pay")
    shown = wait_result(ui)
    assert "Pago aprobado" in shown and "código QR" in shown
    _look(ui, "pay_result-es-portrait-paper-ran-out", artifacts_dir)
    (cut_short,) = stack.printer.wait_for_jobs(1)
    assert not cut_short.complete
    payment = one_payment_at_api(stack)

    stack.printer.faults.set_paper("ok")
    ui.tap("reprint")
    jobs = stack.printer.wait_for_jobs(2)
    check_receipt(stack, jobs[-1], payment)
    assert len(stack.terminal.memory.approved) == 1 and len(api_payments(stack)) == 1


def test_back_and_the_timeout_after_a_sale_never_repeat_the_payment(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=1.5))  # longer than the warning
    ui = stack.start({"timeouts": {"inactivity_warning_s": 3, "inactivity_countdown_s": 2}})
    debt = _fine_to_confirm(stack, ui)
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    time.sleep(3.5)  # past the warning: the timer is held while the terminal works
    assert ui.call("screen") in ("pay_progress", "pay_result")
    assert ui.call("session_state")["overlays"] == 0
    wait_result(ui)
    ui.tap("back")  # sealed after the payment: Back leads home, never to the amount
    ui.wait_for_screen("home")
    assert ui.call("session_state")["history"] == ["home"]
    ui.wait_until(lambda: ui.call("screen") == "attract", "the time-out after the sale",
                  timeout=15)
    one_payment_at_api(stack)

    open_pay(ui)  # the next citizen scans the same bill: the town hall has it paid
    scan(ui, barcode_of(*debt))
    ui.wait_until(lambda: "ya está pagada" in ui.call("widget", target="notice")["text"],
                  "the already-paid message")
    assert ui.call("screen") == "pay_start"
    assert len(stack.terminal.memory.approved) == 1 and len(api_payments(stack)) == 1


def test_a_session_timed_out_mid_sale_cannot_pay_the_same_bill_again(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=3.0))  # a sale of about 9 s
    ui = stack.start({"timeouts": {"inactivity_countdown_s": 1}})
    debt = _fine_to_confirm(stack, ui)
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    ui.call("warn_now")  # forced: the session ends while the terminal still works
    ui.wait_until(lambda: ui.call("screen") == "attract", "the session's end", timeout=10)

    open_pay(ui)  # the next citizen scans the same bill while the first sale goes on
    scan(ui, barcode_of(*debt))
    ui.wait_for_screen("pay_confirm")  # the API still has it pending
    ui.tap("pay")
    ui.wait_until(lambda: ui.call("screen") == "pay_confirm" and "ya se pagó" in texts(ui),
                  "the refusal on the amount screen")
    assert "ya se pagó" in ui.call("widget", target="notice")["text"]
    one_payment_at_api(stack)  # the first sale ends and is recorded, with nobody watching
    time.sleep(1.0)
    memory = stack.terminal.memory
    assert memory.sale_commands == 1 and len(memory.approved) == 1
    assert len(api_payments(stack)) == 1


def test_pay_start_says_why_when_the_reader_is_absent_or_the_terminal_stops_answering(
        start_ui: Callable[..., KioskUI], serial_pair: SerialPair, loopback_port: int,
        artifacts_dir: Path) -> None:
    with PrinterSimulator() as printer:
        terminal = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.05,
                                     on_disconnect=serial_pair.unplug).start()
        try:
            ui = start_ui({**PORTRAIT, "api": {"url": f"http://127.0.0.1:{loopback_port}/v1",
                                               "retries": 0},
                           "devices": {"eid": {"type": "none"},
                                       "printer": {"port": printer.listen()},
                                       "payment": {"port": serial_pair.kiosk_end,
                                                   "ack_timeout_s": 0.5}}})
            ui.call("start_runtime")
            ui.wait_until(lambda: ui.call("capabilities")["can_pay_by_card"], "the terminal")
            open_pay(ui)
            # no reader and no API here: the card choice says the stronger reason, the link
            ui.wait_until(lambda: "No es posible sin conexión" in texts(ui), "the reason")
            choices = [b["text"] for b in ui.call("buttons")]
            assert not [c for c in choices if "cédula de identidad" in c]  # disabled
            assert [c for c in choices if "código de barras" in c]  # a bill still works
            # (no API answers here: finding a bill by its number waits for the link)
            assert ui.call("disabled", target="pay_reference")
            _look(ui, "pay_start-es-portrait-no-reader", artifacts_dir)

            terminal.stop()  # silent from now on: the hub's next poll finds it offline
            ui.tap("back")
            ui.tap_through(("start", "pay_start"))
            ui.wait_until(lambda: "terminal de pago no funciona"
                          in ui.call("widget", target="notice")["text"], "the terminal's fault",
                          timeout=20)
            assert not [b for b in ui.call("buttons") if "boleta" in b["text"]
                        or "código de barras" in b["text"]]
            look_both(ui, "pay_start-terminal-offline", artifacts_dir,
                      english="the card terminal is not working")
        finally:
            terminal.stop()


def test_the_card_pulled_while_the_terminal_works_keeps_the_outcome_on_screen(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=1.5))
    ui = stack.start()
    open_pay(ui)
    identify(ui)
    ui.tap_through(("continue", "pay_confirm"))
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    stack.card.remove()  # the citizen takes the ID card back while paying by bank card
    assert "Pago aprobado" in wait_result(ui)  # not wiped: the outcome is the citizen's
    time.sleep(1.0)  # the reader's removal event has long been handled
    assert ui.call("screen") == "pay_result"
    assert len(stack.terminal.memory.approved) == 1
    one_payment_at_api(stack)
