"""The receipt of a procedure request, and issuing it: on paper, or on screen if it cannot.

The case number (or, while the API has not confirmed the request, a short provisional
reference) is printed as text and as a Code128 barcode. The verification QR carries the
submission's Idempotency-Key: the API's ``/verify`` finds the case by that key as soon as
the sync worker delivered it, so a receipt printed offline still leads to the case number.
Nothing is paid at the kiosk for a request: a fixed fee is printed as a line saying it is
paid at the office, and the receipt has no TOTAL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.money import Money, format_money
from common.text import N_
from drivers.printer.base import ReceiptPrinter
from drivers.printer.receipt import Receipt, ReceiptLine
from kiosk.i18n import load_catalog
from kiosk.receipts.printing import print_receipt
from kiosk.receipts.verification import verification_url
from kiosk.receipts.wording import PAPER_LOCALE, PENDING_CONFIRMATION, THANKS, header
from kiosk.services.browse_catalog import pick
from kiosk.services.submit_procedure import Submitted
from kiosk.settings import KioskSection
from offline_cache.submissions import Submissions

TITLE = N_("Request receipt")
RECEIVED = N_("Request received")
FEE_AT_OFFICE = N_("Fee {amount}: you pay it at the municipal office, not here.")
WHERE_TO_GO = N_("Where to go: {office}")
PENDING_NOTE = N_("Your case number comes when the kiosk is connected again. Scan the QR "
                  "code to see it.")
RECEIPT_PRINTED = N_("Please take your receipt from the printer.")
RECEIPT_ON_SCREEN = N_("The printer is not working, so your receipt is here on the screen. "
                       "Scan its QR code with your phone to keep it.")


@dataclass(frozen=True)
class RequestReceipt:
    """A request's receipt and whether it reached paper (else it stays on screen)."""

    receipt: Receipt
    printed: bool
    message_key: str
    print_job_id: int | None = None


def request_reference(submitted: Submitted) -> str:
    """The case number, or a short provisional reference from the Idempotency-Key."""
    if submitted.case_number:
        return submitted.case_number
    return "SOL-" + submitted.provisional_reference.replace("-", "")[:8].upper()


def fixed_fee(procedure: Mapping[str, Any]) -> Money | None:
    """The fixed fee of a procedure (None when it is free or looked up)."""
    fee = procedure.get("fee") or {}
    amount = fee.get("amount_cents")
    return Money(int(amount)) if fee.get("kind") == "fixed" and amount else None


def build_request_receipt(kiosk: KioskSection, procedure: Mapping[str, Any],
                          submitted: Submitted, *, issued_at: datetime,
                          language: str) -> Receipt:
    """Describe a submitted request for paper and screen, in ``language``."""
    text = load_catalog(language)._
    fee = fixed_fee(procedure)
    detail = text(FEE_AT_OFFICE).format(amount=format_money(fee, PAPER_LOCALE)) if fee else ""
    footer: list[str] = []
    if submitted.pending_confirmation:
        footer.append(text(PENDING_NOTE))
    office = pick(dict(procedure.get("office") or {}), language)
    if office:
        footer.append(text(WHERE_TO_GO).format(office=office))
    footer.append(text(THANKS))
    return Receipt(
        header=header(kiosk, issued_at, text(TITLE)),
        lines=(ReceiptLine(pick(dict(procedure["title"]), language), None, detail),),
        reference=request_reference(submitted),
        verification_url=verification_url(kiosk.verification_url,
                                          submitted.provisional_reference),
        status_text=text(PENDING_CONFIRMATION if submitted.pending_confirmation
                         else RECEIVED),
        footer=tuple(footer), language=language, show_total=False)


class RequestReceipts:
    """Issue request receipts: on paper through the one print path, or kept on screen."""

    def __init__(self, kiosk: KioskSection, printer: ReceiptPrinter | None,
                 submissions: Submissions) -> None:
        self._kiosk = kiosk
        self._printer = printer
        self._submissions = submissions

    async def issue(self, procedure: Mapping[str, Any], submitted: Submitted,
                    language: str) -> RequestReceipt:
        """Print the request's receipt; a printer that fails leaves it on screen."""
        receipt = build_request_receipt(self._kiosk, procedure, submitted,
                                        issued_at=datetime.now().astimezone(),
                                        language=language)
        attempt = await print_receipt(self._printer, receipt,
                                      f"submission {submitted.submission_id}")
        if not attempt.printed:
            return RequestReceipt(receipt, False, RECEIPT_ON_SCREEN, attempt.job_id)
        await asyncio.to_thread(self._submissions.record_receipt_printed,
                                submitted.submission_id)
        return RequestReceipt(receipt, True, RECEIPT_PRINTED, attempt.job_id)
