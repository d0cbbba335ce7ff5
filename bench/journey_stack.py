"""Every real part a pay journey touches, for bench.journey_bench: one kiosk runtime, children.

The kiosk side (runtime, e-ID reader driver, printer and terminal drivers, offline store, sync
worker, services) runs in THIS process, so its RSS is the kiosk's. Everything simulated runs
as a child process, so its memory (the printer keeping every job, the terminal remembering
every sale) is not counted against the kiosk: pcscd + vpcd, the virtual e-ID card, the
reference API, the printer simulator on TCP and the terminal simulator on its own pty.
A test session that already runs pcscd and the virtual card hands them in (``card_control``)
instead, because only one pcscd and one card on vpcd's port can exist.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO

from drivers.eid.citizens import Citizen, load_citizens
from drivers.eid.test_pki import load_or_create_pki
from drivers.eid.virtual_card.control import VirtualCardClient
from drivers.payment.simulator.control import send
from kiosk.enrolment import save_enrolment
from kiosk.runtime import Runtime, build_runtime
from kiosk.settings import Settings, load_settings
from tests.rig.api_server import ApiServer
from tests.rig.config import write_config
from tests.rig.net import free_port
from tests.rig.pcsc import VIRTUAL_READER, Pcscd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KIOSK_ID = "kiosk-journey-bench"


class StackError(RuntimeError):
    """A simulated part did not start."""


class JourneyStack:
    """Start the simulated parts as children, then build and start the kiosk runtime."""

    def __init__(self, workdir: Path, *, pki_dir: Path | None = None,
                 card_control: int | None = None) -> None:
        self.workdir = workdir
        self.pki_dir = pki_dir or workdir / "pki"
        self._card_control = card_control
        self._stack = ExitStack()
        self._children: list[tuple[subprocess.Popen[str], IO[str]]] = []
        self.citizen: Citizen = load_citizens()[0]

    # -- start / stop -------------------------------------------------------------------
    def __enter__(self) -> JourneyStack:
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        load_or_create_pki(self.pki_dir, load_citizens())
        if self._card_control is None:
            pcscd = self._stack.enter_context(Pcscd())
            line = self._child("virtual-card ready", "drivers.eid.virtual_card",
                               "--pki", str(self.pki_dir), "--vpcd-port", str(pcscd.vpcd_port))
            self._card_control = int(line.split("control=")[1].split()[0])
        self.card = VirtualCardClient(self._card_control)
        self._stack.callback(self.card.close)
        self.card.remove()
        self.card.clear_faults()
        self.card.use_citizen(self.citizen.national_number)
        self.card.set_pin(self.citizen.pin, tries=3)
        (self.workdir / "api").mkdir(parents=True, exist_ok=True)
        self.api = ApiServer(self.workdir / "api", eid_ca=self.pki_dir / "eid-ca.pem")
        self.api.start()
        self._stack.callback(self.api.stop)
        printer = self._child("printer simulator ready", "drivers.printer.simulator",
                              "--port", "0", "--control-port", "0")
        printer_port = int(printer.split("port=")[1].split()[0])
        self.printer_control = int(printer.split("control=")[1].split()[0])
        self.terminal_control = free_port()
        terminal = self._child("kiosk-port:", "drivers.payment.simulator", "--pty",
                               "--think-s", "0", "--control-port", str(self.terminal_control))
        self.settings = self._settings(printer_port, terminal.split(":", 1)[1].strip())
        self.runtime: Runtime = build_runtime(self.settings)
        self._stack.callback(self.runtime.close)
        self.runtime.start()

    def _settings(self, printer_port: int, terminal_port: str) -> Settings:
        path = write_config(self.workdir, {
            "kiosk": {"id": KIOSK_ID, "verification_url": f"{self.api.root_url}/verify"},
            "api": {"url": self.api.base_url, "retries": 0},
            "devices": {
                "eid": {"type": "pcsc", "reader": VIRTUAL_READER, "poll_timeout_s": 0.5},
                "printer": {"type": "network", "host": "127.0.0.1", "port": printer_port,
                            "timeout_s": 5},
                "payment": {"type": "transbank", "port": terminal_port}},
        })
        settings = load_settings(path)
        save_enrolment(settings.data_path(settings.api.enrolment_file),
                       {"kiosk_id": KIOSK_ID, "token": self.api.enrol(KIOSK_ID)})
        return settings

    def _child(self, ready: str, module: str, *args: str) -> str:
        """Start ``python -m module args`` and return its ready line."""
        log = (self.workdir / f"{module}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT,
                                   env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
                                   stdout=subprocess.PIPE, stderr=log, text=True)
        self._children.append((process, log))
        assert process.stdout is not None
        for line in process.stdout:  # ends (raising below) if the child dies before ready
            if line.startswith(ready):
                return line.strip()
        raise StackError(f"{module} exited before it was ready; see {log.name}")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.close()  # runtime, API, card client, pcscd: last started, first stopped
        for process, log in reversed(self._children):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
            log.close()
        self._children.clear()

    # -- facts the bench checks ---------------------------------------------------------
    def reset_debts(self) -> int:
        """Put the citizen's debts back to pending (a re-seed); return how many there are."""
        with sqlite3.connect(self.api.db_path, timeout=10) as conn:
            conn.execute("UPDATE debts SET status = 'pending' WHERE national_number = ?",
                         (self.citizen.national_number,))
            (count,) = conn.execute("SELECT COUNT(*) FROM debts WHERE national_number = ?",
                                    (self.citizen.national_number,)).fetchone()
        conn.close()
        return int(count)

    def payments_at_api(self) -> int:
        """Count the payments the reference API recorded from this kiosk."""
        with sqlite3.connect(self.api.db_path, timeout=10) as conn:
            (count,) = conn.execute("SELECT COUNT(*) FROM payments WHERE kiosk_id = ?",
                                    (KIOSK_ID,)).fetchone()
        conn.close()
        return int(count)

    def receipts_printed(self) -> int:
        """Count the complete jobs the printer simulator received."""
        with socket.create_connection(("127.0.0.1", self.printer_control), timeout=10) as conn:
            conn.sendall(b"jobs\n")
            answer = conn.makefile("rb").readline().decode()
        return sum(1 for job in json.loads(answer.removeprefix("ok ")) if job["complete"])

    def sales_approved(self) -> int:
        """Count the sales the terminal simulator approved."""
        return len(send(self.terminal_control, {"state": True})["approved"])
