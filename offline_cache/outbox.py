"""The outbox: what must reach the central API, durable and encrypted until delivered.

Items are written in the *same* SQLite transaction as the journal change that creates them
(``enqueue`` takes the open transaction's connection), so a crash can never leave an
authorized payment without its upload or an upload without its payment.

Delivery order: the sync worker takes pending items in id order. Items share a *stream*
(``payment:12``, ``submission:5``...); an item parked after a 4xx holds back the later items
of its stream only, never other streams. Heartbeats are coalesced: only the newest pending
one is kept. Bodies are AES-GCM records bound to ``outbox:<id>``; a delivered item keeps
its metadata (for the queue view) but its body is deleted.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, record_incident, utc_now
from offline_cache.errors import RecordTampered


@dataclass(frozen=True)
class OutboxItem:
    """One queued upload, with its decrypted body."""

    id: int
    kind: str
    stream: str
    ref_id: int | None
    idempotency_key: str
    attempts: int
    body: dict[str, Any]


@dataclass(frozen=True)
class QueueEntry:
    """One line of the technician's queue view (no personal data)."""

    id: int
    kind: str
    stream: str
    state: str
    attempts: int
    last_error: str | None
    created_at: str
    delivered_at: str | None


def enqueue(
    tx: sqlite3.Connection,
    cipher: RecordCipher,
    kind: str,
    body: dict[str, Any],
    *,
    stream: str | None = None,
    ref_id: int | None = None,
    idempotency_key: str | None = None,
) -> int:
    """Add an item inside the caller's open transaction; return its id."""
    key = idempotency_key or str(uuid.uuid4())
    cur = tx.execute(
        "INSERT INTO outbox (kind, stream, ref_id, idempotency_key, state, created_at)"
        " VALUES (?, ?, ?, ?, 'pending', ?)",
        (kind, stream or f"{kind}:{key}", ref_id, key, utc_now()),
    )
    item_id = int(cur.lastrowid or 0)
    tx.execute(
        "UPDATE outbox SET payload = ? WHERE id = ?",
        (cipher.seal("outbox", item_id, body), item_id),
    )
    return item_id


class Outbox:
    """Queue and inspect uploads; the sync worker drains it."""

    def __init__(self, database: OfflineDatabase, cipher: RecordCipher) -> None:
        self._database = database
        self._cipher = cipher

    def enqueue_satisfaction(self, score: int, journey: str, procedure_id: str | None = None,
                             reason: str | None = None) -> int:
        """Queue a one-question survey answer (1..5), its procedure and a low score's reason."""
        if not 1 <= score <= 5:
            raise ValueError(f"satisfaction score must be 1..5, got {score}")
        body: dict[str, Any] = {"score": score, "journey": journey}
        if procedure_id:
            body["procedure_id"] = procedure_id
        if reason:
            body["reason"] = reason
        with self._database.transaction() as tx:
            return enqueue(tx, self._cipher, "satisfaction", body)

    def enqueue_assistance_request(self, reason: str) -> int:
        """Queue a call for a staff member."""
        with self._database.transaction() as tx:
            return enqueue(tx, self._cipher, "assistance_request", {"reason": reason})

    def enqueue_consent(self, body: dict[str, Any]) -> int:
        """Queue a citizen's consent record (field names, never values; POST /v1/consents)."""
        with self._database.transaction() as tx:
            return enqueue(tx, self._cipher, "consent", body)

    def enqueue_heartbeat(self, body: dict[str, Any]) -> int:
        """Queue a heartbeat, replacing any heartbeat not yet sent (only the newest matters)."""
        with self._database.transaction() as tx:
            tx.execute("DELETE FROM outbox WHERE kind = 'heartbeat' AND state = 'pending'")
            return enqueue(tx, self._cipher, "heartbeat", body, stream="heartbeat")

    def oldest_pending_at(self) -> str | None:
        """When the oldest item still waiting for delivery was queued (heartbeats aside)."""
        with self._database.reading() as conn:
            row = conn.execute("SELECT min(created_at) FROM outbox WHERE state = 'pending'"
                               " AND kind != 'heartbeat'").fetchone()
        return None if row[0] is None else str(row[0])

    def due(self, limit: int = 50) -> list[OutboxItem]:
        """Return the next pending items in order; park any that fails authentication."""
        with self._database.reading() as conn:
            rows = conn.execute(
                    "SELECT o.id, o.kind, o.stream, o.ref_id, o.idempotency_key, o.attempts,"
                " o.payload FROM outbox o WHERE o.state = 'pending' AND NOT EXISTS ("
                "  SELECT 1 FROM outbox p WHERE p.stream = o.stream AND p.id < o.id"
                "  AND p.state != 'delivered')"
                " ORDER BY o.id LIMIT ?",
                (limit,),
            ).fetchall()
        items = []
        for r in rows:
            try:
                body = self._cipher.open("outbox", r[0], r[6])
            except RecordTampered as err:  # never send garbage; keep it for a technician
                self.park(r[0], str(err), incident=True)
                continue
            items.append(OutboxItem(r[0], r[1], r[2], r[3], r[4], r[5], body))
        return items

    def record_failure(self, item_id: int, error: str) -> None:
        """Count a failed attempt (link down or server error); the item stays pending."""
        with self._database.transaction() as tx:
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                (error[:500], item_id),
            )

    def park(self, item_id: int, error: str, *, incident: bool = False) -> None:
        """Stop retrying an item; a technician decides. The encrypted body is kept.

        ``incident``: also raise an incident naming the item and the server's answer (a
        refusal must never park money or a request silently).
        """
        with self._database.transaction() as tx:
            tx.execute(
                "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                (error[:500], item_id),
            )
            if incident:
                row = tx.execute("SELECT kind, ref_id FROM outbox WHERE id = ?",
                                 (item_id,)).fetchone()
                kind, ref = (row[0], row[1]) if row else ("item", None)
                record_incident(tx, "delivery_refused",
                                f"outbox item {item_id} ({kind} {ref}): {error[:300]}")

    def retry_parked(self, item_id: int) -> None:
        """Put a parked item back in the queue (technician action)."""
        with self._database.transaction() as tx:
            tx.execute(
                "UPDATE outbox SET state = 'pending' WHERE id = ? AND state = 'parked'"
                " AND payload IS NOT NULL",
                (item_id,),
            )

    def depth(self) -> int:
        """Count items not yet delivered (pending or parked)."""
        with self._database.reading() as conn:
            row = conn.execute("SELECT count(*) FROM outbox WHERE state != 'delivered'").fetchone()
        return int(row[0])

    def view(self, *, include_delivered: bool = False, limit: int = 200) -> list[QueueEntry]:
        """List queue entries for the technician screen, oldest first, without bodies."""
        where = "" if include_delivered else "WHERE state != 'delivered'"
        with self._database.reading() as conn:
            rows = conn.execute(
                "SELECT id, kind, stream, state, attempts, last_error, created_at, delivered_at"
                f" FROM outbox {where} ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
        return [QueueEntry(*row) for row in rows]
