"""The request's fee, paid in the same session: the amount, Pay now or Pay later.

Shown after the request is sent and the API gave its case number, when the procedure has a
fixed fee and the card terminal can be used. Paying goes through the Pay service (the one
money path: journal first, then the terminal); its one receipt names the case. Declined,
the citizen may try again or leave the fee for later: the request is kept "awaiting
payment" at the API and its receipt says how to pay at any kiosk. No I/O here.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money
from common.text import N_
from kiosk.services.pay_errors import PayError
from kiosk.services.pay_model import PayableBill, PayResult
from screens.journeys import Journey
from screens.request_flow import RequestFlow
from screens.request_form import RequestScreen

log = logging.getLogger(__name__)
FOLLOW_TERMINAL = N_("Follow the instructions on the card terminal below the screen.")
MSG_FEE_NOW = N_("Your request is registered. To finish it, pay its fee now with your bank "
                 "card, or later at any kiosk: your receipt will say how.")
MSG_LOOKING = N_("Please wait a moment.")
MSG_NOT_PAYABLE = N_("The fee cannot be paid here right now. You can pay it later at any "
                     "kiosk: your receipt will say how.")


class RequestFeeScreen(RequestScreen):
    """Pay the request's fee now (one sale), or leave it for later."""

    help_text = N_("Your request is already registered. Touch Pay now to pay its fee on the "
                   "card terminal, or Pay later to pay it another day at any kiosk.")
    allows_back = False  # the request is sent: Back would not undo it
    outlives_card = True  # the case number must still be shown and printed
    case_number = StringProperty("")
    amount = StringProperty("")
    message = StringProperty("")  # a msgid
    ready = BooleanProperty(False)  # the fee bill is known: Pay now works
    paying = BooleanProperty(False)  # the terminal works: no button at all
    declined = BooleanProperty(False)
    _bill: PayableBill | None = None

    def load(self, **_params: Any) -> None:
        """Show the fee and find its bill at the API (the amount to charge)."""
        due = self.request.fee_due
        if due is None:
            return
        self.case_number = due.case_number
        self.amount = format_money(due.amount, self.app.language)
        self.ready = self.paying = self.declined = False
        self.message = MSG_LOOKING
        self.run_async(self._find(self.request))

    def refresh(self) -> None:
        due = self.request.fee_due
        if due is not None:
            self.amount = format_money(due.amount, self.app.language)

    async def _find(self, request: RequestFlow) -> None:
        bill = await request.fee_bill(self.scope.pay.service(self.app.language))
        if request is not self.request:
            return
        self._bill = bill
        self.ready = bill is not None
        self.message = MSG_FEE_NOW if bill is not None else MSG_NOT_PAYABLE

    def pay_now(self) -> None:
        """Hand the fee to the card terminal (once per touch; a sale is never resent)."""
        if not self.ready or self.paying or self._bill is None:
            return
        self.paying, self.declined = True, False
        self.message = FOLLOW_TERMINAL
        self.app.pause_inactivity()
        self.run_async(self._pay(self.request, self._bill))

    async def _pay(self, request: RequestFlow, bill: PayableBill) -> None:
        def progress(message_key: str) -> None:
            if request is self.request:
                self.message = message_key

        try:
            outcome = await request.pay_fee(self.scope.pay.service(self.app.language), bill,
                                            progress)
        except PayError as err:  # refused before the terminal was asked
            log.info("fee payment refused before the terminal: %s", type(err).__name__)
            if request is self.request:
                self.app.resume_inactivity()
                self.paying, self.ready, self.message = False, False, err.message_key
            return
        if request is not self.request:
            log.info("fee payment finished after its session ended: %s", outcome.result)
            return
        self.app.resume_inactivity()
        self.paying = False
        if outcome.result is PayResult.NOT_PAID:
            self.declined, self.message = True, outcome.message_key
            return
        self._done()

    def pay_later(self) -> None:
        """Leave the fee for later: print the request receipt that says how to pay it."""
        if self.paying or self.request.fee_due is None:
            return
        self.paying = True  # no second touch while the receipt prints
        self.run_async(self._later(self.request))

    async def _later(self, request: RequestFlow) -> None:
        try:
            await request.fee_later(self.app.language)
        finally:
            if request is self.request:
                self.paying = False
        if request is self.request:
            self._done()

    def _done(self) -> None:
        self.app.go("request_done", returnable=False, journey=Journey.REQUEST,
                    procedure_id=self.procedure_id())
        self.scope.navigator.seal()

    def wipe(self) -> None:
        self.case_number = self.amount = self.message = ""
        self.ready = self.paying = self.declined = False
        self._bill = None
