"""A receipt rebuilt from what the API holds, for a reprint at any kiosk.

The API answers ``POST /v1/receipts/lookup`` with the lines, the payment and the case of a
receipt (``procedure_api/routers/receipts.py``); this module draws the same receipt the
issuing kiosk printed, through the same builders (``payment.py``, ``request.py``), with that
kiosk's id in the header and the original time. The caller marks it as a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from common.money import Money
from drivers.printer.receipt import Receipt
from kiosk.api_types import ReceiptCopy
from kiosk.receipts.payment import RequestOnReceipt, build_payment_receipt
from kiosk.receipts.request import build_request_receipt
from kiosk.services.submit_procedure import Submitted
from kiosk.settings import KioskSection
from offline_cache.journal import PaidBill, Payment, PaymentState

ProcedureLookup = Callable[[str], Mapping[str, Any] | None]


def receipt_from_api(kiosk: KioskSection, copy: ReceiptCopy, procedures: ProcedureLookup,
                     language: str) -> Receipt:
    """Draw the receipt the API's answer describes; ValueError if it is not one."""
    issuer = kiosk.model_copy(update={"id": copy["kiosk_id"] or kiosk.id})
    issued_at = datetime.fromisoformat(copy["issued_at"]).astimezone()  # as first printed
    procedure_id = copy["procedure_id"] or ""
    procedure = dict(procedures(procedure_id) or {}) if procedure_id else {}
    if not procedure and copy["lines"]:
        procedure = {"id": procedure_id, "title": dict(copy["lines"][0]["description"])}
    paid = copy["payment"]
    if copy["kind"] == "payment" and paid is not None:
        payment = Payment(
            ticket=paid["ticket"], idempotency_key=paid["idempotency_key"],
            amount=Money(paid["amount_cents"]),
            bills=tuple(PaidBill(line["reference"], Money(line["amount_cents"] or 0))
                        for line in copy["lines"]),
            state=PaymentState.SYNCED, authorization_code=paid["authorization_code"],
            operation_number=paid["operation_number"], card_type=paid["card_type"],
            card_last4=paid["card_last4"], decline_code=None)
        descriptions = {line["reference"]: {"es": line["description"]["es"],
                                            "en": line["description"]["en"]}
                        for line in copy["lines"]}
        request = (RequestOnReceipt(copy["case_number"], procedure) if copy["case_number"]
                   else None)
        return build_payment_receipt(issuer, payment, descriptions, issued_at=issued_at,
                                     pending=False, language=language, request=request)
    if copy["kind"] == "request" and copy["case_number"] and procedure:
        submitted = Submitted(0, copy["case_key"] or copy["case_number"], copy["case_number"])
        return build_request_receipt(issuer, procedure, submitted, issued_at=issued_at,
                                     language=language)
    raise ValueError(f"the API's receipt answer is not a receipt: kind {copy['kind']}")
