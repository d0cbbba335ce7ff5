"""Pay, the outcome: approved with the receipt (paper and on screen), declined, or checking.

Approved: the receipt is printed and shown; when it stayed on screen (paper out) the
citizen can photograph its QR or print it once the paper is back (a reprint, never a new
sale). Declined: the plain reason, another card or finish. Unknown: we are checking, you
will not be charged twice, ask for help.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.services.pay_errors import PayError
from kiosk.services.pay_model import PayOutcome, PayResult
from screens.pay_flow import PayFlow
from screens.pay_screen import PayScreen
from screens.widgets.receipt_preview import ReceiptPreview  # noqa: F401  (kv rule)

log = logging.getLogger(__name__)
HEADINGS = {PayResult.PAID_PRINTED: N_("Payment approved"),
            PayResult.PAID_RECEIPT_ON_SCREEN: N_("Payment approved"),
            PayResult.NOT_PAID: N_("The payment was not made"),
            PayResult.CHECKING: N_("We are checking your payment")}
PRINTING = N_("Printing your receipt, please wait…")
# Paid: the heading says so; the line below says where the receipt is.
RECEIPT_WHERE = {
    PayResult.PAID_PRINTED: N_("Take your receipt from the printer below the screen. It is "
                               "also shown here."),
    PayResult.PAID_RECEIPT_ON_SCREEN: N_("The printer could not print your receipt. Take a "
                                         "photo of its QR code below, or touch Print the "
                                         "receipt to try again."),
}


class PayResultScreen(PayScreen):
    """The outcome in plain words and what the citizen can do next."""

    help_text = N_("This is the result of your payment. If your receipt is on the screen, "
                   "you can photograph its QR code. Touch Finish when you are done.")
    heading = StringProperty("")
    message = StringProperty("")  # a msgid
    result = StringProperty("")
    pending = BooleanProperty(False)
    can_reprint = BooleanProperty(False)
    busy = BooleanProperty(False)
    has_receipt = BooleanProperty(False)
    outlives_card = True

    def load(self, **_params: Any) -> None:
        """Show the outcome the progress screen left."""
        self._show(self.flow.outcome)

    def _show(self, outcome: PayOutcome | None) -> None:
        preview = self.ids.receipt
        preview.clear_widgets()
        if outcome is None:
            self.wipe()
            return
        self.result = outcome.result
        self.heading = HEADINGS[outcome.result]
        self.message = RECEIPT_WHERE.get(outcome.result, outcome.message_key)
        self.has_receipt = outcome.receipt is not None
        self.pending = outcome.pending_confirmation
        self.can_reprint = outcome.result is PayResult.PAID_RECEIPT_ON_SCREEN \
            and outcome.receipt is not None
        if outcome.receipt is not None:
            preview.show(outcome.receipt)

    def reprint(self) -> None:
        """Print the receipt that stayed on screen (the paper is back); never a new sale."""
        outcome = self.flow.outcome
        if self.busy or outcome is None or not self.can_reprint:
            return
        self.busy = True
        self.message = PRINTING
        self.run_async(self._reprint(outcome, self.flow))

    async def _reprint(self, outcome: PayOutcome, flow: PayFlow) -> None:
        try:
            again = await self.service().reprint(outcome)
        except PayError as err:
            log.warning("reprint refused: %s", err)
            again = outcome
        finally:
            self.busy = False
        if self.current(flow):
            flow.outcome = again
            if self.showing():
                self._show(again)

    def try_again(self) -> None:
        """Declined: back to the amount, to try another card (nothing was taken)."""
        if self.result == PayResult.NOT_PAID:
            self.scope.navigator.back()

    def finish(self) -> None:
        """The journey is over: the survey, reminded of the paper receipt when one came out."""
        self.app.finish("pay", receipt=self.result == PayResult.PAID_PRINTED)

    def wipe(self) -> None:
        self.heading = self.message = self.result = ""
        self.pending = self.can_reprint = self.busy = self.has_receipt = False
        if "receipt" in self.ids:
            self.ids.receipt.clear_widgets()
