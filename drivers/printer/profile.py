"""A printer profile: python-escpos capability data plus what this site configured.

Capabilities stay in data (python-escpos ``capabilities.json`` profiles); the site file
adds the paper width, the code page and whether QR codes and barcodes are drawn by the
printer (native) or sent as raster images.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from escpos.capabilities import get_profile

from drivers.printer.config import PrinterSection


class ProfileError(ValueError):
    """The configured profile or code page cannot be used."""


@dataclass(frozen=True)
class PrinterProfile:
    """Everything the renderer needs to know about the paper and the printer."""

    escpos_profile: str
    width_chars: int
    width_dots: int
    codepage: str
    codepage_number: int
    native_qr: bool
    native_barcode: bool


def profile_from_settings(settings: PrinterSection) -> PrinterProfile:
    """Build the profile; raises ProfileError for an unknown model or code page."""
    try:
        caps = get_profile(settings.profile)
    except KeyError as err:
        raise ProfileError(f"unknown printer profile {settings.profile!r}") from err
    pages = {name.upper(): number for name, number in caps.get_code_pages().items()}
    codepage = settings.codepage.upper()
    if codepage not in pages:
        raise ProfileError(f"code page {codepage} is not available on {settings.profile}")
    try:
        codecs.lookup(codepage.lower())
    except LookupError as err:
        raise ProfileError(f"code page {codepage} has no Python codec") from err
    features = caps.profile_data.get("features", {})
    return PrinterProfile(
        escpos_profile=settings.profile,
        width_chars=settings.width_chars,
        width_dots=settings.width_dots,
        codepage=codepage,
        codepage_number=int(pages[codepage]),
        native_qr=settings.native_qr and bool(features.get("qrCode", False)),
        native_barcode=settings.native_barcode and bool(features.get("barcodeB", False)),
    )
