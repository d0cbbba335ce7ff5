"""Help panel: what this screen is for, and a button that calls an assistant.

An overlay (``screens/overlays.py``): the top bar's Help opens it over the current screen;
a call that reaches the desk makes the session assisted (longer timeouts).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView

from common.text import N_
from kiosk.services.assistance import AssistanceDesk

if TYPE_CHECKING:
    from screens.base import KioskScreen
    from screens.shell_api import ShellApi

log = logging.getLogger(__name__)

CALLING = N_("Calling an assistant…")
COMING = N_("An assistant is coming. Please stay here.")
QUEUED = N_("We saved your call and will send it as soon as the connection is back. "
            "If nobody comes, please ask at the front desk.")
FAILED = N_("We could not call an assistant. Please ask at the front desk.")


class HelpPanel(ModalView):
    """Overlay over the current screen (layout in overlays.kv)."""

    explanation = StringProperty("")
    call_status = StringProperty("")  # a msgid, translated in kv
    failed = FAILED

    def __init__(self, desk: AssistanceDesk | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._desk = desk
        self._on_called: Callable[[], None] | None = None  # the session becomes assisted
        self._screen = ""

    def install(self, shell: ShellApi, _window: Any) -> None:
        """A call that reaches the desk makes ``shell``'s session assisted."""
        self._on_called = shell.mark_assisted

    def open_over(self, screen: KioskScreen) -> None:
        """Open over ``screen`` with its explanation (its ``help_text``, a msgid)."""
        self.explanation = screen.help_text
        self.call_status = ""
        self._screen = screen.name
        self.open(animation=False)

    def _called(self, status: str) -> None:
        self.call_status = status
        if status != FAILED and self._on_called is not None:
            self._on_called()

    def end_session(self) -> None:
        """Close and forget the last call (end of a session)."""
        self.dismiss(animation=False)
        self.explanation = ""
        self.call_status = ""

    def call_assistant(self) -> None:
        """Ask for an assistant without blocking the screen."""
        if self.call_status in (CALLING, COMING, QUEUED):
            return  # one call per help request is enough
        if self._desk is None:
            self.call_status = FAILED
            return
        self.call_status = CALLING
        desk, reason = self._desk, f"help requested on screen {self._screen}"

        def work() -> None:
            try:
                queued = desk.request_assistance(reason).queued
                status = QUEUED if queued else COMING
            except Exception:  # the citizen gets a plain answer; technicians the traceback
                log.exception("assistance request failed")
                status = FAILED
            Clock.schedule_once(lambda _dt: self._called(status), 0)

        threading.Thread(target=work, name="assistance", daemon=True).start()
