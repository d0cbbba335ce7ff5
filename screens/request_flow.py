"""What the request screens share during one session: the form, the answers, the outcome.

Plain Python (no Kivy). Each citizen's scope (``screens/citizen_scope.py``) holds one
:class:`RequestFlow`, dropped with it at the wipe; :meth:`end` starts a new request within
the session. Questions already answered by the identity (the card, or a typed ID number)
are not asked one by one: they are on the check-your-answers screen, where the citizen can
change them. The answers are dropped as soon as the submission is journalled (encrypted);
from then on only the outcome and its receipt are kept, for the last screen.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.receipts.request import RequestReceipt, RequestReceipts
from kiosk.services.identify import CitizenIdentity
from kiosk.services.submit_procedure import (
    FormField,
    FormInvalid,
    SubmitOutcome,
    Submitted,
    form_fields,
    prefill,
    validate_answer,
    validate_form,
)
from screens.identify_flow import ProcedureLookup

log = logging.getLogger(__name__)


class ProcedureSubmitter(Protocol):
    """What sending needs (:class:`kiosk.services.submit_procedure.SubmitProcedure`)."""

    async def submit(self, procedure: Mapping[str, Any], answers: Mapping[str, str],
                     identity: CitizenIdentity | None) -> SubmitOutcome: ...


@dataclass(frozen=True)
class Sent:
    """A journalled request and its receipt (printed or to show on screen)."""

    submitted: Submitted
    receipt: RequestReceipt


class RequestFlow:
    """The request journey's state for the current citizen."""

    def __init__(self, procedure: ProcedureLookup | None, submitter: ProcedureSubmitter | None,
                 receipts: RequestReceipts | None) -> None:
        self._procedure = procedure
        self._submitter = submitter
        self._receipts = receipts
        self._session = 0  # bumped at every end(): a late answer must not reach a new request
        self.end()

    def end(self) -> None:
        """Forget the form, the answers, the typed identity and the outcome."""
        self._session += 1
        self.problem = ""  # a msgid for the question the check screen reopens to fix
        self.document: Mapping[str, Any] = {}
        self.procedure_id = ""
        self.answers: dict[str, str] = {}
        self.asked: list[int] = []
        self.typed_identity: CitizenIdentity | None = None  # from a typed ID number
        self.sending = False
        self.sent: Sent | None = None

    def procedure(self, procedure_id: str) -> Mapping[str, Any] | None:
        """The cached catalog's full procedure (with its form)."""
        return None if self._procedure is None else self._procedure(procedure_id)

    def begin(self, procedure_id: str, identity: CitizenIdentity | None) -> bool:
        """Open this procedure's form pre-filled from ``identity`` (kept if already open).

        False when the procedure is unknown to the cached catalog or has no questions.
        """
        if procedure_id == self.procedure_id and self.document and self.sent is None:
            return True
        document = self.procedure(procedure_id)
        if not document or not form_fields(document):
            log.warning("procedure %s has no form in the cached catalog", procedure_id)
            return False
        typed = self.typed_identity
        self.end()
        self.typed_identity = typed
        self.document, self.procedure_id = document, procedure_id
        self.answers = prefill(document, identity)
        fields = form_fields(document)
        self.asked = [i for i, f in enumerate(fields) if f.name not in self.answers] or [0]
        return True

    @property
    def fields(self) -> list[FormField]:
        """The form's questions, in order."""
        return form_fields(self.document) if self.document else []

    @property
    def uses_card(self) -> bool:
        """Tell whether this procedure is identified (and signed) with the e-ID card."""
        return self.document.get("identity_level") == "eid"

    def next_question(self, index: int) -> int | None:
        """The next question to ask after ``index`` (None: check the answers)."""
        return next((i for i in self.asked if i > index), None)

    def answer(self, index: int, value: str) -> str | None:
        """Keep the answer to question ``index``; return its problem's msgid, if any."""
        form_field = self.fields[index]
        self.answers[form_field.name] = value
        return validate_answer(form_field, value)

    def take_problem(self) -> str:
        """The problem to say under the reopened question, once ("" when none)."""
        problem, self.problem = self.problem, ""
        return problem

    def first_problem(self) -> tuple[int, str] | None:
        """The first question whose answer needs fixing, and why (None when all is well)."""
        errors = validate_form(self.document, self.answers)
        for index, form_field in enumerate(self.fields):
            if form_field.name in errors:
                return index, errors[form_field.name]
        return None

    async def send(self, identity: CitizenIdentity | None, language: str) -> Sent | FormInvalid:
        """Submit once (journal + outbox), then issue the receipt; forget the answers."""
        if self.sent is not None:
            return self.sent
        if self._submitter is None or self._receipts is None:
            raise RuntimeError("requests are not configured on this kiosk")
        session, document = self._session, self.document
        self.sending = True
        try:
            outcome = await self._submitter.submit(document, self.answers, identity)
            if isinstance(outcome, FormInvalid):
                return outcome
            self.answers = {}  # journalled and encrypted: the screens need them no more
            sent = Sent(outcome, await self._receipts.issue(document, outcome, language))
        finally:
            self.sending = False
        if session == self._session:
            self.sent = sent
        return sent
