"""The Kivy application: composes the screens, the session, the notices and the overlays.

It only composes: services come in through :class:`ShellOptions` from the composition
root (``kiosk/app.py``); the screens are the table in ``screen_table.py``; the session's
life is ``session_control.py``; the banner and degraded offers ``notices.py``; device
events ``device_events.py``; overlays ``overlays.py``. What is left here is what kv binds
to (language, text size, scale, notices, Back) and the kiosk lock-down: Escape, window
close (Alt+F4 under a window manager) and Kivy's F1 settings panel do nothing, in kiosk
mode and in the demo (``kiosk.lock_down``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import FadeTransition, NoTransition

from common.text import N_
from kiosk.i18n import LANGUAGE_NAMES, Catalog, load_catalog
from kiosk.services.browse_catalog import BrowseCatalog
from kiosk.services.ui_state import Notices
from screens import theme
from screens.base import KioskScreen
from screens.citizen_scope import CitizenScope
from screens.device_events import DeviceEventRouter
from screens.headless import ExitAfter, report_first_frame
from screens.notices import NoticePresenter
from screens.options import ShellOptions
from screens.overlays import OVERLAYS, Overlays
from screens.screen_table import SCREENS, LazyScreenManager, kv_files
from screens.session_control import SessionController
from screens.widgets.controls import ChoiceButton, KeyboardKey, ListButton  # noqa: F401  (kv rules)

__all__ = ["KioskShell", "ShellOptions"]

log = logging.getLogger(__name__)
KV_DIR = Path(__file__).resolve().parent
TEXT_SIZE_LABELS = {"normal": N_("Normal"), "large": N_("Large"),
                    "extra_large": N_("Extra large")}


class KioskShell(App):
    """The kiosk's Kivy app (screens reach it as :class:`screens.shell_api.ShellApi`)."""

    title = "Kiosk"
    use_kivy_settings = False
    i18n: Catalog = ObjectProperty(None, rebind=True)
    language = StringProperty("es")
    municipality = StringProperty("")
    other_language_name = StringProperty("")
    text_size_label = StringProperty(TEXT_SIZE_LABELS["normal"])
    notice_text = StringProperty("")  # a translated sentence, "" when all is well
    ui_scale = NumericProperty(1.0)  # design px -> window px
    text_factor = NumericProperty(1.0)  # the citizen's text-size choice
    back_allowed = BooleanProperty(True)  # False while the card terminal works
    # What the devices and the link allow now (kiosk/services/degraded.py), and why not.
    can_pay = BooleanProperty(True)
    can_use_eid = BooleanProperty(True)
    live_lookups = BooleanProperty(True)
    degraded_text = StringProperty("")  # translated sentences for the home screen

    def _get_text_scale(self) -> float:
        return float(self.ui_scale * self.text_factor)

    text_scale = AliasProperty(_get_text_scale, bind=("ui_scale", "text_factor"), cache=True)

    def __init__(self, options: ShellOptions, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.catalog: BrowseCatalog = options.catalog
        self.municipality = options.municipality
        self.manager: LazyScreenManager | None = None
        self._say_language(options.default_language)

    def build(self) -> BoxLayout:
        self._rescale(Window, Window.size)
        for kv in kv_files():
            Builder.load_file(str(KV_DIR / kv))
        root = Builder.load_string(ROOT_KV)
        self.manager = manager = root.ids.manager
        manager.transition = (FadeTransition(duration=self.options.transition_s)
                              if self.options.transition_s > 0 else NoTransition())
        manager.install(SCREENS)
        self.overlays = Overlays(self, Window)
        self.session = SessionController(self.options, self, manager, self.overlays)
        self.notices = NoticePresenter(self.options.devices, self)
        self.notices.reassess()
        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_request_close=self._on_request_close, size=self._rescale,
                    on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self.options.ui_state.subscribe(self._notices_changed)
        self.options.devices.subscribe(DeviceEventRouter(self.notices, self.session))
        self._rescale(Window, Window.size)
        self.overlays.install_all(OVERLAYS)
        return root

    def on_start(self) -> None:
        log.info("kiosk %s started (mode=%s)", self.options.kiosk_id,
                 "kiosk" if self.options.kiosk_mode else "development")
        if os.environ.get("KIOSK_REPORT_FIRST_FRAME"):
            report_first_frame()
        if self.options.exit_after is not None:
            # kept: Kivy's clock and events hold bound methods weakly
            self._exit_after = ExitAfter(self.options.exit_after, self.options.screenshot,
                                         self.stop)

    def _notices_changed(self, notices: Notices) -> None:
        """The link or a device fault changed, on any thread: show it on Kivy's."""
        Clock.schedule_once(lambda _dt: self.notices.show(notices), 0)

    def _on_activity(self, *_args: Any) -> None:
        self.session.timer.poke()

    # -- what screens use (screens/shell_api.py) ------------------------------------
    @property
    def scope(self) -> CitizenScope:
        """The current citizen's scope (replaced at every wipe)."""
        return self.session.scope

    def go(self, screen: str, **params: Any) -> None:
        """Show ``screen`` (remembered for Back)."""
        self.session.go(screen, **params)

    def back(self) -> None:
        """Back: the previous screen; from home, the end of the session."""
        self.session.back()

    def has_screen(self, name: str) -> bool:
        """Tell whether this kiosk has the screen ``name``."""
        return self.manager is not None and bool(self.manager.has_screen(name))

    def start_session(self) -> None:
        """First touch: a new citizen starts at home."""
        self.session.start()

    def finish(self, journey: str, *, receipt: bool = False) -> None:
        """A journey is over: the survey, goodbye, then the wipe."""
        self.session.finish(journey, receipt=receipt)

    def end_session(self) -> None:
        """Wipe everything of the citizen and return to the attract screen."""
        self.session.end()

    def pause_inactivity(self) -> None:
        """Stop counting inactivity (the citizen is busy at the card terminal)."""
        self.session.timer.stop()

    def resume_inactivity(self) -> None:
        """Count inactivity again from now."""
        self.session.timer.start()

    def mark_assisted(self) -> None:
        """An assistant is coming: this session gets the assisted mode's longer timeouts."""
        self.session.mark_assisted()

    def open_help(self) -> None:
        """Explain the current screen and offer to call an assistant."""
        self.overlays.open("help", self.session.current_screen())

    def open_start_again(self) -> None:
        """Ask whether to erase everything and start again (never while money may move)."""
        if self.back_allowed:
            self.overlays.open("start_again", self.session.current_screen())

    # -- language, text size ------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch every text on screen to ``language``."""
        if language not in self.options.languages:
            log.warning("language %s is not enabled on this kiosk", language)
            return
        self.scope.session.language = language
        self._say_language(language)
        self.notices.retranslate()
        if self.manager is not None:
            for screen in self.manager.screens:
                if isinstance(screen, KioskScreen):
                    screen.refresh()

    def _say_language(self, language: str) -> None:
        self.language = language
        others = [code for code in self.options.languages if code != language]
        self.other_language_name = LANGUAGE_NAMES[others[0]] if others else ""
        self.i18n = load_catalog(language)

    def toggle_language(self) -> None:
        """Switch to the next enabled language."""
        languages = self.options.languages
        self.set_language(languages[(languages.index(self.language) + 1) % len(languages)])

    def next_text_size(self) -> None:
        """Make the text bigger (after extra large, back to normal)."""
        self.scope.session.next_text_size()
        self.show_text_size()
        self.session.timer.poke()  # larger text gives more time from now on

    def show_text_size(self) -> None:
        """Draw everything at the citizen's text size."""
        text_size = self.scope.session.text_size
        self.text_factor = theme.TEXT_SIZE_FACTORS[text_size]
        self.text_size_label = TEXT_SIZE_LABELS[text_size]

    def _rescale(self, _window: object, size: tuple[float, float]) -> None:
        self.ui_scale = theme.window_scale(*size)

    # -- kiosk lock-down ----------------------------------------------------------------
    def _on_request_close(self, *_args: object, **_kwargs: object) -> bool:
        if self.options.locked or self.options.kiosk_mode:
            log.info("close request ignored: the kiosk is locked down")
            return True
        return False

    def open_settings(self, *_args: object) -> bool:
        if self.options.locked or self.options.kiosk_mode:
            return False
        return bool(super().open_settings(*_args))


# The banner and top bar sit above every screen; the top bar hides on the attract screen.
ROOT_KV = """
#:import theme screens.theme
BoxLayout:
    orientation: "vertical"
    NoticeBanner:
        id: banner
        text: app.notice_text
    TopBar:
        id: top_bar
        opacity: 0 if manager.current == "attract" else 1
        disabled: manager.current == "attract"
        height: 0 if manager.current == "attract" else self.content_height
    LazyScreenManager:
        id: manager
"""
