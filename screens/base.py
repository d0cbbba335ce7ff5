"""Base class of the citizen screens: parameters in, citizen data out at the wipe.

Screens use the app only through :class:`screens.shell_api.ShellApi` and the current
citizen's scope (``self.scope``), never another screen or the shell's internals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

from common.text import N_
from drivers.base import DeviceStatus
from screens.citizen_scope import CitizenScope
from screens.journeys import Journey, journey_of
from screens.shell_api import ShellApi

log = logging.getLogger(__name__)


class KioskScreen(Screen):
    """A screen the navigator can show; ``help_text`` explains it in the Help panel."""

    help_text = N_("Touch a button to choose. Back takes you to the previous screen.")
    allows_back = True  # False while Back must not work (the card terminal is working)
    # True where pulling the e-ID card ends the session even before the PIN (the card's
    # data is on screen or in a form being filled).
    card_bound = False
    # True where pulling the e-ID card must not end the session: money has moved or a
    # receipt is on screen, and the citizen must still see the outcome.
    outlives_card = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._tasks: set[asyncio.Task[None]] = set()

    def run_async(self, work: Coroutine[Any, Any, None]) -> None:
        """Run a service call on the app's asyncio loop; a crash is logged, never lost.

        The loop holds tasks weakly, so the screen keeps each one until it ends.
        """
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: background step crashed", self.name, exc_info=task.exception())

    def load(self, **params: Any) -> None:
        """Fill the screen for these navigation parameters (called before it shows)."""

    def refresh(self) -> None:
        """Redraw what was loaded in the current language (nothing when nothing is loaded)."""

    def wipe(self) -> None:
        """Forget everything of the citizen shown or typed on this screen."""

    def on_reader(self, status: DeviceStatus) -> None:
        """React to the e-ID reader while this screen shows (a card that did not end it)."""

    @property
    def app(self) -> ShellApi:
        """The running shell, as screens may use it."""
        app: ShellApi = App.get_running_app()
        return app

    @property
    def scope(self) -> CitizenScope:
        """The current citizen's scope (replaced at every wipe: read it, never keep it)."""
        return self.app.scope


class JourneyStep(KioskScreen):
    """A screen inside a journey: its navigation carries ``journey`` and ``procedure_id``."""

    def procedure_id(self) -> str:
        """The procedure the current journey is about ("" outside one)."""
        entry = self.scope.navigator.current
        return str(entry.params.get("procedure_id", "")) if entry else ""

    def journey(self) -> Journey:
        """The journey the current screen serves (screens/journeys.py)."""
        entry = self.scope.navigator.current
        return journey_of(entry.params if entry else {})

    def go_on(self, screen: str, *, returnable: bool = True, **params: Any) -> None:
        """Show ``screen`` keeping the journey and the procedure in its parameters."""
        kept = {"journey": self.journey(), "procedure_id": self.procedure_id()}
        self.app.go(screen, returnable=returnable, **{**kept, **params})
