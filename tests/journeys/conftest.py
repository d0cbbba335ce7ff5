"""Journey fixtures: printer simulator over TCP and terminal simulator on a socat pair."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.profile import profile_from_settings
from drivers.printer.simulator import PrinterSimulator
from drivers.worker import DeviceWorker
from kiosk.settings import PrinterSection
from offline_cache.print_jobs import PrintJobStore
from tests.payment.conftest import TerminalLine, terminal_line  # noqa: F401  (fixture)

__all__ = ["TerminalLine"]


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
def sim_printer(printer_section: PrinterSection, tmp_path) -> Iterator[EscposReceiptPrinter]:
    """The real printer driver talking to the simulator, jobs in a file database."""
    from sqlite_utils import Database

    database = Database(tmp_path / "jobs.db")
    worker = DeviceWorker("printer-journey")
    yield EscposReceiptPrinter(printer_section, profile_from_settings(printer_section),
                               PrintJobStore(database), worker)
    worker.close()
    database.close()
