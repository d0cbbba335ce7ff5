"""The test rig itself works: pcscd readers appear, serial pairs carry bytes, ports are free."""

from __future__ import annotations

import socket

import serial

from kiosk.simulated.pcsc import VIRTUAL_READER, list_readers


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


_OTHER_PROCESS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from kiosk.simulated.pcsc import PrivatePcscd, list_readers
with PrivatePcscd() as daemon:
    print(json.dumps({"port": daemon.vpcd_port, "socket": str(daemon.home.socket_path),
                      "readers": list_readers()}))
"""


def test_another_process_gets_its_own_pcscd_and_vpcd_port_beside_ours(pcscd):
    """Two test workers never share a daemon, a socket or a vpcd port."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "PCSCLITE_CSOCK_NAME"}
    result = subprocess.run([sys.executable, "-c", _OTHER_PROCESS,
                             str(Path(__file__).resolve().parent.parent)],
                            env=env, capture_output=True, text=True, timeout=60, check=True)
    other = json.loads(result.stdout)
    assert other["readers"] == [VIRTUAL_READER, "Virtual PCD 00 01"]
    assert other["port"] != pcscd.vpcd_port
    assert other["socket"] != str(pcscd.home.socket_path)
    assert os.environ["PCSCLITE_CSOCK_NAME"] == str(pcscd.home.socket_path)
    assert VIRTUAL_READER in list_readers()  # ours still answers after the other one stopped
