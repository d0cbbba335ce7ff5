"""Every real part a pay journey touches, for bench.journey_bench: one kiosk runtime, children.

The kiosk side (runtime, e-ID reader driver, printer and terminal drivers, offline store, sync
worker, services) runs in THIS process, so its RSS is the kiosk's. Everything simulated runs
on the simulated stack (kiosk/simulated/) as a child process, so its memory (the printer
keeping every job, the terminal remembering every sale) is not counted against the kiosk:
this process's own pcscd + vpcd, the virtual e-ID card, the reference API, the printer
simulator on TCP and the terminal simulator on its own pty.
"""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from drivers.eid.citizens import Citizen, load_citizens
from drivers.eid.test_pki import load_or_create_pki
from kiosk.runtime import Runtime, build_runtime
from kiosk.settings import Settings, deep_merge, load_settings
from kiosk.simulated.api import ApiServer
from kiosk.simulated.devices import CardProcess, PrinterProcess, TerminalProcess
from kiosk.simulated.pcsc import PrivatePcscd
from kiosk.simulated.stack import SimulatedStack
from rig.config import write_config

KIOSK_ID = "kiosk-journey-bench"
KIOSK_SETTINGS: dict[str, Any] = {  # over what the parts need: who we are, short waits
    "kiosk": {"id": KIOSK_ID}, "api": {"retries": 0},
    "devices": {"eid": {"poll_timeout_s": 0.5}, "printer": {"timeout_s": 5}}}


class JourneyStack:
    """Start the simulated parts as children, then build and start the kiosk runtime."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._running = ExitStack()
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
        parts = self._running.enter_context(SimulatedStack())
        logs = self.workdir / "logs"
        pki = load_or_create_pki(self.workdir / "pki", load_citizens())
        pcscd = parts.start(PrivatePcscd())
        self.card = parts.start(CardProcess(logs, pki.directory, pcscd.vpcd_port)).client()
        self._running.callback(self.card.close)
        self.card.remove()
        self.card.clear_faults()
        self.card.use_citizen(self.citizen.national_number)
        self.card.set_pin(self.citizen.pin, tries=3)
        self.api = parts.start(ApiServer(self.workdir / "api", eid_ca=pki.ca_bundle_path))
        self.printer = parts.start(PrinterProcess(logs, control=True))
        self.terminal = parts.start(TerminalProcess(logs, think_s=0))
        self.settings = self._settings(parts.kiosk_settings())
        self.runtime: Runtime = build_runtime(self.settings)
        self._running.callback(self.runtime.close)
        self.runtime.start()

    def _settings(self, parts: dict[str, Any]) -> Settings:
        settings = load_settings(write_config(self.workdir, deep_merge(parts, KIOSK_SETTINGS)))
        self.api.enrol_into(settings.data_path(settings.api.enrolment_file), KIOSK_ID)
        return settings

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._running.close()  # runtime, card client, then the parts: last started first

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
        return sum(1 for job in self.printer.jobs() if job["complete"])

    def sales_approved(self) -> int:
        """Count the sales the terminal simulator approved."""
        return len(self.terminal.state()["approved"])
