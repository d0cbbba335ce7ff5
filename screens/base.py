"""Base class of the citizen screens: parameters in, citizen data out at the wipe."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

from kiosk.i18n import N_


class KioskScreen(Screen):
    """A screen the navigator can show; ``help_text`` explains it in the Help panel."""

    help_text = N_("Touch a button to choose. Back takes you to the previous screen.")

    def load(self, **params: Any) -> None:
        """Fill the screen for these navigation parameters (called before it shows)."""

    def refresh(self) -> None:
        """Redraw what was loaded in the current language (nothing when nothing is loaded)."""

    def wipe(self) -> None:
        """Forget everything of the citizen shown or typed on this screen."""

    @property
    def app(self) -> Any:
        """The running shell."""
        return App.get_running_app()
