"""Pay, at the terminal: its messages on screen, no Back and no timeout while it works.

The payment runs once per selection (the service refuses a second try of a sealed one).
The citizen is busy at the terminal, not at the screen, so the inactivity timer is held
until the answer comes. If the session ends anyway, the sale still completes and is
recorded by the service; only the screens of the next citizen are left alone.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money
from common.text import N_
from kiosk.services.card_custody import card_in_reader, card_taken_back
from kiosk.services.card_payment import CHECKING_MESSAGE
from kiosk.services.pay_bills import PayOutcome, PayResult, Selection, SelectionState
from kiosk.services.pay_errors import PayError
from screens.pay_flow import PayFlow
from screens.pay_screen import PayScreen

log = logging.getLogger(__name__)
FOLLOW_TERMINAL = N_("Follow the instructions on the card terminal below the screen.")
TAKE_CARD_FIRST = N_("Payment approved. Please take your identity card from the reader: "
                     "your receipt prints next.")


class PayProgressScreen(PayScreen):
    """What the terminal says, big, while it works."""

    help_text = N_("Follow the instructions on the card terminal. The screen moves on by "
                   "itself when the terminal has finished.")
    allows_back = False
    outlives_card = True
    message = StringProperty(FOLLOW_TERMINAL)  # a msgid from the terminal
    total = StringProperty("")
    card_back = BooleanProperty(False)  # paid: her e-ID card is asked back before the receipt

    def load(self, **_params: Any) -> None:
        """Start the sale of the confirmed selection (only an open one ever reaches here)."""
        selection = self.flow.selection
        self.message = FOLLOW_TERMINAL
        self.total = ("" if selection is None
                      else format_money(selection.total, self.app.language))
        if selection is None or selection.state is not SelectionState.OPEN:
            log.warning("pay progress shown without an open selection; nothing charged")
            return
        self.app.pause_inactivity()
        self.run_async(self._pay(selection, self.flow))

    async def _pay(self, selection: Selection, flow: PayFlow) -> None:
        def progress(message_key: str) -> None:
            if self.current(flow):
                self.message = message_key

        try:
            outcome = await self.service().pay(
                selection, progress, receipt_on_screen_ok=self.flow.screen_receipt_ok,
                before_receipt=lambda: self._card_back(flow))
        except PayError as err:  # refused before the terminal was asked
            log.info("payment refused before the terminal: %s", type(err).__name__)
            if self.current(flow):
                flow.refusal = err.message_key
                self.app.resume_inactivity()
                self.scope.navigator.back()  # the confirmation, with the reason
            return
        except Exception:  # cannot tell what happened: say so, never pay again
            log.exception("payment crashed; the journal and recovery settle it")
            outcome = PayOutcome(PayResult.CHECKING, CHECKING_MESSAGE, None)
        if not self.current(flow):
            log.info("payment finished after its session ended: %s", outcome.result)
            return
        flow.outcome = outcome
        self.app.resume_inactivity()
        self.go_on("pay_result", returnable=False)
        if outcome.result is not PayResult.NOT_PAID:
            self.scope.navigator.seal()  # money may have moved: nothing before can be reached

    async def _card_back(self, flow: PayFlow) -> None:
        """Paid: her card first, then the receipt (issue 16, ATM style)."""
        status = self.scope.identify.reader_status()
        if not self.current(flow) or status is None or not card_in_reader(status):
            return
        self.message, self.card_back = TAKE_CARD_FIRST, True
        taken = await card_taken_back(self.scope.identify.reader_status,
                                      self.app.options.timeouts.card_back_s)
        self.card_back = False
        log.info("card %s before the receipt", "taken" if taken else "still in")

    def wipe(self) -> None:
        self.card_back = False
        self.message = FOLLOW_TERMINAL
        self.total = ""
