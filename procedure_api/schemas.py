"""Request and response bodies: the contract as pydantic models (exported as OpenAPI 3)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field


def _storable(value: str) -> str:
    value.encode("utf-8")  # lone surrogates cannot be stored: reject them as bad input
    return value


Text = Annotated[str, AfterValidator(_storable)]
Cents = Annotated[int, Field(ge=1, le=10**12, strict=True)]  # strict: false is not 0
# RFC 3339 with an offset, as JSON Schema "date-time" says (no bare numbers or dates).
def _text_only(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("a date-time must be a string such as 2026-11-21T10:00:00+00:00")
    return value


Timestamp = Annotated[AwareDatetime, BeforeValidator(_text_only)]
KioskId = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
REFERENCE_PATTERN = r"^[A-Za-z0-9-]{1,40}$"  # a bill reference (body or URL path)
Reference = Annotated[str, Field(pattern=REFERENCE_PATTERN)]
OperationNumber = Annotated[str, Field(pattern=r"^[\x20-\x7e]{1,20}$")]  # as printed
Count = Annotated[int, Field(ge=0, le=10**6, strict=True)]
Total = Annotated[int, Field(ge=0, le=10**12, strict=True)]


class RequestBody(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class EnrolmentRequest(RequestBody):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{4,64}$")]
    kiosk_id: KioskId


class Enrolment(BaseModel):
    kiosk_id: str
    token: str


class Localized(BaseModel):
    es: str
    en: str


class LocalizedList(BaseModel):
    es: list[str]
    en: list[str]


class Fee(BaseModel):
    kind: Literal["fixed", "lookup", "free"]
    amount_cents: int | None = None


class FieldOption(BaseModel):
    value: str
    label: Localized


class FormField(BaseModel):
    name: str
    type: Literal["text", "textarea", "number", "date", "choice", "email", "phone"]
    label: Localized
    required: bool
    max_length: int | None = None
    prefill: str | None = None  # e-ID field that fills it: "national_number", "address" ...
    options: list[FieldOption] | None = None


class Category(BaseModel):
    id: str
    title: Localized
    description: Localized
    icon: str


class Procedure(BaseModel):
    id: str
    category_id: str
    title: Localized
    description: Localized
    what_you_get: Localized
    requirements: LocalizedList
    fee: Fee
    identity_level: Literal["none", "id_number", "eid"]
    estimated_time: Localized
    office: Localized
    form_schema: list[FormField]
    keywords: LocalizedList


class Catalog(BaseModel):
    version: str
    categories: list[Category]
    procedures: list[Procedure]


class Debt(BaseModel):
    reference: str
    kind: Literal["property_tax", "water", "fine", "advertising_tax", "licence", "fee"]
    description: Localized
    amount_cents: int
    due_date: str
    status: Literal["pending", "paid"]
    account: str | None = Field(
        None, description="The cadastral key, water account or plate the debt is for.")
    address_hint: str | None = Field(
        None, description="The property's street without its number, to recognise it.")


class DebtList(BaseModel):
    debts: list[Debt]


class BillDecodeRequest(RequestBody):
    barcode: Annotated[Text, Field(min_length=1, max_length=64)]


class DecodedBill(BaseModel):
    reference: str
    amount_cents: int
    due_date: str


class PaymentBill(RequestBody):
    reference: Reference
    amount_cents: Cents


class PaymentRequest(RequestBody):
    ticket: Annotated[int, Field(ge=1, le=999_999, strict=True)]
    amount_cents: Cents
    currency: Literal["CLP"]
    bills: Annotated[list[PaymentBill], Field(min_length=1, max_length=50)]
    # Terminal fields as the terminal printed them (printable ASCII, may be space-padded):
    # an authorized payment must never be refused over formatting.
    authorization_code: Annotated[str, Field(pattern=r"^[\x20-\x7e]{1,20}$")]
    operation_number: OperationNumber
    card_type: Annotated[str, Field(pattern=r"^[\x20-\x7e]{1,20}$")]
    card_last4: Annotated[str, Field(pattern=r"^[0-9]{4}$")]  # never more of the card number
    authorized_at: Timestamp


ReviewReason = Literal[
    "authorized_at_out_of_window", "amount_mismatch", "bill_unknown", "bill_already_paid",
    "bill_amount_differs", "not_in_terminal_batch",
]


class PaymentRecorded(BaseModel):
    payment_id: str
    status: Literal["recorded"]
    # Always recorded (the money was taken); a payment to review settled none of its debts
    # if its time was out of the window, otherwise only the bills that matched.
    needs_review: bool
    review_reasons: list[ReviewReason]


FormValue = Annotated[Text, Field(max_length=2000)] | int | bool | None


class SubmissionRequest(RequestBody):
    procedure_id: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,64}$")]
    form: Annotated[dict[Annotated[Text, Field(max_length=64)], FormValue], Field(max_length=50)]
    citizen_session: Annotated[str, Field(max_length=128)] | None = None
    submitted_at: Timestamp


class SubmissionAccepted(BaseModel):
    case_number: str
    # A procedure with a fixed fee: the bill to pay (at any kiosk, by this reference or the
    # case number); the case waits in "awaiting_payment" until it is paid.
    fee_reference: str | None = None


class Challenge(BaseModel):
    nonce: str
    expires_at: str


class AuthenticationRequest(RequestBody):
    nonce: Annotated[str, Field(max_length=128)]
    certificate: Annotated[str, Field(max_length=16_000)]
    signature: Annotated[str, Field(max_length=2_000)]
    algorithm: Literal["RS256", "ES256", "ES384"]


class Identity(BaseModel):
    national_number: str
    surname: str
    given_names: str


class CitizenAuthentication(BaseModel):
    citizen_session: str
    expires_at: str
    identity: Identity


CaseStatusName = Literal["awaiting_payment", "received", "in_review", "waiting_for_citizen",
                         "resolved", "rejected"]


class CaseStatus(BaseModel):
    case_number: str
    procedure_id: str
    title: Localized
    status: CaseStatusName
    status_label: Localized
    submitted_at: str
    updated_at: str


# A case as anyone holding its number may see it: the status only, no procedure, no dates
# (a procedure such as emergency assistance says something about a person). The detail
# is for the identified citizen (``CaseStatus`` under /v1/citizens/me/cases).
class CasePublicStatus(BaseModel):
    case_number: str
    status: CaseStatusName
    status_label: Localized


class CaseList(BaseModel):
    cases: list[CaseStatus]
