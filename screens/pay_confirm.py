"""Pay, the amount: what is paid and whose it is, the total in big figures, one Pay button.

Each bill names the property, water account or plate it is for, with the street (never
the number) when the town hall knows it, and its due date, so she can tell it is hers.

When the printer cannot print, Pay stays disabled until the citizen accepts a receipt on
the screen only (a QR code to photograph); when the card terminal is not working, Pay is
disabled with a plain message. Both are asked of the device hub again on arrival.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money
from common.text import N_
from kiosk.services.bill_keys import account_label
from kiosk.services.pay_model import PayableBill
from screens.pay_debts import bill_title, due_text
from screens.pay_screen import PayScreen

ACCEPT_FIRST = N_("To pay, first accept the receipt on the screen. Or pay at the municipal "
                  "office.")


class PayConfirmScreen(PayScreen):
    """The amount, big and plain, before the card terminal is asked for it."""

    help_text = N_("Check the amount. When you touch Pay, the card terminal below the "
                   "screen asks for your card. No money is taken before that.")
    lines = StringProperty("")
    total = StringProperty("")
    notice = StringProperty("")  # a msgid: why Pay is disabled, or a refusal
    offline = BooleanProperty(False)
    needs_choice = BooleanProperty(False)
    screen_receipt_ok = BooleanProperty(False)
    can_pay = BooleanProperty(False)
    _refusal = ""  # a msgid: why the last attempt was refused before the terminal

    def load(self, **_params: Any) -> None:
        """Show the selection; ask the devices how they are now."""
        self.screen_receipt_ok = False
        self._refusal = self.flow.take_refusal() or ""
        self.refresh()
        self.recheck_devices(self.refresh)

    def refresh(self) -> None:
        """Texts in the current language; Pay enabled only when it can work."""
        selection = self.flow.selection
        if selection is None:
            self.lines = self.total = ""
            self.can_pay = False
            return
        translate, language = self.app.i18n._, self.app.language
        self.lines = "\n".join(self._line(b, language, translate) for b in selection.bills)
        self.total = format_money(selection.total, language)
        self.offline = self.flow.offline or not self.online()
        self.needs_choice = self.flow.needs_receipt_choice()
        unavailable = self.flow.unavailable()
        must_accept = self.needs_choice and not self.screen_receipt_ok
        self.notice = unavailable or self._refusal or (ACCEPT_FIRST if must_accept else "")
        self.can_pay = unavailable is None and (self.screen_receipt_ok or not self.needs_choice)

    @staticmethod
    def _line(bill: PayableBill, language: str, translate: Any) -> str:
        """One bill: what it is and its amount, whose it is, and when it is due."""
        whose = account_label(bill.kind, bill.account, bill.address_hint, translate)
        details = [whose] if whose else []
        details.append(due_text(bill, language, translate))
        return (f"•  {bill_title(bill, language, translate)}: "
                f"{format_money(bill.amount, language)}\n"
                + "\n".join(f"    {detail}" for detail in details))

    def toggle_screen_receipt(self) -> None:
        """The citizen accepts (or no longer accepts) a receipt on screen only."""
        self.screen_receipt_ok = not self.screen_receipt_ok
        self.refresh()

    def pay(self) -> None:
        """Hand over to the terminal; the progress screen cannot be walked back into."""
        selection = self.flow.selection
        if not self.can_pay or selection is None:
            return
        self.flow.screen_receipt_ok = self.screen_receipt_ok
        self.go_on("pay_progress", returnable=False)

    def wipe(self) -> None:
        self.lines = self.total = self.notice = ""
        self.screen_receipt_ok = self.needs_choice = self.offline = self.can_pay = False
        self._refusal = ""
