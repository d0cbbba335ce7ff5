"""Frame the POS Integrado link layer: ``STX data ETX LRC`` plus single-byte ACK / NAK.

The LRC is the XOR of every data byte and the ETX (STX excluded), as in Transbank's public
"POS Integrado" documentation. :class:`FrameParser` is a small state machine fed with
whatever bytes the serial port returned; it never raises on bad input: a frame whose LRC
does not match, that is too long, or that is cut by a new STX comes out as :class:`BadFrame`
so the link layer can answer NAK and wait for the retransmission.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

STX = 0x02
ETX = 0x03
ACK = 0x06
NAK = 0x15
MAX_DATA_LENGTH = 8192  # generous: a sale answer with a printed voucher is ~1.5 KiB


def lrc(data: bytes) -> int:
    """Return the XOR of ``data`` (pass data + ETX for a frame's check byte)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(data: bytes) -> bytes:
    """Wrap ``data`` as ``STX data ETX LRC``; data must not contain STX or ETX."""
    if STX in data or ETX in data:
        raise ValueError("frame data must not contain STX or ETX")
    return bytes([STX]) + data + bytes([ETX, lrc(data + bytes([ETX]))])


@dataclass(frozen=True)
class Frame:
    """A frame whose check byte matched; ``data`` is the text between STX and ETX."""

    data: bytes


@dataclass(frozen=True)
class BadFrame:
    """A frame that must be NAKed: wrong LRC, too long, or interrupted by a new STX."""

    reason: str


@dataclass(frozen=True)
class Control:
    """A single ACK or NAK byte outside any frame."""

    byte: int


Event = Frame | BadFrame | Control


class _State(Enum):
    IDLE = auto()
    DATA = auto()
    CHECK = auto()
    SKIP = auto()  # rest of an overlong frame: its check byte must not pass for ACK/NAK
    SKIP_CHECK = auto()


class FrameParser:
    """Turn an arbitrary byte stream into frames, bad frames and ACK / NAK events."""

    def __init__(self, max_length: int = MAX_DATA_LENGTH) -> None:
        self._max_length = max_length
        self._state = _State.IDLE
        self._data = bytearray()
        self.noise_bytes = 0  # bytes outside frames that are neither STX, ACK nor NAK

    def reset(self) -> None:
        """Drop a partial frame (after a timeout the rest will never come)."""
        self._state = _State.IDLE
        self._data.clear()

    def feed(self, chunk: bytes) -> list[Event]:
        """Consume ``chunk`` and return the events it completes, in order."""
        events: list[Event] = []
        for byte in chunk:
            event = self._step(byte)
            if event is not None:
                events.append(event)
        return events

    def _step(self, byte: int) -> Event | None:
        if self._state is _State.IDLE:
            return self._idle(byte)
        if self._state is _State.DATA:
            return self._in_data(byte)
        if self._state is _State.CHECK:
            return self._check(byte)
        self._skip(byte)
        return None

    def _idle(self, byte: int) -> Event | None:
        if byte == STX:
            self._state = _State.DATA
            self._data.clear()
        elif byte in (ACK, NAK):
            return Control(byte)
        else:
            self.noise_bytes += 1
        return None

    def _in_data(self, byte: int) -> Event | None:
        if byte == ETX:
            self._state = _State.CHECK
        elif byte == STX:
            self._data.clear()  # the sender restarted; the cut frame is lost
            return BadFrame("frame interrupted by a new STX")
        elif len(self._data) >= self._max_length:
            self._data.clear()
            self._state = _State.SKIP
            return BadFrame(f"frame longer than {self._max_length} bytes")
        else:
            self._data.append(byte)
        return None

    def _skip(self, byte: int) -> None:
        if self._state is _State.SKIP_CHECK:
            self._state = _State.IDLE
        elif byte == STX:
            self._state = _State.DATA
        elif byte == ETX:
            self._state = _State.SKIP_CHECK

    def _check(self, byte: int) -> Event:
        data = bytes(self._data)
        self.reset()
        if lrc(data + bytes([ETX])) != byte:
            return BadFrame("check byte (LRC) does not match")
        return Frame(data)
