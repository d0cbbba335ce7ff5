"""Settle open payments as soon as the terminal can answer for them, not only at start-up.

After a brief line drop a sale may stay ``unknown``; while it waits for the terminal no new
card sale starts (:func:`kiosk.services.card_payment.pay`). This watch asks the terminal
again every ``interval_s`` and whenever the terminal comes back online, so the next citizen
is not blocked until someone restarts the kiosk. It holds the same sale lock as a sale, so
it never touches a row a live sale is writing.
"""

from __future__ import annotations

import logging

from drivers.base import DeviceClass, DeviceState, DeviceStatus, DriverError
from kiosk.devices import DeviceHub
from kiosk.periodic import PeriodicJob
from kiosk.services import payment_recovery
from offline_cache.journal import Journal

log = logging.getLogger(__name__)


class PaymentWatch:
    """A thread that settles rows waiting for the terminal, when it can answer."""

    def __init__(self, journal: Journal, devices: DeviceHub, interval_s: float) -> None:
        self._journal, self._devices, self._interval_s = journal, devices, interval_s
        self._job = PeriodicJob("payment-watch", interval_s, self.settle_now)
        self._subscribed = False
        self._warned = False  # say it once per outage, not every round

    def start(self) -> None:
        """Watch from now on; a terminal that comes back online wakes the watch at once."""
        if not self._subscribed:
            self._devices.subscribe(self._on_status)
            self._subscribed = True
        self._job.start()

    def _on_status(self, status: DeviceStatus) -> None:
        if status.device is DeviceClass.PAYMENT and status.state is DeviceState.ONLINE:
            self._job.wake()

    def settle_now(self) -> int:
        """Try once; return how many rows the terminal answered for (errors are logged)."""
        terminal = self._devices.terminal
        if terminal is None or not self._journal.needing_recovery():
            return 0
        try:
            settled = payment_recovery.recover_all_blocking(self._journal, terminal)
        except DriverError as err:
            level = logging.INFO if self._warned else logging.WARNING
            log.log(level, "open payment still waits for the terminal; card sales wait too: "
                    "%s", err)
            self._warned = True
            return 0
        self._warned = False
        for payment in settled:
            log.info("recovered ticket %06d: %s", payment.ticket, payment.state)
        return len(settled)

    def stop(self) -> None:
        """Stop watching (a round in progress finishes first)."""
        self._job.stop()
