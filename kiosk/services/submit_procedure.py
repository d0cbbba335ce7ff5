"""Request a procedure: the catalog's form, pre-filled, validated, summarised, then submitted.

The form is the procedure's ``form_schema`` (fields: name, type text|textarea|phone|number,
label{es,en}, required, max_length, prefill national_number|full_name|address|None).
Submission goes through the submissions journal: ``create`` then ``queue`` writes the row and
its outbox item (with the Idempotency-Key) in one transaction, so the sync worker delivers it
exactly once, now or after a restart. The service wakes the worker and waits a short while
for the journal to show the server's case number; if none arrives in time the citizen gets
the provisional reference (the Idempotency-Key, which the API's ``/verify`` also resolves).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.text import N_
from kiosk.services.identify import CitizenIdentity
from offline_cache.catalog import CatalogCache
from offline_cache.submissions import Submissions, SubmissionState

log = logging.getLogger(__name__)

MSG_REQUIRED = N_("Please answer this question.")
MSG_TOO_LONG = N_("This answer is too long.")
MSG_PHONE = N_("Please type a phone number: digits only, 7 to 15 of them.")
MSG_NUMBER = N_("Please type a whole number.")
MSG_UNKNOWN_FIELD = N_("This question does not belong to the form.")

_PHONE = re.compile(r"\+?\d{7,15}")


@dataclass(frozen=True)
class FormField:
    """One question of a procedure's form."""

    name: str
    type: str
    label: Mapping[str, str]
    required: bool
    max_length: int | None
    prefill: str | None


@dataclass(frozen=True)
class SummaryLine:
    """One row of "check your answers": the question in the citizen's language and the answer."""

    name: str
    label: str
    value: str


@dataclass(frozen=True)
class Submitted:
    """A confirmed request: the case number, or a provisional reference while pending."""

    submission_id: int
    provisional_reference: str  # the Idempotency-Key (printed as the receipt's QR)
    case_number: str | None

    @property
    def pending_confirmation(self) -> bool:
        """True while the API has not confirmed the case (say so on screen and receipt)."""
        return self.case_number is None


@dataclass(frozen=True)
class FormInvalid:
    """Answers that need fixing: field name → message key."""

    errors: Mapping[str, str]


SubmitOutcome = Submitted | FormInvalid


def procedure_document(cache: CatalogCache, procedure_id: str) -> dict[str, Any] | None:
    """The cached catalog's full procedure (with ``form_schema``), or None if unknown.

    Browsing screens hold :class:`kiosk.services.browse_catalog.Procedure`, which has no
    form; the request journey starts from its ``id``.
    """
    cached = cache.cached()
    procedures = cached.body.get("procedures", []) if cached is not None else []
    return next((dict(p) for p in procedures if p.get("id") == procedure_id), None)


def form_fields(procedure: Mapping[str, Any]) -> list[FormField]:
    """The procedure's questions, in order."""
    return [FormField(f["name"], f["type"], dict(f["label"]), bool(f["required"]),
                      f.get("max_length"), f.get("prefill"))
            for f in procedure.get("form_schema", [])]


def prefill(procedure: Mapping[str, Any], identity: CitizenIdentity | None) -> dict[str, str]:
    """Answers known from the identity (only what it actually holds)."""
    if identity is None:
        return {}
    known = {"national_number": identity.national_number, "full_name": identity.full_name,
             "address": identity.address or ""}
    answers: dict[str, str] = {}
    for form_field in form_fields(procedure):
        value = known.get(form_field.prefill or "")
        if value:
            answers[form_field.name] = value
    return answers


def validate_answer(form_field: FormField, value: str) -> str | None:
    """Return the message key of what is wrong with one answer, or None if it is fine."""
    text = value.strip()
    if not text:
        return MSG_REQUIRED if form_field.required else None
    if form_field.max_length is not None and len(text) > form_field.max_length:
        return MSG_TOO_LONG
    if form_field.type == "phone" and not _PHONE.fullmatch(re.sub(r"[\s\-()]", "", text)):
        return MSG_PHONE
    if form_field.type == "number" and not text.isdigit():
        return MSG_NUMBER
    return None


def validate_form(procedure: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, str]:
    """Every problem of the answers: field name → message key (empty when all is well)."""
    fields = form_fields(procedure)
    errors = {name: MSG_UNKNOWN_FIELD for name in answers if name not in {f.name for f in fields}}
    for form_field in fields:
        problem = validate_answer(form_field, answers.get(form_field.name, ""))
        if problem is not None:
            errors[form_field.name] = problem
    return errors


def summary(procedure: Mapping[str, Any], answers: Mapping[str, str],
            language: str) -> list[SummaryLine]:
    """The "check your answers" rows, in form order, unanswered optional questions left out."""
    return [SummaryLine(f.name, f.label.get(language, f.label.get("es", f.name)),
                        answers[f.name].strip())
            for f in form_fields(procedure) if answers.get(f.name, "").strip()]


def _clean(procedure: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in form_fields(procedure):
        text = answers.get(f.name, "").strip()
        if text:
            out[f.name] = int(text) if f.type == "number" else text
    return out


class SubmitProcedure:
    """Submit confirmed forms through the journal and outbox (exactly once)."""

    def __init__(self, submissions: Submissions, wake_sync: Callable[[], None], *,
                 wait_s: float = 8.0, poll_s: float = 0.1,
                 link_down: Callable[[], bool] = lambda: False) -> None:
        self._submissions = submissions
        self._wake_sync = wake_sync
        self._link_down = link_down  # known offline: no point making the citizen wait
        self._wait_s = wait_s
        self._poll_s = poll_s

    async def submit(self, procedure: Mapping[str, Any], answers: Mapping[str, str],
                     identity: CitizenIdentity | None) -> SubmitOutcome:
        """Validate, journal and queue the form; wait briefly for the case number."""
        errors = validate_form(procedure, answers)
        if errors:
            return FormInvalid(errors)
        session = identity.citizen_session if identity is not None else None
        created = await asyncio.to_thread(
            self._submissions.create, str(procedure["id"]), _clean(procedure, answers), session)
        queued = await asyncio.to_thread(self._submissions.queue, created.id)
        log.info("submission %d queued for %s", queued.id, queued.procedure_id)
        self._wake_sync()
        case_number = None if self._link_down() else await self._wait_for_case(queued.id)
        if case_number is None:
            log.info("submission %d pending confirmation", queued.id)
        return Submitted(queued.id, queued.idempotency_key, case_number)

    async def _wait_for_case(self, submission_id: int) -> str | None:
        deadline = time.monotonic() + self._wait_s
        while True:
            current = await asyncio.to_thread(self._submissions.get, submission_id)
            if current.state is SubmissionState.SYNCED and current.case_number:
                return current.case_number
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(self._poll_s)

    async def case_number(self, submission_id: int) -> str | None:
        """The case number once the sync worker delivered the submission (None before)."""
        current = await asyncio.to_thread(self._submissions.get, submission_id)
        return current.case_number if current.state is SubmissionState.SYNCED else None
