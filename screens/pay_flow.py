"""What the Pay screens share during one session: the service, the bills, the outcome.

Plain Python (no Kivy). Each citizen's scope (``screens/citizen_scope.py``) holds one
:class:`PayFlow`, dropped with it at the wipe: a payment that finishes after its citizen's
session ended (inactivity during the sale) finds its flow no longer current and never
paints the next citizen's screen; the sale itself is still recorded by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from common.text import N_
from kiosk.devices import DeviceHub, ReceiptMode
from kiosk.services.pay_bills import PayBills
from kiosk.services.pay_model import PayableBill, PayOutcome, Selection

PayFactory = Callable[[str], PayBills]  # language -> one PayBills for this citizen

TERMINAL_OFFLINE = N_("Card payment is not available right now: the card terminal is not "
                      "working. You can pay at the municipal office.")
NO_PAY_SERVICE = N_("Card payment is not available on this kiosk.")
SCAN_ENTER = {13, 271}  # Return and keypad Enter: a USB barcode scanner ends a code with one


class Source(StrEnum):
    CARD = "card"  # the identified citizen's debts (e-ID)
    REFERENCE = "reference"  # a bill found by its reference number at the API
    BARCODE = "barcode"  # a bill decoded from its barcode, offline
    ACCOUNT = "account"  # the debts of a cadastral key, water account or plate, at the API


@dataclass
class ScanBuffer:
    """Digits a keyboard-like barcode scanner types; Enter ends one code."""

    digits: str = ""
    limit: int = 64

    def key(self, key: int, codepoint: str | None) -> str | None:
        """Take one key event; return the finished code on Enter (None otherwise)."""
        if key in SCAN_ENTER:
            code, self.digits = self.digits, ""
            return code or None
        if codepoint and codepoint.isdigit() and len(self.digits) < self.limit:
            self.digits += codepoint
        return None


class PayFlow:
    """The Pay state of the current session."""

    def __init__(self, make_service: PayFactory | None, devices: DeviceHub) -> None:
        self._make_service = make_service
        self.devices = devices
        self._service: PayBills | None = None
        self.bills: tuple[PayableBill, ...] = ()
        self.included: set[str] = set()  # references of the debts the citizen includes
        self.kind: str | None = None  # the debt kind of the procedure chosen, if any
        self.source = Source.CARD
        self.offline = False
        self.selection: Selection | None = None
        self.outcome: PayOutcome | None = None
        self.screen_receipt_ok = False  # the citizen accepted a receipt on screen only
        self.refusal: str | None = None  # a msgid: the last Pay refused before the terminal

    def service(self, language: str) -> PayBills:
        """The session's PayBills (receipts in ``language``); RuntimeError if none."""
        if self._make_service is None:
            raise RuntimeError("no pay service configured")
        if self._service is None:
            self._service = self._make_service(language)
        self._service.language = language
        return self._service

    def unavailable(self) -> str | None:
        """Why a card payment cannot start now (a msgid), or None when it can."""
        if self._make_service is None:
            return NO_PAY_SERVICE
        if not self.devices.can_pay_by_card():
            return TERMINAL_OFFLINE
        return None

    def needs_receipt_choice(self) -> bool:
        """Tell whether the citizen must accept a receipt on screen only (no paper)."""
        return self.devices.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED

    def found(self, bills: tuple[PayableBill, ...], source: Source, offline: bool,
              kind: str | None = None) -> None:
        """Remember the bills the citizen may pay and where they came from.

        With ``kind`` (the debts of the procedure she chose), only those start included and
        come first; the others are offered as an addition. Without it, all are included.
        """
        ordered = sorted(bills, key=lambda bill: kind is not None and bill.kind != kind)
        self.bills, self.source, self.offline = tuple(ordered), source, offline
        self.kind = kind
        self.included = {b.reference for b in bills if kind is None or b.kind == kind}
        self.selection, self.outcome = None, None

    def others(self) -> tuple[PayableBill, ...]:
        """The debts found that are not of the chosen procedure (offered as an addition)."""
        return tuple(b for b in self.bills if self.kind is not None and b.kind != self.kind)

    def chosen(self, selection: Selection, source: Source, offline: bool) -> None:
        """Remember the payment the citizen is about to confirm."""
        self.selection, self.source, self.offline = selection, source, offline
        self.outcome = None

    def take_refusal(self) -> str | None:
        """The reason the last Pay was refused (once), for the confirmation screen."""
        refusal, self.refusal = self.refusal, None
        return refusal

    def restart(self) -> None:
        """A new search in the same session (bills already paid stay paid in the service)."""
        self.bills, self.offline, self.included, self.kind = (), False, set(), None
        self.selection, self.outcome, self.refusal = None, None, None
        self.screen_receipt_ok = False
