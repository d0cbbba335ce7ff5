"""What staff send and read: enrolment codes, kiosks and their heartbeats, closes, help."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from procedure_api.schemas import AssistanceRequest, KioskId, RequestBody, Text


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


class AssistanceList(BaseModel):
    requests: list[AssistanceRequest]


class Acknowledgement(RequestBody):
    staff_name: Annotated[Text, Field(min_length=1, max_length=100)]
