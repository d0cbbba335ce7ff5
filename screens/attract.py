"""Attract screen: the municipality's name, a gentle invitation to touch, the languages."""

from __future__ import annotations

from typing import Any

from kivy.animation import Animation
from kivy.clock import Clock, ClockEvent
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from common.text import N_
from drivers.base import DeviceStatus
from kiosk.i18n import load_catalog
from screens.base import KioskScreen

INVITATION = "Touch the screen to start"
TAKE_CARD = N_("Please take your card from the reader.")
ROTATE_S = 4.0
PULSE_STEP_S = 1 / 12  # the breathing ring's redraws: smooth enough, a sixth of 60 fps


class AttractScreen(KioskScreen):
    """Idle screen between citizens; a touch anywhere but the language buttons starts."""

    __events__ = ("on_start_session",)
    pulse = NumericProperty(0.0)  # 0..1, drives the breathing ring around the button
    invitation_other = StringProperty("")  # the invitation in the kiosk's other languages
    card_left = BooleanProperty(False)  # a card is still in the reader after the wipe
    take_card_text = StringProperty("")  # "please take your card" in every language
    _animation: Animation | None = None
    _rotation: ClockEvent | None = None
    _turn = 0

    def on_touch_down(self, touch: Any) -> bool:
        taken_by_child = bool(super().on_touch_down(touch))
        if not taken_by_child and self.collide_point(*touch.pos):
            touch.ud[self._key] = True
            return True
        return taken_by_child

    def on_touch_up(self, touch: Any) -> bool:
        if touch.ud.pop(self._key, False):
            self.dispatch("on_start_session")
            return True
        return bool(super().on_touch_up(touch))

    @property
    def _key(self) -> str:
        return f"attract-start-{id(self)}"

    def on_start_session(self) -> None:
        """Start a citizen session."""
        self.app.start_session()

    def on_pre_enter(self, *_args: Any) -> None:
        self._card_state()

    def on_reader(self, status: DeviceStatus) -> None:
        """A card left behind was taken out (or another went in): say so at once."""
        self._card_state()

    def _card_state(self) -> None:
        self.card_left = self.app.options.card_custody.card_left
        languages = [self.app.language, *(c for c in self.app.options.languages
                                          if c != self.app.language)]
        self.take_card_text = "\n".join(load_catalog(c)._(TAKE_CARD) for c in languages)

    def on_enter(self, *_args: Any) -> None:
        # Stepped, not every frame: the attract screen shows for hours, and each step redraws
        # the whole window (a kiosk PC without a GPU renders it in software).
        animation = Animation(pulse=1.0, duration=1.6, t="in_out_sine", step=PULSE_STEP_S) + (
            Animation(pulse=0.0, duration=1.6, t="in_out_sine", step=PULSE_STEP_S))
        animation.repeat = True
        animation.start(self)
        self._animation = animation
        self._rotate(0)
        self._rotation = Clock.schedule_interval(self._rotate, ROTATE_S)

    def on_leave(self, *_args: Any) -> None:
        if self._animation is not None:
            self._animation.cancel(self)
        if self._rotation is not None:
            self._rotation.cancel()
        self.pulse = 0.0

    def refresh(self) -> None:
        """After a language change, invite in the languages not shown in the button."""
        self._turn = -1
        self._rotate(0)
        self._card_state()

    def _rotate(self, _dt: float) -> None:
        """Show the invitation in each of the other enabled languages in turn."""
        others = [code for code in self.app.options.languages if code != self.app.language]
        if not others:
            self.invitation_other = ""
            return
        self._turn = (self._turn + 1) % len(others)
        self.invitation_other = load_catalog(others[self._turn])._(INVITATION)
