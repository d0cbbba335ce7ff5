"""Check a status: type a case number on the keyboard, see what the municipality says now.

The answer comes live from :class:`kiosk.services.check_status.CheckStatus` (no Kivy, no
cache): a found case shows its status, what happens next and where to go, but not which
procedure it is (anyone may hold a case number; the identified citizen sees the detail on
her cases page); a refused or unavailable look-up shows the service's plain message, never
a guessed status. The answer is kept in the citizen's scope (``self.scope.status.case``).
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.receipts.status import StatusSlips
from kiosk.services.browse_catalog import pick
from kiosk.services.check_status import (
    MSG_OUT_OF_SERVICE,
    CaseFound,
    CaseOutcome,
    StatusUnavailable,
)
from kiosk.services.degraded import MSG_CASE_NUMBER_ONLY, MSG_NO_LIVE
from screens.base import KioskScreen
from screens.journeys import Journey
from screens.keyboard import DELETE, SPACE

log = logging.getLogger(__name__)
MAX_CASE_NUMBER = 20
NEXT_STEPS = {
    "awaiting_payment": N_("The fee is not paid yet. Pay it at any kiosk: touch Pay, then "
                           "\"Type the bill's number\", and type the fee number on your "
                           "receipt."),
    "received": N_("We received your request. Someone will start reviewing it soon."),
    "in_review": N_("Someone is reviewing your request. You do not need to do anything now."),
    "waiting_for_citizen": N_("We need something from you. Please go to the office below."),
    "resolved": N_("It is finished. You can collect the result at the office below."),
    "rejected": N_("Your request was not accepted. Ask at the office below to know why."),
}
UNKNOWN_NEXT = N_("Ask at the office below what happens next.")
DETAIL_WITH_CARD = N_("For your privacy, which procedure it is and its dates are shown only "
                      "when you identify yourself with your identity card.")
ANY_OFFICE = N_("The municipal offices.")


class StatusEntryScreen(KioskScreen):
    """The case-number field, the keyboard and one Check button."""

    help_text = N_("Write the case number from your receipt with the keyboard, letters and "
                   "numbers, for example VE 2026 7K3M9QXF. Then touch Check.")
    case_number = StringProperty("")
    busy = BooleanProperty(False)
    card_possible = BooleanProperty(True)  # "your cases with your ID card" can be offered
    card_notice = StringProperty("")  # msgid saying why not

    def on_kv_post(self, _base_widget: Any) -> None:
        self.ids.keyboard.on_key = self.type_key
        self.app.bind(can_use_eid=self._judge_card, live_lookups=self._judge_card)
        self._judge_card()

    def _judge_card(self, *_args: Any) -> None:
        """The card way needs a working reader and the live API (degraded modes)."""
        self.card_possible = bool(self.app.can_use_eid and self.app.live_lookups)
        self.card_notice = "" if self.card_possible else (
            MSG_CASE_NUMBER_ONLY if not self.app.can_use_eid else MSG_NO_LIVE)

    def use_card(self) -> None:
        """Identify with the e-ID; the citizen's open cases follow the PIN."""
        if self.card_possible and self.scope.identify.available():
            self.app.go("identify_card", journey=Journey.STATUS.value)

    def type_key(self, value: str) -> None:
        """Apply one key from the on-screen keyboard."""
        if value == DELETE:
            self.case_number = self.case_number[:-1]
        elif len(self.case_number) >= MAX_CASE_NUMBER:
            return
        elif value != SPACE:
            self.case_number += value.upper()
        elif self.case_number and not self.case_number.endswith(SPACE):
            self.case_number += SPACE

    def check(self) -> None:
        """Ask the API about the typed number; the answer shows on the result screen."""
        if self.busy or not self.case_number.strip():
            return
        log.info("case look-up started")
        self.busy = True
        self.run_async(self._check(self.case_number))

    async def _check(self, typed: str) -> None:
        try:
            lookup = self.app.options.status
            outcome = (StatusUnavailable(MSG_OUT_OF_SERVICE) if lookup is None
                       else await lookup.by_case_number(typed))
        finally:
            self.busy = False
        log.info("case look-up answered: %s", type(outcome).__name__)
        if self.manager is not None and self.manager.current == self.name:
            self.app.go("status_result", outcome=outcome)

    def wipe(self) -> None:
        """Forget the typed number."""
        self.case_number = ""
        self.busy = False


class StatusResultScreen(KioskScreen):
    """A found case in plain words, or why there is no answer."""

    help_text = N_("This is what the municipality says about your case today. Touch "
                   "Finish when you are done, or Back to check another number.")
    found = BooleanProperty(False)
    case_number = StringProperty("")
    title = StringProperty("")
    status = StringProperty("")
    next_step = StringProperty("")
    office = StringProperty("")
    message = StringProperty("")
    slip_message = StringProperty("")  # a msgid: the slip printed, or why not
    printing = BooleanProperty(False)

    def print_slip(self) -> None:
        """Print the case's status on a slip the citizen takes away."""
        slips, outcome = self.app.options.status_slips, self.scope.status.case
        if self.printing or slips is None or not isinstance(outcome, CaseFound):
            return
        self.printing = True
        self.run_async(self._print(slips, outcome))

    async def _print(self, slips: StatusSlips, outcome: CaseFound) -> None:
        try:
            slip = await slips.issue(outcome.case, self.next_step, self.app.language)
        finally:
            self.printing = False
        if self.scope.status.case is outcome:  # still this citizen's case on screen
            self.slip_message = slip.message_key

    def load(self, *, outcome: CaseOutcome | None = None, **_params: Any) -> None:
        """Show this look-up's outcome."""
        self.scope.status.case = outcome
        self.slip_message = ""
        self.refresh()

    def refresh(self) -> None:
        """Fill the texts in the current language."""
        outcome, language = self.scope.status.case, self.app.language
        translate = self.app.i18n._
        if outcome is None:
            return
        if not isinstance(outcome, CaseFound):
            self._clear()
            self.message = translate(outcome.message_key)
            return
        case = outcome.case
        self.found = True
        self.message = ""
        self.case_number = case["case_number"]
        self.title = translate(DETAIL_WITH_CARD)
        self.status = pick(dict(case["status_label"]), language)
        self.next_step = translate(NEXT_STEPS.get(case["status"], UNKNOWN_NEXT))
        self.office = translate(ANY_OFFICE)

    def wipe(self) -> None:
        """Forget the case shown."""
        self.slip_message = ""
        self.printing = False
        self._clear()

    def _clear(self) -> None:
        self.found = False
        for name in ("case_number", "title", "status", "next_step", "office", "message"):
            setattr(self, name, "")
