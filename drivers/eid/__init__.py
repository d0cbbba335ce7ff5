"""e-ID card readers: Protocol (base.py), PC/SC reader (reader.py), card families
(profiles/), virtual card for vpcd (virtual_card/), test PKI (test_pki.py)."""

from __future__ import annotations

from drivers.eid.base import EidReader


def build_eid_reader(kind: str, reader: str = "", poll_timeout_s: float = 1.0,
                     ) -> EidReader | None:
    """Make the reader named by ``devices.eid.type`` ("pcsc" or "none")."""
    if kind == "none":
        return None
    if kind == "pcsc":
        from drivers.eid.reader import PcscEidReader

        return PcscEidReader(reader, monitor_timeout_s=poll_timeout_s)
    raise ValueError(f"unknown e-ID reader type {kind!r}")
