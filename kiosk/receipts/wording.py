"""What every receipt says the same way: the header, the status words, the thanks."""

from __future__ import annotations

from datetime import datetime

from common.text import N_
from drivers.printer.receipt import ReceiptHeader
from kiosk.settings import KioskSection

PENDING_CONFIRMATION = N_("Pending confirmation")
THANKS = N_("Thank you for using the municipal kiosk.")
PAPER_LOCALE = "es_CL"  # amounts on paper as written in Chile, in every language


def header(kiosk: KioskSection, issued_at: datetime, title: str) -> ReceiptHeader:
    """Name the municipality, the kiosk and the time above the receipt's ``title``."""
    return ReceiptHeader(kiosk.municipality, kiosk.id, issued_at, title)

