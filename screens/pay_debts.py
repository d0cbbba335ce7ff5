"""Pay after the e-ID: the citizen's pending debts, each chosen or not, and the total.

The list comes from the API for the citizen session the PIN opened (the proactive service:
the citizen does not have to know what they owe). All debts start chosen; which ones are is
kept in the citizen's Pay flow (``PayFlow.included``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from babel.dates import format_date
from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money, total
from common.text import N_
from kiosk.services.pay_bills import PayableBill
from kiosk.services.pay_errors import PayError
from screens.pay_flow import Source
from screens.pay_screen import PayScreen
from screens.procedure import LOCALES
from screens.widgets.controls import ListButton

log = logging.getLogger(__name__)
LOOKING = N_("Looking up what you owe, please wait…")
NOTHING_CHOSEN = N_("Choose at least one debt to pay.")
CHOSEN = N_("Included in this payment. Touch to leave it out.")
NOT_CHOSEN = N_("Not included. Touch to include it.")
KINDS = {"property_tax": N_("Property tax"), "water": N_("Water bill"),
         "fine": N_("Traffic fine")}
DUE = N_("due %s")
LISTED = (Source.CARD, Source.ACCOUNT)  # sources whose debts are listed here to choose from


def bill_title(bill: PayableBill, language: str, translate: Any) -> str:
    """The bill's description in the citizen's language (with its number when generic)."""
    text = bill.description.get(language) or bill.description.get("es")
    if text and bill.kind != "bill":
        return text
    # a bill read from its barcode alone: what it is and its number, to compare with the paper
    return (text or str(translate(KINDS.get(bill.kind, N_("Bill"))))) + f" {bill.reference}"


def due_text(bill: PayableBill, language: str, translate: Any) -> str:
    """When the bill is due, written out in the citizen's language ("due 30 November 2026")."""
    try:
        due = format_date(date.fromisoformat(bill.due_date), format="long",
                          locale=LOCALES.get(language, "es_CL"))
    except ValueError:
        due = bill.due_date
    return str(translate(DUE)) % due


class PayDebtsScreen(PayScreen):
    """Every pending debt as a big toggle; the total of the chosen ones; Continue."""

    help_text = N_("These are the debts we found for you. Touch a debt to leave it out of "
                   "this payment or to include it again. Then touch Continue.")
    message = StringProperty("")  # a msgid
    total = StringProperty("")
    has_debts = BooleanProperty(False)
    busy = BooleanProperty(False)

    def load(self, **_params: Any) -> None:
        """Show the debts found already, or ask the API for the identified citizen's."""
        if self.flow.bills and self.flow.source in LISTED:
            self.refresh()
            return
        identity = self.scope.identify.identity
        session = identity.citizen_session if identity is not None else None
        self._clear()
        if session is None:  # not identified by e-ID: nothing to look up
            self.message = PayError.message_key
            return
        self.busy = True
        self.message = LOOKING
        self.run_async(self._look_up(session))

    async def _look_up(self, session: str) -> None:
        flow = self.flow
        try:
            found = await self.service().debts_of_citizen(session)
        finally:
            self.busy = False
        if not self.current(flow):
            return
        log.info("citizen debts found: %d", len(found.bills))
        flow.found(found.bills, Source.CARD, found.offline)
        self.message = found.message_key or ""
        self.refresh()

    def toggle(self, reference: str) -> None:
        """Include a debt in the payment, or leave it out."""
        self.flow.included ^= {reference}
        self.message = "" if self.flow.included else NOTHING_CHOSEN
        self.refresh()

    def refresh(self) -> None:
        """Draw the list and the total in the current language."""
        translate, language = self.app.i18n._, self.app.language
        box = self.ids.debts
        box.clear_widgets()
        bills = self.flow.bills if self.flow.source in LISTED else ()
        included = self.flow.included
        self.has_debts = bool(bills)
        for bill in bills:
            chosen = bill.reference in included
            amount = format_money(bill.amount, language)
            button = ListButton(
                item_id=bill.reference,
                title=f"{bill_title(bill, language, translate)}: {amount}",
                subtitle=due_text(bill, language, translate) + ". "
                + translate(CHOSEN if chosen else NOT_CHOSEN))
            button.bind(on_release=lambda b: self.toggle(b.item_id))
            box.add_widget(button)
        chosen_total = total(b.amount for b in bills if b.reference in included)
        self.total = format_money(chosen_total, language) if bills else ""

    def go_pay(self) -> None:
        """Confirm the chosen debts."""
        bills = [b for b in self.flow.bills if b.reference in self.flow.included]
        if not bills:
            self.message = NOTHING_CHOSEN
            return
        self.message = self.choose(bills, self.flow.source) or ""

    def _clear(self) -> None:
        self.flow.included = set()
        self.message = ""
        self.total = ""
        self.has_debts = False
        if "debts" in self.ids:
            self.ids.debts.clear_widgets()

    def wipe(self) -> None:
        self._clear()
        self.busy = False
