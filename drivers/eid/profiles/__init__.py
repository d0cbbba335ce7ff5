"""Card families, chosen by ATR first and by application ID (SELECT AID) second.

Each family is one module exposing ``FAMILY`` (a :class:`CardFamily`); add a module and list
it in :data:`FAMILIES` to support another national card. Nothing else changes.
"""

from __future__ import annotations

import logging
from typing import Protocol

from drivers.eid.base import ChallengeSignature, Identity
from drivers.eid.errors import CardNotSupported
from drivers.eid.session import CardSession

log = logging.getLogger(__name__)


class CardFamily(Protocol):
    """The commands and file layout of one kind of national e-ID card."""

    name: str
    label: str
    aid: bytes | None

    def matches_atr(self, atr: bytes) -> bool: ...

    def read_identity(self, session: CardSession, include_photo: bool,
                      include_address: bool = True) -> Identity: ...

    def read_auth_certificate(self, session: CardSession) -> bytes: ...

    def verify_pin(self, session: CardSession, pin: bytearray) -> None: ...

    def sign_challenge(self, session: CardSession, nonce: bytes, certificate: bytes,
                       ) -> ChallengeSignature: ...


def _families() -> tuple[CardFamily, ...]:
    from drivers.eid.profiles import belpic

    return (belpic.FAMILY,)


def choose_family(session: CardSession) -> CardFamily:
    """Find the family of the card in ``session`` or raise :class:`CardNotSupported`."""
    families = _families()
    for family in families:
        if family.matches_atr(session.atr):
            return family
    for family in families:
        if family.aid is None:
            continue
        aid = family.aid
        _, sw = session.transmit(bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid, "select AID")
        if sw == 0x9000:
            return family
    log.info("card not supported (ATR %s)", session.atr.hex(" "))
    raise CardNotSupported(f"no card profile for ATR {session.atr.hex()}")
