"""The technician's test receipt: every accented letter, the currency sign, a QR, a barcode."""

from __future__ import annotations

from datetime import datetime

from drivers.printer.config import PrinterSection
from drivers.printer.profile import PrinterProfile
from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine

TEST_REFERENCE = "TEST-0001"
SPANISH_SAMPLE = "áéíóúü ÁÉÍÓÚÜ ñÑ ¿¡"


def technician_receipt(settings: PrinterSection, profile: PrinterProfile) -> Receipt:
    """Build the test receipt for this printer's settings (no personal data in it)."""
    return Receipt(
        header=ReceiptHeader("Prueba de impresora", "técnico", datetime.now(),
                             "Prueba"),
        lines=(
            ReceiptLine(SPANISH_SAMPLE, 123456),
            ReceiptLine(f"Perfil {profile.escpos_profile}, {profile.codepage}",
                        detail=f"{profile.width_chars} columnas, {profile.width_dots} puntos"),
        ),
        reference=TEST_REFERENCE,
        verification_url=f"https://example.invalid/prueba/{TEST_REFERENCE}",
        status_text="prueba, sin valor",
        footer=(f"QR {'nativo' if profile.native_qr else 'imagen'}, código de barras "
                f"{'nativo' if profile.native_barcode else 'imagen'}",),
        currency="EUR",
        locale="es_ES",
    )
