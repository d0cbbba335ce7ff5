"""The receipt of a card payment, built from its journal row, and noted there once printed.

The verification QR carries the payment's Idempotency-Key: the API stores it with the
payment, so the key finds the payment at the town hall even when the receipt was printed
offline, before the API gave the payment an id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime

from common.text import N_
from drivers.printer.base import ReceiptPrinter
from drivers.printer.receipt import Receipt, ReceiptLine
from kiosk.i18n import load_catalog
from kiosk.receipts.printing import PrintAttempt, print_receipt
from kiosk.receipts.verification import verification_url
from kiosk.receipts.wording import PAPER_LOCALE, PENDING_CONFIRMATION, THANKS, header
from kiosk.settings import KioskSection
from offline_cache.journal import Journal, Payment, PaymentState

CONFIRMED = N_("Payment confirmed")
TITLE = N_("Payment receipt")
CARD_LINE = N_("Paid by card {card} · authorisation code {code} · operation {operation}")
CHECKING_TITLE = N_("Payment being checked")
CHECKING_STATUS = N_("Being checked: you will not be charged twice")
CHECKING_NOTE = N_("The card terminal did not give us a clear answer. Staff will check this "
                   "payment with the bank. Keep this receipt: its reference proves what you "
                   "tried to pay.")


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
                          issued_at: datetime, pending: bool, language: str) -> Receipt:
    """Describe an authorized payment for paper and screen; ValueError if not authorized."""
    if not payment.authorization_code:
        raise ValueError(f"ticket {payment.ticket} is not authorized: no receipt")
    text = load_catalog(language)._
    lines = tuple(
        ReceiptLine(_describe(descriptions.get(bill.reference, {}), language, bill.reference),
                    bill.amount.cents, bill.reference)
        for bill in payment.bills)
    card = f"{payment.card_type or ''} ****{payment.card_last4 or ''}".strip()
    footer = (text(CARD_LINE).format(card=card, code=payment.authorization_code,
                                     operation=payment.operation_number), text(THANKS))
    return Receipt(
        header=header(kiosk, issued_at, text(TITLE)), lines=lines,
        reference=payment_reference(payment),
        verification_url=verification_url(kiosk.verification_url, payment.idempotency_key),
        status_text=text(PENDING_CONFIRMATION if pending else CONFIRMED),
        footer=footer, currency=payment.amount.currency, locale=amounts_locale(language),
        language=language)


def build_checking_receipt(kiosk: KioskSection, payment: Payment,
                           descriptions: Mapping[str, Mapping[str, str]], *,
                           issued_at: datetime, language: str) -> Receipt:
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
        status_text=text(CHECKING_STATUS), footer=(text(CHECKING_NOTE), text(THANKS)),
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
