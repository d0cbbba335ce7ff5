"""DeviceHub: last status per device, republished; capabilities follow the real devices."""

from __future__ import annotations

import threading

from drivers.base import DeviceClass, DeviceListener, DeviceState, DeviceStatus
from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.simulator import PrinterSimulator
from kiosk.devices import Availability, DeviceHub, ReceiptMode
from kiosk.services.degraded import MSG_NO_EID, MSG_NO_PAPER, MSG_NO_PAY, current_offer
from kiosk.services.ui_state import UiState
from rig.wait import wait_for
from tests.fixtures.terminal import TerminalLine


class ListenerSource:
    """The listener half of a driver: enough to push statuses from several threads."""

    def __init__(self) -> None:
        self.listeners: list[DeviceListener] = []

    def add_listener(self, listener: DeviceListener) -> None:
        self.listeners.append(listener)

    def push(self, status: DeviceStatus) -> None:
        for listener in self.listeners:
            listener(status)


def payment_status(state: DeviceState, n: int = 0) -> DeviceStatus:
    return DeviceStatus(DeviceClass.PAYMENT, state, {"n": str(n)})


def test_a_kiosk_without_devices_allows_no_card_payment_no_eid_and_no_paper() -> None:
    hub = DeviceHub(None, None, None)
    assert not hub.can_pay_by_card() and not hub.can_use_eid()
    assert hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED
    hub.refresh()  # nothing to ask: no error


def test_a_device_never_heard_from_is_neither_announced_broken_nor_used() -> None:
    printer, terminal = ListenerSource(), ListenerSource()
    hub = DeviceHub(None, printer, terminal)  # type: ignore[arg-type]
    assert hub.card_payment() is hub.paper_receipts() is Availability.UNKNOWN
    offer = current_offer(hub, online=True)
    assert offer.pay and offer.receipts_on_paper
    assert offer.home_notices() == [MSG_NO_EID]  # only the reader this kiosk does not have
    assert not hub.can_pay_by_card()  # no sale starts on a terminal nobody asked
    assert hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED  # no paper is promised
    terminal.push(payment_status(DeviceState.NO_DEVICE))
    printer.push(DeviceStatus(DeviceClass.PRINTER, DeviceState.USER_ERROR, {"paper": "out"}))
    assert hub.card_payment() is hub.paper_receipts() is Availability.NO
    notices = current_offer(hub, online=True).home_notices()
    assert notices == [MSG_NO_PAY, MSG_NO_EID, MSG_NO_PAPER]


def test_subscribers_get_the_known_statuses_then_every_change_once() -> None:
    source = ListenerSource()
    hub = DeviceHub(None, None, source)  # type: ignore[arg-type]
    source.push(payment_status(DeviceState.ONLINE))
    seen: list[DeviceStatus] = []
    hub.subscribe(seen.append)
    source.push(payment_status(DeviceState.ONLINE))  # repeated: not republished
    source.push(payment_status(DeviceState.NO_DEVICE))
    assert [s.state for s in seen] == [DeviceState.ONLINE, DeviceState.NO_DEVICE]
    assert not hub.can_pay_by_card()


def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    source = ListenerSource()
    hub = DeviceHub(None, None, source)  # type: ignore[arg-type]
    seen: list[DeviceStatus] = []

    def broken(status: DeviceStatus) -> None:
        raise RuntimeError("screen bug")

    hub.subscribe(broken)
    hub.subscribe(seen.append)
    source.push(payment_status(DeviceState.ONLINE))
    assert len(seen) == 1 and hub.can_pay_by_card()


def test_statuses_pushed_from_many_threads_end_in_the_last_one_each() -> None:
    source = ListenerSource()
    hub = DeviceHub(None, None, source)  # type: ignore[arg-type]
    counts: list[DeviceStatus] = []
    hub.subscribe(counts.append)

    def pusher(offset: int) -> None:
        for n in range(200):
            source.push(payment_status(DeviceState.ONLINE, offset + n))

    threads = [threading.Thread(target=pusher, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counts) == 800  # every distinct status republished exactly once
    last = hub.status(DeviceClass.PAYMENT)
    # the globally last push is some thread's last push
    assert last is not None and last.detail["n"] in {str(k * 1000 + 199) for k in range(4)}


def test_printer_paper_out_switches_receipts_to_the_on_screen_qr(
        sim_printer: EscposReceiptPrinter, printer_sim: PrinterSimulator) -> None:
    ui = UiState()
    hub = DeviceHub(None, sim_printer, None)
    hub.subscribe(ui.device_status)
    hub.refresh()
    assert hub.receipt_mode() is ReceiptMode.PAPER
    printer_sim.faults.set_paper("out")
    hub.refresh()
    assert hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED
    status = hub.status(DeviceClass.PRINTER)
    assert status is not None and status.detail["paper"] == "out"
    printer_sim.faults.set_paper("ok")
    hub.refresh()
    assert hub.receipt_mode() is ReceiptMode.PAPER


def test_printer_switched_off_switches_receipts_to_qr_and_shows_a_fault(
        sim_printer: EscposReceiptPrinter, printer_sim: PrinterSimulator) -> None:
    ui = UiState()
    hub = DeviceHub(None, sim_printer, None)
    hub.subscribe(ui.device_status)
    printer_sim.close()
    hub.refresh()
    assert hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED
    assert DeviceClass.PRINTER in ui.snapshot().faults


def test_terminal_disconnect_disables_card_payment(terminal_line: TerminalLine) -> None:
    ui = UiState()
    hub = DeviceHub(None, None, terminal_line.driver)
    hub.subscribe(ui.device_status)
    assert not hub.can_pay_by_card()  # never asked yet: not known to work
    hub.refresh()
    assert hub.can_pay_by_card()
    terminal_line.pair.unplug()
    hub.refresh()
    assert not hub.can_pay_by_card()
    assert DeviceClass.PAYMENT in ui.snapshot().faults


def test_watching_sees_paper_run_out_and_come_back_without_being_asked(
        sim_printer: EscposReceiptPrinter, printer_sim: PrinterSimulator) -> None:
    hub = DeviceHub(None, sim_printer, None)
    modes: list[ReceiptMode] = []
    hub.subscribe(lambda _status: modes.append(hub.receipt_mode()))
    hub.start_watching(0.05)
    try:
        wait_for(lambda: hub.receipt_mode() is ReceiptMode.PAPER, "receipt mode PAPER")
        printer_sim.faults.set_paper("out")
        wait_for(lambda: hub.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED, "QR mode")
        printer_sim.faults.set_paper("ok")
        wait_for(lambda: hub.receipt_mode() is ReceiptMode.PAPER, "receipt mode PAPER")
    finally:
        hub.stop_watching()
    assert modes == [ReceiptMode.PAPER, ReceiptMode.QR_ONLY_IF_ACCEPTED, ReceiptMode.PAPER]
    assert not [t for t in threading.enumerate() if t.name == "device-hub-watch"]
