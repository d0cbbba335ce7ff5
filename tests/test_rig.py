"""The test rig itself works: pcscd readers appear, serial pairs carry bytes, ports are free."""

from __future__ import annotations

import socket

import serial

from tests.rig.pcsc import VIRTUAL_READER, list_readers


def test_pcscd_exposes_the_virtual_readers(pcscd):
    assert VIRTUAL_READER in list_readers()


def test_serial_pair_carries_bytes_both_ways(serial_pair):
    with serial.Serial(serial_pair.kiosk_end, 9600, timeout=2) as kiosk, serial.Serial(
        serial_pair.device_end, 9600, timeout=2
    ) as device:
        kiosk.write(b"\x02hola\x03")
        assert device.read(6) == b"\x02hola\x03"
        device.write(b"\x06")
        assert kiosk.read(1) == b"\x06"


def test_loopback_port_is_free(loopback_port):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", loopback_port))
        assert sock.getsockname()[1] == loopback_port
