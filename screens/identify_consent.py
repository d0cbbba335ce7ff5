"""Identify, the consent step: what is read and shared, before any PIN; and a "no".

Split from ``screens/identify.py`` (same kv file, ``identify.kv``). Agreeing records the
consent and reads only what the form needs; refusing records it too, forgets the card's
data and offers the ways that need no card. Recording goes through
:class:`kiosk.services.consent.ConsentBook` (the durable outbox); no I/O here.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.services.browse_catalog import pick
from kiosk.services.consent import (
    WITH_WHOM,
    ConsentBook,
    ConsentTerms,
    Decision,
    SharedField,
    consent_terms,
)
from kiosk.services.identify import IdentifyFailed, SessionEnded
from screens.base import JourneyStep
from screens.identify import IdentifyScreen

# After "No, I don't agree": (widget id, label msgid, method) per journey, main way first.
NO_CARD_WAYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pay": (("no_card_reference", N_("Type the bill's number"), "pay_by_reference"),
            ("no_card_barcode", N_("Scan or type the barcode"), "pay_by_barcode")),
    "status": (("no_card_case", N_("Type my case number"), "type_case_number"),),
}

class ConsentScreen(IdentifyScreen):
    """What was read, what will be read and what is shared, before any PIN; yes or no."""

    card_bound = True
    help_text = N_("This page says what the kiosk has read from your card, what it reads "
                   "if you agree, and what the municipality's procedure office receives. "
                   "Touch I agree to go on. If you touch No, I don't agree, nothing more "
                   "is read from your card.")
    read_before_text = StringProperty("")
    read_after_text = StringProperty("")
    fields_text = StringProperty("")  # what is shared (id "fields")
    with_whom = StringProperty(WITH_WHOM)  # a msgid
    busy = BooleanProperty(False)
    message = StringProperty("")  # a msgid: the address could not be read

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._terms: ConsentTerms | None = None

    def load(self, *, procedure_id: str = "", **_params: Any) -> None:
        document = self.flow.procedure(procedure_id) if procedure_id else None
        self._terms = consent_terms(self.journey().value, document)
        self.busy = False
        self.message = ""
        self.refresh()

    def refresh(self) -> None:
        terms, language = self._terms, self.app.language
        if terms is None:
            return

        def bullets(fields: tuple[SharedField, ...]) -> str:
            return "\n".join(f"•  {pick(dict(f.label), language)}" for f in fields)

        self.read_before_text = bullets(terms.read_before)
        self.read_after_text = bullets(terms.read_after)
        self.fields_text = bullets(terms.shared)

    def agree(self) -> None:
        """Record the consent, read what the form needs (the address), then go on."""
        terms = self._terms
        if terms is None or self.busy:
            return
        self.busy = True
        self._record(terms, "agreed")
        self.run_async(self._agree(terms))

    async def _agree(self, terms: ConsentTerms) -> None:
        identifier = self.flow.identifier
        outcome = None
        if terms.needs_address and identifier is not None:
            outcome = await identifier.read_address()
        self.busy = False
        if self.manager is None or self.manager.current != self.name:
            return
        if isinstance(outcome, SessionEnded):
            self.app.end_session()
        elif isinstance(outcome, IdentifyFailed):
            self.message = outcome.message_key
        else:
            self.after_consent()

    def refuse(self) -> None:
        """No: forget the card's data, read nothing more, offer the ways without a card."""
        terms = self._terms
        if terms is None or self.busy:
            return
        self._record(terms, "refused")
        self.flow.end()
        self.go_on("identify_refused", returnable=False)
        self.scope.navigator.seal()  # Back never leads into the card screens again

    def _record(self, terms: ConsentTerms, decision: Decision) -> None:
        book = self.app.options.consents
        if book is not None:
            self.run_async(self._store(book, terms, decision))

    async def _store(self, book: ConsentBook, terms: ConsentTerms, decision: Decision) -> None:
        await book.record(terms, decision)

    def wipe(self) -> None:
        self._terms = None
        self.read_before_text = self.read_after_text = self.fields_text = ""
        self.message = ""
        self.busy = False


class RefusedScreen(JourneyStep):
    """She said no: nothing more is read; the ways that need no card."""

    help_text = N_("You did not agree, so the kiosk read nothing more from your card and "
                   "sent nothing. You can take your card out. The buttons show what you "
                   "can do without it.")
    kind = StringProperty("")  # the journey: which ways without a card to offer

    def load(self, **_params: Any) -> None:
        self.kind = self.journey().value
        self.refresh()

    def refresh(self) -> None:
        """One button per way without a card (the first is the main one)."""
        box = self.ids.ways
        box.clear_widgets()
        for index, (widget_id, text, action) in enumerate(NO_CARD_WAYS.get(self.kind, ())):
            kind = "MainButton" if index == 0 else "SecondaryButton"
            button = Factory.get(kind)(text=self.app.i18n._(text))
            button.bind(on_release=lambda _b, act=action: getattr(self, act)())
            box.add_widget(button)
            box.ids[widget_id] = button

    def pay_by_reference(self) -> None:
        """Find the bill by the number printed on it."""
        self.go_on("pay_entry", mode="reference")

    def pay_by_barcode(self) -> None:
        """Find the bill by its barcode."""
        self.go_on("pay_entry", mode="barcode")

    def type_case_number(self) -> None:
        """Check a case by the number on its receipt."""
        self.app.go("status")

    def wipe(self) -> None:
        self.kind = ""
        self.ids.ways.clear_widgets()
