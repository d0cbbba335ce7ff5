"""Open the configured python-escpos connection and exchange raw bytes with it.

The transport is chosen by ``settings.type`` from a registry (network, serial, usb, file);
the simulator is reached through "network" or "serial" like a real printer. Every library
error is wrapped here into the driver vocabulary (:mod:`drivers.base`).
"""

from __future__ import annotations

import logging
import select
import socket
from collections.abc import Callable
from typing import Any

import serial
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File, Network, Serial, Usb

from drivers.base import DeviceUnavailable
from drivers.printer.config import PrinterSection
from drivers.printer.profile import PrinterProfile
from drivers.printer.status import PrinterStatus, StatusQuery

log = logging.getLogger(__name__)

IO_ERRORS = (OSError, serial.SerialException, DeviceNotFoundError)


def _network(settings: PrinterSection, profile: str) -> Escpos:
    return Network(settings.host, settings.port, timeout=settings.timeout_s, profile=profile)


def _serial(settings: PrinterSection, profile: str) -> Escpos:
    return Serial(
        settings.device,
        baudrate=settings.baudrate,
        timeout=settings.timeout_s,
        dsrdtr=settings.flow_control == "dsrdtr",
        profile=profile,
    )


def _usb(settings: PrinterSection, profile: str) -> Escpos:
    timeout_ms = int(settings.timeout_s * 1000)
    return Usb(settings.usb_vendor, settings.usb_product, timeout=timeout_ms, profile=profile)


def _file(settings: PrinterSection, profile: str) -> Escpos:
    return File(settings.device, profile=profile)


TRANSPORTS: dict[str, Callable[[PrinterSection, str], Escpos]] = {
    "network": _network,
    "serial": _serial,
    "usb": _usb,
    "file": _file,
}


def describe(settings: PrinterSection) -> str:
    """Say where the printer is, for logs and ``kiosk doctor`` (no personal data)."""
    if settings.type == "network":
        return f"network {settings.host}:{settings.port}"
    if settings.type == "usb":
        return f"usb {settings.usb_vendor:04x}:{settings.usb_product:04x}"
    return f"{settings.type} {settings.device}"


class PrinterConnection:
    """One open link to the printer: raw writes, and reads with a deadline."""

    def __init__(self, settings: PrinterSection, profile: PrinterProfile) -> None:
        if settings.type not in TRANSPORTS:
            raise DeviceUnavailable(f"printer type {settings.type!r} has no transport")
        self.settings = settings
        self._where = describe(settings)
        try:
            self.escpos = TRANSPORTS[settings.type](settings, profile.escpos_profile)
        except RuntimeError as err:  # python-escpos: the transport's library is missing
            raise DeviceUnavailable(f"cannot use printer ({self._where}): {err}") from err

    def open(self) -> None:
        """Connect; raises DeviceUnavailable if the printer cannot be reached."""
        try:
            if isinstance(self.escpos, Network):
                # python-escpos's Network.open leaks its socket when the connect fails
                self.escpos.device = socket.create_connection(
                    (self.settings.host, self.settings.port), timeout=self.settings.timeout_s)
            else:
                self.escpos.open()
            device: Any = self.escpos.device
            if isinstance(device, serial.Serial) and self.settings.flow_control == "rtscts":
                device.rtscts = True  # python-escpos's Serial has no parameter for it
        except (*IO_ERRORS, RuntimeError, ValueError) as err:
            self.escpos.device = False
            raise DeviceUnavailable(f"cannot open printer ({self._where}): {err}") from err

    def close(self) -> None:
        """Disconnect; never raises (the link may already be gone)."""
        try:
            self.escpos.close()
        except (*IO_ERRORS, RuntimeError) as err:
            log.debug("closing printer link %s: %s", self._where, err)
        self.escpos.device = False

    def __enter__(self) -> PrinterConnection:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, data: bytes) -> None:
        """Send bytes; raises DeviceUnavailable when the link breaks."""
        try:
            self.escpos._raw(data)
            device: Any = self.escpos.device
            if isinstance(device, serial.Serial):
                device.flush()
        except (*IO_ERRORS, AssertionError) as err:
            raise DeviceUnavailable(f"printer link broke ({self._where}): {err}") from err

    def read_byte(self, timeout: float) -> int | None:
        """Read one answer byte, or None if nothing came within ``timeout`` seconds."""
        device: Any = self.escpos.device
        try:
            if isinstance(device, socket.socket):
                return _read_socket(device, timeout)
            if isinstance(device, serial.Serial):
                device.timeout = timeout
                data = device.read(1)
                return data[0] if data else None
            if isinstance(self.escpos, Usb):
                data = self.escpos._read()
                return data[0] if data else None
        except (*IO_ERRORS, AssertionError) as err:
            raise DeviceUnavailable(f"printer link broke ({self._where}): {err}") from err
        return None  # a file printer cannot answer

    def drain(self) -> None:
        """Discard stale answer bytes so the next answer matches the next question."""
        if not isinstance(self.escpos.device, socket.socket | serial.Serial):
            return  # USB reads block for the device timeout; file printers never answer
        while self.read_byte(0.0) is not None:
            pass


def query_status(conn: PrinterConnection, timeout: float) -> PrinterStatus:
    """Ask DLE EOT 1..4; silence on the first question leaves everything unknown."""
    conn.drain()
    answers: dict[StatusQuery, int | None] = {}
    for query in StatusQuery:
        conn.write(query.command)
        answers[query] = conn.read_byte(timeout)
        if answers[query] is None:
            break
    return PrinterStatus.from_answers(answers)


def _read_socket(sock: socket.socket, timeout: float) -> int | None:
    readable, _, _ = select.select([sock], [], [], timeout)
    if not readable:
        return None
    data = sock.recv(1)
    if not data:
        raise ConnectionResetError("the printer closed the connection")
    return data[0]
