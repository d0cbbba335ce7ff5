"""Calling an assistant: a request the API delivers to staff, queued while offline."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from offline_cache.outbox import Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssistanceReceipt:
    """The request is stored; ``queued`` says the link is down, so it waits to be sent."""

    outbox_id: int
    queued: bool


class AssistanceDesk(Protocol):
    """Where the Help panel sends a call for an assistant."""

    def request_assistance(self, reason: str) -> AssistanceReceipt:
        """Store a call for an assistant; raise on a storage failure."""
        ...


class OutboxAssistance:
    """:class:`AssistanceDesk` writing to the durable outbox (POST /v1/assistance-requests)."""

    def __init__(self, outbox: Outbox, online: Callable[[], bool],
                 wake: Callable[[], None] | None = None) -> None:
        self._outbox = outbox
        self._online = online
        self._wake = wake

    def request_assistance(self, reason: str) -> AssistanceReceipt:
        """Enqueue the call and wake the sync worker so it leaves at once when online."""
        item = self._outbox.enqueue_assistance_request(reason)
        log.info("assistance request queued as outbox item %d", item)
        if self._wake is not None:
            self._wake()
        return AssistanceReceipt(item, queued=not self._online())
