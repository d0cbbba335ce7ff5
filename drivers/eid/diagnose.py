"""``kiosk doctor`` lines for the e-ID reader, from a fresh PC/SC context."""

from __future__ import annotations

from smartcard.scard import (
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCardEstablishContext,
    SCardListReaders,
    SCardReleaseContext,
)

from common.diagnosis import Diagnosis
from drivers.base import DeviceStatus
from drivers.eid.errors import pcsc_code_name
from drivers.eid.monitor import pick_reader


def diagnose_pcsc(reader_filter: str, status: DeviceStatus | None) -> list[Diagnosis]:
    """Check pcscd, the reader, and (from the live status) the card."""
    code, context = SCardEstablishContext(SCARD_SCOPE_USER)
    if code != SCARD_S_SUCCESS:
        return [Diagnosis("e-ID pcscd", False, f"PC/SC service not reachable: "
                          f"{pcsc_code_name(code)}", "start pcscd (systemctl start pcscd)")]
    try:
        code, readers = SCardListReaders(context, [])
    finally:
        SCardReleaseContext(context)
    lines = [Diagnosis("e-ID pcscd", True, "PC/SC service reachable")]
    names = list(readers or []) if code == SCARD_S_SUCCESS else []
    reader = pick_reader(names, reader_filter)
    if reader is None:
        wanted = f" matching {reader_filter!r}" if reader_filter else ""
        lines.append(Diagnosis("e-ID reader", False, f"no reader{wanted} among {names}",
                               "plug the card reader in, or fix devices.eid.reader"))
        return lines
    lines.append(Diagnosis("e-ID reader", True, reader))
    card = status.detail.get("card", "unknown") if status else "unknown"
    profile = status.detail.get("profile", "") if status else ""
    if card != "present":
        lines.append(Diagnosis("e-ID card", False, f"card {card}",
                               "insert a test card to check it", required=False))
    elif profile in ("", "unknown"):
        lines.append(Diagnosis("e-ID card", False, "card present but not recognised",
                               "use a supported national e-ID card", required=False))
    else:
        lines.append(Diagnosis("e-ID card", True, f"card present ({profile})"))
    return lines
