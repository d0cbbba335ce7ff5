"""What staff send and read: enrolment codes, kiosks and their heartbeats, closes, help."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from procedure_api.report_schemas import AssistanceRequest, CloseAnswer, HeartbeatIn
from procedure_api.schemas import Fee, KioskId, PaymentBill, RequestBody, ReviewReason, Text


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


class Heartbeat(BaseModel):
    received_at: str
    report: HeartbeatIn


class KioskSummary(BaseModel):
    kiosk_id: str
    enrolled_at: str
    revoked_at: str | None
    last_heartbeat: Heartbeat | None


class KioskList(BaseModel):
    kiosks: list[KioskSummary]


class HeartbeatList(BaseModel):
    kiosk_id: str
    heartbeats: list[Heartbeat]  # newest first


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
    close_id: str | None


class PaymentList(BaseModel):
    payments: list[PaymentRecord]  # newest first


class CloseRecord(CloseAnswer):
    kiosk_id: str
    terminal_id: str
    closed_at: str
    received_at: str
    sales_count: int
    sales_total_cents: int
    operations: list[str]
    kiosk_count: int
    kiosk_total_cents: int


class CloseList(BaseModel):
    closes: list[CloseRecord]  # newest first


class AssistanceList(BaseModel):
    requests: list[AssistanceRequest]


class Acknowledgement(RequestBody):
    staff_name: Annotated[Text, Field(min_length=1, max_length=100)]



class ProcedureChange(BaseModel):
    """What staff may change of a procedure from the console: its fee, or its withdrawal."""

    model_config = ConfigDict(extra="forbid")
    fee: Fee | None = None
    withdrawn: bool | None = None


class ProcedureChanged(BaseModel):
    procedure_id: str
    version: str  # the catalog version kiosks will fetch next


class SatisfactionGroup(BaseModel):
    key: str | None  # the procedure id or the kiosk id; None: answers naming no procedure
    count: int
    mean: float  # of the scores, 1..5
    low_count: int  # scores at or below procedure_api.schemas.LOW_SCORE
    low_by_reason: dict[str, float]  # reason (or "none") -> share of the low scores


class SatisfactionSummary(BaseModel):
    by: Literal["procedure", "kiosk"]
    groups: list[SatisfactionGroup]  # most answers first
