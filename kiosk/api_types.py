"""Typed shapes of the API's answers (JSON objects, as the contract in docs/openapi.json)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict


class Localized(TypedDict):
    es: str
    en: str


class Health(TypedDict):
    status: str
    version: str


class Enrolment(TypedDict):
    kiosk_id: str
    token: str


class Debt(TypedDict):
    reference: str
    kind: str
    description: Localized
    amount_cents: int
    due_date: str
    status: str
    # What the debt is for, to show whose bill it is; older servers do not send these.
    account: NotRequired[str | None]  # cadastral key, water account or plate
    address_hint: NotRequired[str | None]  # the street without its number


class DecodedBill(TypedDict):
    reference: str
    amount_cents: int
    due_date: str


class PaymentRecorded(TypedDict):
    payment_id: str
    status: str
    # Recorded either way; older servers do not send these.
    needs_review: NotRequired[bool]
    review_reasons: NotRequired[list[str]]


class CloseAnswer(TypedDict):
    close_id: str
    status: Literal["reconciled", "differences"]
    server_count: int
    server_total_cents: int
    missing_at_server: list[str]  # operation numbers the server never received
    not_in_terminal: list[str]  # payment ids the terminal's batch does not list


class Challenge(TypedDict):
    nonce: str
    expires_at: str


class Identity(TypedDict):
    national_number: str
    surname: str
    given_names: str


class CitizenAuthentication(TypedDict):
    citizen_session: str
    expires_at: str
    identity: Identity


class CaseStatus(TypedDict):
    case_number: str
    procedure_id: str
    title: Localized
    status: str
    status_label: Localized
    submitted_at: str
    updated_at: str


class CasePublicStatus(TypedDict):
    """A case looked up by its number alone: its status, nothing about the person."""

    case_number: str
    status: str
    status_label: Localized


class AssistanceRequest(TypedDict):
    id: int
    kiosk_id: str
    reason: str
    status: Literal["open", "acknowledged"]
    created_at: str
    acknowledged_by: str | None


class HeartbeatAck(TypedDict):
    status: str
    server_time: str


class ReceiptCopyLine(TypedDict):
    description: Localized
    amount_cents: int | None
    reference: str


class ReceiptCopyPayment(TypedDict):
    ticket: int
    amount_cents: int
    card_type: str
    card_last4: str
    authorization_code: str
    operation_number: str
    idempotency_key: str


class ReceiptCopy(TypedDict):
    kind: str  # payment | request
    kiosk_id: str
    issued_at: str
    lines: list[ReceiptCopyLine]
    payment: ReceiptCopyPayment | None
    case_number: str | None
    procedure_id: str | None
    case_key: str | None


@dataclass(frozen=True)
class CatalogFetch:
    """A catalog answer: ``catalog`` is None when the server said 304 (keep your copy)."""

    etag: str | None
    catalog: dict[str, Any] | None

    @property
    def not_modified(self) -> bool:
        """Tell whether the cached catalog is still current."""
        return self.catalog is None
