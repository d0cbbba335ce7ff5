"""Identify with the e-ID card: insert, confirm who you are, consent, PIN, outcome.

Screens only show and react; the work is :class:`kiosk.services.identify.Identifier`'s,
and what they learn is kept in the citizen's scope (``self.scope.identify``). Reader events
are re-scheduled onto Kivy's main thread by ``screens/device_events.py``: pulling the card
on any of these screens after the insert screen ends the session (the full wipe); the
insert screen gets the others (:meth:`InsertCardScreen.on_reader`). The PIN is keypad input,
not session data: it lives only in a bytearray on the PIN screen, handed to
``Identifier.authenticate`` (which wipes it) and zeroed here too whatever happens, in place
(dropping it would leave the digits in freed memory); the screen shows one dot per digit.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from common.text import N_
from drivers.base import DeviceState, DeviceStatus
from kiosk.services.identify import (
    Authenticated,
    IdentifyFailed,
    IdentityPreview,
    PinLocked,
    PinWrong,
    SessionEnded,
)
from screens.base import JourneyStep
from screens.identify_flow import IdentifyFlow
from screens.journeys import Journey, after_consent, after_pin
from screens.keyboard import DELETE
from screens.widgets.pictures import InsertCardPicture  # noqa: F401  (kv rule)

log = logging.getLogger(__name__)
PIN_MAX = 12
MSG_READING = N_("Reading your card, please wait…")
MSG_CARD_LEFT = N_("There is a card in the reader from someone before you. Please take it "
                   "out and give it to staff, then put your own card in.")
PIN_HEADING = N_("Type your card's PIN")
PIN_HELP = N_("Type the PIN of your identity card with the number keys. Nobody sees "
              "the digits: only dots appear. Then touch Confirm.")
PIN_SIGN_HEADING = N_("Type your card's PIN to sign your request")
PIN_SIGN_HELP = N_("Your PIN signs the request, like a signature on paper. Type it with the "
                   "number keys: only dots appear. Then touch Confirm.")


def ready_card(status: DeviceStatus) -> bool:
    """Tell whether the reader reports a recognised card ready to read."""
    return status.state is DeviceState.ONLINE and status.detail.get("card") == "present"


class IdentifyScreen(JourneyStep):
    """Common parts: the citizen's identification and the journey's next step."""

    @property
    def flow(self) -> IdentifyFlow:
        """This citizen's identification (in the scope)."""
        return self.scope.identify

    def after_consent(self) -> None:
        """Consent given: the journey's next step (the form, or the PIN)."""
        self.go_on(after_consent(self.journey()))


class InsertCardScreen(IdentifyScreen):
    """Ask for the card; read it as soon as the reader says it is in."""

    help_text = N_("Put your identity card in the reader below the screen, chip first and "
                   "facing up. Leave it there until you finish.")
    notice = StringProperty("")  # a msgid translated by the kv rule, so a switch re-translates
    reading = BooleanProperty(False)

    def load(self, **_params: Any) -> None:
        """Start fresh; read at once if the card is already in (and not someone else's)."""
        self.wipe()
        self.flow.new_identifier()
        status = self.flow.reader_status()
        if self.app.options.card_custody.card_left:
            self.notice = MSG_CARD_LEFT
        elif status is not None and ready_card(status):
            self.card_ready()

    def on_reader(self, status: DeviceStatus) -> None:
        """React to the reader while this screen shows."""
        if self.app.options.card_custody.card_left:
            self.notice = MSG_CARD_LEFT  # never read a card an earlier citizen left behind
        elif ready_card(status):
            self.card_ready()
        elif status.detail.get("card") == "absent" and self.notice == MSG_CARD_LEFT:
            self.notice = ""  # the card left behind is out: hers can go in
        elif status.message_key and status.detail.get("card") != "absent":
            self.notice = status.message_key

    def card_ready(self) -> None:
        """Read the names on the card for the citizen to confirm."""
        if self.reading or self.app.options.card_custody.card_left:
            return
        self.reading = True
        self.notice = MSG_READING
        self.run_async(self._preview())

    async def _preview(self) -> None:
        identifier = self.flow.identifier
        if identifier is None:
            return
        outcome = await identifier.preview()
        self.reading = False
        if self.manager is None or self.manager.current != self.name:
            return
        if isinstance(outcome, IdentityPreview):
            self.notice = ""
            self.go_on("identify_confirm", preview=outcome)
        elif isinstance(outcome, SessionEnded):
            self.app.end_session()
        else:
            self.notice = outcome.message_key

    def wipe(self) -> None:
        self.notice = ""
        self.reading = False


class ConfirmIdentityScreen(IdentifyScreen):
    """Names and the masked number: is this you?"""

    card_bound = True  # the card's names are on screen: pulling it ends the session
    help_text = N_("Check that the name is yours. If it is not your card, take it out of "
                   "the reader: everything is erased.")
    names = StringProperty("")
    number = StringProperty("")

    def load(self, *, preview: IdentityPreview | None = None, **_params: Any) -> None:
        if preview is not None:
            self.names = f"{preview.given_names} {preview.surname}"
            self.number = preview.masked_national_number

    def on_leave(self, *_args: Any) -> None:
        """The names show only while she confirms (Back loads them again)."""
        self.wipe()

    def wipe(self) -> None:
        self.names = ""
        self.number = ""


class PinScreen(IdentifyScreen):
    """A big digit keypad; dots only; one try per Confirm."""

    card_bound = True
    help_text = PIN_HELP
    heading = StringProperty(PIN_HEADING)  # a msgid: the request journey's PIN signs
    digits = NumericProperty(0)
    message = StringProperty("")
    busy = BooleanProperty(False)
    locked = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pin = bytearray()
        self._message_key = ""  # shown again in the new language after a switch
        self._tries = 0

    def _say(self, message_key: str, tries: int = 0) -> None:
        self._message_key, self._tries = message_key, tries
        self.refresh()

    def refresh(self) -> None:
        """Translate the current message into the session's language."""
        key = self._message_key
        self.message = self.app.i18n._(key).format(tries=self._tries) if key else ""

    def on_kv_post(self, _base_widget: Any) -> None:
        self.ids.keypad.on_key = self.press

    def load(self, **_params: Any) -> None:
        self.wipe()  # every visit starts from an empty PIN
        signs = self.journey() is Journey.REQUEST  # the PIN signs the request
        self.heading = PIN_SIGN_HEADING if signs else PIN_HEADING
        self.help_text = PIN_SIGN_HELP if signs else PIN_HELP

    def press(self, value: str) -> None:
        """Apply one keypad key (a digit or Delete)."""
        if self.busy or self.locked:
            return
        if value == DELETE:
            if self._pin:
                self._pin[-1] = 0
                del self._pin[-1]
        elif value.isdigit() and len(self._pin) < PIN_MAX:
            self._pin.append(ord(value))
        self.digits = len(self._pin)

    def confirm(self) -> None:
        """Hand the PIN to the card once; show what the card and the API answered."""
        if self.busy or self.locked or not self._pin:
            return
        self.busy = True
        self._say(N_("Checking your PIN, please wait…"))
        pin, self._pin = self._pin, bytearray()
        self.digits = 0
        self.run_async(self._authenticate(pin))

    async def _authenticate(self, pin: bytearray) -> None:
        flow = self.flow
        try:
            if flow.identifier is None:
                return
            outcome = await flow.identifier.authenticate(pin)
        finally:
            pin[:] = bytes(len(pin))
            self.busy = False
        log.info("e-ID authentication outcome: %s", type(outcome).__name__)
        if self.manager is None or self.manager.current != self.name:
            return
        match outcome:
            case Authenticated(identity):
                flow.identity = identity
                self.go_on(after_pin(self.journey()))
                self.scope.navigator.seal()  # Back never leads into the card screens again
            case PinWrong(tries_left):
                self._say(outcome.message_key, tries_left)
            case PinLocked():
                self.locked = True
                self._say(outcome.message_key)
            case SessionEnded():
                self.app.end_session()
            case IdentifyFailed():
                self._say(outcome.message_key)

    def _clear_pin(self) -> None:
        self._pin[:] = bytes(len(self._pin))
        self._pin = bytearray()
        self.digits = 0

    def wipe(self) -> None:
        self._clear_pin()
        self._say("")
        self.locked = False
        self.busy = False
