"""The Kivy application: builds the screen manager and holds UI-wide state.

It only composes: services and devices come in through :class:`ShellOptions` from the
composition root (``kiosk/app.py``). Kiosk mode locks the window: Escape, window close
(Alt+F4 under a window manager) and Kivy's F1 settings panel do nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import AliasProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import FadeTransition, ScreenManager

from kiosk.i18n import LANGUAGE_NAMES, Catalog, load_catalog
from screens import theme
from screens.attract import AttractScreen
from screens.home import HomeScreen

log = logging.getLogger(__name__)
KV_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ShellOptions:
    """What the shell needs from the configuration, already validated."""

    municipality: str
    kiosk_id: str
    languages: tuple[str, ...]
    default_language: str
    kiosk_mode: bool
    screenshot: Path | None = None
    exit_after: float | None = None


class KioskShell(App):
    """The kiosk's Kivy app: screens, language, text scale."""

    title = "Kiosk"
    use_kivy_settings = False
    i18n: Catalog = ObjectProperty(None, rebind=True)
    language = StringProperty("es")
    municipality = StringProperty("")
    ui_scale = NumericProperty(1.0)  # design px -> window px
    text_factor = NumericProperty(1.0)  # the citizen's text-size choice

    def _get_text_scale(self) -> float:
        return float(self.ui_scale * self.text_factor)

    text_scale = AliasProperty(_get_text_scale, bind=("ui_scale", "text_factor"), cache=True)

    def __init__(self, options: ShellOptions, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.municipality = options.municipality
        self.theme = theme
        self.language_names = LANGUAGE_NAMES
        self.set_language(options.default_language)

    def build(self) -> ScreenManager:
        self._rescale(Window, Window.size)
        for kv in ("common.kv", "attract.kv", "home.kv"):
            Builder.load_file(str(KV_DIR / kv))
        manager = ScreenManager(transition=FadeTransition(duration=0.15))
        attract = AttractScreen(name="attract")
        attract.bind(on_start_session=lambda *_: self.go("home"))
        manager.add_widget(attract)
        manager.add_widget(HomeScreen(name="home"))
        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_request_close=self._on_request_close, size=self._rescale)
        self._rescale(Window, Window.size)
        return manager

    def on_start(self) -> None:
        log.info("kiosk %s started (mode=%s)", self.options.kiosk_id,
                 "kiosk" if self.options.kiosk_mode else "development")
        if os.environ.get("KIOSK_REPORT_FIRST_FRAME"):
            Window.bind(on_flip=self._report_first_frame)
        if self.options.exit_after is not None:
            Clock.schedule_once(self._finish, self.options.exit_after)

    # -- UI state -------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch every text on screen to ``language``."""
        if language not in self.options.languages:
            log.warning("language %s is not enabled on this kiosk", language)
            return
        self.language = language
        self.i18n = load_catalog(language)

    def go(self, screen: str) -> None:
        """Show the screen named ``screen``."""
        if self.root is not None:
            self.root.current = screen

    def _rescale(self, _window: object, size: tuple[float, float]) -> None:
        self.ui_scale = theme.window_scale(*size)

    # -- Kiosk lock-down ------------------------------------------------------------------
    def _on_request_close(self, *_args: object, **_kwargs: object) -> bool:
        if self.options.kiosk_mode:
            log.info("close request ignored in kiosk mode")
            return True
        return False

    def open_settings(self, *_args: object) -> bool:
        if self.options.kiosk_mode:
            return False
        return bool(super().open_settings(*_args))

    # -- Headless helpers -----------------------------------------------------------------
    def save_screenshot(self, path: Path) -> Path:
        """Write what the window shows to exactly ``path`` (Kivy appends a counter)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        written = Window.screenshot(name=str(path.with_suffix("")) + ".png")
        if written:
            Path(written).replace(path)
        return path

    def _finish(self, _dt: float) -> None:
        if self.options.screenshot is not None:
            self.save_screenshot(self.options.screenshot)
            log.info("screenshot saved to %s", self.options.screenshot)
        self.stop()

    def _report_first_frame(self, *_args: object) -> None:
        Window.unbind(on_flip=self._report_first_frame)
        print(f"first-frame {time.time():.6f}", flush=True)
        sys.stdout.flush()
