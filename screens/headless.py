"""Runs without anyone at the screen: screenshots, ``--exit-after``, the first-frame report.

``make demo`` on a machine without a display, the CLI tests and the start-up benchmark use
these; a kiosk in service never does.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

log = logging.getLogger(__name__)


def save_screenshot(path: Path) -> Path:
    """Write what the window shows to exactly ``path`` (Kivy appends a counter)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = Window.screenshot(name=str(path.with_suffix("")) + ".png")
    if written:
        Path(written).replace(path)
    return path


def report_first_frame() -> None:
    """Print when the first frame reaches the window (``KIOSK_REPORT_FIRST_FRAME``)."""

    def reported(*_args: object) -> None:
        Window.unbind(on_flip=reported)
        print(f"first-frame {time.time():.6f}", flush=True)
        sys.stdout.flush()

    Window.bind(on_flip=reported)


class ExitAfter:
    """Stop the app after some seconds, with a screenshot of what it showed then."""

    def __init__(self, seconds: float, screenshot: Path | None, stop: Callable[[], None]) -> None:
        self._screenshot, self._stop = screenshot, stop
        self._frames_shown = 0
        Window.bind(on_flip=self._count_frame)
        Clock.schedule_once(self._finish, seconds)

    def _count_frame(self, *_args: object) -> None:
        self._frames_shown += 1

    def _finish(self, _dt: float) -> None:
        # A loaded machine, or a slow build, can reach the deadline before a frame reached
        # the window (Kivy's clock counts from its last tick): a screenshot then is black
        # and a first-frame report never comes. Wait for two frames (drawn, then settled).
        if self._frames_shown < 2:
            Clock.schedule_once(self._finish, 0.1)
            return
        Window.unbind(on_flip=self._count_frame)
        if self._screenshot is not None:
            save_screenshot(self._screenshot)
            log.info("screenshot saved to %s", self._screenshot)
        self._stop()
