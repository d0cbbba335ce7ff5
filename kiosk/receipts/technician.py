"""The technician's test receipt: every accented letter, the euro sign, a QR, a barcode.

``kiosk test-print`` prints it before the kiosk's database exists, on a driver with a
throw-away job store, through the same print path as every citizen's receipt.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from drivers.printer.diagnose import throwaway_printer
from drivers.printer.profile import PrinterProfile
from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine
from kiosk.receipts.printing import PrintAttempt, print_receipt
from kiosk.receipts.verification import verification_url
from kiosk.settings import PrinterSection

TEST_REFERENCE = "TEST-0001"
SPANISH_SAMPLE = "áéíóúü ÁÉÍÓÚÜ ñÑ ¿¡"


def technician_receipt(profile: PrinterProfile) -> Receipt:
    """Build the test receipt for this printer's profile (no personal data in it)."""
    return Receipt(
        header=ReceiptHeader("Prueba de impresora", "técnico", datetime.now(), "Prueba"),
        lines=(
            ReceiptLine(SPANISH_SAMPLE, 123456),
            ReceiptLine(f"Perfil {profile.escpos_profile}, {profile.codepage}",
                        detail=f"{profile.width_chars} columnas, {profile.width_dots} puntos"),
        ),
        reference=TEST_REFERENCE,
        verification_url=verification_url("https://example.invalid/prueba", TEST_REFERENCE),
        status_text="prueba, sin valor",
        footer=(f"QR {'nativo' if profile.native_qr else 'imagen'}, código de barras "
                f"{'nativo' if profile.native_barcode else 'imagen'}",),
        currency="EUR",  # the euro sign tests the code page; pesos print only "$"
        locale="es_ES",
    )


def print_test_receipt(settings: PrinterSection) -> PrintAttempt:
    """Print the test receipt now (blocking: the command line's); raises ProfileError."""
    with throwaway_printer(settings) as printer:
        receipt = technician_receipt(printer.profile)
        return asyncio.run(print_receipt(printer, receipt, "test print"))
