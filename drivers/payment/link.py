"""The POS Integrado link layer over one open serial port: ACK/NAK, retransmits, timeouts.

Rules (Transbank "POS Integrado"): every frame is acknowledged with ACK once its LRC has been
checked, or NAKed so the sender retransmits it. We check the LRC *before* answering, NAK a
bad frame and wait for the copy (at most ``max_attempts`` copies), and retransmit our own
frame when the terminal NAKs it (bounded the same way). Waiting is done by blocking reads
with pyserial timeouts set to the time left, never by sleeping in a loop.
"""

from __future__ import annotations

import logging
import termios
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol, TypeVar

import serial

from drivers.base import DeviceTimeout
from drivers.payment.base import TerminalProtocolError, TerminalUnavailable
from drivers.payment.framing import (
    ACK,
    NAK,
    BadFrame,
    Control,
    Event,
    Frame,
    FrameParser,
    encode_frame,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class SerialPort(Protocol):
    """The part of ``serial.Serial`` the link uses."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...


class AckTimeout(DeviceTimeout):
    """The terminal did not acknowledge our frame in time."""


class AnswerTimeout(DeviceTimeout):
    """The terminal acknowledged but sent no answer in time."""


class FrameRejected(TerminalProtocolError):
    """The terminal NAKed every copy of our frame: it never accepted the command."""


class GarbledAnswer(TerminalProtocolError):
    """Every copy of the terminal's answer failed its check byte."""


class LineDown(TerminalUnavailable):
    """The serial line failed (cable pulled, adapter gone)."""


class Link:
    """Send and receive checked frames on one port; not thread-safe (use the device thread)."""

    def __init__(self, port: SerialPort, ack_timeout_s: float, max_attempts: int = 3) -> None:
        self._port = port
        self._ack_timeout_s = ack_timeout_s
        self._max_attempts = max_attempts
        self._parser = FrameParser()
        self._events: deque[Event] = deque()
        self.bytes_written = 0  # lets a caller tell "nothing left the kiosk" from "maybe sent"

    def start_exchange(self) -> None:
        """Forget stale bytes (a late answer to a command that already timed out)."""
        self._events.clear()
        self._parser.reset()
        self._guard(self._port.reset_input_buffer)

    def send(self, data: bytes, *, resend_on_silence: bool) -> None:
        """Send one frame until ACKed; on silence resend only if the command is idempotent."""
        frame = encode_frame(data)
        for attempt in range(1, self._max_attempts + 1):
            self._write(frame)
            reply = self._next_control(time.monotonic() + self._ack_timeout_s)
            if reply == ACK:
                return
            if reply == NAK:
                log.warning("terminal NAKed frame %s (attempt %d)", data[:4], attempt)
                continue
            if not resend_on_silence:
                raise AckTimeout(f"no ACK for {data[:4]!r} within {self._ack_timeout_s}s")
            log.warning("no ACK for frame %s (attempt %d)", data[:4], attempt)
        if reply is None:
            raise AckTimeout(f"no ACK for {data[:4]!r} after {self._max_attempts} attempts")
        raise FrameRejected(f"terminal NAKed {data[:4]!r} {self._max_attempts} times")

    def receive(self, deadline: float) -> bytes:
        """Return the next good frame's data (ACKed), NAKing bad copies; raise on timeout."""
        bad = 0
        while True:
            event = self._next_event(deadline)
            if event is None:
                raise AnswerTimeout("the terminal sent no answer in time")
            if isinstance(event, Frame):
                self._write(bytes([ACK]))
                return event.data
            if isinstance(event, BadFrame):
                bad += 1
                log.warning("bad frame from terminal: %s (%d of %d)", event.reason, bad,
                            self._max_attempts)
                self._write(bytes([NAK]))
                if bad >= self._max_attempts:
                    raise GarbledAnswer(f"{bad} bad copies of the terminal's answer")
            # a stray ACK/NAK while waiting for an answer carries no information

    def _next_control(self, deadline: float) -> int | None:
        while (event := self._next_event(deadline)) is not None:
            if isinstance(event, Control):
                return event.byte
            log.info("frame while waiting for ACK (a stale retransmission); ignored")
        return None

    def _next_event(self, deadline: float) -> Event | None:
        while not self._events:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._port.timeout = remaining
            chunk = self._guard(lambda: self._port.read(max(1, self._port.in_waiting)))
            self._events.extend(self._parser.feed(chunk))
        return self._events.popleft()

    def _write(self, data: bytes) -> None:
        self._guard(lambda: self._port.write(data))
        self.bytes_written += len(data)

    @staticmethod
    def _guard(action: Callable[[], T]) -> T:
        try:
            return action()
        except (serial.SerialException, OSError, termios.error) as err:
            raise LineDown(f"serial line failed: {err}") from err
