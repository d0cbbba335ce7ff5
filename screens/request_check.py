"""Check your answers: every question with its answer and a Change, the fee, then send.

The main action signs with the card's PIN (procedures identified by e-ID: the shared PIN
screen, which then leads to sending) or sends at once (a typed ID number, or no identity).
A fixed fee is not paid here: the screen says it is paid at the office. No I/O here.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from common.money import format_money
from common.text import N_
from kiosk.receipts.request import fixed_fee
from kiosk.services.browse_catalog import pick
from kiosk.services.identify import mask_national_number
from screens.journeys import Journey
from screens.request_form import RequestScreen

MSG_FEE = N_("This procedure costs {amount}. After sending, you can pay it here with your "
             "bank card, or later at any kiosk.")
MSG_FREE = N_("This procedure is free.")
MSG_SIGN = N_("To send it, you sign it with your identity card: next you type its PIN.")
MSG_SEND = N_("Nothing is sent until you touch Send.")
MSG_NOT_ANSWERED = N_("Not answered")
MSG_FROM_CARD = N_("from your identity card")
FROM_CARD = ("national_number", "full_name")  # what the card proves: no Change
MASKED = ("national_number",)  # shown with its last digits only (someone may be looking)


class RequestCheckScreen(RequestScreen):
    """Summary rows with Change, the fee in words, and one main action."""

    help_text = N_("Read your answers. Touch Change next to an answer to correct it. When "
                   "everything is right, touch the yellow button at the bottom.")
    title = StringProperty("")
    fee = StringProperty("")
    next_step = StringProperty("")
    signs = BooleanProperty(False)
    card_bound = BooleanProperty(False)  # pulling the card ends the session

    def load(self, **_params: Any) -> None:
        """Show the current answers (also after a Change)."""
        self.signs = self.card_bound = self.request.uses_card
        self.refresh()

    def refresh(self) -> None:
        """Fill the rows and texts in the session's language."""
        document = self.request.document
        if not document:
            return
        translate, language = self.app.i18n._, self.app.language
        self.title = pick(dict(document["title"]), language)
        fee = fixed_fee(document)
        self.fee = (translate(MSG_FEE).format(amount=format_money(fee, language)) if fee
                    else translate(MSG_FREE) if (document.get("fee") or {}).get("kind") == "free"
                    else "")
        self.next_step = translate(MSG_SIGN if self.signs else MSG_SEND)
        rows = self.ids.rows
        rows.clear_widgets()
        for index, form_field in enumerate(self.request.fields):
            answer = self.request.answers.get(form_field.name, "").strip()
            if answer and (form_field.prefill in MASKED or form_field.name in MASKED):
                answer = mask_national_number(answer)
            row = Factory.AnswerRow()
            row.question = pick(dict(form_field.label), language)
            row.answer = answer or translate(MSG_NOT_ANSWERED)
            if self.signs and form_field.prefill in FROM_CARD:
                # The signed session vouches for these: they are not typed over.
                row.question += " · " + translate(MSG_FROM_CARD)
                row.remove_widget(row.ids.change)
            else:
                row.ids.change.item_id = f"change:{form_field.name}"
                row.ids.change.bind(on_release=lambda _b, i=index: self.change(i))
            rows.add_widget(row)

    def change(self, index: int) -> None:
        """Go back to one question; its Next returns here."""
        self.go_on("request_form", question=index, changing=True)

    def confirm(self) -> None:
        """Sign with the card's PIN, or send; an answer to fix is shown first."""
        problem = self.request.first_problem()
        if problem is not None:
            self.request.problem = problem[1]  # said under the question it reopens
            self.change(problem[0])
            return
        if self.signs:
            self.app.go("identify_pin", journey=Journey.REQUEST,
                        procedure_id=self.procedure_id())
            return
        self.go_on("request_sending")
        self.scope.navigator.seal()  # sent: Back never leads to the form again

    def wipe(self) -> None:
        self.ids.rows.clear_widgets()
        self.title = self.fee = self.next_step = ""
        self.signs = self.card_bound = False
