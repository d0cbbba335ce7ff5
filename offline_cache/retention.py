"""Purge personal data older than the retention period, except what carries money.

Confirmed items are purged at once by :func:`offline_cache.delivery.confirm`; this is the
backstop for what never got confirmed (the link was down for weeks, an item was parked).
Payments are never purged before the API has them: a charged sale's upload (and the bills
it paid) stays, encrypted, until it is delivered or a technician settles it, however long
the outage or however far the clock jumps. Settled payments (declined, or synced) and every
other kind of item are purged after ``retention_days``; an undelivered non-payment item whose
body is purged is parked with a plain reason so the queue view shows it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from offline_cache.database import OfflineDatabase, utc_now

log = logging.getLogger(__name__)

RETENTION_EXPIRED = "retention expired: personal data purged before delivery"


def purge_expired(
    database: OfflineDatabase, retention_days: int, now: datetime | None = None
) -> int:
    """Drop encrypted personal data created more than ``retention_days`` ago; return rows hit."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).isoformat(
        timespec="milliseconds"
    )
    stamp = utc_now()
    with database.transaction() as tx:
        hit = 0
        hit += tx.execute(
            "UPDATE payments SET private = NULL, purged_at = ?"
            " WHERE private IS NOT NULL AND created_at < ? AND state IN ('declined', 'synced')",
            (stamp, cutoff),
        ).rowcount
        hit += tx.execute(
            "UPDATE submissions SET private = NULL, purged_at = ?"
            " WHERE private IS NOT NULL AND created_at < ?",
            (stamp, cutoff),
        ).rowcount
        undelivered = tx.execute(
            "UPDATE outbox SET payload = NULL, state = 'parked', last_error = ?"
            " WHERE payload IS NOT NULL AND state != 'delivered' AND kind != 'payment'"
            " AND created_at < ?",
            (RETENTION_EXPIRED, cutoff),
        ).rowcount
        hit += undelivered
    if undelivered:
        log.warning("%d undelivered outbox items passed retention; parked", undelivered)
    if hit:
        log.info("retention purge: %d records", hit)
    return hit
