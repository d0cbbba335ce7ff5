"""Journey fixtures: reference API, terminal simulator on a socat pair, printer over TCP."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.profile import profile_from_settings
from drivers.printer.simulator import PrinterSimulator
from drivers.worker import DeviceWorker
from kiosk.api_uploader import ApiUploader
from kiosk.devices import DeviceHub
from kiosk.runtime import build_sync_worker
from kiosk.services.pay_bills import PayBills
from kiosk.settings import KioskSection, OfflineSection, PrinterSection
from offline_cache.print_jobs import PrintJobStore
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker
from tests.payment.conftest import TerminalLine, terminal_line  # noqa: F401  (fixture)
from tests.rig.api_server import ApiServer

KIOSK_ID = "kiosk-pay-test"


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    """The simulated ESC/POS printer on a free loopback port."""
    with PrinterSimulator() as sim:
        yield sim


@pytest.fixture
def printer_section(printer_sim: PrinterSimulator) -> PrinterSection:
    """Printer settings pointing at the simulator."""
    return PrinterSection(type="network", host="127.0.0.1", port=printer_sim.listen(),
                          timeout_s=2)


@pytest.fixture
def sim_printer(printer_section: PrinterSection,
                tmp_path: Path) -> Iterator[EscposReceiptPrinter]:
    """The real printer driver talking to the simulator, jobs in a file database."""
    from sqlite_utils import Database

    database = Database(sqlite3.connect(tmp_path / "jobs.db", check_same_thread=False))
    worker = DeviceWorker("printer-journey")
    yield EscposReceiptPrinter(printer_section, profile_from_settings(printer_section),
                               PrintJobStore(database), worker)
    worker.close()
    database.close()


@dataclass
class PayRig:
    """The Pay service on real stacks, and every part a test looks at."""

    service: PayBills
    hub: DeviceHub
    store: OfflineStore
    sync: SyncWorker
    api: ApiServer
    line: TerminalLine
    printer: PrinterSimulator

    def payments_at_api(self, idempotency_key: str) -> int:
        """Count the payments the reference API recorded under this key."""
        with sqlite3.connect(self.api.db_path) as conn:
            row = conn.execute("SELECT COUNT(*) FROM payments WHERE idempotency_key = ?",
                               (idempotency_key,)).fetchone()
        return int(row[0])


@pytest.fixture
def pay_rig(tmp_path: Path, own_api_server: ApiServer, terminal_line: TerminalLine,  # noqa: F811
            sim_printer: EscposReceiptPrinter, printer_sim: PrinterSimulator,
            ) -> Iterator[PayRig]:
    """PayBills wired to a private API, the terminal simulator and the printer simulator."""
    with pay_rig_on(tmp_path, own_api_server, terminal_line, sim_printer, printer_sim) as rig:
        yield rig


@contextmanager
def pay_rig_on(tmp_path: Path, own_api_server: ApiServer, terminal_line: TerminalLine,  # noqa: F811
               sim_printer: EscposReceiptPrinter, printer_sim: PrinterSimulator,
               ) -> Iterator[PayRig]:
    """Wire PayBills to ``own_api_server`` and the simulators; stop everything afterwards."""
    client = own_api_server.client(own_api_server.enrol(KIOSK_ID), retries=0)
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    sync = build_sync_worker(store, ApiUploader(client), OfflineSection(
        sync_interval_s=0.2, base_backoff_s=0.1, max_backoff_s=0.3))
    hub = DeviceHub(None, sim_printer, terminal_line.driver)
    hub.refresh()
    kiosk = KioskSection(id=KIOSK_ID, municipality="Municipalidad de Villa Esperanza",
                         languages=["es", "en"], data_dir=tmp_path, log_dir=tmp_path,
                         verification_url=f"{own_api_server.root_url}/verify")
    service = PayBills(api=client, journal=store.journal, devices=hub, kiosk=kiosk, sync=sync,
                       confirm_wait_s=3.0)
    sync.start()
    try:
        yield PayRig(service, hub, store, sync, own_api_server, terminal_line, printer_sim)
    finally:
        sync.stop()
        client.close()
        store.close()
