"""``kiosk demo``: start the simulators and the reference API, then run the kiosk on them.

Each simulated part is a child process started from a module of this project. The stack
waits for the line each part prints when it is ready (it may carry facts such as the
terminal's pseudo-terminal path, which then replace the configured value), and stops
every part when the kiosk exits. Output of the parts goes to ``<data_dir>/demo/*.log``.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kiosk.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

DEMO_ENROLMENT_CODE = "DEMO-KIOSK-ENROL"
READY_TIMEOUT_S = 30.0

SettingsUpdate = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class DemoPart:
    """One simulated part: how to start it and how it says it is ready."""

    name: str
    module: str
    args: tuple[str, ...]
    ready_prefix: str
    on_ready: SettingsUpdate = field(default=lambda _line: {})


class DemoError(RuntimeError):
    """A simulated part did not start."""


def demo_parts(settings: Settings) -> list[DemoPart]:
    """List the simulated parts the demo configuration asks for, in start order."""
    data = settings.kiosk.data_dir
    return [
        DemoPart("reference API", "procedure_api",
                 ("serve", "--host", "127.0.0.1", "--port", str(settings.demo.api_port),
                  "--db", str(data / "reference-api.db"), "--seed", "demo",
                  "--enrolment-code", DEMO_ENROLMENT_CODE),
                 "procedure_api ready"),
        DemoPart("printer simulator", "drivers.printer.simulator",
                 ("--port", str(settings.demo.printer_port), "--png-dir", str(data / "receipts")),
                 "printer simulator ready"),
        DemoPart("payment terminal simulator", "drivers.payment.simulator",
                 ("--pty", "--link", str(data / "payment-terminal")), "kiosk-port:",
                 lambda line: {"devices.payment.port": line.split(":", 1)[1].strip()}),
    ]


def _merge(settings: Settings, update: dict[str, Any]) -> Settings:
    """Return ``settings`` with nested values replaced (e.g. the terminal's port)."""
    if not update:
        return settings
    data = settings.model_dump()
    for dotted, value in update.items():
        *parents, leaf = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[leaf] = value
    return Settings.model_validate(data)


class DemoStack:
    """Context manager owning the demo's child processes."""

    def __init__(self, settings: Settings, enabled: bool = True) -> None:
        self.settings = settings
        self.enabled = enabled
        self.processes: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []

    def __enter__(self) -> DemoStack:
        if not self.enabled:
            return self
        logs = self.settings.kiosk.data_dir / "demo"
        logs.mkdir(parents=True, exist_ok=True)
        try:
            for part in demo_parts(self.settings):
                line = self._start(part, logs / f"{part.module}.log")
                self.settings = _merge(self.settings, part.on_ready(line))
            self._enrol()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self, part: DemoPart, log_path: Path) -> str:
        log.info("demo: starting %s", part.name)
        output = log_path.open("wb")
        process = subprocess.Popen([sys.executable, "-m", part.module, *part.args],
                                   cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT)
        self.processes.append((part.name, process, output))
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith(part.ready_prefix):
                    return line
            if process.poll() is not None:
                raise DemoError(f"{part.name} exited with code {process.returncode}; "
                                f"see {log_path}")
            time.sleep(0.05)
        raise DemoError(f"{part.name} did not say it was ready within {READY_TIMEOUT_S} s; "
                        f"see {log_path}")

    def _enrol(self) -> None:
        from kiosk.api import ApiClient
        from kiosk.enrolment import use_saved_or_enrol

        client = ApiClient.from_settings(self.settings.api, token=None)
        try:
            use_saved_or_enrol(client, self.settings.data_path(self.settings.api.enrolment_file),
                               DEMO_ENROLMENT_CODE, self.settings.kiosk.id)
        finally:
            client.close()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for _name, process, _output in self.processes:
            if process.poll() is None:
                process.terminate()
        for name, process, output in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                log.warning("demo: %s did not stop; killed", name)
                process.kill()
                process.wait()
            output.close()
        self.processes.clear()
