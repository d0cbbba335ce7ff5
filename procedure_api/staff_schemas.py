"""What staff send and read: enrolment codes, kiosks and their heartbeats, closes, help."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from procedure_api.schemas import (
    AssistanceRequest,
    KioskId,
    PaymentBill,
    RequestBody,
    ReviewReason,
    Text,
)


class EnrolmentCodeRequest(RequestBody):
    kiosk_id: KioskId  # the only kiosk the code can enrol
    ttl_hours: Annotated[int, Field(ge=1, le=24 * 30, strict=True)] | None = None


class EnrolmentCode(BaseModel):
    code: str
    kiosk_id: str
    expires_at: str


class KioskRevoked(BaseModel):
    kiosk_id: str
    revoked_at: str


class PaymentRecord(BaseModel):
    payment_id: str
    kiosk_id: str
    ticket: int
    amount_cents: int
    bills: list[PaymentBill]
    authorization_code: str
    operation_number: str
    authorized_at: str
    recorded_at: str
    needs_review: bool
    review_reasons: list[ReviewReason]


class PaymentList(BaseModel):
    payments: list[PaymentRecord]  # newest first


class AssistanceList(BaseModel):
    requests: list[AssistanceRequest]


class Acknowledgement(RequestBody):
    staff_name: Annotated[Text, Field(min_length=1, max_length=100)]
