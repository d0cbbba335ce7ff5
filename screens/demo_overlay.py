"""The demo control panel's keys and legend over the kiosk window (``kiosk demo`` only).

A thin Kivy layer over :class:`kiosk.demo_panel.DemoPanel`: F5..F9 run an action on a
thread (each one talks to a simulator over a socket), the result comes back to Kivy's
thread with ``Clock.schedule_once`` and shows for a few seconds in a small box in the
bottom-left corner; F12 shows or hides the legend. The box never takes a touch: it is not
part of any citizen screen. An overlay (``screens/overlays.py``), installed only in demo
mode.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.graphics import Color, Rectangle
from kivy.uix.label import Label

from kiosk.demo_panel import TOGGLE_KEY, DemoPanel
from screens import theme

if TYPE_CHECKING:
    from screens.base import KioskScreen
    from screens.shell_api import ShellApi

RESULT_S = 4.0  # how long an action's result stays on screen


class DemoOverlay:
    """Function keys and a small legend for the presenter."""

    def __init__(self, panel: DemoPanel) -> None:
        self.panel = panel
        self.legend_shown = False
        self.last_result = ""
        self._hide_event: Any = None
        self.box = Label(color=theme.NOTICE_TEXT, font_size=22, halign="left",
                         valign="middle", size_hint=(None, None), padding=(12, 8))
        self.box.bind(texture_size=self._fit)
        with self.box.canvas.before:
            Color(*theme.NOTICE)
            self._background = Rectangle()
        self.box.bind(pos=self._paint, size=self._paint)
        self._window: Any = None

    def install(self, _shell: ShellApi, window: Any) -> None:
        """Listen to the window's keys."""
        self._window = window
        window.bind(on_key_down=self._on_key)

    def open_over(self, _screen: KioskScreen) -> None:
        """Show the legend (what F12 does)."""
        self.legend_shown = True
        self._show(self.panel.legend())

    def end_session(self) -> None:
        """Nothing to forget: the panel is the presenter's, not the citizen's."""

    def _on_key(self, _window: Any, key: int, *_args: Any) -> bool:
        if key == TOGGLE_KEY:
            self.legend_shown = not self.legend_shown
            self._show(self.panel.legend() if self.legend_shown else "")
            return True
        if key not in self.panel.key_actions():
            return False
        threading.Thread(target=self._run, args=(key,), name="demo-panel",
                         daemon=True).start()
        return True

    def _run(self, key: int) -> None:
        result = self.panel.run(key) or ""
        Clock.schedule_once(lambda _dt: self._done(result), 0)

    def _done(self, result: str) -> None:
        self.last_result = result
        self._show(result, RESULT_S)

    def _show(self, text: str, seconds: float | None = None) -> None:
        if self._hide_event is not None:
            self._hide_event.cancel()
            self._hide_event = None
        self.box.text = text
        if not text:
            self._detach()
            return
        if self.box.parent is None and self._window is not None:
            self._window.add_widget(self.box)
        if seconds is not None:
            self._hide_event = Clock.schedule_once(lambda _dt: self._after_result(), seconds)

    def _after_result(self) -> None:
        self._hide_event = None
        self._show(self.panel.legend() if self.legend_shown else "")

    def _detach(self) -> None:
        if self.box.parent is not None:
            self.box.parent.remove_widget(self.box)

    def _fit(self, label: Label, size: tuple[float, float]) -> None:
        label.size = size
        label.pos = (8, 8)

    def _paint(self, *_args: Any) -> None:
        self._background.pos = self.box.pos
        self._background.size = self.box.size
