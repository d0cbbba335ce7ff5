"""Inactivity: a warning with a countdown and a big "I need more time", then the wipe."""

from __future__ import annotations

import math
from collections.abc import Callable

from kivy.clock import Clock, ClockEvent
from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

from kiosk.services.session import InactivityLimits


class InactivityWarning(ModalView):
    """Full-screen question: are you still there? (layout in overlays.kv)."""

    __events__ = ("on_more_time",)
    seconds_left = NumericProperty(0)

    def on_more_time(self) -> None:
        """The citizen touched "I need more time" (the timer binds what follows)."""


class SessionTimer:
    """Watch for touches during a session; warn, count down, then call ``on_expired``."""

    def __init__(self, limits: Callable[[], InactivityLimits],
                 on_expired: Callable[[], None]) -> None:
        self._limits = limits
        self._on_expired = on_expired
        self._warning_event: ClockEvent | None = None
        self._tick_event: ClockEvent | None = None
        self._deadline = 0.0
        self.warning = InactivityWarning()
        self.warning.bind(on_dismiss=lambda *_: self.poke(),
                          on_more_time=lambda *_: self.more_time())
        self.running = False

    def start(self) -> None:
        """Begin watching (first touch of a session)."""
        self.running = True
        self.poke()

    def stop(self) -> None:
        """Stop watching and hide the warning (session over)."""
        self.running = False
        self._cancel()
        if self.warning.parent is not None:
            self.warning.dismiss(animation=False)

    def poke(self) -> None:
        """The citizen did something: restart the wait before the warning."""
        if not self.running:
            return
        if self._tick_event is not None and self.warning.parent is not None:
            return  # only "I need more time" (or a touch on the warning) closes it
        self._cancel()
        self._warning_event = Clock.schedule_once(self._warn, self._limits().warning_s)

    def more_time(self) -> None:
        """Close the warning and start waiting again."""
        self._cancel()
        if self.warning.parent is not None:
            self.warning.dismiss(animation=False)
        self.poke()

    def _cancel(self) -> None:
        for event in (self._warning_event, self._tick_event):
            if event is not None:
                event.cancel()
        self._warning_event = self._tick_event = None

    def _warn(self, _dt: float) -> None:
        self._deadline = Clock.get_time() + self._limits().countdown_s
        self.warning.seconds_left = math.ceil(self._limits().countdown_s)
        self.warning.open(animation=False)
        self._tick_event = Clock.schedule_interval(self._tick, 0.25)

    def _tick(self, _dt: float) -> None:
        left = self._deadline - Clock.get_time()
        self.warning.seconds_left = max(0, math.ceil(left))
        if left <= 0:
            self.stop()
            self._on_expired()
