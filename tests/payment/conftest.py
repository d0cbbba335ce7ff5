"""Fixtures: the kiosk's Transbank driver and the terminal simulator on a socat serial pair."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers.payment.simulator import SerialDevicePort, TerminalMemory, TerminalSimulator
from drivers.payment.transbank import TransbankTerminal
from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import open_database
from offline_cache.journal import Journal
from tests.rig.serial_pty import SerialPair

ACK_TIMEOUT_S = 0.5
RESPONSE_TIMEOUT_S = 1.5


@dataclass
class TerminalLine:
    """Both ends of a payment terminal cable: our driver and the simulated terminal."""

    pair: SerialPair
    simulator: TerminalSimulator
    driver: TransbankTerminal

    @property
    def memory(self) -> TerminalMemory:
        return self.simulator.memory


@pytest.fixture
def terminal_line(serial_pair: SerialPair) -> Iterator[TerminalLine]:
    """A simulator on the device end and a driver on the kiosk end, with short timeouts."""
    simulator = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.01,
                                  ack_timeout_s=ACK_TIMEOUT_S,
                                  on_disconnect=serial_pair.unplug).start()
    driver = TransbankTerminal(serial_pair.kiosk_end, ack_timeout_s=ACK_TIMEOUT_S,
                               response_timeout_s=RESPONSE_TIMEOUT_S)
    yield TerminalLine(serial_pair, simulator, driver)
    driver.close()
    simulator.stop()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """The real payment journal on a fresh database file."""
    database = open_database(tmp_path / "kiosk.db")
    yield Journal(database, RecordCipher(load_or_create_key(tmp_path / "kiosk.key")))
    database.close()
