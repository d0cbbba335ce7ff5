"""What the citizen agrees to before her e-ID card is used, and the record that she did.

The consent screen shows :class:`ConsentTerms`: what was already read to show her name (the
card's identity page: it cannot be checked in parts), what is read only once she agrees, and
what is shared with the municipality's procedure office. Every e-ID journey shares her name
and national number (they are in the certificate the PIN step sends); a request form
pre-filled from the card shares those fields too. The address is read only when the form
asks for it, after she agreed.

Her answer, agreed or refused, is recorded through the durable outbox (``POST /v1/consents``
with an Idempotency-Key): when, which journey and procedure, which fields by name. Never a
value: the API accepts only the field names below. A storage failure is logged and
swallowed (the journey goes on; the log line says so for the technician).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from common.text import N_
from offline_cache.outbox import Outbox

log = logging.getLogger(__name__)

Decision = Literal["agreed", "refused"]
WITH_WHOM = N_("the municipality's procedure office")


@dataclass(frozen=True)
class SharedField:
    """One piece of identity data a procedure receives (shown on the consent screen)."""

    name: str
    label: Mapping[str, str]  # {"es": ..., "en": ...}


NATIONAL_NUMBER_LABEL = {"es": "Número nacional", "en": "National number"}



def shared_fields(procedure: Mapping[str, Any], *, eid: bool | None = None) -> list[SharedField]:
    """Exactly the identity data the procedure receives, in form order, for the consent screen.

    Fields pre-filled from the identity are sent with the form; a journey on the e-ID card
    (``eid``; by default: the procedure needs it) also sends the national number through the
    signed session, listed even if not a field. A payable tax is "id_number" yet paid after
    the card's PIN: its consent passes ``eid=True`` (see :mod:`kiosk.services.consent`).
    """
    fields = [SharedField(f["name"], dict(f["label"])) for f in procedure.get("form_schema", [])
              if f.get("prefill")]
    on_card = procedure.get("identity_level") == "eid" if eid is None else eid
    if on_card and not any(f.name == "national_number" for f in fields):
        fields.insert(0, SharedField("national_number", NATIONAL_NUMBER_LABEL))
    return fields


IDENTITY_PAGE = SharedField("identity_page", {
    "es": "Su nombre y número nacional. La misma página de la tarjeta tiene su fecha y "
          "lugar de nacimiento, nacionalidad, sexo y número de tarjeta: no se muestran "
          "ni se envían.",
    "en": "Your name and national number. The same page of the card holds your date and "
          "place of birth, nationality, sex and card number: they are not shown or sent."})
ADDRESS = SharedField("address", {"es": "Su domicilio", "en": "Your address"})
CERTIFICATE = SharedField("certificate", {
    "es": "El certificado de su tarjeta (su nombre y número nacional), usado con su PIN",
    "en": "Your card's certificate (your name and national number), used with your PIN"})
FULL_NAME_LABEL = {"es": "Nombre completo", "en": "Full name"}


@dataclass(frozen=True)
class ConsentTerms:
    """What the consent screen lists for one journey (and what its record names)."""

    journey: str
    procedure_id: str  # "" for the citizen's own cases (no procedure)
    read_before: tuple[SharedField, ...]  # read to show her name, before she agreed
    read_after: tuple[SharedField, ...]  # read only once she agrees
    shared: tuple[SharedField, ...]  # sent to the procedure office

    @property
    def needs_address(self) -> bool:
        """Tell whether the address file is read after she agrees (a form asks for it)."""
        return any(f.name == "address" for f in self.read_after)

    def fields_read(self) -> list[str]:
        """The names of everything read from the card in this journey."""
        return [f.name for f in (*self.read_before, *self.read_after)]

    def fields_shared(self) -> list[str]:
        """The names of everything the procedure office receives."""
        return [f.name for f in self.shared]


def consent_terms(journey: str, procedure: Mapping[str, Any] | None) -> ConsentTerms:
    """The true consent list of an e-ID journey for ``procedure`` (None: her own cases).

    Every e-ID journey shares the name and national number (the certificate carries them),
    whatever the procedure's own identity level says (a payable tax is "id_number").
    """
    document = procedure or {}
    shared = shared_fields(document, eid=True)
    if not any(f.name == "full_name" for f in shared):
        shared.insert(1, SharedField("full_name", FULL_NAME_LABEL))
    if not any(f.name == "national_number" for f in shared):
        shared.insert(0, SharedField("national_number", NATIONAL_NUMBER_LABEL))
    after = [ADDRESS] if any(f.name == "address" for f in shared) else []
    return ConsentTerms(journey, str(document.get("id", "")), (IDENTITY_PAGE,),
                        (*after, CERTIFICATE), tuple(shared))


def consent_body(terms: ConsentTerms, decision: Decision,
                 now: datetime | None = None) -> dict[str, Any]:
    """The record the API keeps: field names only, never a value of the citizen's."""
    moment = now or datetime.now(UTC)
    return {"decision": decision, "journey": terms.journey,
            "procedure_id": terms.procedure_id or None,
            "fields_read": terms.fields_read() if decision == "agreed"
            else [f.name for f in terms.read_before],
            "fields_shared": terms.fields_shared() if decision == "agreed" else [],
            "given_at": moment.isoformat(timespec="seconds")}


class ConsentBook(Protocol):
    """Where the consent screen records her answer."""

    async def record(self, terms: ConsentTerms, decision: Decision) -> bool:
        """Store one answer; True when it is queued, False when it was lost (logged)."""
        ...


class OutboxConsents:
    """:class:`ConsentBook` writing to the durable outbox, off the UI thread."""

    def __init__(self, outbox: Outbox, wake: Callable[[], None] | None = None) -> None:
        self._outbox = outbox
        self._wake = wake

    async def record(self, terms: ConsentTerms, decision: Decision) -> bool:
        """Queue the record on a worker thread and wake the sync worker."""
        try:
            item = await asyncio.to_thread(self._outbox.enqueue_consent,
                                           consent_body(terms, decision))
        except sqlite3.Error:
            log.exception("consent record (%s, %s) could not be stored; dropped",
                          decision, terms.journey)
            return False
        log.info("consent %s for %s queued as outbox item %d", decision, terms.journey, item)
        if self._wake is not None:
            self._wake()
        return True
