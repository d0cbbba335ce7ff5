"""Pay by a number the citizen has: a bill's reference or barcode, or an account's number.

One screen, configured per way of finding a bill (:data:`ENTRIES`): its title, an example
of the format, its keypad (digits, or capitals, digits and the hyphen for a cadastral key
or a plate) and its length. Digits also come from a keyboard-like barcode scanner (digits,
then Enter). A reference or an account is looked up at the API; a barcode is decoded on
the kiosk, so a bill can be paid while the link is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.bill_barcode import LENGTH as BARCODE_LENGTH
from kiosk.services.bill_keys import (
    FORMATS,
    PROCEDURE_DEBT_KINDS,
    AccountKind,
    normalise_account,
)
from screens.keyboard import DELETE, CodeKeyboard, DigitPad
from screens.pay_flow import ScanBuffer, Source
from screens.pay_screen import PayScreen
from screens.widgets.pictures import BillNumberPicture  # noqa: F401  (kv rule)

log = logging.getLogger(__name__)
REFERENCE_LENGTH = 12
BACKSPACE = 8
ENTER = (13, 271)
SEARCHING = N_("Looking for your bill, please wait…")
TOO_SHORT = N_("The number is too short. Check it on the bill and try again.")
REFERENCE_FULL = N_("A bill number has 12 digits: the extra digit was not added. To type "
                    "the 34 barcode digits, go back and choose “Scan or type the barcode”.")
NUMBER_FULL = N_("The number is complete: the extra key was not added. Check it against "
                 "your bill.")




@dataclass(frozen=True)
class Entry:
    """One way of finding a bill by a number: what the screen says and which keys it has."""

    title: str  # msgid
    example: str  # msgid: where the number is printed, and an example
    length: int  # the most characters the field takes
    letters: bool = False  # capitals, digits and hyphen; digits only otherwise
    prefix: str = ""  # printed before the typed digits, never typed (water: "AG")
    picture: str = "account"  # the part of a bill outlined (pictures.BILL_PARTS); "" none


ENTRIES: dict[str, Entry] = {
    "reference": Entry(N_("Type the bill's number"),
                       N_("12 digits, printed on the bill next to “Reference”."),
                       REFERENCE_LENGTH, picture="reference"),
    "barcode": Entry(N_("Type the barcode's digits"),
                     N_("34 digits, printed under the barcode. Or hold the barcode under "
                        "the scanner."), BARCODE_LENGTH, picture="barcode"),
    AccountKind.CADASTRAL_KEY: Entry(
        N_("Type the cadastral key"),
        N_("It is on your property tax bill, next to “Cadastral key”.\n"
           "For example: CAT-000123."), 10, letters=True),
    AccountKind.WATER_ACCOUNT: Entry(
        N_("Type your water account number"),
        N_("The 8 digits after “AG”, at the top of your water bill.\n"
           "For example: AG 0000 0123."), 8, prefix=FORMATS[AccountKind.WATER_ACCOUNT].prefix),
    AccountKind.PLATE: Entry(
        N_("Type the vehicle's plate"),
        N_("Letters and digits as on the plate.\n"
           "For example: AB 1234 or BBCL 12."),
        7, letters=True, picture=""),  # a plate is on the vehicle, not on a bill
}


def grouped(digits: str) -> str:
    """Show digits in groups of four, as printed on bills (easier to compare)."""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def bill_part(mode: str) -> str:
    """Which part of a bill the picture outlines for this way ("" for none)."""
    return ENTRIES.get(mode, ENTRIES["reference"]).picture


def shown(mode: str, typed: str) -> str:
    """What the field shows: digits grouped by four after any prefix, codes as typed."""
    entry = ENTRIES.get(mode, ENTRIES["reference"])
    text = typed if entry.letters else grouped(typed)
    return (f"{entry.prefix} {text}" if entry.prefix else text) + "|"


class PayEntryScreen(PayScreen):
    """A digits field, a keypad and one button."""

    help_text = N_("Type the number with the keys, or hold the barcode under the scanner. "
                   "Then touch Continue. Delete removes the last digit.")
    mode = StringProperty("reference")  # a key of ENTRIES
    title = StringProperty(ENTRIES["reference"].title)  # msgid
    example = StringProperty(ENTRIES["reference"].example)  # msgid
    digits = StringProperty("")
    message = StringProperty("")  # a msgid
    busy = BooleanProperty(False)
    not_errors = (SEARCHING,)  # messages that are news, not something to correct

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scan = ScanBuffer()  # what key events typed since the last Enter
        self.listen_to_scanner()

    def on_kv_post(self, _base_widget: Any) -> None:
        self._digit_pad, self._code_keys = DigitPad(), CodeKeyboard()
        for keys in (self._digit_pad, self._code_keys):
            keys.on_key = self.press  # (a keyword "on_..." would bind an event instead)
        self.ids.keypad.show(self._digit_pad)

    def load(self, *, mode: str = "reference", **_params: Any) -> None:
        """Start with an empty field and the keypad this kind of number needs."""
        self.mode = mode if mode in ENTRIES else "reference"
        self.wipe()
        self._show_keys()

    def _show_keys(self) -> None:
        entry = ENTRIES[self.mode]
        self.title, self.example = entry.title, entry.example
        self.ids.keypad.show(self._code_keys if entry.letters else self._digit_pad)

    @property
    def length(self) -> int:
        return ENTRIES[self.mode].length

    def press(self, value: str) -> None:
        """Apply one key (a digit, a capital or hyphen on the code keyboard, or Delete).

        A key past the number's length is refused out loud, never taken as the start of
        another kind of number (a 13th digit does not turn a reference into a barcode).
        """
        if self.busy:
            return
        letters = ENTRIES[self.mode].letters
        self.message = ""
        if value == DELETE:
            self.digits = self.digits[:-1]
        elif value.isdigit() or (letters and (value.isalpha() or value == "-")):
            if len(self.digits) < self.length:
                self.digits += value.upper()
            else:
                self.message = REFERENCE_FULL if self.mode == "reference" else NUMBER_FULL

    def scanner_key(self, key: int, codepoint: str | None) -> bool:
        if key in ENTER:
            code = self._scan.key(key, codepoint)
            if self.mode == "reference" and code is not None and len(code) == BARCODE_LENGTH:
                self._scanned(code)  # a whole barcode ending in Enter: a scanner, not a slip
            else:
                self.submit()
        elif key == BACKSPACE:
            self.press(DELETE)
        elif codepoint and (codepoint.isdigit() or (
                ENTRIES[self.mode].letters and (codepoint.isalpha() or codepoint == "-"))):
            self._scan.key(key, codepoint)
            self.press(codepoint)
        else:
            return False
        return True

    def _scanned(self, code: str) -> None:
        """Read a barcode the scanner sent while the reference field showed."""
        if self.busy:
            return
        self.digits = ""
        self.busy = True
        self.message = SEARCHING
        self.open_barcode(code, self._say)

    def submit(self) -> None:
        """Find the bill: decode the barcode here, or ask the API for the reference."""
        if self.busy:
            return
        if self.mode in FORMATS:
            self._by_account(AccountKind(self.mode))
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

    def _by_account(self, kind: AccountKind) -> None:
        if normalise_account(kind, self.digits) is None:
            self.message = FORMATS[kind].wrong_format  # said at once, before any look-up
            return
        self.busy = True
        self.message = SEARCHING
        self.run_async(self._look_up_account(kind, self.digits))

    async def _look_up_account(self, kind: AccountKind, typed: str) -> None:
        flow = self.flow
        try:
            found = await self.service().debts_by_account(kind, typed)
        finally:
            self.busy = False
        if not self.current(flow) or not self.showing():
            return
        log.info("debt look-up by %s: %d found", kind, len(found.bills))
        if not found.bills:
            self.message = found.message_key or ""
            return
        self.message = ""
        flow.found(found.bills, Source.ACCOUNT, found.offline,
                   PROCEDURE_DEBT_KINDS.get(self.procedure_id()))
        self.go_on("pay_debts")

    def _say(self, message_key: str) -> None:
        self.busy = False
        self.message = message_key

    def wipe(self) -> None:
        self.digits = ""
        self.message = ""
        self.busy = False
        self._scan = ScanBuffer()
