"""The kiosk's heartbeat: a health report to the central API every minute, so nobody has to
walk to a kiosk to learn that it is out of paper, cannot sync or holds money in its queue.

A report carries what a person at the town hall needs to act: the software version, each
device's state, the outbox depth and how many items are parked for a technician, open
incidents, the oldest undelivered item, free disk space and the last successful sync. It
holds nothing personal. Reports go through the outbox, which keeps only the newest one
unsent (``Outbox.enqueue_heartbeat``), so a kiosk back from a long outage sends one current
report, not a backlog.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from drivers.base import DeviceClass
from kiosk.devices import DeviceHub
from kiosk.periodic import PeriodicJob
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker

log = logging.getLogger(__name__)


class HeartbeatReporter:
    """Queue a health report now and then every ``interval_s`` seconds on its own thread."""

    def __init__(self, store: OfflineStore, devices: DeviceHub, sync: SyncWorker, *,
                 version: str, interval_s: float,
                 free_disk: Callable[[], int | None] | None = None) -> None:
        self._store, self._devices, self._sync = store, devices, sync
        self._version, self._interval_s = version, interval_s
        self._free_disk = free_disk or (lambda: _free_bytes(store.database.path.parent))
        self._job = PeriodicJob("heartbeat", interval_s, self.beat, join_s=10.0)

    def report(self) -> dict[str, Any]:
        """Build the report the API's ``POST /v1/heartbeats`` takes."""
        status = self._sync.status()
        devices = {}
        for device in DeviceClass:
            known = self._devices.status(device)
            if known is not None:
                devices[device.value] = {"state": known.state.value,
                                         "detail": dict(known.detail)}
        return {
            "app_version": self._version,
            "devices": devices,
            "queue_depth": status.queue_depth,
            "parked": status.parked,
            "incidents": len(self._store.database.incidents()),
            "oldest_pending_at": self._store.outbox.oldest_pending_at(),
            "free_disk_bytes": self._free_disk(),
            "last_sync": status.last_sync,
        }

    def beat(self) -> None:
        """Queue one report and wake the sync worker to send it."""
        self._store.outbox.enqueue_heartbeat(self.report())
        self._sync.wake()

    def start(self) -> None:
        """Report at once, then every interval, until :meth:`stop`."""
        self._job.start()

    def stop(self) -> None:
        """Stop reporting (the last report stays queued for delivery)."""
        self._job.stop()


def _free_bytes(folder: os.PathLike[str] | str) -> int | None:
    try:
        stat = os.statvfs(folder)
    except OSError:
        return None
    return stat.f_bavail * stat.f_frsize
