"""What the sync worker needs from the API client, and how an item is confirmed.

The worker talks to an :class:`Uploader`; :mod:`kiosk.api_uploader` adapts
``kiosk.api.ApiClient`` to it. The uploader reduces every failure to two outcomes:
:class:`DeliveryRejected` (the server refused this item for good: a 4xx; retrying cannot
help, so it is parked for a technician) and :class:`DeliveryFailed` (link down, timeout,
5xx: retry later). ``offline`` on DeliveryFailed says whether the link itself is down.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from offline_cache.closes import record_answer
from offline_cache.database import OfflineDatabase, utc_now
from offline_cache.errors import IllegalTransition
from offline_cache.journal import Journal
from offline_cache.outbox import OutboxItem
from offline_cache.submissions import Submissions

log = logging.getLogger(__name__)


class DeliveryRejected(Exception):
    """The server refused the item for good (409, 422, 4xx); parked with an incident."""

    def __init__(self, text: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(text)
        self.status, self.code = status, code


class DeliveryDeferred(Exception):
    """The server asks us to wait (429): the item stays pending, nothing is lost."""

    def __init__(self, text: str, retry_after_s: float | None) -> None:
        super().__init__(text)
        self.retry_after_s = retry_after_s


class DeliveryRevoked(Exception):
    """The server no longer accepts this kiosk (token revoked or unknown): stop sales."""


class DeliveryFailed(Exception):
    """The item could not be delivered now (link down, timeout, server error)."""

    def __init__(self, text: str, *, offline: bool = True) -> None:
        super().__init__(text)
        self.offline = offline


class Uploader(Protocol):
    """Send one outbox item to the central API."""

    def upload(self, kind: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """POST the item; return the server's JSON; raise DeliveryRejected/DeliveryFailed."""
        ...

    def probe(self) -> bool:
        """Tell whether the API answers right now (GET /v1/health)."""
        ...


def confirm(
    database: OfflineDatabase,
    journal: Journal,
    submissions: Submissions,
    item: OutboxItem,
    response: dict[str, Any],
) -> None:
    """Mark an item delivered, its journal row synced and purge its personal data, atomically."""
    with database.transaction() as tx:
        tx.execute(
            "UPDATE outbox SET state = 'delivered', payload = NULL, delivered_at = ?,"
            " attempts = attempts + 1, last_error = NULL WHERE id = ?",
            (utc_now(), item.id),
        )
        try:
            if item.kind == "payment" and item.ref_id is not None:
                journal.synced_in(tx, item.ref_id)
            elif item.kind == "close" and item.ref_id is not None:
                record_answer(tx, item.ref_id, response)
            elif item.kind == "submission" and item.ref_id is not None:
                submissions.synced_in(tx, item.ref_id, str(response.get("case_number", "")))
        except IllegalTransition as err:  # the server has it: never resend; flag the row
            log.error("delivered %s item %d but its journal row is odd: %s", item.kind,
                      item.id, err)
