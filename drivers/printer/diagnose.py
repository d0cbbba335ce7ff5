"""Entry points for ``kiosk doctor`` and the technician's test print.

Both take only the printer's settings: they build the profile and a driver with a
throw-away in-memory job store (a test print needs no reprint), so the CLI can call them
before the kiosk's database exists.
"""

from __future__ import annotations

from common.diagnosis import Diagnosis
from drivers.printer.config import PrinterSection
from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.jobs import MemoryJobRecords
from drivers.printer.profile import ProfileError, profile_from_settings
from drivers.worker import DeviceWorker


def _driver(settings: PrinterSection, worker: DeviceWorker) -> EscposReceiptPrinter:
    profile = profile_from_settings(settings)
    return EscposReceiptPrinter(settings, profile, MemoryJobRecords(), worker)


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
    worker = DeviceWorker("printer-doctor")
    try:
        return lines + _driver(settings, worker).diagnose()
    finally:
        worker.close()


def test_print(settings: PrinterSection) -> int:
    """Print the test receipt; raises ProfileError, PrintBlocked or PrintFailed."""
    worker = DeviceWorker("printer-test")
    try:
        return _driver(settings, worker).test_print()
    finally:
        worker.close()


test_print.__test__ = False  # type: ignore[attr-defined]  # a CLI entry point, not a pytest test
