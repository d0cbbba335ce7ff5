"""Run the real kiosk app with a loopback control socket, for UI tests and benchmarks.

Commands arrive as JSON lines and run on Kivy's main thread; touches go through Kivy's
input pipeline (``EventLoop.post_dispatch_input``) exactly like a touchscreen's, keys
through the window's key events like SDL2's. This lives in rig/, which the product never
imports: the product has no remote control.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from kiosk.app import build_shell, prepare, run_shell
from kiosk.runtime import build_runtime
from kiosk.settings import load_settings


def _walk(widget: Any) -> list[Any]:
    found = [widget]
    for child in widget.children:
        found.extend(_walk(child))
    return found


def _in_scrollview(widget: Any) -> bool:
    from kivy.uix.scrollview import ScrollView

    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            return True
        parent = parent.parent
    return False


def _scroll_into_view(widget: Any) -> None:
    """Scroll a list so the widget is visible, as a finger would before touching it."""
    from kivy.uix.scrollview import ScrollView

    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            parent.scroll_to(widget, padding=10, animate=False)
            parent.update_from_scroll()
            return
        parent = parent.parent


def _window_size() -> tuple[float, float]:
    from kivy.core.window import Window

    width, height = Window.size
    return width, height


def _overlays(app: Any) -> list[Any]:
    from kivy.core.window import Window

    return [w for w in Window.children if w is not app.root]


class Bridge:
    """Executes control commands against the running app on the main thread."""

    def __init__(self, app: Any, runtime: Any) -> None:
        self.app = app
        self.runtime = runtime
        self._frames = 0  # frames drawn since the first look at the screen
        self._changed_at: int | None = None  # the frame count when the screen last changed

    def execute(self, command: dict[str, Any]) -> Any:
        handler = getattr(self, "cmd_" + command.pop("cmd"))
        return handler(**command)

    # -- queries ----------------------------------------------------------------------
    def _screen(self) -> Any:
        return self.app.manager.current_screen

    def _layers(self) -> list[Any]:
        """What a finger can reach now: open overlays first, else the screen and top bar."""
        from kivy.core.window import Window

        overlays = [w for w in Window.children if w is not self.app.root]
        if overlays:
            return overlays
        layers = [self._screen(), self.app.root.ids.top_bar, self.app.root.ids.banner,
                  *(w for w in self.app.root.children if getattr(w, "kiosk_layer", False))]
        return [layer for layer in layers if layer.opacity > 0]

    def _find(self, target: str) -> Any:
        layers = self._layers()
        root_ids = self.app.root.ids
        if target in ("banner", "top_bar") and not _overlays(self.app):
            return root_ids[target]
        for layer in layers:
            if target in layer.ids:
                return layer.ids[target]
            for widget in _walk(layer):
                if target in getattr(widget, "ids", {}):
                    return widget.ids[target]
        for layer in layers:
            for widget in _walk(layer):
                if target in (getattr(widget, "text", None), getattr(widget, "title", None),
                              getattr(widget, "key_value", None),
                              getattr(widget, "item_id", None)):
                    return widget
        raise LookupError(f"no widget {target!r} on screen {self._screen().name!r}")

    def cmd_buttons(self) -> list[dict[str, Any]]:
        """Every visible touch target reachable now, with its window-pixel box."""
        from kivy.uix.button import Button

        found = []
        for layer in self._layers():
            for widget in _walk(layer):
                if isinstance(widget, Button) and widget.opacity > 0 and not widget.disabled:
                    x, y = widget.to_window(widget.x, widget.y)
                    found.append({"text": widget.text, "x": x, "y": y, "width": widget.width,
                                  "height": widget.height,
                                  "main": type(widget).__name__ == "MainButton",
                                  "scrolled": _in_scrollview(widget)})
        return found

    def cmd_labels(self) -> list[dict[str, Any]]:
        """Every visible label with text reachable now: text, font size, box."""
        from kivy.uix.label import Label

        found = []
        for layer in self._layers():
            for widget in _walk(layer):
                if isinstance(widget, Label) and widget.text.strip() and widget.opacity > 0:
                    x, y = widget.to_window(widget.x, widget.y)
                    found.append({"text": widget.text, "font_size": widget.font_size,
                                  "x": x, "y": y, "width": widget.width,
                                  "height": widget.height,
                                  "texture_width": widget.texture_size[0],
                                  "texture_height": widget.texture_size[1],
                                  "scrolled": _in_scrollview(widget)})
        return found

    def cmd_inspect(self, screenshot: str | None = None) -> dict[str, Any]:
        """Buttons, labels, session state (and a screenshot) in one round trip."""
        if screenshot is not None:
            self.cmd_screenshot(screenshot)
        return {"buttons": self.cmd_buttons(), "labels": self.cmd_labels(),
                "state": self.cmd_session_state()}

    def cmd_all_texts(self) -> list[str]:
        """Texts on every screen (shown or not), overlays and the top bar."""
        texts = []
        widgets = _walk(self.app.root) + [w for s in self.app.manager.screens for w in _walk(s)]
        widgets += _walk(self.app.overlays.get("help")) + _walk(self.app.session.timer.warning)
        for widget in widgets:
            for name in ("text", "query", "title", "subtitle", "heading", "description",
                         "what_you_get", "requirements", "cost", "duration", "office"):
                value = getattr(widget, name, None)
                if isinstance(value, str) and value:
                    texts.append(value)
        return texts

    def cmd_session_state(self) -> dict[str, Any]:
        """The session object, navigator history and scale, as plain data."""
        app = self.app
        session = app.scope.session
        return {"language": session.language, "text_size": session.text_size,
                "assisted": session.assisted, "active": session.active,
                "values": dict(session.values), "blank": session.is_blank(),
                "history": [e.screen for e in app.scope.navigator.history],
                "app_language": app.language, "text_factor": app.text_factor,
                "ui_scale": app.ui_scale, "window": list(_window_size()),
                "overlays": len(_overlays(app)), "timer_running": app.session.timer.running}

    def cmd_screen_params(self) -> dict[str, Any]:
        """What the navigator passed to the current screen."""
        entry = self.app.scope.navigator.current
        return {} if entry is None else {"screen": entry.screen, **entry.params}

    def cmd_ping(self) -> str:
        return "pong"

    def cmd_screen(self) -> str:
        """Name the screen shown, or "" until a person could see it.

        That is once a frame has been drawn since it became current, and no transition
        runs: before that frame its widgets may not be laid out, and a tap could land
        where a button will be, not where it is (screens are built when first shown).
        """
        manager = self.app.manager
        if self._changed_at is None:
            from kivy.core.window import Window

            Window.bind(on_flip=self._count_frame)
            manager.bind(current=self._screen_changed)
            self._changed_at = -1  # what shows now was drawn before anyone asked
        if manager.transition.is_active or self._frames <= self._changed_at:
            return ""
        return str(manager.current)

    def _count_frame(self, *_args: Any) -> None:
        self._frames += 1

    def _screen_changed(self, *_args: Any) -> None:
        self._changed_at = self._frames

    def cmd_texts(self) -> list[str]:
        from kivy.core.window import Window

        return [w.text for w in _walk(Window) if isinstance(getattr(w, "text", None), str)]

    def cmd_widget(self, target: str) -> dict[str, Any]:
        widget = self._find(target)
        x, y = widget.to_window(widget.x, widget.y)
        return {"text": getattr(widget, "text", None), "x": x, "y": y,
                "width": widget.width, "height": widget.height,
                "font_size": getattr(widget, "font_size", None),
                "part": getattr(widget, "part", None)}  # a picture's outlined part

    def cmd_settings_open(self) -> bool:
        from kivy.core.window import Window
        from kivy.uix.settings import Settings

        return any(isinstance(w, Settings) for w in _walk(Window))

    def cmd_running(self) -> bool:
        from kivy.base import EventLoop

        return bool(EventLoop.status == "started")

    # -- actions ----------------------------------------------------------------------
    def cmd_type_text(self, text: str) -> bool:
        """Type ``text`` by tapping the on-screen keyboard's keys one by one."""
        for char in text:
            self.cmd_tap(" " if char == " " else char)
        return True

    def cmd_end_session(self) -> bool:
        """End the citizen's session now, as the inactivity wipe does."""
        self.app.session.end()
        return True

    def cmd_refresh_screen(self) -> bool:
        """Redraw the current screen from what it loaded (as a language switch does)."""
        self._screen().refresh()
        return True

    def cmd_warn_now(self) -> bool:
        """Show the inactivity warning at once (for screenshots; the timing has its test)."""
        self.app.session.timer._cancel()
        self.app.session.timer._warn(0)
        return True

    # -- measurements (bench/ui_bench.py) -------------------------------------------
    def cmd_set_transition(self, duration: float) -> bool:
        """Use a fade of ``duration`` seconds between screens (0: instant)."""
        from kivy.uix.screenmanager import FadeTransition, NoTransition

        manager = self.app.manager
        manager.transition = FadeTransition(duration=duration) if duration else NoTransition()
        return True

    def cmd_set_attract_step(self, step_s: float) -> bool:
        """Step the attract screen's breathing ring every ``step_s`` (0: every frame)."""
        import screens.attract

        screens.attract.PULSE_STEP_S = step_s  # read when attract is entered
        return True

    def cmd_timed_tap(self, target: str, screen: str) -> bool:
        """Tap ``target`` and time until the first frame showing ``screen`` is swapped."""
        import time as clock

        from kivy.core.window import Window

        manager = self.app.manager
        self.timing: dict[str, Any] = {"frames": 0}

        def on_flip(*_args: Any) -> None:
            now = clock.perf_counter()
            self.timing["frames"] += 1
            if "first" not in self.timing and manager.current == screen:
                self.timing["first"] = now - started
            if manager.current == screen and not manager.transition.is_active:
                self.timing["done"] = now - started
                Window.unbind(on_flip=on_flip)

        Window.bind(on_flip=on_flip)
        started = clock.perf_counter()
        self.cmd_tap(target)
        return True

    def cmd_timing(self) -> dict[str, Any]:
        """The last timed tap: seconds to the first frame, to the end, frames drawn."""
        return dict(getattr(self, "timing", {}))

    def cmd_browse_session(self, query: str = "predial") -> bool:
        """One citizen's browse session through the navigator, ended by the wipe."""
        app = self.app
        app.start_session()
        app.go("categories")
        category = app.catalog.categories()[0]
        app.go("procedures", category_id=category.id)
        app.go("procedure", procedure_id=app.catalog.procedures(category.id)[0].id)
        app.go("search")
        search = app.manager.get_screen("search")
        for char in query:
            search.type_key(char)
        app.back()
        app.end_session()
        return True

    def cmd_pid(self) -> int:
        import os

        return os.getpid()

    def cmd_start_devices(self) -> bool:
        """Start the e-ID reader's card watch (what Runtime.start does first)."""
        self.runtime.start_devices()
        return True

    def cmd_start_runtime(self) -> bool:
        """Start the runtime as production does (devices, recovery, catalog, sync)."""
        self.runtime.start()
        return True

    def cmd_capabilities(self) -> dict[str, Any]:
        """What the device hub allows now (Pay by card, receipt mode, e-ID)."""
        devices = self.runtime.devices
        return {"can_pay_by_card": devices.can_pay_by_card(),
                "receipt_mode": str(devices.receipt_mode()),
                "can_use_eid": devices.can_use_eid()}

    def cmd_eid_ready(self) -> bool:
        """Tell whether the shell sees a usable e-ID reader."""
        return bool(self.app.scope.identify.available())

    def cmd_set_online(self, online: bool) -> bool:
        """Do what the sync worker does when the link changes."""
        self.app.options.ui_state.set_online(online)
        return True

    def cmd_device_status(self, device: str, state: str, message_key: str | None = None) -> bool:
        """Do what the device hub does when a device changes state."""
        from drivers.base import DeviceClass, DeviceState, DeviceStatus

        self.app.options.ui_state.device_status(
            DeviceStatus(DeviceClass(device), DeviceState(state), message_key=message_key))
        return True
    # -- finish, degraded modes, demo panel (issue 9) ---------------------------------
    def cmd_refresh_devices(self) -> bool:
        """Ask the printer and terminal how they are now, as the hub's watch does (async)."""
        threading.Thread(target=self.runtime.devices.refresh, daemon=True).start()
        return True

    def cmd_offer(self) -> dict[str, Any]:
        """What the shell offers now (kiosk/services/degraded.py) and the home's sentences."""
        app = self.app
        return {"can_pay": app.can_pay, "can_use_eid": app.can_use_eid,
                "live_lookups": app.live_lookups, "degraded_text": app.degraded_text}

    def cmd_disabled(self, target: str) -> bool:
        """Tell whether a widget is disabled (a choice the devices do not allow)."""
        return bool(self._find(target).disabled)

    def cmd_attach_demo_panel(self, card_port: int | None, terminal_port: int | None) -> bool:
        """Wire the demo control panel as ``kiosk demo`` does; False if the shell refused."""
        import dataclasses

        from kiosk.demo_panel import DemoPanel
        from screens.overlays import demo_overlay

        panel = DemoPanel(card_port, terminal_port)
        overlay = demo_overlay(dataclasses.replace(self.app.options, demo_panel=panel))
        if overlay is not None:
            self.app.overlays.install("demo", overlay)
        return overlay is not None

    def cmd_outbox_depth(self) -> int:
        """How many items wait in the durable outbox (sync worker not done yet)."""
        return int(self.runtime.store.outbox.depth())

    def cmd_card_in_reader(self) -> bool:
        """Tell whether the reader's last status says a card is in."""
        status = self.app.scope.identify.reader_status()
        return status is not None and status.detail.get("card") == "present"

    def cmd_demo_result(self) -> str:
        """The demo panel's last action result ("" before any)."""
        overlay = self.app.overlays.get("demo")
        return "" if overlay is None else str(overlay.last_result)

    def cmd_citizen_traces(self, needles: list[str]) -> dict[str, list[str]]:
        """Where the app still holds any of ``needles``, and the types the walk went through."""
        from kivy.core.window import Window

        from kiosk.redaction import REDACTOR
        from rig.citizen_traces import traces

        found, walked = traces({"app": self.app, "Window": Window, "REDACTOR": REDACTOR},
                               needles)
        return {"traces": found, "walked": sorted(walked)}

    def cmd_tap(self, target: str) -> bool:
        widget = self._find(target)
        _scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        return self.cmd_tap_xy(x, y)

    def cmd_tap_xy(self, x: float, y: float) -> bool:
        from rig.touch import Touch

        Touch(x, y).tap()
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
        from screens.headless import save_screenshot

        return str(save_screenshot(Path(path)))

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
    # The runtime is built but not started: tests drive the online state themselves
    # (bridge command set_online) instead of letting a sync worker probe an API.
    runtime = build_runtime(settings)
    shell = build_shell(settings, runtime)
    threading.Thread(target=serve, args=(Bridge(shell, runtime), args.control_port),
                     daemon=True).start()
    try:
        run_shell(shell)
    finally:
        runtime.close()
    # Everything of the product is closed: skip the interpreter's tear-down of Kivy's widget
    # tree (0.7 s of garbage collection per app, measured with gdb in Py_FinalizeEx).
    logging.shutdown()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
