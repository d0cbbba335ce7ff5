"""``kiosk doctor``'s printer lines, and the throw-away driver the test print uses.

Both take only the printer's settings: they build the profile and a driver with a
throw-away in-memory job store (a test print needs no reprint), so the CLI can use them
before the kiosk's database exists. The test receipt itself is the kiosk's
(``kiosk.receipts.technician``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from common.diagnosis import Diagnosis
from drivers.printer.config import PrinterSection
from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.jobs import MemoryJobRecords
from drivers.printer.profile import ProfileError, profile_from_settings
from drivers.worker import DeviceWorker


@contextmanager
def throwaway_printer(settings: PrinterSection,
                      name: str = "printer-test") -> Iterator[EscposReceiptPrinter]:
    """Open a driver whose jobs are forgotten afterwards; raises ProfileError."""
    profile = profile_from_settings(settings)
    worker = DeviceWorker(name)
    try:
        yield EscposReceiptPrinter(settings, profile, MemoryJobRecords(), worker)
    finally:
        worker.close()


def diagnose(settings: PrinterSection) -> list[Diagnosis]:
    """Check the printer's configuration, link, paper and cover, one Diagnosis each."""
    if settings.type == "none":
        return [Diagnosis("printer", False, "no printer configured (type = none)",
                          "set devices.printer.type", required=settings.required)]
    try:
        profile = profile_from_settings(settings)
    except ProfileError as err:
        return [Diagnosis("printer profile", False, str(err),
                          "fix devices.printer.profile / codepage", settings.required)]
    lines = [Diagnosis("printer profile", True,
                       f"{profile.escpos_profile}, {profile.codepage}, "
                       f"{profile.width_chars} columns", required=settings.required)]
    with throwaway_printer(settings, "printer-doctor") as printer:
        return lines + printer.diagnose()
