"""Configure Kivy from our settings before any Kivy window exists.

Kivy reads its configuration when ``kivy.core.window`` is first imported, so this must run
first. It keeps Kivy away from ``~/.kivy``, routes its log lines through ours (redacted),
and locks the window in kiosk mode.
"""

from __future__ import annotations

import os

from kiosk.settings import Settings


def configure_kivy(settings: Settings) -> None:
    """Set Kivy's environment and Config for this kiosk (call before importing screens)."""
    kivy_home = settings.kiosk.data_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_NO_CONFIG"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ.setdefault("KIVY_NO_FILELOG", "1")

    from kivy.config import Config

    display, kiosk_mode = settings.display, settings.kiosk.mode == "kiosk"
    Config.set("graphics", "fullscreen", "auto" if display.fullscreen else "0")
    Config.set("graphics", "width", str(display.width))
    Config.set("graphics", "height", str(display.height))
    Config.set("graphics", "multisamples", str(display.multisamples))
    Config.set("graphics", "resizable", "0" if kiosk_mode else "1")
    Config.set("graphics", "show_cursor", "0" if kiosk_mode else "1")
    Config.set("kivy", "exit_on_escape", "0" if settings.kiosk.locked() else "1")
    Config.set("kivy", "window_icon", "")
    Config.set("input", "mouse", "mouse,disable_multitouch")
