"""What the screens must tell the citizen about the kiosk itself: offline, device faults.

Services (sync worker, device hub) update :class:`UiState` from any thread; the shell
subscribes and re-schedules each change onto Kivy's main thread. No Kivy here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from common.text import N_
from drivers.base import USABLE_STATES, DeviceStatus


@dataclass(frozen=True)
class Notices:
    """A snapshot: whether the API is reachable and which devices cannot be used."""

    online: bool
    faults: dict[str, str]  # device -> gettext msgid explaining it to the citizen
    authorized: bool = True  # False: the API revoked this kiosk; no card sales until enrolled


Listener = Callable[[Notices], None]
DEVICE_FAULT = N_("A device is not working.")


class UiState:
    """Observable kiosk state fed by services; listeners get a snapshot on every change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._online = True
        self._authorized = True
        self._faults: dict[str, str] = {}
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` now and after every change (from the changing thread)."""
        self._listeners.append(listener)
        listener(self.snapshot())

    def snapshot(self) -> Notices:
        """Return the current state."""
        with self._lock:
            return Notices(self._online, dict(self._faults), self._authorized)

    def set_online(self, online: bool) -> None:
        """Record whether the central API answers."""
        with self._lock:
            changed, self._online = self._online != online, online
        if changed:
            self._publish()

    def set_authorized(self, authorized: bool) -> None:
        """Record whether the central API still accepts this kiosk (revoked: False)."""
        with self._lock:
            changed, self._authorized = self._authorized != authorized, authorized
        if changed:
            self._publish()

    def device_status(self, status: DeviceStatus) -> None:
        """Record a device's status (a DeviceHub listener)."""
        with self._lock:
            before = dict(self._faults)
            if status.state in USABLE_STATES:
                self._faults.pop(status.device, None)
            else:
                self._faults[status.device] = status.message_key or DEVICE_FAULT
            changed = before != self._faults
        if changed:
            self._publish()

    def _publish(self) -> None:
        notices = self.snapshot()
        for listener in list(self._listeners):
            listener(notices)
