"""``kiosk doctor``: one line per configured part — ok, or what is wrong and what to do.

Each device class contributes its own checks; until a driver ships a richer ``diagnose()``
these check that the path to the device exists (port open, service reachable).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import requests

from drivers.base import Diagnosis
from kiosk.settings import EidSection, PaymentSection, PrinterSection, Settings

log = logging.getLogger(__name__)


def check_data_dir(settings: Settings) -> Diagnosis:
    """The data directory must exist and be writable (journal, outbox, keys)."""
    path = settings.kiosk.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as err:
        return Diagnosis("data directory", False, f"{path} is not writable ({err.strerror})",
                         "check the disk and the folder's permissions")
    return Diagnosis("data directory", True, f"{path} is writable")


def check_api(settings: Settings) -> Diagnosis:
    """The central API must answer its health check."""
    url = settings.api.url.rstrip("/") + "/health"
    timeouts = (settings.api.connect_timeout_s, settings.api.read_timeout_s)
    try:
        response = requests.get(url, timeout=timeouts, verify=_verify(settings))
    except requests.RequestException as err:
        return Diagnosis("central API", False, f"{url} unreachable ({type(err).__name__})",
                         "check the network cable/Wi-Fi and the API address in the config",
                         settings.api.required)
    if response.status_code != 200:
        return Diagnosis("central API", False, f"{url} answered HTTP {response.status_code}",
                         "the API is up but unhealthy: call the municipality's IT desk",
                         settings.api.required)
    return Diagnosis("central API", True, f"{url} answers", required=settings.api.required)


def _verify(settings: Settings) -> bool | str:
    return str(settings.api.ca_bundle) if settings.api.ca_bundle else True


def check_eid(section: EidSection) -> Diagnosis:
    """pcscd must be reachable and a reader present."""
    from smartcard.Exceptions import SmartcardException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException
    from smartcard.System import readers

    try:
        names = [str(reader) for reader in readers()]
    except (BaseSCardException, SmartcardException) as err:
        log.warning("pcscd unreachable: %s", err)
        return Diagnosis("e-ID reader", False, "the smart-card service (pcscd) is not running",
                         "start it: systemctl start pcscd", section.required)
    matching = [name for name in names if section.reader in name]
    if not matching:
        return Diagnosis("e-ID reader", False, "no card reader found",
                         "plug in the card reader (USB) or fix devices.eid.reader",
                         section.required)
    return Diagnosis("e-ID reader", True, f"reader '{matching[0]}'", required=section.required)


def check_printer(section: PrinterSection) -> Diagnosis:
    """The printer's connection must open."""
    if section.type == "network":
        try:
            with socket.create_connection((section.host, section.port), timeout=section.timeout_s):
                pass
        except OSError as err:
            return Diagnosis("printer", False,
                             f"no printer at {section.host}:{section.port} ({err.strerror or err})",
                             "switch the printer on and check its network cable",
                             section.required)
        return Diagnosis("printer", True, f"{section.host}:{section.port} connected",
                         required=section.required)
    if section.type in ("serial", "file"):
        return _check_path("printer", section.device, section.required)
    return Diagnosis("printer", True, f"USB {section.usb_vendor:04x}:{section.usb_product:04x}"
                     " configured (status checked by the driver)", required=section.required)


def check_payment(section: PaymentSection) -> Diagnosis:
    """The payment terminal's port must exist and the terminal must answer a poll."""
    found = _check_path("payment terminal", section.port, section.required)
    if not found.ok:
        return found
    from drivers.payment.registry import open_terminal

    terminal = open_terminal(section.type, port=section.port, baudrate=section.baudrate,
                             ack_timeout_s=section.ack_timeout_s,
                             response_timeout_s=section.response_timeout_s,
                             max_attempts=section.max_attempts)
    if terminal is None:
        return found
    try:
        diagnosis = terminal.diagnose()
    finally:
        terminal.close()
    return replace(diagnosis, required=section.required)


def _check_path(part: str, device: str, required: bool) -> Diagnosis:
    if not device or not Path(device).exists():
        return Diagnosis(part, False, f"port {device or '(none)'} not found",
                         "check the cable and the port name in the config", required)
    if not os.access(device, os.R_OK | os.W_OK):
        return Diagnosis(part, False, f"port {device} not accessible",
                         "add the kiosk user to the 'dialout' group", required)
    return Diagnosis(part, True, f"port {device} present", required=required)


def diagnose_all(settings: Settings) -> list[Diagnosis]:
    """Run every check that applies to this kiosk's configuration."""
    devices = settings.devices
    checks: list[Callable[[], Diagnosis]] = [lambda: check_data_dir(settings),
                                             lambda: check_api(settings)]
    if devices.eid.type != "none":
        checks.append(lambda: check_eid(devices.eid))
    if devices.printer.type != "none":
        checks.append(lambda: check_printer(devices.printer))
    if devices.payment.type != "none":
        checks.append(lambda: check_payment(devices.payment))
    return [check() for check in checks]


def exit_code(results: Iterable[Diagnosis]) -> int:
    """Non-zero when a required part fails."""
    return 1 if any(not r.ok and r.required for r in results) else 0
