"""Reprint a receipt: scan its QR code or type its reference, then (payments) the card's last
four digits; the copy is printed marked COPY / COPIA, or shown when the printer fails.

A keyboard-like USB scanner types the QR's text and Enter, as on the bill-entry screen
(``screens/pay_entry.py``); the on-screen keyboard types a reference. The work is
:class:`kiosk.services.reprint_receipt.ReprintReceipts`'s; no I/O here.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.core.window import Window
from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.services.reprint_receipt import (
    MSG_NOT_A_REFERENCE,
    ReferenceKind,
    ReprintFound,
    ReprintQuery,
    ReprintReceipts,
    parse_reference,
)
from screens.base import KioskScreen
from screens.keyboard import DELETE, SPACE, DigitPad, FormKeyboard
from screens.widgets.receipt_preview import ReceiptPreview

log = logging.getLogger(__name__)
ENTER = (13, 271)
BACKSPACE = 8
MAX_TYPED = 200  # a scanned URL is long; a typed reference short
MSG_LOOKING = N_("Looking for your receipt, please wait…")
MSG_NO_SERVICE = N_("Receipts cannot be printed again on this kiosk.")
ASK_REFERENCE = N_("Hold the QR code of your receipt under the scanner, or type the "
                   "reference printed on it, for example PAG-000123 or VE-2026-000042.")
ASK_LAST_FOUR = N_("Type the last 4 digits of the card you paid with. They are on your "
                   "card and on the receipt.")
ASK_CASE = N_("Type the case number printed on your receipt, for example VE-2026-000042.")
STAGE_REFERENCE, STAGE_CHECK, STAGE_DONE = "reference", "check", "done"


class ReprintScreen(KioskScreen):
    """The reference (or QR), its proof, then the copy's fate."""

    help_text = N_("Scan the QR code of your receipt, or type its reference with the "
                   "keyboard and touch Continue. For a payment you also type the last 4 "
                   "digits of your card. The copy says COPY.")
    stage = StringProperty(STAGE_REFERENCE)
    typed = StringProperty("")
    subject = StringProperty("")  # the reference whose proof is asked for
    instruction = StringProperty("")  # a msgid
    message = StringProperty("")  # a msgid (or a translated text with {days} filled)
    busy = BooleanProperty(False)
    receipt_shown = BooleanProperty(False)
    _query: ReprintQuery | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._keyboard = FormKeyboard()
        self._pad = DigitPad()
        for keys in (self._keyboard, self._pad):
            keys.on_key = self.type_key
        Window.bind(on_key_down=self._key_down)

    @property
    def service(self) -> ReprintReceipts | None:
        """The kiosk's reprint service (None when not configured)."""
        return self.app.options.reprint

    def load(self, **_params: Any) -> None:
        """Start with an empty reference field."""
        self.wipe()
        self._ask(STAGE_REFERENCE, ASK_REFERENCE, self._keyboard)
        if self.service is None:
            self.message = MSG_NO_SERVICE

    def _ask(self, stage: str, instruction: str, keys: Any) -> None:
        self.stage, self.instruction, self.typed = stage, instruction, ""
        self.ids.key_holder.show(keys)

    def type_key(self, value: str) -> None:
        """Apply one key of the on-screen keyboard or digit pad."""
        if self.busy or self.stage == STAGE_DONE:
            return
        self.message = ""
        if value == DELETE:
            self.typed = self.typed[:-1]
        elif value == SPACE or len(self.typed) >= MAX_TYPED:
            return
        elif self.stage == STAGE_CHECK and self._query is not None \
                and self._query.kind is ReferenceKind.PAYMENT:
            self.typed += value if value.isdigit() and len(self.typed) < 4 else ""
        else:
            self.typed += value.upper()

    def _key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None,
                  _modifiers: list[str]) -> bool:
        """A scanner (or keyboard) key while this screen shows: its text, then Enter."""
        if self.manager is None or self.manager.current != self.name:
            return False
        if key in ENTER:
            self.next()
        elif key == BACKSPACE:
            self.type_key(DELETE)
        elif codepoint and codepoint.isprintable() and not self.busy \
                and len(self.typed) < MAX_TYPED and self.stage != STAGE_DONE:
            self.typed += codepoint  # a scanned URL keeps its case: the key is in it
            self.message = ""
        else:
            return False
        return True

    def next(self) -> None:
        """Continue: read the reference, ask for its proof, or look the receipt up."""
        if self.busy or self.service is None:
            return
        if self.stage == STAGE_REFERENCE:
            query = parse_reference(self.typed)
            if query is None:
                self.message = MSG_NOT_A_REFERENCE
                return
            self._query = query
            if query.needs_check:
                self.subject = query.reference
                payment = query.kind is ReferenceKind.PAYMENT
                self._ask(STAGE_CHECK, ASK_LAST_FOUR if payment else ASK_CASE,
                          self._pad if payment else self._keyboard)
                return
            self._look_up(query, "")
        elif self.stage == STAGE_CHECK and self._query is not None:
            self._look_up(self._query, self.typed)

    def _look_up(self, query: ReprintQuery, check: str) -> None:
        service = self.service
        if service is None:
            return
        self.busy, self.message = True, MSG_LOOKING
        self.run_async(self._find(service, query, check))

    async def _find(self, service: ReprintReceipts, query: ReprintQuery, check: str) -> None:
        scope = self.scope
        try:
            found = await service.find(query, check, self.app.language)
            if isinstance(found, ReprintFound) and scope is self.app.scope:
                reprinted = await service.print_copy(found)
        finally:
            self.busy = False
        if scope is not self.app.scope:
            return  # the session ended meanwhile
        if not isinstance(found, ReprintFound):
            self.message = self.app.i18n._(found.message_key).format(days=found.days)
            if query.needs_check:  # let her type the digits again
                self.typed = ""
            return
        log.info("receipt copy %s", "printed" if reprinted.printed else "shown on screen")
        self.stage, self.message = STAGE_DONE, reprinted.message_key
        self.receipt_shown = not reprinted.printed
        preview: ReceiptPreview = self.ids.preview
        preview.clear_widgets()
        if self.receipt_shown:
            preview.show(reprinted.receipt)

    def again(self) -> None:
        """Reprint another receipt (or type the reference again)."""
        self.load()

    def wipe(self) -> None:
        self.stage, self.typed, self.instruction, self.message = STAGE_REFERENCE, "", "", ""
        self.subject = ""
        self.busy = self.receipt_shown = False
        self._query = None
        if "preview" in self.ids:
            self.ids.preview.clear_widgets()
