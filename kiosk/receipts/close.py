"""The daily close report on paper: the terminal's figures, the journal's, the town hall's.

For staff, in the kiosk's default language. It names tickets and amounts, never a citizen;
every difference is also an incident. It has no QR (the public verification page knows no
closes); its barcode is the close's reference.
"""

from __future__ import annotations

from datetime import datetime

from common.money import Money, format_money
from common.text import N_
from drivers.printer.receipt import Receipt, ReceiptLine
from kiosk.i18n import load_catalog
from kiosk.receipts.wording import PAPER_LOCALE, header
from kiosk.settings import KioskSection
from offline_cache.closes import CloseRecord

TITLE = N_("Daily close")
TERMINAL = N_("Card terminal: {count} sales, {total}")
JOURNAL = N_("Kiosk journal: {count} sales, {total}")
API_STATUS = {"reconciled": N_("Town hall: matches"),
              "differences": N_("Town hall: differences found"),
              "pending": N_("Town hall: not answered yet")}
ALL_MATCH = N_("Everything matches.")
DIFFERENCES = N_("Differences (also recorded as incidents for a technician):")


def close_reference(record: CloseRecord) -> str:
    """The close's short reference, printed as text and barcode."""
    return f"CIERRE-{record.id:05d}"


def build_close_report(kiosk: KioskSection, record: CloseRecord, *, issued_at: datetime,
                       language: str) -> Receipt:
    """Describe a close for the technician's paper."""
    text = load_catalog(language)._

    def money(cents: int) -> str:
        return format_money(Money(cents), PAPER_LOCALE)

    lines = (
        ReceiptLine(text(TERMINAL).format(count=record.terminal_count,
                                          total=money(record.terminal_total_cents))),
        ReceiptLine(text(JOURNAL).format(count=record.kiosk_count,
                                         total=money(record.kiosk_total_cents))),
        ReceiptLine(text(API_STATUS.get(record.api_status, API_STATUS["differences"]))),
    )
    footer = ((text(DIFFERENCES), *record.differences) if record.differences
              else (text(ALL_MATCH),))
    reference = close_reference(record)
    return Receipt(
        header=header(kiosk, issued_at, text(TITLE)), lines=lines, reference=reference,
        verification_url="",
        status_text="", footer=footer, language=language, show_total=False)
