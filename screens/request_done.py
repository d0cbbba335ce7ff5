"""Sending the request, then its case number (or provisional reference) and receipt.

Sending runs :meth:`screens.request_flow.RequestFlow.send` once (the service journals and
queues the submission; the sync worker is its only sender) and holds Back while it runs.
The last screen shows the number big; when the printer could not print, the receipt itself
with its QR code (``screens/widgets/receipt_preview``). "Finish" ends the journey. No I/O.
A fixed fee the kiosk can take now goes first to ``request_fee`` (screens/request_fee.py);
the last screen then says whether the fee is paid or how to pay it later.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.receipts.request import fixed_fee, ready_lines, request_reference
from screens.journeys import Journey
from screens.request_flow import FeeDue, Sent
from screens.request_form import RequestScreen
from screens.widgets.receipt_preview import ReceiptPreview

log = logging.getLogger(__name__)
MSG_CONFIRMED = N_("Keep this number: with it you can check how your request is going, "
                   "here or at the office.")
MSG_FEE_PAID = N_("The fee is paid. Your receipt shows both your case number and the payment.")
MSG_FEE_LATER = N_("The fee is not paid yet. You can pay it at any kiosk: touch Pay, then "
                   "\"Type the bill's number\", and type the fee number on your receipt. We "
                   "start on your request once it is paid.")
MSG_PENDING = N_("Pending confirmation. There is no connection right now: the kiosk sends "
                 "your request by itself as soon as it can. Scan the QR code on your receipt "
                 "to see your case number later.")


class RequestSendingScreen(RequestScreen):
    """A short wait while the request is journalled, delivered and its receipt printed."""

    help_text = N_("Your request is being sent. Please wait a few seconds.")
    allows_back = False  # the shell hides Back here: the request is being journalled and sent
    outlives_card = True  # the signature is done: the citizen must still see the case number
    failed = BooleanProperty(False)

    def load(self, **_params: Any) -> None:
        """Send once; a second visit never sends again."""
        self.failed = False
        if self.request.sent is None and not self.request.sending:
            self.run_async(self._send())

    async def _send(self) -> None:
        identity = self.flow.identity if self.request.uses_card else self.request.typed_identity
        fee_now = self.scope.pay.unavailable() is None  # the card terminal can take the fee
        try:
            outcome = await self.request.send(identity, self.app.language, fee_now=fee_now)
        except Exception:
            log.exception("request could not be journalled")
            outcome = None
        if self.manager is None or self.manager.current != self.name:
            return  # the session ended meanwhile: the journal still delivers it
        if isinstance(outcome, FeeDue):
            log.info("request sent; its fee is to be paid now")
            self.app.go("request_fee", returnable=False, journey=Journey.REQUEST,
                        procedure_id=self.procedure_id())
            self.scope.navigator.seal()
        elif isinstance(outcome, Sent):
            log.info("request sent: %s", "confirmed" if outcome.submitted.case_number
                     else "pending confirmation")
            self.app.go("request_done", returnable=False, journey=Journey.REQUEST,
                        procedure_id=self.procedure_id())
            self.scope.navigator.seal()
        else:
            self.failed = True

    def wipe(self) -> None:
        self.failed = False


class RequestDoneScreen(RequestScreen):
    """The case number or provisional reference, big, and the receipt's fate."""

    help_text = N_("Your request is registered. Take your receipt, or scan the QR code on the "
                   "screen if the printer did not work. Touch Finish when you are done.")
    outlives_card = True
    pending = BooleanProperty(False)
    receipt_shown = BooleanProperty(False)  # printing failed: the receipt is on screen
    reference = StringProperty("")
    explanation = StringProperty("")
    fee_message = StringProperty("")
    ready = StringProperty("")  # when the result is ready and where she collects it
    receipt_message = StringProperty("")

    def load(self, **_params: Any) -> None:
        sent: Sent | None = self.request.sent
        if sent is None:
            return
        self.pending = sent.submitted.pending_confirmation
        self.reference = request_reference(sent.submitted)
        self.receipt_shown = not sent.receipt.printed
        preview: ReceiptPreview = self.ids.preview
        preview.clear_widgets()
        if self.receipt_shown:
            preview.show(sent.receipt.receipt)
        self.refresh()

    def refresh(self) -> None:
        sent: Sent | None = self.request.sent
        if sent is None:
            return
        translate = self.app.i18n._
        self.explanation = translate(MSG_PENDING if self.pending else MSG_CONFIRMED)
        has_fee = fixed_fee(self.request.document) is not None
        self.fee_message = (translate(MSG_FEE_PAID) if sent.fee_paid is not None
                            else translate(MSG_FEE_LATER) if has_fee and not self.pending
                            else "")
        self.ready = "\n".join(ready_lines(self.request.document, self.app.language,
                                            fee_unpaid=has_fee and sent.fee_paid is None))
        self.receipt_message = translate(sent.receipt.message_key)

    def wipe(self) -> None:
        self.ids.preview.clear_widgets()
        self.pending = self.receipt_shown = False
        self.reference = self.explanation = self.receipt_message = self.fee_message = ""
        self.ready = ""
