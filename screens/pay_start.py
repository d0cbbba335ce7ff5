"""Pay, first step: how to find the bill — the identity card, its number, or its barcode.

A USB barcode scanner types like a keyboard: digits then Enter. This screen takes them
directly, so a citizen can scan the bill as soon as Pay opens.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.services.bill_keys import AccountKind, ways_for
from screens.pay_entry import ENTRIES
from screens.pay_flow import ScanBuffer
from screens.pay_screen import PayScreen
from screens.widgets.controls import ChoiceButton

NO_READER = N_("The card reader is not working right now. You can still pay with the "
               "bill's number or its barcode.")

NO_CONNECTION = N_("Not possible without a connection")
WAY_NOTES = {
    AccountKind.CADASTRAL_KEY: N_("For property tax: the key on your bill, like CAT-000123"),
    AccountKind.WATER_ACCOUNT: N_("The number after “AG” on your water bill"),
    AccountKind.PLATE: N_("For traffic fines: the letters and digits on the plate"),
}


class PayStartScreen(PayScreen):
    """Three ways to find what to pay; the ones that cannot work say why."""

    help_text = N_("Choose how to find what you owe. With your identity card we list all "
                   "your debts. With a paper bill, type its number or hold its barcode "
                   "under the scanner.")
    notice = StringProperty("")  # a msgid: why paying is not possible, or a bad barcode
    card_note = StringProperty("")  # a msgid: why the card choice is disabled
    can_pay = BooleanProperty(True)
    can_use_card = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scan = ScanBuffer()
        self._account_buttons: list[ChoiceButton] = []
        self._loaded = False
        self.listen_to_scanner()

    def load(self, **_params: Any) -> None:
        """Say what is possible now, then ask the devices again (a printer may be back)."""
        self.flow.restart()
        self._loaded = True
        self._scan = ScanBuffer()
        self.notice = ""
        self.update()
        self.recheck_devices(self.update)

    def update(self) -> None:
        """Enable the choices the devices allow."""
        unavailable = self.flow.unavailable()
        self.can_pay = unavailable is None
        if unavailable is not None and self.notice in ("", unavailable):
            self.notice = unavailable
        self.can_use_card = self.can_pay and self.scope.identify.available()
        self.card_note = "" if self.can_use_card or not self.can_pay else NO_READER
        self.refresh()

    def refresh(self) -> None:
        """The ways this procedure's bills are known by (a property, a water account, a plate)."""
        grid = self.ids.ways
        for button in self._account_buttons:
            grid.remove_widget(button)
        self._account_buttons = []
        if not self._loaded:  # (a language switch redraws every screen, shown or not)
            return
        translate = self.app.i18n._
        for kind in ways_for(self.procedure_id()):
            live = self.app.live_lookups  # an account's debts are looked up at the API
            button = ChoiceButton(
                item_id=f"pay_{kind}", title=translate(ENTRIES[kind].title),
                subtitle=translate(WAY_NOTES[kind] if live else NO_CONNECTION),
                disabled=not (self.can_pay and live), opacity=1 if self.can_pay and live else 0.6)
            button.bind(on_release=lambda b: self.type_account(b.item_id.removeprefix("pay_")))
            grid.add_widget(button)
            self._account_buttons.append(button)

    def type_account(self, kind: str) -> None:
        """Type a cadastral key, a water account or a plate, to list its debts."""
        if self.can_pay and self.app.live_lookups:
            self.go_on("pay_entry", mode=kind)

    def use_card(self) -> None:
        """Identify with the e-ID; the debts screen follows the PIN (screens/journeys.py)."""
        if self.can_use_card and self.app.live_lookups:  # the PIN is checked at the API
            self.go_on("identify_card")

    def type_reference(self) -> None:
        """Type the bill's reference number."""
        if self.can_pay and self.app.live_lookups:  # the number is looked up at the API
            self.go_on("pay_entry", mode="reference")

    def type_barcode(self) -> None:
        """Type the barcode's digits (or scan it on the next screen)."""
        if self.can_pay:
            self.go_on("pay_entry", mode="barcode")

    def scanner_key(self, key: int, codepoint: str | None) -> bool:
        code = self._scan.key(key, codepoint)
        if code is not None and self.can_pay:
            self.open_barcode(code, self._say)
        return bool(codepoint and codepoint.isdigit()) or code is not None

    def _say(self, message_key: str) -> None:
        self.notice = message_key

    def wipe(self) -> None:
        self._loaded = False
        self._scan = ScanBuffer()
        self.notice = ""
        if "ways" in self.ids:
            for button in self._account_buttons:
                self.ids.ways.remove_widget(button)
        self._account_buttons = []
