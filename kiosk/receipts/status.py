"""A printed slip of a case's status: the case number to keep, and a QR to check it later.

The QR carries the site's ``/verify`` page with the case number, which answers the live
status at any time; the Code128 barcode is the case number for the office's scanner. Like
the screen, the slip of a case looked up by its number names no procedure: it may lie on a
counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.text import N_
from drivers.printer.base import ReceiptPrinter
from drivers.printer.receipt import Receipt, ReceiptLine
from kiosk.api_types import CasePublicStatus
from kiosk.i18n import load_catalog
from kiosk.receipts.printing import print_receipt
from kiosk.receipts.verification import verification_url
from kiosk.receipts.wording import THANKS, header
from kiosk.services.browse_catalog import pick
from kiosk.settings import KioskSection

TITLE = N_("Case status")
STATUS_LINE = N_("Status: {status}")
CASE_LINE = N_("Case {case_number}")
AS_OF = N_("Status as of today. Scan the QR code to see it again later.")
SLIP_PRINTED = N_("Please take your slip from the printer.")
SLIP_NOT_PRINTED = N_("The printer is not working right now. Please write down your case "
                      "number.")


@dataclass(frozen=True)
class StatusSlip:
    """The slip and whether it reached paper; ``message_key`` tells the citizen which."""

    receipt: Receipt
    printed: bool
    message_key: str


def build_status_receipt(kiosk: KioskSection, case: CasePublicStatus, next_step: str, *,
                         issued_at: datetime, language: str) -> Receipt:
    """Describe ``case`` for paper in ``language`` (``next_step`` already translated)."""
    text = load_catalog(language)._
    status = pick(dict(case["status_label"]), language)
    return Receipt(
        header=header(kiosk, issued_at, text(TITLE)),
        lines=(ReceiptLine(text(CASE_LINE).format(case_number=case["case_number"]), None,
                           text(STATUS_LINE).format(status=status)),),
        reference=case["case_number"],
        verification_url=verification_url(kiosk.verification_url, case["case_number"]),
        status_text=status, footer=(next_step, text(AS_OF), text(THANKS)),
        language=language, show_total=False)


class StatusSlips:
    """Print status slips on the kiosk's printer, through the one print path."""

    def __init__(self, kiosk: KioskSection, printer: ReceiptPrinter | None) -> None:
        self._kiosk = kiosk
        self._printer = printer

    async def issue(self, case: CasePublicStatus, next_step: str,
                    language: str) -> StatusSlip:
        """Print the slip of ``case``; a failing printer gives a plain message instead."""
        receipt = build_status_receipt(self._kiosk, case, next_step,
                                       issued_at=datetime.now().astimezone(), language=language)
        attempt = await print_receipt(self._printer, receipt, "status slip")
        return StatusSlip(receipt, attempt.printed,
                          SLIP_PRINTED if attempt.printed else SLIP_NOT_PRINTED)
