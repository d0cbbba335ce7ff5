"""Out of service: what the screen shows while the kiosk cannot serve anyone safely.

Shown instead of the kiosk when its journal cannot be opened safely (locked, read-only,
full disk, a newer schema, an unsafe key file): a citizen reads plainly that this kiosk is
not working and where to go, in Spanish and English at once (nobody has chosen a language);
a technician reads a short code. It asks ``recover`` every ``retry_s`` seconds, on a thread,
whether the fault has gone; when it has, the app stops with :attr:`recovered` set so the
caller can start the kiosk again. Kiosk mode keeps the window locked as the shell does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from common.text import N_
from kiosk.i18n import load_catalog
from screens import theme

log = logging.getLogger(__name__)

TITLE = N_("Out of service")
MESSAGE = N_("This kiosk cannot serve you right now. Please use another kiosk or ask at the "
             "desk.")
FOR_TECHNICIANS = N_("For technicians: {code}")

KV = """
#:import theme screens.theme
<OutOfServiceView>:
    orientation: "vertical"
    padding: 60 * root.scale
    spacing: 30 * root.scale
    canvas.before:
        Color:
            rgba: theme.BACKGROUND
        Rectangle:
            pos: self.pos
            size: self.size
    Label:
        text: root.municipality
        font_size: theme.HEADING * root.scale
        bold: True
        color: theme.TEXT
        text_size: self.width, None
        halign: "center"
        size_hint_y: 0.15
    Label:
        text: root.title_es
        font_size: theme.TITLE * root.scale
        bold: True
        color: theme.NOTICE
        size_hint_y: 0.15
    Label:
        text: root.message_es
        font_size: theme.HEADING * root.scale
        color: theme.TEXT
        text_size: self.width, None
        halign: "center"
        size_hint_y: 0.3
    Label:
        text: root.title_en
        font_size: theme.HEADING * root.scale
        bold: True
        color: theme.NOTICE
        size_hint_y: 0.08
    Label:
        text: root.message_en
        font_size: theme.BODY * root.scale
        color: theme.TEXT_MUTED
        text_size: self.width, None
        halign: "center"
        valign: "top"
        size_hint_y: 0.22
    Label:
        text: root.technician
        font_size: theme.SMALL * root.scale
        color: theme.TEXT_MUTED
        size_hint_y: 0.1
"""


class OutOfServiceView(BoxLayout):
    scale = NumericProperty(1.0)  # design px -> window px
    municipality = StringProperty("")
    title_es = StringProperty("")
    message_es = StringProperty("")
    title_en = StringProperty("")
    message_en = StringProperty("")
    technician = StringProperty("")


class OutOfServiceApp(App):
    """A one-screen app that says the kiosk is out of service and waits for the fault to go."""

    title = "Kiosk"
    use_kivy_settings = False

    def __init__(self, *, municipality: str, code: str, kiosk_mode: bool,
                 recover: Callable[[], bool] | None = None, retry_s: float = 15.0,
                 screenshot: Path | None = None, exit_after: float | None = None) -> None:
        super().__init__()
        self.municipality, self.code, self.kiosk_mode = municipality, code, kiosk_mode
        self._recover, self._retry_s = recover, retry_s
        self._screenshot, self._exit_after = screenshot, exit_after
        self._checking = False
        self._frames = 0
        self.recovered = False

    def build(self) -> OutOfServiceView:
        Builder.load_string(KV)
        spanish, english = load_catalog("es")._, load_catalog("en")._
        view = OutOfServiceView(
            municipality=self.municipality, title_es=spanish(TITLE), message_es=spanish(MESSAGE),
            title_en=english(TITLE), message_en=english(MESSAGE),
            technician=spanish(FOR_TECHNICIANS).format(code=self.code))
        view.scale = theme.window_scale(*Window.size)
        Window.bind(size=lambda _w, size: setattr(view, "scale", theme.window_scale(*size)))
        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_request_close=self._on_request_close, on_flip=self._count_frame)
        if self._recover is not None:
            Clock.schedule_interval(self._check, self._retry_s)
        if self._exit_after is not None:
            Clock.schedule_once(self._finish, self._exit_after)
        return view

    def _on_request_close(self, *_args: object, **_kwargs: object) -> bool:
        return self.kiosk_mode  # True: refused, as the kiosk's own shell does

    def open_settings(self, *_args: object) -> bool:
        return False

    def _check(self, _dt: float) -> None:
        if self._checking or self._recover is None:
            return
        self._checking = True
        recover = self._recover

        def probe() -> None:
            ok = recover()
            Clock.schedule_once(lambda _dt: self._checked(ok))

        threading.Thread(target=probe, name="out-of-service-probe", daemon=True).start()

    def _checked(self, ok: bool) -> None:
        self._checking = False
        if ok:
            log.info("the fault is gone: starting the kiosk again")
            self.recovered = True
            self.stop()

    def _count_frame(self, *_args: object) -> None:
        self._frames += 1

    def _finish(self, _dt: float) -> None:
        if self._screenshot is not None and self._frames < 2:  # nothing drawn yet: wait
            Clock.schedule_once(self._finish, 0.1)
            return
        if self._screenshot is not None:
            self._screenshot.parent.mkdir(parents=True, exist_ok=True)
            written = Window.screenshot(name=str(self._screenshot.with_suffix("")) + ".png")
            if written:
                Path(written).replace(self._screenshot)
        self.stop()
