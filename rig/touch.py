"""A finger on the window, through Kivy's input pipeline like a touchscreen's.

Kivy ships one (``kivy.tests.common.UnitTestTouch``), but that module imports pytest: a
test-only import that cost every app under test about half a second of CPU at its first
tap. This is the same event without it.
"""

from __future__ import annotations

from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent


class Touch(MotionEvent):  # type: ignore[misc]  # Kivy is untyped
    """One touch at window pixel ``(x, y)``: down, then up."""

    def __init__(self, x: float, y: float) -> None:
        window = EventLoop.window
        super().__init__("rig", 99, {"x": x / (window.width - 1.0),
                                     "y": y / (window.height - 1.0)},
                         is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args: dict[str, Any]) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def tap(self) -> None:
        """Press and lift, as a finger does."""
        EventLoop.post_dispatch_input("begin", self)
        EventLoop.post_dispatch_input("end", self)
