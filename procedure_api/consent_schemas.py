"""A citizen's consent to use her e-ID card, as kiosks send it and staff read it.

Only field *names* from a closed list travel: a record can never carry a name, a number or
an address of the citizen's, whatever a kiosk sends.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from procedure_api.schemas import RequestBody, Timestamp

ConsentField = Literal["identity_page", "certificate", "national_number", "full_name",
                       "address"]
FieldNames = Annotated[list[ConsentField], Field(max_length=10)]


class ConsentIn(RequestBody):
    decision: Literal["agreed", "refused"]
    journey: Literal["request", "pay", "status"]
    procedure_id: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,64}$")] | None = None
    fields_read: FieldNames  # read from the card in this journey
    fields_shared: FieldNames  # sent to the procedure office
    given_at: Timestamp  # when she touched "I agree" or "No, I don't agree"


class ConsentRecorded(BaseModel):
    consent_id: str


class ConsentRecord(BaseModel):
    consent_id: str
    kiosk_id: str
    decision: Literal["agreed", "refused"]
    journey: str
    procedure_id: str | None
    fields_read: list[str]
    fields_shared: list[str]
    given_at: str
    received_at: str


class ConsentList(BaseModel):
    consents: list[ConsentRecord]  # newest first
