"""Drive the real kiosk app in its own process (Kivy allows one window per process).

The app runs rig/app_runner.py, which adds a loopback control socket; ``PORTRAIT`` and
``LANDSCAPE`` are the window shapes the tests and benches run it in.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.settings import PROJECT_ROOT
from kiosk.simulated.net import free_port
from rig.wait import wait_for

ESCAPE, F1, F4 = 27, 282, 285
PORTRAIT = {"display": {"width": 1080, "height": 1920}}
LANDSCAPE = {"display": {"width": 1920, "height": 1080}}


class UIError(AssertionError):
    """The app refused or failed a command."""


class KioskUI:
    """A running kiosk app and its control connection."""

    def __init__(self, config: Path, log_path: Path) -> None:
        self.config, self.log_path = config, log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._stream: Any = None
        self._socket: socket.socket | None = None

    def __enter__(self) -> KioskUI:
        env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rig.app_runner", "--config", str(self.config),
             "--control-port", str(self.port)],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._connect()
        self.wait_until(lambda: self.call("running"), "the app's main loop to start")
        return self

    def _connect(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise UIError(f"the app exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                self._socket = socket.create_connection(("127.0.0.1", self.port), timeout=30)
                self._stream = self._socket.makefile("rwb")
                return
            except OSError:
                time.sleep(0.1)
        raise UIError("the app's control socket never opened")

    def call(self, cmd: str, **args: Any) -> Any:
        """Run one bridge command in the app and return its result."""
        if cmd == "screenshot" or "screenshot" in args:
            # Kivy keeps a tapped button "down" for min_state_time after the touch ends;
            # wait so the picture shows what a person sees once the finger is lifted.
            time.sleep(0.2)
        self._stream.write(json.dumps({"cmd": cmd, **args}).encode() + b"\n")
        self._stream.flush()
        line = self._stream.readline()
        if not line:
            raise UIError(f"the app closed the connection during {cmd!r}")
        reply = json.loads(line)
        if not reply["ok"]:
            raise UIError(reply["error"])
        return reply["result"]

    def tap(self, target: str) -> None:
        """Touch the middle of the widget with this kv id or text."""
        self.call("tap", target=target)

    def tap_through(self, *steps: tuple[str, str]) -> None:
        """Tap each (target, screen it leads to) in turn, waiting for every screen."""
        for target, screen in steps:
            self.tap(target)
            self.wait_for_screen(screen)

    def wait_until(self, predicate: Any, what: str, timeout: float = 10.0) -> None:
        """Poll ``predicate`` until it is true (UI transitions take a few frames)."""
        wait_for(predicate, what, timeout)

    def wait_for_screen(self, name: str) -> None:
        """Wait until the screen manager shows ``name``."""
        self.wait_until(lambda: self.call("screen") == name, f"screen {name!r}")

    def exited(self, timeout: float = 10.0) -> bool:
        """Tell whether the app process ended within ``timeout`` seconds."""
        assert self.process is not None
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            with contextlib.suppress(UIError, OSError, ValueError):
                self.call("stop")
            if not self.exited(10):
                self.process.kill()
                self.process.wait()
        if self._stream is not None:
            self._stream.close()
        if self._socket is not None:
            self._socket.close()
        self._log.close()


StartUI = Callable[..., KioskUI]  # the ``start_ui`` fixture: overrides in, a running app out
