"""The citizen session's life: start, navigation and Back, finish, inactivity, the wipe.

One :class:`~screens.citizen_scope.CitizenScope` is current at a time. The wipe closes the
overlays, empties every screen's widgets (and what Kivy drew of them), drops the scope
whole (identity, flows, answers, the redactor's values, the history) and puts a fresh one
in its place for the next citizen, then shows the attract screen in the kiosk's default
language and text size.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.redaction import REDACTOR, Redactor
from screens.base import KioskScreen
from screens.citizen_scope import CitizenScope
from screens.inactivity import SessionTimer
from screens.journeys import GOODBYE_SCREEN, SURVEY_SCREEN
from screens.options import ShellOptions
from screens.overlays import Overlays
from screens.widgets.forget import forget_drawn_texts

log = logging.getLogger(__name__)


class SessionView(Protocol):
    """What the session changes on the shell's presentation."""

    back_allowed: bool

    def set_language(self, language: str) -> None: ...

    def show_text_size(self) -> None: ...


class SessionController:
    """Starts, navigates, times out and wipes citizen sessions (Kivy's main thread)."""

    def __init__(self, options: ShellOptions, view: SessionView, manager: ScreenManager,
                 overlays: Overlays, redactor: Redactor = REDACTOR) -> None:
        self._options = options
        self._view = view
        self._manager = manager
        self._overlays = overlays
        self._redactor = redactor
        self.scope = self._new_scope()
        self.timer = SessionTimer(lambda: self.scope.session.limits(options.timeouts),
                                  self.end)

    def _new_scope(self) -> CitizenScope:
        scope = CitizenScope(self._options, self._show)
        self._redactor.serve(scope.redaction)  # the last citizen's values go with their scope
        return scope

    def current_screen(self) -> KioskScreen:
        """The screen on display."""
        screen: KioskScreen = self._manager.current_screen
        return screen

    def start(self) -> None:
        """First touch: a new citizen starts at home."""
        self.scope.session.start()
        self.timer.start()
        self._options.on_session(True)
        self.go("home")

    def end(self) -> None:
        """Wipe everything of the citizen and return to the attract screen."""
        log.info("session ended; wiping citizen state")
        self._options.card_custody.session_ended()  # a card still in is never read again
        self.timer.stop()
        self._overlays.end_session()
        for screen in self._manager.screens:
            if isinstance(screen, KioskScreen):
                screen.wipe()
                forget_drawn_texts(screen)
        self.scope = self._new_scope()
        self._view.back_allowed = True
        self._view.set_language(self._options.default_language)
        self._view.show_text_size()
        transition, self._manager.transition = self._manager.transition, NoTransition()
        self._manager.current = "attract"
        self._manager.transition = transition
        self._options.on_session(False)

    def mark_assisted(self) -> None:
        """An assistant is coming: give this session the assisted mode's longer timeouts."""
        self.scope.session.assisted = True
        self.timer.poke()

    # -- navigation --------------------------------------------------------------------
    def go(self, screen: str, **params: Any) -> None:
        """Show ``screen`` (remembered for Back)."""
        self.scope.navigator.go(screen, **params)

    def back(self) -> None:
        """Back: the previous screen; from home, the end of the session.

        Refused while the current screen forbids it (the card terminal is working).
        """
        if not self.current_screen().allows_back:
            return
        current = self.scope.navigator.current
        if current is None or current.screen in ("home", GOODBYE_SCREEN):
            self.end()
            return
        self.scope.navigator.back()

    def finish(self, journey: str, *, receipt: bool = False) -> None:
        """A journey is over: the satisfaction question (when installed), else the wipe.

        ``receipt``: a paper receipt came out (the goodbye reminds the citizen to take it).
        Nothing before it can be walked back into: history is sealed first, and the e-ID
        identity is forgotten (pulling the card from now on no longer ends anything).
        """
        procedure_id = self._finished_procedure()
        self.scope.navigator.seal()
        self.scope.identify.end()
        if self._manager.has_screen(SURVEY_SCREEN):
            self.go(SURVEY_SCREEN, returnable=False, journey=journey, receipt=receipt,
                    procedure_id=procedure_id)
        else:
            self.end()

    def _finished_procedure(self) -> str:
        """The procedure the journey was about, for the survey ("" when none was)."""
        entry = self.scope.navigator.current
        return str(entry.params.get("procedure_id") or "") if entry else ""

    def _show(self, name: str, params: dict[str, Any], _direction: str) -> None:
        screen = self._manager.get_screen(name)
        if isinstance(screen, KioskScreen):
            screen.load(**params)
            self._view.back_allowed = screen.allows_back
        self._manager.current = name
