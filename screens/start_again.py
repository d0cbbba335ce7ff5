"""Start again: the top bar's way out of any screen, asked once so a slip costs nothing.

An overlay (``screens/overlays.py``). "Yes, start again" ends the session with the full
wipe, exactly as a finished journey or the inactivity timeout does; "No, go on" closes it.
The top bar hides the button while Back is hidden (the card terminal is working), and the
shell refuses to open it then, so money that may be moving is never walked away from.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.uix.modalview import ModalView

if TYPE_CHECKING:
    from screens.base import KioskScreen
    from screens.shell_api import ShellApi

log = logging.getLogger(__name__)


class StartAgainPanel(ModalView):
    """"Start again? What you typed or chose is erased." Yes / No (layout in overlays.kv)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._end_session: Callable[[], None] | None = None

    def install(self, shell: ShellApi, _window: Any) -> None:
        """Confirming ends ``shell``'s session."""
        self._end_session = shell.end_session

    def open_over(self, screen: KioskScreen) -> None:
        """Ask over ``screen`` whether to erase everything and start again."""
        log.info("start again asked on %s", screen.name)
        self.open(animation=False)

    def confirm(self) -> None:
        """Erase everything of this citizen: the wipe, back to the attract screen."""
        self.dismiss(animation=False)
        if self._end_session is not None:
            self._end_session()

    def end_session(self) -> None:
        """Close (the session ended some other way)."""
        self.dismiss(animation=False)
