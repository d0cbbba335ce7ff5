"""What kiosks report and ask for outside a citizen's journey: help calls, heartbeats,
daily closes, survey answers and receipt copies (bodies of the contract, as in schemas.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from procedure_api.schemas import (
    Count,
    Localized,
    OperationNumber,
    RequestBody,
    Text,
    Timestamp,
    Total,
)


class AssistanceRequestIn(RequestBody):
    reason: Annotated[Text, Field(min_length=1, max_length=200)]


class AssistanceRequest(BaseModel):
    id: int
    kiosk_id: str
    reason: str
    status: Literal["open", "acknowledged"]
    created_at: str
    acknowledged_by: str | None


class DeviceReport(RequestBody):
    state: Literal["online", "offline", "busy", "no_device", "hardware_error", "user_error"]
    detail: Annotated[
        dict[Annotated[Text, Field(max_length=32)], Annotated[Text, Field(max_length=64)]],
        Field(max_length=10),
    ] = {}  # noqa: RUF012  (pydantic copies a default per instance)


class HeartbeatIn(RequestBody):
    devices: Annotated[
        dict[Literal["eid", "printer", "payment"], DeviceReport], Field(max_length=3)
    ]
    queue_depth: Annotated[int, Field(ge=0, le=10**9, strict=True)]
    app_version: Annotated[Text, Field(min_length=1, max_length=32)]
    last_sync: Timestamp | None = None
    # Since issue 15; optional so that an older kiosk's heartbeat is still valid.
    parked: Annotated[int, Field(ge=0, le=10**9, strict=True)] = 0
    incidents: Annotated[int, Field(ge=0, le=10**9, strict=True)] = 0
    oldest_pending_at: Timestamp | None = None
    free_disk_bytes: Annotated[int, Field(ge=0, le=2**62, strict=True)] | None = None


class HeartbeatAck(BaseModel):
    status: Literal["ok"]
    server_time: str


class CloseRequest(RequestBody):
    """The terminal's batch close, and what the kiosk's journal says about the same batch."""

    closed_at: Timestamp
    terminal_id: Annotated[str, Field(pattern=r"^[\x20-\x7e]{1,32}$")]
    sales_count: Count
    sales_total_cents: Total
    # The batch's operation numbers; empty when the terminal cannot list them.
    operations: Annotated[list[OperationNumber], Field(max_length=2000)] = []  # noqa: RUF012
    kiosk_count: Count
    kiosk_total_cents: Total


class CloseAnswer(BaseModel):
    close_id: str
    status: Literal["reconciled", "differences"]
    server_count: int
    server_total_cents: int
    missing_at_server: list[str]  # operation numbers the terminal has and we lack
    not_in_terminal: list[str]  # payment_ids we recorded that the terminal does not list


# Why a low score was given, picked from a short list on the kiosk (never free text).
SurveyReason = Literal["too_many_steps", "did_not_understand", "device_failed", "other"]
LOW_SCORE = 2  # a score at or below this is "low" in the staff summary


class SatisfactionIn(RequestBody):
    score: Annotated[int, Field(ge=1, le=5, strict=True)]
    journey: Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
    procedure_id: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")] | None = None
    reason: SurveyReason | None = None


class Recorded(BaseModel):
    status: Literal["recorded"]


class ReceiptLookup(RequestBody):
    # What a receipt carries: its QR's key, "PAG-000123", a case number or "SOL-1A2B3C4D".
    reference: Annotated[str, Field(pattern=r"^[A-Za-z0-9._: -]{1,128}$")]
    # The proof for a typed reference: the card's last four digits (payments) or the case
    # number (a provisional SOL- reference); none for a QR key or a case number.
    check: Annotated[str, Field(pattern=r"^[A-Za-z0-9 -]{1,40}$")] | None = None


class ReceiptCopyLine(BaseModel):
    description: Localized
    amount_cents: int | None
    reference: str


class ReceiptCopyPayment(BaseModel):
    ticket: int
    amount_cents: int
    card_type: str
    card_last4: str
    authorization_code: str
    operation_number: str
    idempotency_key: str  # the payment's QR key


class ReceiptCopy(BaseModel):
    """What a reprint needs: the receipt's lines, its payment and its case, no person."""

    kind: Literal["payment", "request"]
    kiosk_id: str
    issued_at: str
    lines: list[ReceiptCopyLine]
    payment: ReceiptCopyPayment | None
    case_number: str | None
    procedure_id: str | None
    case_key: str | None  # the request's QR key (its submission's Idempotency-Key)
