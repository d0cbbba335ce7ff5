"""Build the receipt of a card payment from the journal row (model of drivers.printer.receipt).

The verification QR carries the payment's Idempotency-Key: the API stores it with the
payment, so the key finds the payment at the town hall even when the receipt was printed
offline, before the API gave the payment an id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode

from common.text import N_
from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine
from kiosk.i18n import load_catalog
from kiosk.settings import KioskSection
from offline_cache.journal import Payment

PENDING_CONFIRMATION = N_("Pending confirmation")
CONFIRMED = N_("Payment confirmed")
TITLE = N_("Payment receipt")
THANKS = N_("Thank you for using the municipal kiosk.")


def payment_reference(payment: Payment) -> str:
    """The short reference printed as text and as a Code128 barcode."""
    return f"PAG-{payment.ticket:06d}"


def verification_url(base_url: str, payment: Payment) -> str:
    """The URL in the QR: the site's verification page with the payment's key."""
    return f"{base_url}?{urlencode({'ref': payment.idempotency_key})}"


def build_payment_receipt(kiosk: KioskSection, payment: Payment,
                          descriptions: Mapping[str, Mapping[str, str]], *,
                          issued_at: datetime, pending: bool, language: str) -> Receipt:
    """Describe an authorized payment for paper and screen; ValueError if not authorized."""
    if not payment.authorization_code:
        raise ValueError(f"ticket {payment.ticket} is not authorized: no receipt")
    text = load_catalog(language)._
    lines: Sequence[ReceiptLine] = tuple(
        ReceiptLine(_describe(descriptions.get(bill["reference"], {}), language,
                              bill["reference"]),
                    int(bill["amount_cents"]), bill["reference"])
        for bill in payment.bills)
    card = f"{payment.card_type or ''} ****{payment.card_last4 or ''}".strip()
    footer = (f"{card} · {payment.authorization_code} · {payment.operation_number}",
              text(THANKS))
    return Receipt(
        header=ReceiptHeader(kiosk.municipality, kiosk.id, issued_at, text(TITLE)),
        lines=tuple(lines), reference=payment_reference(payment),
        verification_url=verification_url(kiosk.verification_url, payment),
        status_text=text(PENDING_CONFIRMATION if pending else CONFIRMED),
        footer=footer, language=language)  # amounts stay in es_CL: pesos of this town


def _describe(description: Mapping[str, str], language: str, fallback: str) -> str:
    return description.get(language) or description.get("es") or fallback
