"""Whose card is in the reader: a card left behind is never used for the next citizen.

An ATM keeps a forgotten card; a kiosk cannot, so it refuses to read it. When a session
ends (goodbye, time-out, Start again) with a card still in the reader, that card is
*left*: the attract screen asks for it to be taken, and "use my card" will not read it
(no "Is it you? María…" for the next person, no PIN tries spent on someone else's card)
until the reader has seen it go out and a card come in again.

Plain Python: the reader's statuses arrive on the device thread (``on_status``), the
session's end on Kivy's; a lock keeps the two flags consistent.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from drivers.base import DeviceClass, DeviceStatus

IN_READER = ("present", "unreadable")


def card_in_reader(status: DeviceStatus) -> bool:
    """Tell whether the reader says a card is in it (readable or not)."""
    return status.detail.get("card") in IN_READER


class CardCustody:
    """Remembers whether the card in the reader belongs to a citizen who has gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_reader = False
        self._left = False

    def on_status(self, status: DeviceStatus) -> None:
        """Follow the reader (a hub subscriber; any thread): a card taken out is no longer left."""
        if status.device is not DeviceClass.EID:
            return
        card = status.detail.get("card")
        with self._lock:
            if card == "absent":
                self._in_reader = self._left = False
            elif card in IN_READER:
                self._in_reader = True

    def session_ended(self) -> None:
        """The citizen is gone: a card still in the reader is hers, left behind."""
        with self._lock:
            if self._in_reader:
                self._left = True

    @property
    def card_left(self) -> bool:
        """Tell whether the card in the reader was left by an earlier citizen (never read it)."""
        with self._lock:
            return self._left


CARD_BACK_S = 20.0  # the longest a receipt waits for her card: it is never withheld
POLL_S = 0.2


async def card_taken_back(reader_status: Callable[[], DeviceStatus | None],
                          timeout_s: float = CARD_BACK_S) -> bool:
    """Wait until the card is out of the reader, as an ATM before the cash; True if it is.

    Used between an approved payment and its receipt: the money is recorded already, so
    waiting costs nothing but seconds, and after ``timeout_s`` the receipt comes anyway.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        status = reader_status()
        if status is None or status.detail.get("card") not in IN_READER:
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL_S)
