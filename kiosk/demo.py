"""``kiosk demo``: start the simulators and the reference API, then run the kiosk on them.

Each simulated part is a child process (a module of this project, or ``pcscd``). The
stack waits until each part is ready — most print a ready line, which may carry facts such
as a control port or the terminal's pseudo-terminal path that then replace the configured
value — and stops every part when the kiosk exits. Output goes to ``<data_dir>/demo/``.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kiosk.demo_panel import DemoPanel, ready_facts
from kiosk.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

DEMO_ENROLMENT_CODE = "DEMO-KIOSK-ENROL"
READY_TIMEOUT_S = 45.0
VIRTUAL_READER = "Virtual PCD 00 00"
CARD, TERMINAL = "virtual e-ID card", "payment terminal simulator"

SettingsUpdate = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class DemoPart:
    """One simulated part: its command, how it says it is ready, what it changes."""

    name: str
    argv: tuple[str, ...]
    ready_prefix: str = ""                     # a line of its output that means "ready"
    ready_check: Callable[[], bool] | None = None  # or a probe, for programs that say nothing
    on_ready: SettingsUpdate = field(default=lambda _line: {})

    @property
    def log_name(self) -> str:
        return self.argv[2] if self.argv[1:2] == ("-m",) else Path(self.argv[0]).name


class DemoError(RuntimeError):
    """A simulated part did not start."""


def _module(name: str, *args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", name, *args)


def _pcsc_readers() -> list[str]:
    from smartcard.Exceptions import SmartcardException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException
    from smartcard.System import readers

    try:
        return [str(reader) for reader in readers()]
    except (BaseSCardException, SmartcardException):
        return []


def _pcscd_part() -> DemoPart | None:
    """Start pcscd only when none is running (a desktop usually has one)."""
    if VIRTUAL_READER in _pcsc_readers():
        return None
    if subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode == 0:
        raise DemoError("pcscd is running without the vpcd virtual reader: install "
                        "vsmartcard-vpcd and restart pcscd (systemctl restart pcscd)")
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    return DemoPart("smart-card service (pcscd)", (binary, "--foreground"),
                    ready_check=lambda: VIRTUAL_READER in _pcsc_readers())


def demo_parts(settings: Settings) -> list[DemoPart]:
    """List the simulated parts the demo configuration asks for, in start order."""
    data = settings.kiosk.data_dir
    api_args = ["serve", "--host", "127.0.0.1", "--port", str(settings.demo.api_port),
                "--db", str(data / "reference-api.db"), "--seed", "demo",
                "--enrolment-code", f"{settings.kiosk.id}:{DEMO_ENROLMENT_CODE}"]
    parts: list[DemoPart] = []
    eid = settings.devices.eid
    if eid.type == "pcsc":
        from drivers.eid.citizens import load_citizens
        from drivers.eid.test_pki import load_or_create_pki

        pki_dir = settings.data_path(eid.pki_dir)
        pki = load_or_create_pki(pki_dir, load_citizens())
        api_args += ["--eid-ca", str(pki.ca_bundle_path)]
        pcscd = _pcscd_part()
        if pcscd is not None:
            parts.append(pcscd)
        parts.append(DemoPart(CARD, _module("drivers.eid.virtual_card", "--pki",
                                            str(pki_dir.resolve()),
                                            "--vpcd-port", str(settings.demo.vpcd_port)),
                              ready_prefix="virtual-card ready"))
    parts.insert(0, DemoPart("reference API", _module("procedure_api", *api_args),
                             ready_prefix="procedure_api ready"))
    if settings.devices.printer.type == "network":
        parts.append(DemoPart("printer simulator", _module(
            "drivers.printer.simulator", "--port", str(settings.demo.printer_port),
            "--png-dir", str(data / "receipts")), ready_prefix="printer simulator ready"))
    if settings.devices.payment.type == "transbank":
        # The terminal simulator makes its own pseudo-terminal and says where the kiosk end is.
        # Its control port (any free one) is in the same line, for the demo control panel.
        parts.append(DemoPart(TERMINAL, _module(
            "drivers.payment.simulator", "--pty", "--link", str(data / "payment-terminal"),
            "--control-port", "0"),
            ready_prefix="terminal simulator ready",
            on_ready=lambda line: {"devices.payment.port": ready_facts(line)["kiosk-port"]}))
    return parts


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
        self.ready_lines: dict[str, str] = {}
        self.processes: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []

    def __enter__(self) -> DemoStack:
        if not self.enabled:
            return self
        logs = self.settings.kiosk.data_dir / "demo"
        logs.mkdir(parents=True, exist_ok=True)
        try:
            for part in demo_parts(self.settings):
                line = self._start(part, logs / f"{part.log_name}.log")
                self.ready_lines[part.name] = line
                self.settings = _merge(self.settings, part.on_ready(line))
            self._enrol()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self, part: DemoPart, log_path: Path) -> str:
        log.info("demo: starting %s", part.name)
        output = log_path.open("wb")
        process = subprocess.Popen(list(part.argv), cwd=PROJECT_ROOT, stdout=output,
                                   stderr=subprocess.STDOUT)
        self.processes.append((part.name, process, output))
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if part.ready_check is not None and part.ready_check():
                return ""
            for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
                if part.ready_prefix and line.startswith(part.ready_prefix):
                    return line
            if process.poll() is not None:
                raise DemoError(f"{part.name} exited with code {process.returncode}; "
                                f"see {log_path}")
            time.sleep(0.05)
        raise DemoError(f"{part.name} was not ready within {READY_TIMEOUT_S:.0f} s; "
                        f"see {log_path}")

    def demo_panel(self) -> DemoPanel | None:
        """The control panel over the running card and terminal simulators (None: neither)."""
        return DemoPanel.from_ready_lines(self.ready_lines.get(CARD, ""),
                                          self.ready_lines.get(TERMINAL, ""))

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
        for _name, process, _output in reversed(self.processes):
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
