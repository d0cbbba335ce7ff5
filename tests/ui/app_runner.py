"""Run the real kiosk app with a loopback control socket, for UI tests and benchmarks.

Commands arrive as JSON lines and run on Kivy's main thread; touches go through Kivy's
input pipeline (``EventLoop.post_dispatch_input``) exactly like a touchscreen's, keys
through the window's key events like SDL2's. This lives in tests/: the product has no
remote control.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from kiosk.app import build_shell, prepare, run_shell
from kiosk.settings import load_settings


def _walk(widget: Any) -> list[Any]:
    found = [widget]
    for child in widget.children:
        found.extend(_walk(child))
    return found


class Bridge:
    """Executes control commands against the running app on the main thread."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def execute(self, command: dict[str, Any]) -> Any:
        handler = getattr(self, "cmd_" + command.pop("cmd"))
        return handler(**command)

    # -- queries ----------------------------------------------------------------------
    def _screen(self) -> Any:
        return self.app.root.current_screen

    def _find(self, target: str) -> Any:
        screen = self._screen()
        for widget in _walk(screen):
            if target in getattr(widget, "ids", {}):
                return widget.ids[target]
        for widget in _walk(screen):
            if getattr(widget, "text", None) == target:
                return widget
        raise LookupError(f"no widget {target!r} on screen {screen.name!r}")

    def cmd_ping(self) -> str:
        return "pong"

    def cmd_screen(self) -> str:
        """Name the screen shown, or "" while a transition is still running."""
        manager = self.app.root
        return "" if manager.transition.is_active else str(manager.current)

    def cmd_texts(self) -> list[str]:
        from kivy.core.window import Window

        return [w.text for w in _walk(Window) if isinstance(getattr(w, "text", None), str)]

    def cmd_widget(self, target: str) -> dict[str, Any]:
        widget = self._find(target)
        x, y = widget.to_window(widget.x, widget.y)
        return {"text": getattr(widget, "text", None), "x": x, "y": y,
                "width": widget.width, "height": widget.height,
                "font_size": getattr(widget, "font_size", None)}

    def cmd_settings_open(self) -> bool:
        from kivy.core.window import Window
        from kivy.uix.settings import Settings

        return any(isinstance(w, Settings) for w in _walk(Window))

    def cmd_running(self) -> bool:
        from kivy.base import EventLoop

        return EventLoop.status == "started"

    # -- actions ----------------------------------------------------------------------
    def cmd_tap(self, target: str) -> bool:
        widget = self._find(target)
        x, y = widget.to_window(*widget.center)
        return self.cmd_tap_xy(x, y)

    def cmd_tap_xy(self, x: float, y: float) -> bool:
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        return True

    def cmd_key(self, key: int, codepoint: str = "", modifiers: list[str] | None = None) -> bool:
        from kivy.core.window import Window

        mods = modifiers or []
        if not Window.dispatch("on_key_down", key, 0, codepoint, mods):
            Window.dispatch("on_keyboard", key, 0, codepoint, mods)
        Window.dispatch("on_key_up", key, 0)
        return True

    def cmd_request_close(self) -> bool:
        """Do what SDL2 does on a window-manager close (Alt+F4, the window's X)."""
        from kivy.base import stopTouchApp
        from kivy.core.window import Window

        if Window.dispatch("on_request_close"):
            return False
        stopTouchApp()
        return True

    def cmd_screenshot(self, path: str) -> str:
        return str(self.app.save_screenshot(Path(path)))

    def cmd_stop(self) -> bool:
        self.app.stop()
        return True


def serve(bridge: Bridge, port: int) -> None:
    """Accept one controller and run its commands on the Kivy main thread."""
    from kivy.clock import Clock

    server = socket.create_server(("127.0.0.1", port))
    print(f"control-ready {port}", flush=True)
    connection, _ = server.accept()
    with connection, connection.makefile("rwb") as stream:
        for line in stream:
            command = json.loads(line)
            future: Future[Any] = Future()

            def run(_dt: float, command: dict[str, Any] = command,
                    future: Future[Any] = future) -> None:
                try:
                    future.set_result(bridge.execute(command))
                except Exception as err:  # reported to the test, which fails on it
                    future.set_exception(err)

            Clock.schedule_once(run, 0)
            try:
                reply = {"ok": True, "result": future.result(timeout=30)}
            except Exception as err:
                reply = {"ok": False, "error": f"{type(err).__name__}: {err}"}
            stream.write(json.dumps(reply).encode() + b"\n")
            stream.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    args = parser.parse_args()
    settings = load_settings(args.config)
    prepare(settings)
    shell = build_shell(settings)
    threading.Thread(target=serve, args=(Bridge(shell), args.control_port), daemon=True).start()
    run_shell(shell)


if __name__ == "__main__":
    main()
