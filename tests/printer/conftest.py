"""Printer fixtures: the simulator on a loopback port, a driver wired to it, receipts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlite_utils import Database

from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.profile import profile_from_settings
from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine
from drivers.printer.simulator import PrinterSimulator
from drivers.worker import DeviceWorker
from kiosk.receipts.verification import verification_url
from kiosk.settings import PrinterSection
from offline_cache.print_jobs import PrintJobStore

VERIFY_BASE = "https://tramites.villaesperanza.gob/verificar"
REFERENCE = "PAG-2026-000123"


def build_typical_receipt() -> Receipt:
    """A payment receipt as the kiosk prints it while the API is unreachable."""
    return Receipt(
        header=ReceiptHeader("Municipalidad de Villa Esperanza", "kiosk-demo-01",
                             datetime(2026, 11, 21, 20, 15), "Comprobante de pago"),
        lines=(
            ReceiptLine("Impuesto predial 2026, 1ª cuota", 12_345_00, "Rol 123-45, Pasaje Ñandú"),
            ReceiptLine("Consumo de agua potable, octubre", 8_990_00),
            ReceiptLine("Multa de tránsito (exención aplicada)", 0),
        ),
        reference=REFERENCE,
        verification_url=verification_url(VERIFY_BASE, REFERENCE),
        status_text="Pendiente de confirmación",
        footer=("¡Gracias por usar el kiosco municipal!", "¿Dudas? Llame al 800 123 456."),
    )


@pytest.fixture
def typical_receipt() -> Receipt:
    """The typical receipt (see :func:`build_typical_receipt`)."""
    return build_typical_receipt()


@pytest.fixture
def simulator() -> Iterator[PrinterSimulator]:
    """The simulated printer, listening on a free loopback port."""
    with PrinterSimulator() as sim:
        yield sim


@pytest.fixture
def printer_settings(simulator: PrinterSimulator) -> PrinterSection:
    """Printer settings pointing at the simulator (native QR and barcode)."""
    port = simulator.listen()
    return PrinterSection(type="network", host="127.0.0.1", port=port, timeout_s=2)


@pytest.fixture
def job_store() -> PrintJobStore:
    """A job store in an in-memory database owned by the test."""
    return PrintJobStore(Database(memory=True))


@pytest.fixture
def make_printer(job_store: PrintJobStore) -> Iterator[Callable[..., EscposReceiptPrinter]]:
    """Build drivers for given settings; their worker threads are closed afterwards."""
    workers: list[DeviceWorker] = []

    def make(settings: PrinterSection, **changes: Any) -> EscposReceiptPrinter:
        settings = settings.model_copy(update=changes)
        worker = DeviceWorker("printer-test")
        workers.append(worker)
        return EscposReceiptPrinter(settings, profile_from_settings(settings), job_store, worker)

    yield make
    for worker in workers:
        worker.close()


@pytest.fixture
def printer(make_printer: Callable[..., EscposReceiptPrinter],
            printer_settings: PrinterSection) -> EscposReceiptPrinter:
    """The driver talking to the simulator over TCP."""
    return make_printer(printer_settings)
