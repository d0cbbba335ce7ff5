"""``kiosk doctor``: one line per configured part — ok, or what is wrong and what to do.

Each device package contributes its own ``diagnose()``; this module only decides which
parts the configuration asks for and runs their checks in order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from common.diagnosis import Diagnosis
from kiosk.api import ApiClient, ApiError, ApiOffline
from kiosk.enrolment import EnrolmentFileError, load_enrolment
from kiosk.settings import EidSection, PaymentSection, Settings

log = logging.getLogger(__name__)


def check_data_dir(settings: Settings) -> list[Diagnosis]:
    """The data directory must exist and be writable (journal, outbox, keys)."""
    path = settings.kiosk.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as err:
        return [Diagnosis("data directory", False, f"{path} is not writable ({err.strerror})",
                          "check the disk and the folder's permissions")]
    return [Diagnosis("data directory", True, f"{path} is writable")]


def check_offline_store(settings: Settings) -> list[Diagnosis]:
    """The journal database and its key file must be usable."""
    from offline_cache.diagnose import diagnose

    return diagnose(settings.data_path(settings.offline.database),
                    settings.data_path(settings.offline.key_file))


def check_api(settings: Settings) -> list[Diagnosis]:
    """The central API must answer, and this kiosk must be enrolled with it."""
    required = settings.api.required
    client = ApiClient.from_settings(settings.api, token=None)
    try:
        client.health()
    except ApiOffline as err:
        return [Diagnosis("central API", False, f"{settings.api.url} unreachable ({err})",
                          "check the network cable/Wi-Fi and the API address in the config",
                          required)]
    except ApiError as err:
        return [Diagnosis("central API", False, f"{settings.api.url} unhealthy ({err})",
                          "the API is up but failing: call the municipality's IT desk",
                          required)]
    finally:
        client.close()
    lines = [Diagnosis("central API", True, f"{settings.api.url} answers", required=required)]
    path = settings.data_path(settings.api.enrolment_file)
    try:
        enrolled = load_enrolment(path)
    except EnrolmentFileError as err:
        return [*lines, Diagnosis("enrolment", False, str(err),
                                  "enrol again: kiosk enrol CODE", required)]
    if enrolled is None:
        return [*lines, Diagnosis("enrolment", False, "this kiosk is not enrolled",
                                  "ask for a one-time code and run: kiosk enrol CODE", required)]
    return [*lines, Diagnosis("enrolment", True, f"enrolled as {enrolled['kiosk_id']}",
                              required=required)]


def check_eid(section: EidSection) -> list[Diagnosis]:
    """pcscd reachable, reader found, card present and recognised (from a live reader)."""
    import threading

    from drivers.base import DeviceStatus
    from drivers.eid import build_eid_reader

    reader = build_eid_reader(section.type, section.reader, section.poll_timeout_s)
    if reader is None:
        return []
    first_status = threading.Event()

    def seen(_status: DeviceStatus) -> None:
        first_status.set()

    reader.add_listener(seen)
    reader.start()
    try:
        first_status.wait(timeout=3 * section.poll_timeout_s + 2)
        lines = reader.diagnose()
    finally:
        reader.stop()
    return [Diagnosis(d.part, d.ok, d.summary, d.action, d.required and section.required)
            for d in lines]


def check_printer(settings: Settings) -> list[Diagnosis]:
    """Printer profile, link, paper and cover."""
    from drivers.printer.diagnose import diagnose

    return diagnose(settings.devices.printer)


def check_payment(section: PaymentSection) -> list[Diagnosis]:
    """The payment terminal's port must exist and the terminal must answer a poll."""
    device = section.port
    if not device or not Path(device).exists():
        return [Diagnosis("payment terminal", False, f"port {device or '(none)'} not found",
                          "check the cable and the port name in the config", section.required)]
    if not os.access(device, os.R_OK | os.W_OK):
        return [Diagnosis("payment terminal", False, f"port {device} not accessible",
                          "add the kiosk user to the 'dialout' group", section.required)]
    from drivers.payment.registry import terminal_from_settings

    terminal = terminal_from_settings(section)
    if terminal is None:
        return []
    try:
        diagnosis = terminal.diagnose()  # the port opens and the terminal answers a poll
    finally:
        terminal.close()
    return [replace(diagnosis, required=section.required)]


def diagnose_all(settings: Settings) -> list[Diagnosis]:
    """Run every check that applies to this kiosk's configuration."""
    devices = settings.devices
    checks: list[Callable[[], list[Diagnosis]]] = [
        lambda: check_data_dir(settings),
        lambda: check_offline_store(settings),
        lambda: check_api(settings),
    ]
    if devices.eid.type != "none":
        checks.append(lambda: check_eid(devices.eid))
    if devices.printer.type != "none":
        checks.append(lambda: check_printer(settings))
    if devices.payment.type != "none":
        checks.append(lambda: check_payment(devices.payment))
    return [line for check in checks for line in check()]


def exit_code(results: Iterable[Diagnosis]) -> int:
    """Non-zero when a required part fails."""
    return 1 if any(not r.ok and r.required for r in results) else 0
