"""Close the terminal's day at the configured local time, between two citizens.

A thread looks every ``check_s`` seconds: once the configured time has passed today and no
close happened since, it waits until no citizen is at the kiosk and then runs the close and
prints its report. A close that fails (terminal unreachable) is tried again at the next
look; the failure is logged for technicians.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import datetime, time

from drivers.base import DriverError
from kiosk.devices import DeviceHub
from kiosk.periodic import PeriodicJob
from kiosk.services.daily_close import close_and_report
from kiosk.settings import DailyCloseSection, KioskSection
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker

log = logging.getLogger(__name__)


class DailyCloseSchedule:
    """Run the daily close once a day, after ``at``, when the kiosk is idle."""

    def __init__(self, section: DailyCloseSection, kiosk: KioskSection, store: OfflineStore,
                 devices: DeviceHub, sync: SyncWorker, *, check_s: float = 30.0,
                 now: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        hours, minutes = (int(part) for part in section.at.split(":"))
        self._at, self._enabled = time(hours, minutes), section.enabled
        self._kiosk, self._store, self._devices, self._sync = kiosk, store, devices, sync
        self._check_s, self._now = check_s, now
        self._citizen_present = threading.Event()
        self._job = PeriodicJob("daily-close", check_s, self.run_if_due, at_start=False,
                                join_s=60.0)

    def citizen(self, present: bool) -> None:
        """Be told when a citizen starts (True) and when the session is wiped (False)."""
        if present:
            self._citizen_present.set()
        else:
            self._citizen_present.clear()

    def due(self) -> bool:
        """Tell whether today's close is owed (the time has passed and none since)."""
        now = self._now()
        if not self._enabled or now.time() < self._at:
            return False
        last = self._store.closes.last_closed_at()
        if last is None:
            return True
        return datetime.fromisoformat(last).astimezone(now.tzinfo).date() < now.date()

    def run_if_due(self) -> bool:
        """Close now if owed and nobody is at the kiosk; True if a close was made."""
        terminal = self._devices.terminal
        if terminal is None or self._citizen_present.is_set() or not self.due():
            return False
        try:
            asyncio.run(close_and_report(self._store.journal, self._store.closes, terminal,
                                         sync=self._sync, printer=self._devices.printer,
                                         kiosk=self._kiosk))
        except DriverError as err:
            log.error("daily close failed (%s); trying again in %.0f s", err, self._check_s)
            return False
        return True

    def start(self) -> None:
        """Look every ``check_s`` seconds until :meth:`stop`."""
        if self._enabled:
            self._job.start()

    def stop(self) -> None:
        """Stop looking (a close in progress finishes first)."""
        self._job.stop()
