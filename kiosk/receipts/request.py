"""The receipt of a procedure request, and issuing it: on paper, or on screen if it cannot.

The case number (or, while the API has not confirmed the request, a short provisional
reference) is printed as text and as a Code128 barcode. The verification QR carries the
submission's Idempotency-Key: the API's ``/verify`` finds the case by that key as soon as
the sync worker delivered it, so a receipt printed offline still leads to the case number.
A request receipt has no TOTAL: a fixed fee paid in the same session is on the payment's
receipt instead (``kiosk/receipts/payment.py``, one receipt with the case number and the
payment); a fee not paid says how to pay it later (at any kiosk, by the case number). Every
request says when its result will be ready and where she receives it (the catalog's
``estimated_time`` and ``office``).
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
from offline_cache.receipt_copies import ReceiptCopies
from offline_cache.submissions import Submissions

TITLE = N_("Request receipt")
RECEIVED = N_("Request received")
FEE_NOT_PAID = N_("Fee {amount}: not paid yet. Pay it at any municipal kiosk (Pay, then "
                  "\"Use my identity card\"), or at the office.")
FEE_NUMBER = N_("Fee {amount}: not paid yet. Pay it at any municipal kiosk: touch Pay, "
                "then \"Type the bill's number\", and type {number}.")
AWAITING_PAYMENT = N_("Awaiting payment")
READY_IN = N_("Ready in: {time}. You collect it at: {office}")
READY_AFTER_FEE = N_("Ready in: {time} once the fee is paid. You collect it at: {office}")
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


def ready_lines(procedure: Mapping[str, Any], language: str, *,
                fee_unpaid: bool = False) -> tuple[str, ...]:
    """When the result will be ready and where she collects it (empty when not known)."""
    office = pick(dict(procedure.get("office") or {}), language)
    time = pick(dict(procedure.get("estimated_time") or {}), language)
    if not office or not time:
        return ()
    wording = READY_AFTER_FEE if fee_unpaid else READY_IN
    return (load_catalog(language)._(wording).format(time=time, office=office),)


def grouped(number: str) -> str:
    """Write a bill number in groups of four, as the bill-number keypad shows it."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def build_request_receipt(kiosk: KioskSection, procedure: Mapping[str, Any],
                          submitted: Submitted, *, issued_at: datetime,
                          language: str, fee_number: str | None = None) -> Receipt:
    """Describe a submitted request for paper and screen, in ``language``.

    A fixed fee on this receipt was not paid: the receipt says how to pay it later (by its
    fee bill's ``fee_number`` when the API gave one).
    """
    text = load_catalog(language)._
    fee = fixed_fee(procedure)
    detail = ""
    if fee is not None:
        amount = format_money(fee, PAPER_LOCALE)
        detail = (text(FEE_NUMBER).format(amount=amount, number=grouped(fee_number))
                  if fee_number
                  else text(FEE_NOT_PAID).format(amount=amount))
    footer: list[str] = []
    if submitted.pending_confirmation:
        footer.append(text(PENDING_NOTE))
    footer.extend(ready_lines(procedure, language, fee_unpaid=fee is not None))
    footer.append(text(THANKS))
    status = (PENDING_CONFIRMATION if submitted.pending_confirmation
              else AWAITING_PAYMENT if fee else RECEIVED)
    return Receipt(
        header=header(kiosk, issued_at, text(TITLE)),
        lines=(ReceiptLine(pick(dict(procedure["title"]), language), None, detail),),
        reference=request_reference(submitted),
        verification_url=verification_url(kiosk.verification_url,
                                          submitted.provisional_reference),
        status_text=text(status),
        footer=tuple(footer), language=language, show_total=False)


class RequestReceipts:
    """Issue request receipts: on paper through the one print path, or kept on screen."""

    def __init__(self, kiosk: KioskSection, printer: ReceiptPrinter | None,
                 submissions: Submissions, copies: ReceiptCopies | None = None) -> None:
        self._kiosk = kiosk
        self._printer = printer
        self._submissions = submissions
        self._copies = copies  # what a later reprint needs

    async def issue(self, procedure: Mapping[str, Any], submitted: Submitted,
                    language: str, *, fee_number: str | None = None) -> RequestReceipt:
        """Print the request's receipt; a printer that fails leaves it on screen."""
        receipt = build_request_receipt(self._kiosk, procedure, submitted,
                                        issued_at=datetime.now().astimezone(),
                                        language=language, fee_number=fee_number)
        if self._copies is not None:
            await asyncio.to_thread(self._copies.record, "request",
                                    submitted.provisional_reference, receipt.reference,
                                    receipt.to_json(), submitted.case_number or "")
        attempt = await print_receipt(self._printer, receipt,
                                      f"submission {submitted.submission_id}")
        if not attempt.printed:
            return RequestReceipt(receipt, False, RECEIPT_ON_SCREEN, attempt.job_id)
        await self.note_printed(submitted)
        return RequestReceipt(receipt, True, RECEIPT_PRINTED, attempt.job_id)

    async def note_printed(self, submitted: Submitted) -> None:
        """Note in the journal that the request's receipt reached paper."""
        await asyncio.to_thread(self._submissions.record_receipt_printed,
                                submitted.submission_id)
