"""Helpers for the e-ID tests: status log, slot waits, card swaps (fixtures: tests/conftest.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers.base import DeviceStatus
from drivers.eid.citizens import load_citizens
from drivers.eid.virtual_card.control import VirtualCardClient
from tests.rig.pcsc import VIRTUAL_READER

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CITIZENS = load_citizens()


class StatusLog:
    """Records pushed statuses and lets a test wait for one (no polling)."""

    def __init__(self) -> None:
        self.seen: list[DeviceStatus] = []
        self._condition = threading.Condition()

    def __call__(self, status: DeviceStatus) -> None:
        with self._condition:
            self.seen.append(status)
            self._condition.notify_all()

    def wait_for(self, predicate: Callable[[DeviceStatus], bool], timeout: float = 10,
                 ) -> DeviceStatus:
        """Wait until a status pushed from now on (or the latest one) matches."""
        with self._condition:
            start = max(len(self.seen) - 1, 0)
            ok = self._condition.wait_for(
                lambda: any(predicate(s) for s in self.seen[start:]), timeout)
            assert ok, f"no matching status; saw {self.seen[start:]}"
            return next(s for s in self.seen[start:] if predicate(s))

    def mark(self) -> None:
        """Forget the past so the next wait only matches new statuses."""
        with self._condition:
            self.seen.clear()


def card_is(state: str) -> Callable[[DeviceStatus], bool]:
    return lambda status: status.detail.get("card") == state


def wait_slot(present: bool, timeout: float = 10) -> None:
    """Block until pcscd itself sees the virtual slot full or empty (SCardGetStatusChange)."""
    from smartcard import scard

    code, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert code == scard.SCARD_S_SUCCESS
    wanted = scard.SCARD_STATE_PRESENT if present else scard.SCARD_STATE_EMPTY
    try:
        known = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, states = scard.SCardGetStatusChange(context, 500, [(VIRTUAL_READER, known)])
            if code == scard.SCARD_S_SUCCESS:
                known = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if known & wanted and not known & scard.SCARD_STATE_MUTE:
                    return
        raise AssertionError(f"slot did not become {'full' if present else 'empty'}")
    finally:
        scard.SCardReleaseContext(context)


def reinsert(client: VirtualCardClient, citizen: str | None = None) -> None:
    """Pull the card out, wait until pcscd notices, insert it (or another citizen's)."""
    client.remove()
    wait_slot(present=False)
    client.insert(citizen)
    wait_slot(present=True)
