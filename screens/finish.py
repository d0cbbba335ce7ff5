"""Finish: one satisfaction question, then goodbye and the full wipe.

``app.finish(journey, receipt=...)`` opens the survey with the history sealed. A
face is a big button with a drawn face and a word (never a face alone). A low score
offers one more, optional, question: why, from a short list of big buttons (never free
text on a public kiosk). The answer, with its journey and procedure, is queued by the
survey service (:mod:`kiosk.services.satisfaction`) as a task while the next screen
already shows, so the citizen never waits for storage or the network. Goodbye
reminds the citizen of what to take (the card still in the reader, the printed receipt),
and wipes after ``timeouts.goodbye_s``, at the first touch, or as the card leaves the reader.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock, ClockEvent
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.button import Button

from common.text import N_
from drivers.base import DeviceStatus
from kiosk.services.identify import card_removed
from kiosk.services.satisfaction import REASONS, SCORES, SatisfactionBox, asks_reason
from screens.base import KioskScreen
from screens.journeys import GOODBYE_SCREEN, SURVEY_REASON_SCREEN

log = logging.getLogger(__name__)
FACE_WORDS = {1: N_("Very bad"), 2: N_("Bad"), 3: N_("OK"), 4: N_("Good"), 5: N_("Very good")}


class FaceButton(Button):
    """One answer of the survey: a face whose mouth follows the score, and its word."""

    score = NumericProperty(3)
    word = StringProperty("")  # msgid, translated by the kv rule


class ReasonButton(Button):
    """One reason for a low score: its API code and its words (a msgid)."""

    reason = StringProperty("")
    word = StringProperty("")  # msgid, translated by the kv rule


class _Answer(KioskScreen):
    """What both survey questions carry: the journey and procedure, then the goodbye."""

    journey = StringProperty("")
    procedure_id = StringProperty("")
    receipt = BooleanProperty(False)

    def _send(self, score: int, reason: str | None = None) -> None:
        box = self.app.options.satisfaction
        if box is not None and self.journey:
            self.run_async(self._record(box, score, reason))

    async def _record(self, box: SatisfactionBox, score: int, reason: str | None) -> None:
        await box.record(score, self.journey, self.procedure_id, reason)

    def _goodbye(self) -> None:
        self.app.go(GOODBYE_SCREEN, returnable=False, receipt=self.receipt)

    def wipe(self) -> None:
        self.journey = ""
        self.procedure_id = ""
        self.receipt = False


class SurveyScreen(_Answer):
    """"How was it?" with five faces and Skip."""

    help_text = N_("Tell us how it went by touching one of the faces, from very bad to very "
                   "good. It is anonymous. You can also skip this question.")

    def on_kv_post(self, _base_widget: Any) -> None:
        faces = self.ids.faces
        for score in SCORES:
            face = FaceButton(score=score, word=FACE_WORDS[score])
            face.bind(on_release=lambda button: self.choose(int(button.score)))
            faces.add_widget(face)

    def load(self, *, journey: str = "", receipt: bool = False, procedure_id: str = "",
             **_params: Any) -> None:
        """Ask about this journey and procedure."""
        self.journey = journey
        self.procedure_id = procedure_id
        self.receipt = receipt

    def choose(self, score: int) -> None:
        """A low score asks why (optional); any other is queued at once, then goodbye."""
        if asks_reason(score):
            self.app.go(SURVEY_REASON_SCREEN, returnable=False, journey=self.journey,
                        procedure_id=self.procedure_id, receipt=self.receipt, score=score)
            return
        self._send(score)
        self._goodbye()

    def skip(self) -> None:
        """No answer: straight to goodbye."""
        log.info("survey skipped")
        self._goodbye()


class SurveyReasonScreen(_Answer):
    """After a low score: "What went wrong?", four reasons and Skip (the score still counts)."""

    help_text = N_("If you want, tell us what went wrong by touching one answer. It is "
                   "anonymous. If you skip it, we keep only your face.")
    score = NumericProperty(1)

    def on_kv_post(self, _base_widget: Any) -> None:
        reasons = self.ids.reasons
        for reason, word in REASONS.items():
            button = ReasonButton(reason=reason, word=word)
            button.bind(on_release=lambda b: self.choose(str(b.reason)))
            reasons.add_widget(button)

    def load(self, *, journey: str = "", receipt: bool = False, procedure_id: str = "",
             score: int = 1, **_params: Any) -> None:
        """Ask why this low score was given."""
        self.journey = journey
        self.procedure_id = procedure_id
        self.receipt = receipt
        self.score = score

    def choose(self, reason: str) -> None:
        """Queue the score with its reason, and say goodbye."""
        self._send(int(self.score), reason)
        self._goodbye()

    def skip(self) -> None:
        """No reason: the score alone is queued."""
        self._send(int(self.score))
        self._goodbye()

    def wipe(self) -> None:
        super().wipe()
        self.score = 1


class GoodbyeScreen(KioskScreen):
    """Thank you, what to take, then the wipe after a few seconds or at a touch."""

    help_text = N_("You have finished. Take your things. The screen clears by itself in a "
                   "few seconds, or when you touch it.")
    allows_back = False  # the session is over: Back would bring her data back on screen
    take_card = BooleanProperty(False)
    take_receipt = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._timer: ClockEvent | None = None

    def load(self, *, receipt: bool = False, **_params: Any) -> None:
        """Remind of the receipt when one was printed and of the card when it is still in."""
        self.take_receipt = receipt
        status = self.scope.identify.reader_status()
        self.take_card = status is not None and status.detail.get("card") == "present"

    def on_enter(self, *_args: Any) -> None:
        self._cancel()
        self._timer = Clock.schedule_once(lambda _dt: self.done(),
                                          self.app.options.timeouts.goodbye_s)

    def on_leave(self, *_args: Any) -> None:
        self._cancel()

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            Clock.schedule_once(lambda _dt: self.done(), 0)  # after the touch is handled
            return True
        return bool(super().on_touch_down(touch))

    def on_reader(self, status: DeviceStatus) -> None:
        """The citizen taking the card is the end: wipe at once."""
        if card_removed(status):
            self.done()

    def done(self) -> None:
        """The full wipe, back to the attract screen."""
        self._cancel()
        if self.manager is not None and self.manager.current == self.name:
            self.app.end_session()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def wipe(self) -> None:
        self._cancel()
        self.take_card = False
        self.take_receipt = False
