"""After the e-ID: what the town hall is waiting for from her (bills due, a case needing a paper).

Asked once per identification, with the session the PIN opened (``GET /v1/citizens/me/debts``
and ``/me/cases``). It is a courtesy, never a step: any failure (link down, a slow answer,
a refused session) is logged and gives no note; the journey she came for goes on.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kiosk.api import ApiClient
from kiosk.api_errors import ApiError
from kiosk.services.identify import CitizenIdentity

log = logging.getLogger(__name__)
WAITING = "waiting_for_citizen"


@dataclass(frozen=True)
class ProactiveNote:
    """What to tell her; ``repr`` shows no case number."""

    bills_due: int
    next_due: date | None
    waiting_case: str | None  # the newest case that waits for a document of hers

    def without(self, *, bills: bool = False, case: bool = False) -> ProactiveNote | None:
        """The note minus what the current journey already shows (None when nothing is left)."""
        note = ProactiveNote(0 if bills else self.bills_due, None if bills else self.next_due,
                             None if case else self.waiting_case)
        return None if note.bills_due == 0 and note.waiting_case is None else note


class NoteSource(Protocol):
    """Where the note comes from (:class:`ProactiveNotes`)."""

    async def note_for(self, identity: CitizenIdentity) -> ProactiveNote | None:
        """The note for an identified citizen; None when there is nothing (or no answer)."""
        ...


class ProactiveNotes:
    """:class:`NoteSource` over the API client (blocking calls off the UI thread)."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def note_for(self, identity: CitizenIdentity) -> ProactiveNote | None:
        """Ask the API for her debts and cases; nothing due and nothing waiting gives None."""
        session = identity.citizen_session
        if session is None:
            return None  # a typed ID number opens no session: nothing may be looked up
        try:
            debts = await asyncio.to_thread(self._api.my_debts, session)
            cases = await asyncio.to_thread(self._api.my_cases, session)
        except ApiError as err:
            log.info("no proactive note: %s", type(err).__name__)
            return None
        due = sorted(date.fromisoformat(d["due_date"]) for d in debts
                     if d.get("status", "pending") == "pending")
        waiting = [c["case_number"] for c in cases if c["status"] == WAITING]
        note = ProactiveNote(len(due), due[0] if due else None, waiting[0] if waiting else None)
        return note.without()
