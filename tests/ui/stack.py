"""The whole kiosk on real stacks, for journey UI tests and the journey bench.

One :class:`KioskStack` per test: its own reference API (trusting the virtual cards' CA,
the kiosk enrolled), the virtual e-ID card in pcscd's vpcd slot, the ESC/POS printer
simulator on TCP and the payment terminal simulator on a socat serial pair. The kiosk app
runs in its own process (tests/ui/app_runner.py) with its runtime started as in
production: devices, payment recovery, catalog refresh and the sync worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers.eid.virtual_card.control import VirtualCardClient
from drivers.payment.simulator import SerialDevicePort, TerminalSimulator
from drivers.printer.simulator import PrinterSimulator
from kiosk.api_types import Enrolment
from kiosk.enrolment import save_enrolment
from kiosk.settings import deep_merge
from tests.eid.conftest import CITIZENS
from tests.rig.api_server import ApiServer, enrol_kiosk, running_api_server
from tests.rig.pcsc import VIRTUAL_READER
from tests.rig.serial_pty import SerialPair
from tests.ui.conftest import PORTRAIT
from tests.ui.harness import KioskUI

MARIA = CITIZENS[0]  # config/demo/citizens.toml: has property-tax, water and fine debts
WAIT_CARD_S = 20.0  # pcscd polls vpcd; a read and a signature take seconds on 2 cores


@dataclass
class KioskStack:
    """Every real part a journey test drives or looks at."""

    api: ApiServer
    card: VirtualCardClient
    printer: PrinterSimulator
    terminal: TerminalSimulator
    serial: SerialPair
    overrides: dict[str, Any]
    start_ui: Callable[..., KioskUI]

    def start(self, extra: dict[str, Any] | None = None) -> KioskUI:
        """Start the kiosk app on this stack with its runtime running, at the attract screen."""
        ui = self.start_ui(deep_merge(self.overrides, extra or {}))
        ui.call("start_runtime")
        ui.wait_until(lambda: ui.call("eid_ready"), "the e-ID reader", timeout=WAIT_CARD_S)
        return ui

    def api_rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Query the reference API's database (what the town hall recorded)."""
        with sqlite3.connect(self.api.db_path) as conn:
            return list(conn.execute(sql, params).fetchall())


@pytest.fixture
def kiosk_stack(start_ui: Callable[..., KioskUI], card: VirtualCardClient, pki_dir: Path,
                serial_pair: SerialPair, tmp_path: Path) -> Iterator[KioskStack]:
    """The kiosk on real stacks; María's card is inserted (``card`` fixture)."""
    with running_api_server(tmp_path / "api", eid_ca=pki_dir / "eid-ca.pem") as api, \
            PrinterSimulator() as printer:
        printer_port = printer.listen()
        terminal = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.05,
                                     on_disconnect=serial_pair.unplug).start()
        kiosk = enrol_kiosk(api)
        save_enrolment(tmp_path / "data" / "enrolment.json",
                       Enrolment(kiosk_id=kiosk.kiosk_id, token=kiosk.token))
        overrides: dict[str, Any] = {
            **PORTRAIT,
            "kiosk": {"id": kiosk.kiosk_id, "verification_url": f"{api.root_url}/verify"},
            "api": {"url": api.base_url, "retries": 0, "read_timeout_s": 5},
            "timeouts": {"inactivity_warning_s": 600},
            "offline": {"sync_interval_s": 0.3, "base_backoff_s": 0.2, "max_backoff_s": 1},
            "devices": {
                "eid": {"type": "pcsc", "reader": VIRTUAL_READER, "poll_timeout_s": 0.5},
                "printer": {"type": "network", "host": "127.0.0.1", "port": printer_port,
                            "timeout_s": 2},
                "payment": {"type": "transbank", "port": serial_pair.kiosk_end,
                            "ack_timeout_s": 1, "response_timeout_s": 5},
            },
            "demo": {"start_simulators": False},
        }
        try:
            yield KioskStack(api, card, printer, terminal, serial_pair, overrides, start_ui)
        finally:
            terminal.stop()
