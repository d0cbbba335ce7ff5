"""What the kiosk sees of an e-ID reader: the Protocol, the identity record, the events.

Card events travel as :class:`drivers.base.DeviceStatus` with ``device=eid`` and the detail
``card=present|absent|unreadable`` (plus ``profile=<name>`` once the card is recognised).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from common.diagnosis import Diagnosis
from drivers.base import DeviceListener, DeviceStatus


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    municipality: str


@dataclass(frozen=True)
class Identity:
    """What the card says about its holder; ``repr`` hides personal data (safe in logs)."""

    national_number: str = field(repr=False)
    surname: str = field(repr=False)
    given_names: str = field(repr=False)
    birth_date: dt.date = field(repr=False)
    birth_place: str = field(repr=False)
    nationality: str = field(repr=False)
    sex: str = field(repr=False)
    card_number: str = field(repr=False)
    valid_from: dt.date = field(repr=False)
    valid_until: dt.date = field(repr=False)
    address: Address | None = field(repr=False, default=None)
    photo: bytes | None = field(repr=False, default=None)
    signed: bool = False  # identity (and address) signature checked with the RRN certificate
    profile: str = ""


@dataclass(frozen=True)
class ChallengeSignature:
    """A signature for ``POST /v1/eid/authentications``."""

    signature: bytes
    algorithm: str  # "RS256" | "ES256" | "ES384"


class EidReader(Protocol):
    """An e-ID card reader; every method may raise an :mod:`drivers.eid.errors` error."""

    @property
    def status(self) -> DeviceStatus: ...

    def add_listener(self, listener: DeviceListener) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def read_identity(self, *, include_photo: bool = False,
                      include_address: bool = True) -> Identity: ...

    def read_auth_certificate(self) -> bytes: ...

    def verify_pin(self, pin: bytearray) -> None: ...

    def sign_challenge(self, nonce: bytes) -> ChallengeSignature: ...

    def diagnose(self) -> list[Diagnosis]: ...
