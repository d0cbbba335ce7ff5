"""Pay by a paper bill: type its reference number, or its barcode digits (or scan them).

Digits come from the big on-screen keypad or from a keyboard-like barcode scanner (digits,
then Enter). A reference is looked up at the API; a barcode is decoded on the kiosk, so a
bill can be paid while the link is down.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.bill_barcode import LENGTH as BARCODE_LENGTH
from screens.keyboard import DELETE
from screens.pay_flow import Source
from screens.pay_screen import PayScreen
from screens.widgets.controls import KeyboardKey

log = logging.getLogger(__name__)
REFERENCE_LENGTH = 12
BACKSPACE = 8
ENTER = (13, 271)
SEARCHING = N_("Looking for your bill, please wait…")
TOO_SHORT = N_("The number is too short. Check it on the bill and try again.")


def grouped(digits: str) -> str:
    """Show digits in groups of four, as printed on bills (easier to compare)."""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


class PayEntryScreen(PayScreen):
    """A digits field, a keypad and one button."""

    help_text = N_("Type the number with the keys, or hold the barcode under the scanner. "
                   "Then touch Continue. Delete removes the last digit.")
    mode = StringProperty("reference")  # "reference" | "barcode"
    digits = StringProperty("")
    message = StringProperty("")  # a msgid
    busy = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.listen_to_scanner()

    def on_kv_post(self, _base_widget: Any) -> None:
        pad = self.ids.keypad
        for value in "123456789" + DELETE + "0":
            key = KeyboardKey(key_value=value, columns=1)
            key.size_hint = (1, None)
            key.bind(on_release=lambda k: self.press(k.key_value))
            pad.add_widget(key)

    def load(self, *, mode: str = "reference", **_params: Any) -> None:
        """Start with an empty field for a reference number or barcode digits."""
        self.mode = mode
        self.wipe()

    @property
    def length(self) -> int:
        return BARCODE_LENGTH if self.mode == "barcode" else REFERENCE_LENGTH

    def press(self, value: str) -> None:
        """Apply one keypad key (a digit or Delete)."""
        if self.busy:
            return
        if value == DELETE:
            self.digits = self.digits[:-1]
        elif value.isdigit() and len(self.digits) < self.length:
            self.digits += value
        self.message = ""

    def scanner_key(self, key: int, codepoint: str | None) -> bool:
        if key in ENTER:
            self.submit()
        elif key == BACKSPACE:
            self.press(DELETE)
        elif codepoint and codepoint.isdigit():
            if self.mode == "reference" and len(self.digits) == self.length:
                self.mode = "barcode"  # a scanner sends more digits than a reference has
            self.press(codepoint)
        else:
            return False
        return True

    def submit(self) -> None:
        """Find the bill: decode the barcode here, or ask the API for the reference."""
        if self.busy:
            return
        if self.mode == "barcode" or len(self.digits) == BARCODE_LENGTH:
            if len(self.digits) < BARCODE_LENGTH:
                self.message = TOO_SHORT
                return
            self.busy = True
            self.message = SEARCHING
            self.open_barcode(self.digits, self._say)
            return
        if len(self.digits) < REFERENCE_LENGTH:
            self.message = TOO_SHORT
            return
        self.busy = True
        self.message = SEARCHING
        self.run_async(self._by_reference(self.digits))

    async def _by_reference(self, reference: str) -> None:
        flow = self.flow
        try:
            found = await self.service().bill_by_reference(reference)
        finally:
            self.busy = False
        if not self.current(flow) or not self.showing():
            return
        log.info("bill look-up by reference: %d found", len(found.bills))
        if not found.bills:
            self.message = found.message_key or TOO_SHORT
            return
        self.message = self.choose(list(found.bills), Source.REFERENCE) or ""

    def _say(self, message_key: str) -> None:
        self.busy = False
        self.message = message_key

    def wipe(self) -> None:
        self.digits = ""
        self.message = ""
        self.busy = False
