"""``kiosk demo``: start the simulators and the reference API, then run the kiosk on them.

Each simulated part is a child process started from a module of this project; a part
whose module is not present yet is reported and skipped, so the demo always starts.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
from dataclasses import dataclass
from types import TracebackType

from kiosk.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoPart:
    """One simulated part: the module that provides it and how to start it."""

    name: str
    module: str
    args: tuple[str, ...]


def demo_parts(settings: Settings) -> list[DemoPart]:
    """List the simulated parts the demo configuration asks for."""
    data = settings.kiosk.data_dir
    return [
        DemoPart("reference API", "procedure_api",
                 ("serve", "--host", "127.0.0.1", "--port", str(settings.demo.api_port),
                  "--db", str(data / "reference-api.db"), "--seed", "demo")),
        DemoPart("payment terminal simulator", "drivers.payment.simulator",
                 ("--pty", "--link", str(data / "payment-terminal"))),
    ]


class DemoStack:
    """Context manager owning the demo's child processes."""

    def __init__(self, settings: Settings, enabled: bool = True) -> None:
        self.settings = settings
        self.enabled = enabled
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> DemoStack:
        if not self.enabled:
            return self
        for part in demo_parts(self.settings):
            if importlib.util.find_spec(part.module) is None:
                log.warning("demo: %s not available in this build; skipped", part.name)
                continue
            log.info("demo: starting %s", part.name)
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", part.module, *part.args], cwd=PROJECT_ROOT))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
