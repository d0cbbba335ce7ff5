"""The one-question survey: a score from 1 to 5, queued durably, never in the citizen's way.

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

from offline_cache.outbox import Outbox

log = logging.getLogger(__name__)
SCORES = range(1, 6)


class SatisfactionBox(Protocol):
    """Where the survey screen puts an answer."""

    async def record(self, score: int, journey: str) -> bool:
        """Store one answer; True when it is queued, False when it was lost (logged)."""
        ...


class OutboxSatisfaction:
    """:class:`SatisfactionBox` writing to the durable outbox, off the UI thread."""

    def __init__(self, outbox: Outbox, wake: Callable[[], None] | None = None) -> None:
        self._outbox = outbox
        self._wake = wake

    async def record(self, score: int, journey: str) -> bool:
        """Queue the answer on a worker thread and wake the sync worker; refuse 1..5 only."""
        if score not in SCORES:
            raise ValueError(f"satisfaction score must be 1..5, got {score}")
        try:
            item = await asyncio.to_thread(self._outbox.enqueue_satisfaction, score, journey)
        except sqlite3.Error:
            log.exception("survey answer for %s could not be stored; dropped", journey)
            return False
        log.info("survey answer for %s queued as outbox item %d", journey, item)
        if self._wake is not None:
            self._wake()
        return True
