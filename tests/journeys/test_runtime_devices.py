"""The runtime builds the devices from settings and settles open payments before serving."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.money import Money
from drivers.base import DeviceClass
from drivers.payment.base import OutcomeUnknown
from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from drivers.payment.transbank import TransbankTerminal
from drivers.printer.simulator import PrinterSimulator
from kiosk.devices import ReceiptMode
from kiosk.enrolment import save_enrolment
from kiosk.runtime import build_runtime, open_store
from kiosk.settings import Settings, load_settings
from kiosk.simulated.api import ApiServer
from offline_cache.journal import PaidBill, PaymentState
from rig.config import write_config
from rig.serial_pty import SerialPair
from rig.wait import wait_for

KIOSK_ID = "kiosk-runtime-devices"
BILLS = (PaidBill("200000000002", Money(1_500_000)),)


def kiosk_settings(tmp_path: Path, api: ApiServer, terminal_port: str,
                   printer_port: int) -> Settings:
    path = write_config(tmp_path, {
        "kiosk": {"id": KIOSK_ID},
        "api": {"url": api.base_url, "connect_timeout_s": 1, "read_timeout_s": 2, "retries": 0},
        "offline": {"sync_interval_s": 0.2, "base_backoff_s": 0.1, "max_backoff_s": 0.5},
        "devices": {"eid": {"type": "none"},
                    "printer": {"type": "network", "host": "127.0.0.1", "port": printer_port,
                                "timeout_s": 2},
                    "payment": {"type": "transbank", "port": terminal_port,
                                "ack_timeout_s": 0.5, "response_timeout_s": 1.0}},
    })
    settings = load_settings(path)
    save_enrolment(settings.data_path(settings.api.enrolment_file),
                   {"kiosk_id": KIOSK_ID, "token": api.enrol(KIOSK_ID)})
    return settings


def leave_a_killed_sale(settings: Settings, port: str) -> int:
    """Run a sale the way card_payment does and stop where a killed kiosk would have."""
    store = open_store(settings)
    terminal = TransbankTerminal(port, ack_timeout_s=0.5, response_timeout_s=1.0)
    try:
        ticket = store.journal.create_payment(Money(1_500_000), BILLS).ticket
        store.journal.begin_authorizing(ticket)
        with pytest.raises(OutcomeUnknown):
            terminal.sale(1_500_000, ticket, lambda _: None)
        store.journal.record_unknown(ticket)  # ... and the process dies here
        return ticket
    finally:
        terminal.close()
        store.close()


@pytest.fixture
def terminal_sim(serial_pair: SerialPair) -> Iterator[TerminalSimulator]:
    simulator = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.01,
                                  ack_timeout_s=0.5, on_disconnect=serial_pair.unplug).start()
    yield simulator
    simulator.stop()


def test_start_settles_a_sale_left_unknown_before_serving_and_delivers_it_once(
        tmp_path: Path, own_api_server: ApiServer, serial_pair: SerialPair,
        terminal_sim: TerminalSimulator, caplog: pytest.LogCaptureFixture) -> None:
    with PrinterSimulator() as printer:
        settings = kiosk_settings(tmp_path, own_api_server, serial_pair.kiosk_end,
                                  printer.listen())
        terminal_sim.memory.queue(Script(Fault.NO_ANSWER, charged=True))
        ticket = leave_a_killed_sale(settings, serial_pair.kiosk_end)
        (charged,) = terminal_sim.memory.approved  # the bank took the money
        runtime = build_runtime(settings)
        try:
            with caplog.at_level(logging.INFO, logger="kiosk.payment_watch"):
                runtime.start()
            row = runtime.store.journal.get(ticket)
            assert row.state in (PaymentState.AUTHORIZED, PaymentState.SYNCED)
            assert row.authorization_code == charged.authorization_code
            assert f"recovered ticket {ticket:06d}" in caplog.text
            assert runtime.store.journal.needing_recovery() == []
            assert runtime.devices.can_pay_by_card()
            assert runtime.devices.receipt_mode() is ReceiptMode.PAPER
            assert runtime.ui_state.snapshot().faults == {}
            wait_for(lambda: runtime.store.journal.get(ticket).state is PaymentState.SYNCED,
                     "the recovered payment to be delivered")
        finally:
            runtime.close()
    assert terminal_sim.memory.sale_commands == 1  # recovery asked; it never sold again
    assert not [t for t in threading.enumerate() if t.name.startswith("device-")]


def test_start_with_the_terminal_unplugged_keeps_the_row_open_and_card_payment_off(
        tmp_path: Path, own_api_server: ApiServer, serial_pair: SerialPair,
        terminal_sim: TerminalSimulator, caplog: pytest.LogCaptureFixture) -> None:
    settings = kiosk_settings(tmp_path, own_api_server, serial_pair.kiosk_end, 9)
    terminal_sim.memory.queue(Script(Fault.NO_ANSWER, charged=True))
    ticket = leave_a_killed_sale(settings, serial_pair.kiosk_end)
    serial_pair.unplug()
    runtime = build_runtime(settings)
    try:
        runtime.start()
        assert runtime.store.journal.get(ticket).state is PaymentState.UNKNOWN
        assert "open payment still waits for the terminal" in caplog.text
        assert not runtime.devices.can_pay_by_card()
        faults = runtime.ui_state.snapshot().faults
        assert DeviceClass.PAYMENT in faults and DeviceClass.PRINTER in faults
        assert runtime.devices.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED
    finally:
        runtime.close()


def test_a_runtime_built_but_never_started_releases_every_device_thread(
        tmp_path: Path) -> None:
    # demo devices: a PC/SC reader, a network printer and a serial terminal; no I/O at build
    before = {t.ident for t in threading.enumerate()}
    runtime = build_runtime(load_settings(write_config(tmp_path)))
    assert runtime.devices.eid is not None and runtime.devices.terminal is not None
    runtime.close()
    left = [t for t in threading.enumerate()
            if t.ident not in before and t.name.startswith("device-")]
    assert left == []


def test_a_sale_left_unknown_by_a_line_drop_is_settled_when_the_terminal_is_back(
        tmp_path: Path, own_api_server: ApiServer, serial_pair: SerialPair) -> None:
    """No restart needed: the payment watch settles it, and the next citizen can pay."""
    import asyncio

    from kiosk.services.card_payment import PaymentStatus, pay

    line: list[TerminalSimulator] = []

    def drop_after_charging(event: str) -> None:
        if event == "sale_settled":
            line[0].stop()  # the terminal stops answering: even the last sale cannot be asked

    first = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.01,
                              ack_timeout_s=0.5, on_event=drop_after_charging)
    line.append(first)
    memory = first.memory
    first.start()
    memory.queue(Script(Fault.NO_ANSWER, charged=True))  # the bank charges, the line drops
    settings = kiosk_settings(tmp_path, own_api_server, serial_pair.kiosk_end, 9)
    runtime = build_runtime(settings)
    second: TerminalSimulator | None = None
    try:
        runtime.start()
        journal, terminal = runtime.store.journal, runtime.devices.terminal
        assert terminal is not None
        outcome = asyncio.run(pay(journal, terminal, Money(1_500_000), BILLS, lambda _: None))
        assert outcome.status is PaymentStatus.CHECKING  # nobody could ask the terminal
        ticket = outcome.payment.ticket
        assert [p.ticket for p in journal.needing_recovery()] == [ticket]
        second = TerminalSimulator(SerialDevicePort(serial_pair.device_end), memory,
                                   think_s=0.01, ack_timeout_s=0.5).start()  # line is back
        wait_for(lambda: journal.get(ticket).state in (PaymentState.AUTHORIZED,
                                                       PaymentState.SYNCED),
                 "the payment watch to settle the sale", timeout=30)
        (charged,) = memory.approved
        assert journal.get(ticket).authorization_code == charged.authorization_code
        again = asyncio.run(pay(journal, terminal, Money(300_000), BILLS, lambda _: None))
        assert again.status is PaymentStatus.PAID  # the next citizen is not blocked
        assert memory.sale_commands == 2
    finally:
        runtime.close()
        if second is not None:
            second.stop()
