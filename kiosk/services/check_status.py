"""Check a status: a case by its number, or the identified citizen's open cases and debts.

Live answers only: with the API unreachable the outcome is :class:`StatusUnavailable`, never
a cached guess (a status shown to a citizen must be the municipality's current one).

A case typed by its number answers with its status only (the API gives nothing else): the
procedure and its dates are shown to the identified citizen, in :meth:`CheckStatus.overview`.
Case numbers are ``VE-2026-`` and eight random Crockford characters; the six-digit numbers
issued before are still understood.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from common.text import N_
from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiRejected, ApiUnauthorized
from kiosk.api_types import CasePublicStatus, CaseStatus, Debt
from kiosk.services.identify import CitizenIdentity

log = logging.getLogger(__name__)

MSG_UNAVAILABLE = N_("We cannot check this right now. Please try again later.")
MSG_OUT_OF_SERVICE = N_("This kiosk cannot check statuses right now. Please ask for assistance.")
MSG_BAD_CASE_NUMBER = N_("A case number looks like VE-2026-7K3M9QXF. Please check it.")
MSG_CASE_NOT_FOUND = N_("We found no case with this number. Please check it.")
MSG_SESSION_EXPIRED = N_("Your identification has expired. Please insert your card again.")
MSG_NOT_IDENTIFIED = N_("Please identify yourself with your card first.")

CLOSED_STATUSES = frozenset({"resolved", "rejected"})
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people mistype


@dataclass(frozen=True)
class CaseFound:
    case: CasePublicStatus  # the status only: nothing about the person


@dataclass(frozen=True)
class CitizenOverview:
    """The identified citizen's open cases and pending debts (the proactive service)."""

    open_cases: list[CaseStatus]
    debts: list[Debt]


@dataclass(frozen=True)
class StatusUnavailable:
    """No answer now (API offline or refusing this kiosk): say so; never guess."""

    message_key: str = MSG_UNAVAILABLE


@dataclass(frozen=True)
class StatusRefused:
    """The question itself cannot be answered (bad or unknown number, expired session)."""

    message_key: str


CaseOutcome = CaseFound | StatusRefused | StatusUnavailable
OverviewOutcome = CitizenOverview | StatusRefused | StatusUnavailable


def normalise_case_number(typed: str) -> str | None:
    """Turn what the citizen typed ("ve 2026 7k3m 9qxf") into a case number, or None.

    The random part forgives the letters people confuse with digits (O, I, L); a number
    from before the random ones (six digits) is kept as it is.
    """
    compact = re.sub(r"[\s\-_/.]", "", typed.upper())
    match = re.fullmatch(r"([A-Z]{2})(\d{4})(\d{6}|[0-9A-Z]{8})", compact)
    if match is None:
        return None
    serial = match[3] if len(match[3]) == 6 else match[3].translate(CROCKFORD_ALIASES)
    if any(char not in CROCKFORD for char in serial):
        return None
    return f"{match[1]}-{match[2]}-{serial}"


def _unavailable(err: ApiError) -> StatusUnavailable:
    if isinstance(err, ApiUnauthorized):
        return StatusUnavailable(MSG_OUT_OF_SERVICE)
    return StatusUnavailable()


class CheckStatus:
    """Status look-ups against the live API."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def by_case_number(self, typed: str) -> CaseOutcome:
        """Look a case up by the number the citizen typed."""
        case_number = normalise_case_number(typed)
        if case_number is None:
            return StatusRefused(MSG_BAD_CASE_NUMBER)
        try:
            return CaseFound(await asyncio.to_thread(self._api.case_status, case_number))
        except ApiRejected as err:
            if err.status == 404:
                return StatusRefused(MSG_CASE_NOT_FOUND)
            log.warning("case look-up refused: %s", err.code)
            return StatusRefused(MSG_BAD_CASE_NUMBER)
        except ApiError as err:
            log.info("case look-up unavailable: %s", type(err).__name__)
            return _unavailable(err)

    async def overview(self, identity: CitizenIdentity) -> OverviewOutcome:
        """The e-ID citizen's open cases and pending debts (X-Citizen-Session)."""
        session = identity.citizen_session
        if session is None:
            return StatusRefused(MSG_NOT_IDENTIFIED)
        try:
            cases = await asyncio.to_thread(self._api.my_cases, session)
            debts = await asyncio.to_thread(self._api.my_debts, session)
        except ApiRejected as err:
            log.info("citizen look-up refused: %s", err.code)
            return StatusRefused(MSG_SESSION_EXPIRED)
        except ApiError as err:
            log.info("citizen look-up unavailable: %s", type(err).__name__)
            return _unavailable(err)
        return CitizenOverview([c for c in cases if c["status"] not in CLOSED_STATUSES], debts)
