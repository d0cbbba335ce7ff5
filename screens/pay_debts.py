"""Pay after the e-ID: the citizen's pending debts, each chosen or not, and the total.

The list comes from the API for the citizen session the PIN opened (the proactive service:
the citizen does not have to know what they owe), or for an account she typed. When she
came for one procedure (property tax), only its debts start chosen and the others are
offered below as an addition; a procedure with nothing pending says it is paid. Which ones
are chosen is kept in the citizen's Pay flow (``PayFlow.included``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from babel.dates import format_date
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money, total
from common.text import N_
from kiosk.services.bill_keys import PROCEDURE_DEBT_KINDS
from kiosk.services.pay_errors import PayError
from kiosk.services.pay_model import PayableBill
from screens.pay_flow import Source
from screens.pay_screen import PayScreen
from screens.procedure import LOCALES
from screens.widgets.controls import ListButton

log = logging.getLogger(__name__)
LOOKING = N_("Looking up what you owe, please wait…")
NOTHING_CHOSEN = N_("Choose at least one debt to pay.")
# "esta deuda" names the debt, so the Spanish agrees whatever the debt's own noun is.
CHOSEN = N_("Paid now. Touch to leave this debt out.")
NOT_CHOSEN = N_("Not paid now. Touch to include this debt.")
KINDS = {"property_tax": N_("Property tax"), "water": N_("Water bill"),
         "fine": N_("Traffic fine")}
DUE = N_("Due on %s")
OVERDUE = N_("Overdue: it was due on %s")
ALSO = N_("You can also pay these now:")
PAID_ALREADY = {
    "property_tax": N_("Your property tax is paid: nothing is pending."),
    "water": N_("Your water bill is paid: nothing is pending."),
    "fine": N_("You have no unpaid traffic fines."),
}
NOTHING_OF_KIND = N_("Nothing is pending for this procedure: it is paid.")
LISTED = (Source.CARD, Source.ACCOUNT)  # sources whose debts are listed here to choose from


def bill_title(bill: PayableBill, language: str, translate: Any) -> str:
    """The bill's description in the citizen's language (with its number when generic)."""
    text = bill.description.get(language) or bill.description.get("es")
    if text and bill.kind != "bill":
        return text
    # a bill read from its barcode alone: what it is and its number, to compare with the paper
    return (text or str(translate(KINDS.get(bill.kind, N_("Bill"))))) + f" {bill.reference}"


def overdue(bill: PayableBill, today: date | None = None) -> bool:
    """Tell whether the bill's due date has passed."""
    try:
        return date.fromisoformat(bill.due_date) < (today or date.today())
    except ValueError:
        return False


def due_text(bill: PayableBill, language: str, translate: Any) -> str:
    """When the bill is due, written out ("Due on 31 December 2026"), or that it is overdue."""
    try:
        due = format_date(date.fromisoformat(bill.due_date), format="long",
                          locale=LOCALES.get(language, "es_CL"))
    except ValueError:
        due = bill.due_date
    return str(translate(OVERDUE if overdue(bill) else DUE)) % due


class DebtButton(ListButton):
    """One debt: a check box that is ticked when the debt is in the payment."""

    chosen = BooleanProperty(True)
    late = BooleanProperty(False)  # overdue: said in words, and marked


class PayDebtsScreen(PayScreen):
    """Every pending debt as a big toggle; the total of the chosen ones; Continue."""

    help_text = N_("These are the debts we found for you. Touch a debt to leave it out of "
                   "this payment or to include it again. Then touch Continue.")
    message = StringProperty("")  # a msgid
    paid_note = StringProperty("")  # a msgid: the chosen procedure has nothing pending
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
        kind = PROCEDURE_DEBT_KINDS.get(self.procedure_id())
        flow.found(found.bills, Source.CARD, found.offline, kind)
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
        flow = self.flow
        bills = flow.bills if flow.source in LISTED else ()
        others = flow.others()
        self.has_debts = bool(bills)
        if flow.kind is not None and len(others) == len(bills) and flow.source in LISTED \
                and not self.busy:
            self.paid_note = PAID_ALREADY.get(flow.kind, NOTHING_OF_KIND)
        else:
            self.paid_note = ""
        for bill in bills:
            if others and bill is others[0]:
                box.add_widget(Factory.KioskLabel(text=translate(ALSO), bold=True))
            chosen = bill.reference in flow.included
            button = DebtButton(
                item_id=bill.reference, chosen=chosen, late=overdue(bill),
                title=f"{bill_title(bill, language, translate)}: "
                      f"{format_money(bill.amount, language)}",
                subtitle=due_text(bill, language, translate) + ". "
                + translate(CHOSEN if chosen else NOT_CHOSEN))
            button.bind(on_release=lambda b: self.toggle(b.item_id))
            box.add_widget(button)
        chosen_total = total(b.amount for b in bills if b.reference in flow.included)
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
        self.message = self.paid_note = ""
        self.total = ""
        self.has_debts = False
        if "debts" in self.ids:
            self.ids.debts.clear_widgets()

    def wipe(self) -> None:
        self._clear()
        self.busy = False
