"""Request a procedure: the ID number (where the procedure allows it) and the form.

One question per screen: each question is its own navigation entry of the "request_form"
screen (``question`` = its index in the form), so the top bar's Back goes to the previous
question and Next to the following one. Answers are kept in the shell's
:class:`screens.request_flow.RequestFlow` as they are typed, checked with the service's
``validate_answer`` on Next, and the message says what to fix under the question. Text is
typed on the on-screen keyboard; phone and number questions get the digit pad. No I/O here.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.services.identify import Authenticated, CitizenIdentity, by_id_number
from kiosk.services.submit_procedure import FormField
from screens.identify import IdentifyScreen
from screens.keyboard import DELETE, SPACE, DigitPad, FormKeyboard
from screens.request_flow import RequestFlow

log = logging.getLogger(__name__)
DIGIT_TYPES = ("phone", "number")
DEFAULT_MAX = 200
ID_NUMBER_MAX = 11
MSG_NO_FORM = N_("This procedure cannot be requested on this kiosk right now. Please ask "
                 "at the office.")


class RequestScreen(IdentifyScreen):
    """Common parts of the request screens: the citizen's request flow."""

    @property
    def request(self) -> RequestFlow:
        """This citizen's request (in the scope)."""
        return self.scope.request

    def identity_for_form(self, procedure_id: str) -> CitizenIdentity | None:
        """Who the form is pre-filled for: the card (read without a PIN) or a typed number."""
        level = (self.request.procedure(procedure_id) or {}).get("identity_level")
        if level == "id_number":
            return self.request.typed_identity
        if level != "eid":
            return None
        if self.flow.identity is not None:
            return self.flow.identity
        identifier = self.flow.identifier
        return None if identifier is None else identifier.card_identity()


class RequestIdNumberScreen(RequestScreen):
    """Type the national number on the digit pad (procedures that need no card)."""

    help_text = N_("Type the 11 digits of the national number on your identity card with "
                   "the number keys, then touch Next.")
    number = StringProperty("")
    message = StringProperty("")  # a msgid

    def on_kv_post(self, _base_widget: Any) -> None:
        self.ids.pad.on_key = self.type_key

    def load(self, **_params: Any) -> None:
        self.message = ""

    def type_key(self, value: str) -> None:
        """Apply one key of the digit pad."""
        self.message = ""
        if value == DELETE:
            self.number = self.number[:-1]
        elif value.isdigit() and len(self.number) < ID_NUMBER_MAX:
            self.number += value

    def next(self) -> None:
        """Check the number; go on to the form pre-filled with it."""
        document = self.request.procedure(self.procedure_id()) or {}
        outcome = by_id_number(document, self.number)
        if not isinstance(outcome, Authenticated):
            self.message = outcome.message_key
            return
        self.request.end()
        self.request.typed_identity = outcome.identity
        self.go_on("request_form")

    def wipe(self) -> None:
        self.number = ""
        self.message = ""


class RequestFormScreen(RequestScreen):
    """One question of the procedure's form, its answer and what to fix."""

    help_text = N_("Answer the question with the keyboard, then touch Next. Back takes you "
                   "to the previous question. You can check every answer before sending.")
    progress = StringProperty("")
    question = StringProperty("")
    value = StringProperty("")
    message = StringProperty("")  # a msgid shown under the question
    optional = BooleanProperty(False)
    multiline = BooleanProperty(False)
    card_bound = BooleanProperty(False)  # pulling the card ends the session

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._index = -1
        self._changing = False
        self._keyboard = FormKeyboard()
        self._pad = DigitPad()
        for keys in (self._keyboard, self._pad):
            keys.on_key = self.type_key

    def load(self, *, question: int | None = None, changing: bool = False,
             procedure_id: str = "", **_params: Any) -> None:
        """Show question ``question`` (the first one to ask when None)."""
        self.message = self.request.take_problem()  # the check screen's reason, if any
        self._changing = changing
        if question is None:
            if not self.request.begin(procedure_id, self.identity_for_form(procedure_id)):
                self._index = -1
                self.question, self.value = "", ""
                self.message = MSG_NO_FORM
                return
            question = self.request.asked[0]
        self._index = question
        self.card_bound = self.request.uses_card
        form_field = self._field()
        self.value = self.request.answers.get(form_field.name, "")
        self.optional = not form_field.required
        self.multiline = form_field.type == "textarea"
        self._show_keys(self._pad if form_field.type in DIGIT_TYPES else self._keyboard)
        self.refresh()

    def _field(self) -> FormField:
        return self.request.fields[self._index]

    def _show_keys(self, keys: Any) -> None:
        self.ids.key_holder.show(keys)

    def refresh(self) -> None:
        """Say the question in the session's language."""
        if self._index < 0:
            return
        translate, language = self.app.i18n._, self.app.language
        fields = self.request.fields
        form_field = fields[self._index]
        self.question = form_field.label.get(language) or form_field.label.get("es", "")
        asked = list(self.request.asked)  # only what she answers: card-read fields are not
        self.progress = translate(N_("Question {number} of {total}")).format(
            number=asked.index(self._index) + 1, total=len(asked)
        ) if self._index in asked else ""

    def type_key(self, value: str) -> None:
        """Apply one key; the answer is kept at once (Back keeps it too)."""
        if self._index < 0:
            return
        form_field = self._field()
        text = self.value
        if value == DELETE:
            text = text[:-1]
        elif len(text) >= (form_field.max_length or DEFAULT_MAX):
            return
        elif value == SPACE:
            text += SPACE if text and not text.endswith(SPACE) else ""
        elif form_field.type in DIGIT_TYPES:
            text += value if value.isdigit() else ""
        else:
            text += value.upper() if not text else value
        self.value = text
        self.message = ""
        self.request.answers[form_field.name] = text

    def next(self) -> None:
        """Check the answer; then the next question, or the check screen."""
        if self._index < 0:
            return
        problem = self.request.answer(self._index, self.value)
        if problem is not None:
            self.message = problem
            return
        if self._changing:
            self.app.back()  # to "check your answers", where Change was touched
            return
        following = self.request.next_question(self._index)
        if following is None:
            self.go_on("request_check")
        else:
            self.go_on("request_form", question=following)

    def wipe(self) -> None:
        self._index = -1
        self._changing = False
        self.card_bound = False
        for name in ("progress", "question", "value", "message"):
            setattr(self, name, "")
