"""Acceptance: real receipts through python-escpos to the simulator over TCP.

The simulator's parsed job must hold the Spanish text, the QR's raw GS ( k data, the
barcode content; its PNG must decode (zxing-cpp) to the verification URL and the reference.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace

import pytest
import zxingcpp
from sqlite_utils import Database

from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.profile import profile_from_settings
from drivers.printer.simulator.render import render_job
from drivers.worker import DeviceWorker
from offline_cache.print_jobs import PrintJobState, PrintJobStore


def decoded_symbols(image) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, []).append(result.text)
    return found


def test_typical_receipt_prints_with_spanish_text_native_qr_and_barcode(
        printer, simulator, typical_receipt, artifacts_dir, job_store):
    job_id = printer.print_receipt(typical_receipt)

    (job,) = simulator.wait_for_jobs(1)
    assert job.complete and not job.errors
    text = job.text
    for expected in ("MUNICIPALIDAD DE VILLA ESPERANZA", "Kiosco: kiosk-demo-01",
                     "21/11/2026 20:15", "Impuesto predial 2026, 1ª cuota", "$12.345",
                     "Rol 123-45, Pasaje Ñandú", "Multa de tránsito (exención aplicada)",
                     "$21.335", "PENDIENTE DE CONFIRMACIÓN", "PAG-2026-000123",
                     "¡Gracias por usar el kiosco municipal!", "¿Dudas? Llame al 800 123 456."):
        assert expected in text, expected
    assert job.qr_codes == [typical_receipt.verification_url]
    assert [b.data for b in job.barcodes] == [typical_receipt.reference]
    assert job.barcodes[0].raw == b"{B" + typical_receipt.reference.encode()

    image = render_job(job)
    image.save(artifacts_dir / "receipt-typical.png")
    image.save(artifacts_dir / "receipt-native-qr.png")
    symbols = decoded_symbols(image)
    assert symbols["QRCode"] == [typical_receipt.verification_url]
    assert symbols["Code128"] == [typical_receipt.reference]
    assert job_store.get(job_id).state is PrintJobState.PRINTED


def test_receipt_with_image_qr_and_barcode_decodes_from_the_paper(
        make_printer, printer_settings, simulator, typical_receipt, artifacts_dir):
    printer = make_printer(printer_settings, native_qr=False, native_barcode=False)
    printer.print_receipt(typical_receipt)

    (job,) = simulator.wait_for_jobs(1)
    assert job.qr_codes == [] and job.barcodes == []
    assert len(job.images) == 2
    image = render_job(job)
    image.save(artifacts_dir / "receipt-image-qr.png")
    symbols = decoded_symbols(image)
    assert symbols["QRCode"] == [typical_receipt.verification_url]
    assert symbols["Code128"] == [typical_receipt.reference]
    assert "Pasaje Ñandú" in job.text


@pytest.mark.parametrize("codepage", ["CP858", "CP850", "CP1252", "ISO_8859-15"])
def test_spanish_prints_right_in_each_configured_code_page(
        make_printer, printer_settings, simulator, typical_receipt, codepage):
    make_printer(printer_settings, codepage=codepage).print_receipt(typical_receipt)
    (job,) = simulator.wait_for_jobs(1)
    assert "Pasaje Ñandú" in job.text and "CONFIRMACIÓN" in job.text
    assert "¡Gracias" in job.text and "¿Dudas?" in job.text and "1ª cuota" in job.text


def test_euro_sign_prints_in_cp858(make_printer, printer_settings, simulator, typical_receipt):
    receipt = replace(typical_receipt, currency="EUR", locale="es_ES")
    make_printer(printer_settings, codepage="CP858").print_receipt(receipt)
    (job,) = simulator.wait_for_jobs(1)
    assert "12.345,00 €" in job.text


def test_async_caller_prints_through_to_thread_and_the_driver_hops_to_its_worker(
        printer_settings, simulator, typical_receipt):
    # the kiosk's database connection is shared across threads (check_same_thread=False)
    store = PrintJobStore(Database(sqlite3.connect(":memory:", check_same_thread=False)))
    worker = DeviceWorker("printer")
    printer = EscposReceiptPrinter(printer_settings, profile_from_settings(printer_settings),
                                   store, worker)
    try:
        job_id = asyncio.run(asyncio.to_thread(printer.print_receipt, typical_receipt))
    finally:
        worker.close()
    assert store.get(job_id).state is PrintJobState.PRINTED
    assert simulator.wait_for_jobs(1)[0].complete
