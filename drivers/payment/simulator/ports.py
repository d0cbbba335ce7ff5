"""The simulator's end of the line: a serial device path, or a pseudo-terminal it creates.

Reads block until data arrives, the timeout passes or :meth:`cancel` is called (so the
serving thread can stop without polling). With ``baudrate`` set, the time the bytes would
take on a real 8N1 line (10 bits per byte) is spent on every read and write, so benchmarks
at 9600 and 115200 baud mean something on a pseudo-terminal, which has no speed of its own.
"""

from __future__ import annotations

import os
import select
import time
import tty
from typing import Protocol

import serial


class DevicePort(Protocol):
    """What the simulator needs from its end of the line."""

    def read(self, timeout: float | None) -> bytes:
        """Block until some bytes arrive; b"" on timeout or cancel."""

    def write(self, data: bytes) -> None:
        """Send bytes to the kiosk."""

    def cancel(self) -> None:
        """Wake a blocked read (used to stop)."""

    def close(self) -> None:
        """Release the line."""


def _wire_time(size: int, baudrate: int | None) -> None:
    if baudrate:
        time.sleep(size * 10 / baudrate)


class SerialDevicePort:
    """The device end of a socat pair (or a real serial port) opened with pyserial."""

    def __init__(self, path: str, baudrate: int | None = None) -> None:
        self.path = path
        self._baudrate = baudrate
        self._serial = serial.Serial(path, baudrate or 9600, timeout=None)

    def read(self, timeout: float | None) -> bytes:
        """Block until bytes arrive (or timeout / cancel)."""
        self._serial.timeout = timeout
        data = bytes(self._serial.read(max(1, self._serial.in_waiting)))
        _wire_time(len(data), self._baudrate)
        return data

    def write(self, data: bytes) -> None:
        """Send bytes, spending their wire time first."""
        _wire_time(len(data), self._baudrate)
        self._serial.write(data)

    def cancel(self) -> None:
        """Wake a blocked read."""
        self._serial.cancel_read()

    def close(self) -> None:
        """Close the port."""
        self._serial.close()


class PtyDevicePort:
    """A pseudo-terminal made with ``os.openpty``; the kiosk opens :attr:`kiosk_path`."""

    def __init__(self, baudrate: int | None = None) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: a plain 8-bit line
        self.kiosk_path = os.ttyname(self._slave)  # kept open so the kiosk may come and go
        self._wake_r, self._wake_w = os.pipe()
        self._baudrate = baudrate

    def read(self, timeout: float | None) -> bytes:
        """Block until bytes arrive (or timeout / cancel)."""
        ready, _, _ = select.select([self._master, self._wake_r], [], [], timeout)
        if self._wake_r in ready:
            os.read(self._wake_r, 64)
            return b""
        if not ready:
            return b""
        data = os.read(self._master, 4096)
        _wire_time(len(data), self._baudrate)
        return data

    def write(self, data: bytes) -> None:
        """Send bytes, spending their wire time first."""
        _wire_time(len(data), self._baudrate)
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view):]

    def cancel(self) -> None:
        """Wake a blocked read."""
        os.write(self._wake_w, b"x")

    def close(self) -> None:
        """Close every descriptor."""
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            os.close(fd)
