"""Identify the citizen: e-ID card (preview, consent, PIN, signed challenge) or typed ID number.

Every blocking call, to the card or to the API, is awaited through ``asyncio.to_thread``
(the reader hops onto its own device thread inside each method). Results are typed outcomes with a
gettext ``message_key`` so the screens never see a driver or HTTP error. The PIN is verified
once and never retried; the caller's bytearray is wiped whatever happens. A card pulled out
during any step gives :class:`SessionEnded`: the screen wipes the session. The citizen's
names are registered with the log redactor while the session lasts (:meth:`Identifier.end`
forgets them), so no name reaches a log line.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from common.text import N_
from drivers.base import DeviceStatus, DriverError
from drivers.eid.base import ChallengeSignature
from drivers.eid.base import Identity as CardIdentity
from drivers.eid.errors import CardAbsent, CardRemoved, PinBlocked, WrongPin
from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiRejected, ApiUnauthorized
from kiosk.redaction import REDACTOR, Redactor

log = logging.getLogger(__name__)

MSG_SESSION_ENDED = N_("The card was removed, so we ended your session to protect your data.")
MSG_WRONG_PIN = N_("The PIN is not correct. You have {tries} tries left.")
MSG_PIN_BLOCKED = N_("The PIN of this card is blocked. The card must be unblocked at the office.")
MSG_API_OFFLINE = N_("Identification is not possible right now. Please try again later.")
MSG_OUT_OF_SERVICE = N_("This kiosk cannot identify you right now. Please ask for assistance.")
MSG_CARD_REFUSED = N_("This card could not be checked. Please ask for assistance.")
MSG_BAD_ID_NUMBER = N_("This ID number is not valid. Please check the digits.")
MSG_EID_REQUIRED = N_("This procedure needs your identity card and its PIN.")


class CardReader(Protocol):
    """What identification needs from an e-ID reader (:class:`drivers.eid.base.EidReader`)."""

    def read_identity(self, *, include_photo: bool = False,
                      include_address: bool = True) -> CardIdentity: ...

    def read_auth_certificate(self) -> bytes: ...

    def verify_pin(self, pin: bytearray) -> None: ...

    def sign_challenge(self, nonce: bytes) -> ChallengeSignature: ...


@dataclass(frozen=True)
class IdentityPreview:
    """What the confirmation screen shows after the card is inserted (nothing more)."""

    given_names: str = field(repr=False)
    surname: str = field(repr=False)
    masked_national_number: str  # e.g. "••••••••353": only the last 3 digits


@dataclass(frozen=True)
class CitizenIdentity:
    """An identified citizen; ``repr`` shows no personal data."""

    national_number: str = field(repr=False)
    surname: str = field(repr=False)
    given_names: str = field(repr=False)
    address: str | None = field(repr=False, default=None)
    citizen_session: str | None = field(repr=False, default=None)  # e-ID only
    method: str = "eid"  # "eid" | "id_number"

    @property
    def full_name(self) -> str:
        """Given names then surname, as forms print them."""
        return f"{self.given_names} {self.surname}".strip()


@dataclass(frozen=True)
class Authenticated:
    identity: CitizenIdentity


@dataclass(frozen=True)
class PinWrong:
    tries_left: int
    message_key: str = MSG_WRONG_PIN


@dataclass(frozen=True)
class PinLocked:
    message_key: str = MSG_PIN_BLOCKED


@dataclass(frozen=True)
class SessionEnded:
    """The card left the reader: wipe everything and go back to the start."""

    message_key: str = MSG_SESSION_ENDED


@dataclass(frozen=True)
class IdentifyFailed:
    """Identification cannot go on now (API offline, card refused, reader trouble)."""

    message_key: str


PreviewOutcome = IdentityPreview | SessionEnded | IdentifyFailed
AuthOutcome = Authenticated | PinWrong | PinLocked | SessionEnded | IdentifyFailed
IdNumberOutcome = Authenticated | IdentifyFailed

def mask_national_number(number: str) -> str:
    """Hide all but the last three digits (what a bystander may see on screen)."""
    return "•" * max(len(number) - 3, 0) + number[-3:]


def card_removed(status: DeviceStatus) -> bool:
    """Tell whether a pushed reader status means the card left (end the session)."""
    return status.detail.get("card") == "absent"


def valid_national_number(number: str) -> bool:
    """Check the Belgian rule: 11 digits, check = 97 - first nine mod 97 (or with a 2 prefix)."""
    if not re.fullmatch(r"\d{11}", number):
        return False
    body, check = int(number[:9]), int(number[9:])
    return check in (97 - body % 97, 97 - int("2" + number[:9]) % 97)


def by_id_number(procedure: Mapping[str, Any], typed: str,
                 redactor: Redactor = REDACTOR) -> IdNumberOutcome:
    """Identify by a typed ID number where the procedure allows it (no card, no names).

    Needs no reader: a kiosk whose card reader is down still serves these procedures.
    """
    if procedure.get("identity_level") == "eid":
        return IdentifyFailed(MSG_EID_REQUIRED)
    number = re.sub(r"[\s.\-]", "", typed)
    if not valid_national_number(number):
        return IdentifyFailed(MSG_BAD_ID_NUMBER)
    redactor.remember(number)
    return Authenticated(CitizenIdentity(number, "", "", None, None, "id_number"))


def _address(card: CardIdentity) -> str | None:
    if card.address is None:
        return None
    a = card.address
    return f"{a.street}, {a.postal_code} {a.municipality}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _api_failure(err: ApiError) -> IdentifyFailed:
    if isinstance(err, ApiOffline):
        return IdentifyFailed(MSG_API_OFFLINE)
    if isinstance(err, ApiUnauthorized):
        return IdentifyFailed(MSG_OUT_OF_SERVICE)
    if isinstance(err, ApiRejected):
        return IdentifyFailed(MSG_CARD_REFUSED)
    return IdentifyFailed(MSG_API_OFFLINE)


class Identifier:
    """One citizen's identification; call :meth:`end` at the wipe."""

    def __init__(self, reader: CardReader, api: ApiClient, redactor: Redactor = REDACTOR) -> None:
        self._reader = reader
        self._api = api
        self._redactor = redactor
        self._card: CardIdentity | None = None

    async def preview(self) -> PreviewOutcome:
        """Read the card's identity page for on-screen confirmation (no PIN, no address).

        Only what showing her name needs: the address waits for her consent
        (:meth:`read_address`).
        """
        try:
            card = await asyncio.to_thread(self._reader.read_identity, include_address=False)
        except (CardRemoved, CardAbsent):
            return SessionEnded()
        except DriverError as err:
            log.info("identity read failed: %s", type(err).__name__)
            return IdentifyFailed(err.message_key)
        self._card = card
        self._remember(card.given_names, card.surname, card.national_number,
                       _address(card) or "")
        return IdentityPreview(card.given_names, card.surname,
                               mask_national_number(card.national_number))

    async def read_address(self) -> SessionEnded | IdentifyFailed | None:
        """Read the address too, once she agreed that a form receives it (None: read)."""
        try:
            card = await asyncio.to_thread(self._reader.read_identity, include_address=True)
        except (CardRemoved, CardAbsent):
            return SessionEnded()
        except DriverError as err:
            log.info("address read failed: %s", type(err).__name__)
            return IdentifyFailed(err.message_key)
        if self._card is not None and card.national_number != self._card.national_number:
            return SessionEnded()  # another card than the one she confirmed
        self._card = card
        self._remember(_address(card) or "")
        return None

    async def authenticate(self, pin: bytearray) -> AuthOutcome:
        """Challenge, VERIFY ``pin`` once, sign, authenticate; ``pin`` is wiped on return."""
        try:
            return await self._authenticate(pin)
        finally:
            pin[:] = bytes(len(pin))

    async def _authenticate(self, pin: bytearray) -> AuthOutcome:
        if self._card is None:
            outcome = await self.preview()
            if not isinstance(outcome, IdentityPreview):
                return outcome
        try:
            challenge = await asyncio.to_thread(self._api.eid_challenge)
        except ApiError as err:
            log.warning("e-ID challenge failed: %s", type(err).__name__)
            return _api_failure(err)
        nonce = base64.b64decode(challenge["nonce"])
        reader = self._reader
        try:
            await asyncio.to_thread(reader.verify_pin, pin)
            certificate = await asyncio.to_thread(reader.read_auth_certificate)
            signed = await asyncio.to_thread(reader.sign_challenge, nonce)
        except WrongPin as err:
            log.info("e-ID PIN refused by the card, %d tries left", err.tries_left)
            return PinWrong(err.tries_left)
        except PinBlocked:
            log.info("e-ID PIN blocked")
            return PinLocked()
        except (CardRemoved, CardAbsent):
            log.info("card removed during e-ID authentication")
            return SessionEnded()
        except DriverError as err:
            log.warning("e-ID authentication failed on the card: %s", type(err).__name__)
            return IdentifyFailed(err.message_key)
        try:
            answer = await asyncio.to_thread(
                self._api.eid_authenticate, challenge["nonce"], _b64(certificate),
                _b64(signed.signature), signed.algorithm)
        except ApiError as err:
            log.warning("e-ID authentication refused or failed: %s", type(err).__name__)
            return _api_failure(err)
        who = answer["identity"]
        self._remember(who["given_names"], who["surname"], who["national_number"])
        card = self._card
        return Authenticated(CitizenIdentity(
            who["national_number"], who["surname"], who["given_names"],
            _address(card) if card is not None else None, answer["citizen_session"], "eid"))

    def card_identity(self) -> CitizenIdentity | None:
        """The identity read from the card by :meth:`preview` (no PIN, no API session).

        Good for pre-filling a form before the PIN; submitting needs :meth:`authenticate`.
        None until the card was read.
        """
        card = self._card
        if card is None:
            return None
        return CitizenIdentity(card.national_number, card.surname, card.given_names,
                               _address(card), None, "eid")

    def by_id_number(self, procedure: Mapping[str, Any], typed: str) -> IdNumberOutcome:
        """Identify by a typed ID number where the procedure allows it (no names known)."""
        return by_id_number(procedure, typed, self._redactor)

    def end(self) -> None:
        """Forget the card and the session's values (the redactor's too)."""
        self._card = None
        self._redactor.forget_all()

    def _remember(self, *values: str) -> None:
        self._redactor.remember(*(v for v in values if v))
