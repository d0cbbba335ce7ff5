"""The one-question survey: a score from 1 to 5, queued durably, never in the citizen's way.

A low score (1 or 2) may carry one reason picked from a short list: the municipality learns
why a service disappoints without a public kiosk ever asking for free text. The answer names
the journey and the procedure, never the citizen.

The answer goes to the outbox (``POST /v1/satisfaction`` by the sync worker, with an
Idempotency-Key, so a resend is harmless); the citizen never waits for the API. A storage
failure is logged and swallowed: a lost survey answer must not stop a goodbye.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Protocol

from common.text import N_
from offline_cache.outbox import Outbox

log = logging.getLogger(__name__)
SCORES = range(1, 6)
LOW_SCORE = 2  # at or below: the survey offers the reasons (the API's summary uses the same)
# The reasons a citizen can give for a low score, in the order shown: API code -> msgid.
REASONS: dict[str, str] = {
    "too_many_steps": N_("Too many steps"),
    "did_not_understand": N_("I did not understand"),
    "device_failed": N_("A device failed"),
    "other": N_("Something else"),
}


def asks_reason(score: int) -> bool:
    """Tell whether this score is low enough to offer the list of reasons."""
    return score <= LOW_SCORE


class SatisfactionBox(Protocol):
    """Where the survey screen puts an answer."""

    async def record(self, score: int, journey: str, procedure_id: str = "",
                     reason: str | None = None) -> bool:
        """Store one answer; True when it is queued, False when it was lost (logged)."""
        ...


class OutboxSatisfaction:
    """:class:`SatisfactionBox` writing to the durable outbox, off the UI thread."""

    def __init__(self, outbox: Outbox, wake: Callable[[], None] | None = None) -> None:
        self._outbox = outbox
        self._wake = wake

    async def record(self, score: int, journey: str, procedure_id: str = "",
                     reason: str | None = None) -> bool:
        """Queue the answer on a worker thread and wake the sync worker.

        Refuses a score outside 1..5 or a reason not in :data:`REASONS` (a bug, not a
        citizen's choice): the API would park it forever.
        """
        if score not in SCORES:
            raise ValueError(f"satisfaction score must be 1..5, got {score}")
        if reason is not None and reason not in REASONS:
            raise ValueError(f"unknown survey reason {reason!r}")
        try:
            item = await asyncio.to_thread(self._outbox.enqueue_satisfaction, score, journey,
                                           procedure_id or None, reason)
        except sqlite3.Error:
            log.exception("survey answer for %s could not be stored; dropped", journey)
            return False
        log.info("survey answer for %s (%s) queued as outbox item %d", journey,
                 procedure_id or "no procedure", item)
        if self._wake is not None:
            self._wake()
        return True
