"""Home screen: at most three big choices (the journeys come with the citizen UI issues)."""

from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen


class HomeScreen(Screen):
    """First screen of a citizen session."""

    placeholder_shown = BooleanProperty(False)

    def show_placeholder(self) -> None:
        """Say that the chosen service is not available yet."""
        self.placeholder_shown = True

    def on_leave(self, *_args: object) -> None:
        self.placeholder_shown = False
