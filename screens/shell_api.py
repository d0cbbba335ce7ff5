"""What screens and overlays may use of the running shell (``KioskScreen.app``).

A Protocol, so mypy checks every use a screen makes of the app, and screens reach neither
the shell's internals nor each other: navigation, the session's life, the citizen's scope,
the services handed in by the composition root, and the few Kivy properties they bind to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kiosk.i18n import Catalog
from kiosk.services.browse_catalog import BrowseCatalog
from screens.citizen_scope import CitizenScope
from screens.options import ShellOptions


class ShellApi(Protocol):
    """The running kiosk app as the screens see it."""

    language: str  # the language shown now (a Kivy property)
    i18n: Catalog  # its translations (a Kivy property)
    can_use_eid: bool  # what the devices and the link allow (Kivy properties)
    live_lookups: bool

    @property
    def options(self) -> ShellOptions:
        """The services and settings the composition root handed in."""

    @property
    def catalog(self) -> BrowseCatalog:
        """The procedure catalog (cached)."""

    @property
    def scope(self) -> CitizenScope:
        """The current citizen's scope; replaced at every wipe, so never keep it."""

    def go(self, screen: str, **params: Any) -> None:
        """Show ``screen`` (remembered for Back)."""

    def back(self) -> None:
        """Back: the previous screen; from home, the end of the session."""

    def has_screen(self, name: str) -> bool:
        """Tell whether this kiosk has the screen ``name``."""

    def start_session(self) -> None:
        """First touch: a new citizen starts at home."""

    def finish(self, journey: str, *, receipt: bool = False) -> None:
        """A journey is over: the survey, goodbye, then the wipe."""

    def end_session(self) -> None:
        """Wipe everything of the citizen and return to the attract screen."""

    def pause_inactivity(self) -> None:
        """Stop counting inactivity (the citizen is busy at the card terminal)."""

    def resume_inactivity(self) -> None:
        """Count inactivity again from now."""

    def mark_assisted(self) -> None:
        """An assistant is coming: this session gets the assisted mode's longer timeouts."""

    def bind(self, **handlers: Callable[..., Any]) -> None:
        """Call a handler when one of the Kivy properties above changes."""
