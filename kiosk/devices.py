"""The kiosk's devices seen as one: last status of each, change events, what they allow.

:class:`DeviceHub` takes the drivers the composition root built (any may be ``None`` when
configured ``"none"``), listens to each one and keeps its last :class:`DeviceStatus`. It
answers the capability questions (the architecture's "Degraded" rules) and is the only place
that judges them: can the citizen pay by card, will the receipt come out on paper, can an
e-ID be used. Each answer is :class:`Availability`: a configured device the hub has never
heard from is ``UNKNOWN``, never silently usable nor silently broken.

Threads: drivers call the hub from their own device threads, so the hub's state is guarded
by a lock and its subscribers are called on the device thread too. Subscribers must not
block; the UI re-schedules each event onto Kivy's main thread (``Clock.schedule_once``).
"""

from __future__ import annotations

import logging
import threading
from enum import StrEnum

from drivers.base import (
    USABLE_STATES,
    DeviceClass,
    DeviceListener,
    DeviceState,
    DeviceStatus,
    DriverError,
)
from drivers.eid.base import EidReader
from drivers.payment.base import PaymentTerminal
from drivers.printer.base import ReceiptPrinter

log = logging.getLogger(__name__)
# The printer states in which a receipt comes out on paper (USER_ERROR there is paper out
# or the cover open: the printer works, a person must act, but nothing prints).
PAPER_STATES = frozenset({DeviceState.ONLINE, DeviceState.BUSY})


class Availability(StrEnum):
    YES = "yes"  # the device is configured and its last status can serve
    NO = "no"  # not configured, or its last status cannot serve
    UNKNOWN = "unknown"  # configured, never heard from yet: nobody can tell


class ReceiptMode(StrEnum):
    PAPER = "paper"
    # paper out, cover open or printer down: pay only if the citizen accepts a QR on screen
    QR_ONLY_IF_ACCEPTED = "qr_only_if_accepted"


class DeviceHub:
    """Last status of every device, republished to subscribers (thread-safe)."""

    def __init__(self, eid: EidReader | None, printer: ReceiptPrinter | None,
                 terminal: PaymentTerminal | None) -> None:
        self.eid, self.printer, self.terminal = eid, printer, terminal
        self._lock = threading.Lock()
        self._last: dict[DeviceClass, DeviceStatus] = {}
        self._subscribers: list[DeviceListener] = []
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None
        if eid is not None:
            eid.add_listener(self._on_status)
            self._last[DeviceClass.EID] = eid.status
        if printer is not None:
            printer.add_listener(self._on_status)
        if terminal is not None:
            terminal.add_listener(self._on_status)

    # -- events ----------------------------------------------------------------------
    def subscribe(self, listener: DeviceListener) -> None:
        """Call ``listener`` with every known status now and on every change (any thread)."""
        with self._lock:
            self._subscribers.append(listener)
            known = list(self._last.values())
        for status in known:
            listener(status)

    def _on_status(self, status: DeviceStatus) -> None:
        """Remember a driver's new status and pass it on (called on the device thread)."""
        with self._lock:
            if self._last.get(status.device) == status:
                return
            self._last[status.device] = status
            subscribers = list(self._subscribers)
        log.info("device %s is %s %s", status.device, status.state, dict(status.detail))
        for listener in subscribers:
            try:
                listener(status)
            except Exception:  # a faulty screen must not break the device thread
                log.exception("device status subscriber failed")

    def status(self, device: DeviceClass) -> DeviceStatus | None:
        """Return the last status of ``device`` (None: absent or never heard from)."""
        with self._lock:
            return self._last.get(device)

    def refresh(self) -> None:
        """Ask the printer and the terminal how they are now (blocking; errors become status)."""
        if self.printer is not None:
            self.printer.status()  # publishes NO_DEVICE itself when unreachable
        if self.terminal is not None:
            try:
                self.terminal.poll()
            except DriverError as err:  # the driver published the matching state
                log.warning("payment terminal does not answer a poll: %s", err)

    def start_watching(self, interval_s: float) -> None:
        """Refresh every ``interval_s`` on a thread, so a device that came back is seen.

        Printer and terminal calls queue on their own device threads, so a refresh never
        interleaves with a sale or a print job; it waits for them.
        """
        if self._watcher is not None:
            return
        self._stop_watching.clear()
        self._watcher = threading.Thread(target=self._watch, args=(interval_s,),
                                         name="device-hub-watch", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        """Stop the refresh thread and wait for it (at most one refresh)."""
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None

    def close(self) -> None:
        """Stop watching and release every device (threads, ports, PC/SC context)."""
        self.stop_watching()
        if self.eid is not None:
            self.eid.stop()
        if self.terminal is not None:
            self.terminal.close()
        if self.printer is not None:
            self.printer.close()

    def _watch(self, interval_s: float) -> None:
        while not self._stop_watching.wait(interval_s):
            try:
                self.refresh()
            except Exception:  # never let a driver bug end the watch
                log.exception("device refresh failed")

    # -- capabilities ------------------------------------------------------------------
    def _judge(self, device: DeviceClass, present: bool,
               serving: frozenset[DeviceState]) -> Availability:
        if not present:
            return Availability.NO
        status = self.status(device)
        if status is None:
            return Availability.UNKNOWN
        return Availability.YES if status.state in serving else Availability.NO

    def card_payment(self) -> Availability:
        """Say whether the terminal can take a card (it answered last time it was asked)."""
        return self._judge(DeviceClass.PAYMENT, self.terminal is not None, USABLE_STATES)

    def identification(self) -> Availability:
        """Say whether an e-ID reader is configured and its service sees it."""
        return self._judge(DeviceClass.EID, self.eid is not None, USABLE_STATES)

    def paper_receipts(self) -> Availability:
        """Say whether a receipt would come out on paper now."""
        return self._judge(DeviceClass.PRINTER, self.printer is not None, PAPER_STATES)

    def can_pay_by_card(self) -> bool:
        """Tell whether a sale may start: the terminal is known to work."""
        return self.card_payment() is Availability.YES

    def can_use_eid(self) -> bool:
        """Tell whether identification may start: the reader is known to work."""
        return self.identification() is Availability.YES

    def receipt_mode(self) -> ReceiptMode:
        """Say whether receipts come out on paper or only as a QR the citizen must accept."""
        if self.paper_receipts() is Availability.YES:
            return ReceiptMode.PAPER
        return ReceiptMode.QR_ONLY_IF_ACCEPTED
