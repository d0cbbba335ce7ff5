"""The demo control panel (`kiosk demo` only): its keys reach the card and the terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.payment.simulator.control import ControlServer
from drivers.payment.transbank import TransbankTerminal
from kiosk.demo import DemoStack
from kiosk.demo_panel import F5, F6, F7, F8, F12
from kiosk.settings import load_settings
from kiosk.simulated.net import free_port
from rig.config import KIOSK_MODE, write_config
from rig.harness import KioskUI
from tests.fixtures.eid import CITIZENS
from tests.fixtures.ui import WAIT_CARD_S, KioskStack


def test_kiosk_demo_reads_the_terminal_control_port_and_a_scripted_decline_reaches_a_sale(
        tmp_path: Path) -> None:
    api_port = free_port()
    config = write_config(tmp_path, {
        "api": {"url": f"http://127.0.0.1:{api_port}/v1"},
        "demo": {"api_port": api_port},
        "devices": {"eid": {"type": "none"}, "printer": {"type": "none"}}})
    with DemoStack(load_settings(config)) as stack:
        panel = stack.demo_panel()
        assert panel is not None and panel.card_port is None  # no card in this demo
        assert panel.run(F8) == "next sale: declined (1 scripted)"
        assert panel.run(F5) == "not done: the virtual card is not running in this demo"
        terminal = TransbankTerminal(stack.settings.devices.payment.port, ack_timeout_s=1,
                                     response_timeout_s=10)
        try:
            declined = terminal.sale(10_000, 41, lambda _message: None)
            approved = terminal.sale(10_000, 42, lambda _message: None)
        finally:
            terminal.close()
    assert (declined.response_code, approved.approved) == ("05", True)


def test_function_keys_insert_remove_and_swap_the_card_and_script_the_terminal(
        kiosk_stack: KioskStack) -> None:
    ui = kiosk_stack.start()
    control = ControlServer(0, kiosk_stack.terminal.memory).start()
    try:
        card_port = kiosk_stack.card._sock.getpeername()[1]
        assert ui.call("attach_demo_panel", card_port=card_port,
                       terminal_port=control.server_address[1])

        def press(key: int, says: str) -> None:
            ui.call("key", key=key)
            ui.wait_until(lambda: says in ui.call("demo_result"), says, timeout=WAIT_CARD_S)

        press(F6, "card removed")
        assert not kiosk_stack.card.status()["inserted"]
        ui.wait_until(lambda: not ui.call("card_in_reader"), "the reader sees no card",
                      timeout=WAIT_CARD_S)
        press(F5, "card inserted")
        assert kiosk_stack.card.status()["citizen"] == CITIZENS[0].national_number
        press(F7, "card swapped")
        status = kiosk_stack.card.status()
        assert status["inserted"] and status["citizen"] == CITIZENS[1].national_number
        press(F8, "next sale: declined")
        assert [s.fault.value for s in kiosk_stack.terminal.memory.scripts] == ["decline"]
        ui.call("key", key=F12)
        assert any(t.startswith("Demo controls") for t in ui.call("texts"))
    finally:
        control.shutdown()
        control.server_close()


def test_the_demo_panel_is_refused_in_kiosk_mode(start_ui: Callable[..., KioskUI]) -> None:
    ui = start_ui(KIOSK_MODE)
    assert not ui.call("attach_demo_panel", card_port=None, terminal_port=None)
    ui.call("key", key=F12)
    assert not any(t.startswith("Demo controls") for t in ui.call("texts"))
