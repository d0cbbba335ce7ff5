"""The receipt of a card payment, built from its journal row, and noted there once printed.

The verification QR carries the payment's Idempotency-Key: the API stores it with the
payment, so the key finds the payment at the town hall even when the receipt was printed
offline, before the API gave the payment an id.

A request's fee paid in the same session is on ONE receipt: the case number is its
reference (text and Code128), the payment its QR code and a "Payment PAG-..." line, and
the request's ready time and office below.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.text import N_
from drivers.printer.base import ReceiptPrinter
from drivers.printer.receipt import Receipt, ReceiptLine
from kiosk.i18n import load_catalog
from kiosk.receipts.printing import PrintAttempt, print_receipt
from kiosk.receipts.request import ready_lines
from kiosk.receipts.verification import verification_url
from kiosk.receipts.wording import PAPER_LOCALE, PENDING_CONFIRMATION, THANKS, header
from kiosk.settings import KioskSection
from offline_cache.journal import Journal, Payment, PaymentState

CONFIRMED = N_("Payment confirmed")
TITLE = N_("Payment receipt")
CARD_LINE = N_("Paid by card {card} · authorisation code {code} · operation {operation}")
CHECKING_TITLE = N_("Payment being checked")
REQUEST_TITLE = N_("Request and payment receipt")
REQUEST_PAID = N_("Request received, fee paid")
PAYMENT_LINE = N_("Payment {reference}")
CHECKING_CASE = N_("Your request {case_number} is registered. If the payment does not go "
                   "through, you can pay its fee later at any kiosk.")
CHECKING_STATUS = N_("Being checked: you will not be charged twice")
CHECKING_NOTE = N_("The card terminal did not give us a clear answer. Staff will check this "
                   "payment with the bank. Keep this receipt: its reference proves what you "
                   "tried to pay.")


@dataclass(frozen=True)
class RequestOnReceipt:
    """The request a fee payment pays, printed on the same receipt."""

    case_number: str
    procedure: Mapping[str, Any]  # the catalog's procedure: ready time and office


def amounts_locale(language: str) -> str:
    """How a payment receipt writes amounts: as in Chile, but "CLP 85,865" in English.

    An English reader takes "$85.865" for eighty-five dollars.
    """
    return "en" if language == "en" else PAPER_LOCALE


def payment_reference(payment: Payment) -> str:
    """The short reference printed as text and as a Code128 barcode."""
    return f"PAG-{payment.ticket:06d}"


def build_payment_receipt(kiosk: KioskSection, payment: Payment,
                          descriptions: Mapping[str, Mapping[str, str]], *,
                          issued_at: datetime, pending: bool, language: str,
                          request: RequestOnReceipt | None = None) -> Receipt:
    """Describe an authorized payment for paper and screen; ValueError if not authorized.

    With ``request``, the one receipt of a request and its fee (see the module docstring).
    """
    if not payment.authorization_code:
        raise ValueError(f"ticket {payment.ticket} is not authorized: no receipt")
    text = load_catalog(language)._
    lines = tuple(
        ReceiptLine(_describe(descriptions.get(bill.reference, {}), language, bill.reference),
                    bill.amount.cents, bill.reference)
        for bill in payment.bills)
    card = f"{payment.card_type or ''} ****{payment.card_last4 or ''}".strip()
    card_line = text(CARD_LINE).format(card=card, code=payment.authorization_code,
                                       operation=payment.operation_number)
    title, reference, status = TITLE, payment_reference(payment), CONFIRMED
    footer: tuple[str, ...] = (card_line, text(THANKS))
    if request is not None:
        title, reference, status = REQUEST_TITLE, request.case_number, REQUEST_PAID
        footer = (text(PAYMENT_LINE).format(reference=payment_reference(payment)), card_line,
                  *ready_lines(request.procedure, language), text(THANKS))
    return Receipt(
        header=header(kiosk, issued_at, text(title)), lines=lines, reference=reference,
        verification_url=verification_url(kiosk.verification_url, payment.idempotency_key),
        status_text=text(PENDING_CONFIRMATION if pending else status),
        footer=footer, currency=payment.amount.currency, locale=amounts_locale(language),
        language=language)


def build_checking_receipt(kiosk: KioskSection, payment: Payment,
                           descriptions: Mapping[str, Mapping[str, str]], *,
                           issued_at: datetime, language: str,
                           request: RequestOnReceipt | None = None) -> Receipt:
    """Describe a payment nobody can prove yet: what was tried, and that it is checked."""
    text = load_catalog(language)._
    lines = tuple(
        ReceiptLine(_describe(descriptions.get(bill.reference, {}), language, bill.reference),
                    bill.amount.cents, bill.reference)
        for bill in payment.bills)
    return Receipt(
        header=header(kiosk, issued_at, text(CHECKING_TITLE)), lines=lines,
        reference=payment_reference(payment),
        verification_url=verification_url(kiosk.verification_url, payment.idempotency_key),
        status_text=text(CHECKING_STATUS),
        footer=(text(CHECKING_NOTE),
                *(() if request is None
                  else (text(CHECKING_CASE).format(case_number=request.case_number),)),
                text(THANKS)),
        currency=payment.amount.currency, locale=amounts_locale(language), language=language)


async def print_paid_receipt(printer: ReceiptPrinter | None, journal: Journal,
                             payment: Payment, receipt: Receipt, *,
                             reprint_of: int | None = None) -> tuple[Payment, PrintAttempt]:
    """Print a paid receipt (or reprint its job) and note it in the journal once on paper."""
    attempt = await print_receipt(printer, receipt, f"ticket {payment.ticket:06d} paid",
                                  reprint_of=reprint_of)
    if not attempt.printed:
        return payment, attempt
    current = await asyncio.to_thread(journal.get, payment.ticket)
    if current.state is not PaymentState.RECEIPT_PRINTED:
        current = await asyncio.to_thread(journal.record_receipt_printed, payment.ticket)
    return current, attempt


def _describe(description: Mapping[str, str], language: str, fallback: str) -> str:
    return description.get(language) or description.get("es") or fallback
