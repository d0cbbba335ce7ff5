"""What the request screens share during one session: the form, the answers, the outcome.

Plain Python (no Kivy). Each citizen's scope (``screens/citizen_scope.py``) holds one
:class:`RequestFlow`, dropped with it at the wipe; :meth:`end` starts a new request within
the session. Questions already answered by the identity (the card, or a typed ID number)
are not asked one by one: they are on the check-your-answers screen, where the citizen can
change them. The answers are dropped as soon as the submission is journalled (encrypted);
from then on only the outcome and its receipt are kept, for the last screen.

A procedure with a fixed fee, once the API gave its case number, is paid in the same
session (:meth:`RequestFlow.pay_fee`, through the Pay service: the one money path) before
its one receipt is issued; declined or skipped, the request receipt says how to pay later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from common.money import Money
from kiosk.receipts.payment import RequestOnReceipt
from kiosk.receipts.request import RequestReceipt, RequestReceipts, fixed_fee
from kiosk.services.identify import CitizenIdentity
from kiosk.services.pay_bills import PayBills
from kiosk.services.pay_model import PayableBill, PayOutcome, PayResult
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
    fee_paid: PayOutcome | None = None  # the fee's payment, when paid in this session


@dataclass(frozen=True)
class FeeDue:
    """A journalled request whose fixed fee is to be paid now, before its one receipt."""

    submitted: Submitted
    amount: Money  # the catalog's fee; the API's fee bill must say the same

    @property
    def case_number(self) -> str:
        """The case the fee belongs to (a FeeDue always has one)."""
        return self.submitted.case_number or ""


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
        self.fee_due: FeeDue | None = None
        self.fee_number: str | None = None  # the API's fee bill, once looked up

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

    async def send(self, identity: CitizenIdentity | None, language: str, *,
                   fee_now: bool = False) -> Sent | FeeDue | FormInvalid:
        """Submit once (journal + outbox), then issue the receipt; forget the answers.

        ``fee_now``: the kiosk can take a card payment now, so a fixed fee with a confirmed
        case number comes back as :class:`FeeDue` and the receipt waits for the payment.
        """
        if self.sent is not None:
            return self.sent
        if self.fee_due is not None:
            return self.fee_due
        if self._submitter is None or self._receipts is None:
            raise RuntimeError("requests are not configured on this kiosk")
        session, document = self._session, self.document
        self.sending = True
        try:
            outcome = await self._submitter.submit(document, self.answers, identity)
            if isinstance(outcome, FormInvalid):
                return outcome
            self.answers = {}  # journalled and encrypted: the screens need them no more
            fee = fixed_fee(document)
            if fee_now and fee is not None and outcome.case_number:
                due = FeeDue(outcome, fee)
                if session == self._session:
                    self.fee_due = due
                return due
            sent = Sent(outcome, await self._receipts.issue(document, outcome, language))
        finally:
            self.sending = False
        if session == self._session:
            self.sent = sent
        return sent

    async def fee_bill(self, pay: PayBills) -> PayableBill | None:
        """The API's fee bill of the request (None: not found, or not the catalog's fee)."""
        due = self.fee_due
        if due is None:
            return None
        found = await pay.bill_by_reference(due.case_number)
        bill = next(iter(found.bills), None)
        if bill is None or bill.amount != due.amount:
            log.warning("fee bill of the request not payable now: %s",
                        found.message_key or "amount differs from the catalog")
            return None
        self.fee_number = bill.reference
        return bill

    async def pay_fee(self, pay: PayBills, bill: PayableBill,
                      on_progress: Callable[[str], None]) -> PayOutcome:
        """Charge the fee once (the Pay service's sale); paid: keep its one receipt.

        Raises what :meth:`PayBills.pay` raises when it refuses before the terminal.
        """
        due = self.fee_due
        if due is None or self._receipts is None:
            raise RuntimeError("no fee to pay")
        session = self._session
        outcome = await pay.pay(pay.select([bill]), on_progress, receipt_on_screen_ok=True,
                                request=RequestOnReceipt(due.case_number, self.document))
        if outcome.result is PayResult.NOT_PAID or outcome.receipt is None:
            return outcome
        printed = outcome.result is PayResult.PAID_PRINTED
        if printed:
            await self._receipts.note_printed(due.submitted)
        receipt = RequestReceipt(outcome.receipt, printed, outcome.message_key,
                                 outcome.print_job_id)
        if session == self._session:
            self.sent, self.fee_due = Sent(due.submitted, receipt, outcome), None
        return outcome

    async def fee_later(self, language: str) -> Sent:
        """Leave the fee for later: the request receipt says how to pay it."""
        due = self.fee_due
        if due is None or self._receipts is None:
            raise RuntimeError("no fee to leave for later")
        session = self._session
        sent = Sent(due.submitted,
                    await self._receipts.issue(self.document, due.submitted, language,
                                               fee_number=self.fee_number))
        if session == self._session:
            self.sent, self.fee_due = sent, None
        return sent
