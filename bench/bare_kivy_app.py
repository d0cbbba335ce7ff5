"""Baseline for the startup benchmark: a bare Kivy app showing one label, same window size."""

from __future__ import annotations

import os
import time

os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONFIG"] = "1"

from kivy.config import Config

Config.set("graphics", "width", "540")
Config.set("graphics", "height", "960")

from kivy.app import App  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.label import Label  # noqa: E402


class BareApp(App):
    def build(self) -> Label:
        Window.bind(on_flip=self.first_frame)
        Clock.schedule_once(lambda _dt: self.stop(), 1)
        return Label(text="Municipalidad de Villa Esperanza", font_size=32)

    def first_frame(self, *_args: object) -> None:
        Window.unbind(on_flip=self.first_frame)
        print(f"first-frame {time.time():.6f}", flush=True)


if __name__ == "__main__":
    BareApp().run()
