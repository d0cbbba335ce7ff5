"""Overlays: layers over the citizen's screens (Help, Start again, the demo keys).

Each one is an entry of :data:`OVERLAYS`: a name and a factory of the shell's options,
which may decline (``None``: not on this kiosk). The shell installs them once its screens
exist, opens one by name (the top bar's Help opens ``"help"``) and tells each one when a
session ends. Adding an overlay is one entry here, not an edit of the shell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from screens.options import ShellOptions

if TYPE_CHECKING:
    from screens.base import KioskScreen
    from screens.shell_api import ShellApi

log = logging.getLogger(__name__)


class Overlay(Protocol):
    """Something drawn over the citizen's screens."""

    def install(self, shell: ShellApi, window: Any) -> None:
        """Start working over the running shell (listen to the window's keys, touches)."""

    def open_over(self, screen: KioskScreen) -> None:
        """Show over ``screen`` because someone asked for it."""

    def end_session(self) -> None:
        """Close, and forget what this citizen saw or did in it (the wipe)."""


OverlayFactory = Callable[[ShellOptions], Overlay | None]


def help_panel(options: ShellOptions) -> Overlay:
    """The Help panel: the screen's explanation and a call for an assistant."""
    from screens.help import HelpPanel

    return HelpPanel(options.assistance)


def start_again_panel(_options: ShellOptions) -> Overlay:
    """The top bar's Start again: asked once, then the wipe."""
    from screens.start_again import StartAgainPanel

    return StartAgainPanel()


def demo_overlay(options: ShellOptions) -> Overlay | None:
    """`kiosk demo` only: the function keys of the demo control panel (never kiosk mode)."""
    if options.demo_panel is None:
        return None
    if options.kiosk_mode:
        log.warning("demo control panel refused: this kiosk runs in kiosk mode")
        return None
    from screens.demo_overlay import DemoOverlay

    return DemoOverlay(options.demo_panel)


def proactive_note(options: ShellOptions) -> Overlay | None:
    """After the e-ID: bills due and a case waiting for her, one tap away (never modal)."""
    if options.proactive is None:
        return None
    from screens.proactive_note import ProactiveNoteOverlay

    return ProactiveNoteOverlay(options.proactive)


OVERLAYS: dict[str, OverlayFactory] = {"help": help_panel, "start_again": start_again_panel,
                                       "demo": demo_overlay, "proactive": proactive_note}


class Overlays:
    """The overlays installed on this kiosk, by name."""

    def __init__(self, shell: ShellApi, window: Any) -> None:
        self._shell, self._window = shell, window
        self._installed: dict[str, Overlay] = {}

    def install_all(self, factories: dict[str, OverlayFactory]) -> None:
        """Install every overlay the factories give for the shell's options."""
        for name, factory in factories.items():
            overlay = factory(self._shell.options)
            if overlay is not None:
                self.install(name, overlay)

    def install(self, name: str, overlay: Overlay) -> None:
        """Install ``overlay`` under ``name``."""
        overlay.install(self._shell, self._window)
        self._installed[name] = overlay

    def get(self, name: str) -> Overlay | None:
        """The overlay installed as ``name``, if any."""
        return self._installed.get(name)

    def open(self, name: str, screen: KioskScreen) -> None:
        """Show the overlay ``name`` over ``screen`` (nothing when it is not installed)."""
        overlay = self._installed.get(name)
        if overlay is not None:
            overlay.open_over(screen)

    def end_session(self) -> None:
        """Tell every overlay the session ended."""
        for overlay in self._installed.values():
            overlay.end_session()

    def __iter__(self) -> Iterator[Overlay]:
        return iter(self._installed.values())
