"""Watch one PC/SC reader slot with our own context, surviving pcscd restarts and unplugs.

pyscard's CardMonitor shares a process-wide context and its thread dies silently when pcscd
goes away. This loop blocks in ``SCardGetStatusChange`` (with a timeout, so no busy waiting
and a prompt stop), and on any context error releases the context, reports the slot as
unavailable, waits, and establishes a new one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from smartcard.scard import (
    SCARD_E_NO_READERS_AVAILABLE,
    SCARD_E_TIMEOUT,
    SCARD_E_UNKNOWN_READER,
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCARD_STATE_CHANGED,
    SCARD_STATE_EMPTY,
    SCARD_STATE_MUTE,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAVAILABLE,
    SCARD_STATE_UNAWARE,
    SCARD_STATE_UNKNOWN,
    SCardCancel,
    SCardEstablishContext,
    SCardGetStatusChange,
    SCardListReaders,
    SCardReleaseContext,
)

from drivers.eid.errors import pcsc_code_name

log = logging.getLogger(__name__)


class SlotState(StrEnum):
    NO_SERVICE = "no_service"  # pcscd not reachable
    NO_READER = "no_reader"  # pcscd up, our reader not plugged in
    EMPTY = "empty"
    PRESENT = "present"
    MUTE = "mute"  # a card is in but does not answer its reset


@dataclass(frozen=True)
class SlotEvent:
    state: SlotState
    reader: str = ""
    atr: bytes = b""
    insertion: int = 0  # pcsc-lite's event counter: tells a swapped card from the same one


def pick_reader(readers: list[str], wanted: str) -> str | None:
    """The first reader whose name contains ``wanted`` (any reader if empty)."""
    return next((name for name in readers if wanted in name), None)


class SlotMonitor:
    """A thread reporting :class:`SlotEvent` changes of one reader to ``on_event``."""

    def __init__(self, reader_filter: str, on_event: Callable[[SlotEvent], None],
                 timeout_s: float = 1.0, retry_s: float = 0.5) -> None:
        self._filter, self._on_event = reader_filter, on_event
        self._timeout_ms, self._retry_s = int(timeout_s * 1000), retry_s
        self._stop = threading.Event()
        self._context: int | None = None
        self._last: SlotEvent | None = None
        self._thread = threading.Thread(target=self._run, name="eid-monitor", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread (at most one timeout)."""
        self._stop.set()
        context = self._context
        if context is not None:
            SCardCancel(context)
        if self._thread.ident is not None:  # stopping a monitor never started is a no-op
            self._thread.join(timeout=5)

    def _publish(self, event: SlotEvent) -> None:
        if event != self._last:
            self._last = event
            log.info("reader slot: %s", event.state)
            try:
                self._on_event(event)
            except Exception:  # a listener bug must not kill the monitor
                log.exception("e-ID slot listener failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            code, context = SCardEstablishContext(SCARD_SCOPE_USER)
            if code != SCARD_S_SUCCESS:
                self._publish(SlotEvent(SlotState.NO_SERVICE))
                self._stop.wait(self._retry_s)
                continue
            self._context = context
            try:
                self._watch(context)
            finally:
                self._context = None
                SCardReleaseContext(context)
            if not self._stop.is_set():
                self._stop.wait(self._retry_s)

    def _watch(self, context: int) -> None:
        """Follow the slot until the context breaks (returns) or we are stopped."""
        reader: str | None = None
        known = SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            if reader is None:
                code, readers = SCardListReaders(context, [])
                if code not in (SCARD_S_SUCCESS, SCARD_E_NO_READERS_AVAILABLE):
                    log.info("PC/SC context lost: %s", pcsc_code_name(code))
                    self._publish(SlotEvent(SlotState.NO_SERVICE))
                    return
                reader = pick_reader(list(readers or []), self._filter)
                if reader is None:
                    self._publish(SlotEvent(SlotState.NO_READER))
                    self._stop.wait(self._retry_s)
                    continue
                known = SCARD_STATE_UNAWARE
            code, states = SCardGetStatusChange(context, self._timeout_ms, [(reader, known)])
            if code == SCARD_E_TIMEOUT:
                continue
            if code == SCARD_E_UNKNOWN_READER:
                reader = None
                continue
            if code != SCARD_S_SUCCESS:
                log.info("PC/SC wait failed: %s", pcsc_code_name(code))
                self._publish(SlotEvent(SlotState.NO_SERVICE))
                return
            _, event_state, atr = states[0]
            known = event_state & ~SCARD_STATE_CHANGED
            if event_state & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE):
                self._publish(SlotEvent(SlotState.NO_READER, reader))
                reader = None
                self._stop.wait(self._retry_s)
            elif event_state & SCARD_STATE_MUTE:
                self._publish(SlotEvent(SlotState.MUTE, reader, bytes(atr), event_state >> 16))
            elif event_state & SCARD_STATE_PRESENT:
                self._publish(SlotEvent(SlotState.PRESENT, reader, bytes(atr), event_state >> 16))
            elif event_state & SCARD_STATE_EMPTY:
                self._publish(SlotEvent(SlotState.EMPTY, reader))
