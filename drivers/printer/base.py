"""The receipt printer as the rest of the kiosk sees it.

Errors (all :class:`drivers.base.DriverError`)::

    PrintBlocked(UserActionRequired)  paper out / cover open before printing; nothing sent
    PrintFailed(DriverError)          the job did not print completely (paper ran out,
                                      link broke); it is kept for a reprint
    DeviceUnavailable                 no printer reachable for a status query

Both print errors carry ``job_id`` so the screen can offer the QR on screen and a reprint.
"""

from __future__ import annotations

from typing import Protocol

from common.diagnosis import Diagnosis
from drivers.base import DeviceListener, DeviceStatus, DriverError, UserActionRequired
from drivers.printer.receipt import Receipt


class PrintBlocked(UserActionRequired):
    """The printer cannot print now; the job was stored but nothing was sent."""

    def __init__(self, log_text: str, message_key: str, job_id: int) -> None:
        super().__init__(log_text, message_key)
        self.job_id = job_id


class PrintFailed(DriverError):
    """A job did not print completely; it stays in the job store for a reprint."""

    message_key = "The receipt did not print. It is on the screen, and you can ask for a reprint."

    def __init__(self, log_text: str, job_id: int) -> None:
        super().__init__(log_text)
        self.job_id = job_id


class ReceiptPrinter(Protocol):
    """What services need from a receipt printer (all calls may block on device I/O)."""

    def add_listener(self, listener: DeviceListener) -> None:
        """Be told of every status change."""

    def status(self) -> DeviceStatus:
        """Ask the printer how it is (paper, cover, online)."""

    def print_receipt(self, receipt: Receipt) -> int:
        """Print and return the job id; raises PrintBlocked or PrintFailed."""

    def reprint(self, job_id: int) -> int:
        """Print a stored job again (marked as a copy if it was sent before)."""

    def diagnose(self) -> list[Diagnosis]:
        """Check configuration, link and status for ``kiosk doctor``."""

    def close(self) -> None:
        """Release the printer's device thread (after queued jobs finish)."""
