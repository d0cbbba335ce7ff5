"""The sync worker: drains the outbox to the central API on its own thread.

A plain thread, not an asyncio task: the API client is synchronous (requests) and SQLite
connections belong to one thread, so the worker owns one connection and one HTTP session
on one thread and never touches the Kivy main thread or its event loop. Nothing here blocks
the UI; the UI learns about progress through listeners (plain callbacks, called *on the
worker thread* — a Kivy screen marshals them with ``Clock.schedule_once``).

One round: take up to ``batch_size`` due items in order and upload them one by one (the API
has no batch endpoint; the keep-alive session and the single due-query are the batching).
Success → :func:`offline_cache.delivery.confirm` (delivered, synced, personal data purged,
in one transaction). Rejected (4xx) → parked for a technician; later items of the same
stream wait, other streams go on. Failed (offline, timeout, 5xx) → the round stops so global
order is kept, and the worker waits an exponential, jittered, capped delay.
Exactly once end to end comes from the server's Idempotency-Key: a crash between upload and
confirm re-sends the same key, and the server answers with the record it already holds.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from offline_cache.backoff import backoff_delay
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, utc_now
from offline_cache.delivery import (
    DeliveryDeferred,
    DeliveryFailed,
    DeliveryRejected,
    DeliveryRevoked,
    Uploader,
    confirm,
)
from offline_cache.journal import Journal
from offline_cache.outbox import Outbox
from offline_cache.retention import purge_expired
from offline_cache.submissions import Submissions

log = logging.getLogger(__name__)

PURGE_EVERY_S = 3600.0
MAX_RETRY_AFTER_S = 3600.0  # a Retry-After longer than an hour is a server mistake


class LinkState(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    REVOKED = "revoked"  # the API refuses this kiosk's token: no delivery, no card sales


@dataclass(frozen=True)
class SyncStatus:
    """What the UI and the technician screen show about synchronisation."""

    link: LinkState
    queue_depth: int
    parked: int
    last_sync: str | None
    last_error: str | None


SyncListener = Callable[[SyncStatus], None]


class SyncWorker:
    """Deliver outbox items in order, with backoff, on a dedicated thread."""

    def __init__(
        self,
        database: OfflineDatabase,
        cipher: RecordCipher,
        uploader: Uploader,
        *,
        interval_s: float,
        max_backoff_s: float,
        retention_days: int,
        base_backoff_s: float = 1.0,
        batch_size: int = 50,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._template = database
        self._cipher = cipher
        self._uploader = uploader
        self._interval_s = interval_s
        self._max_backoff_s = max_backoff_s
        self._base_backoff_s = base_backoff_s
        self._retention_days = retention_days
        self._batch_size = batch_size
        self._rng = rng or random.Random()
        self._clock = clock or (lambda: datetime.now(UTC))  # retention's "now" (tests move it)
        self._listeners: list[SyncListener] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._link = LinkState.UNKNOWN
        self._last_sync: str | None = None
        self._deferred_s: float | None = None  # Retry-After of the last 429
        self._last_error: str | None = None

    def subscribe(self, listener: SyncListener) -> Callable[[], None]:
        """Call ``listener`` on every link change and delivery; return an unsubscriber."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def link(self) -> LinkState:
        """The link state as last observed."""
        return self._link

    def start(self) -> None:
        """Start the worker thread."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="offline-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current upload and stop; wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Sync now: cut the current wait (new item queued, or a technician's forced sync)."""
        self._wake.set()

    def status(self) -> SyncStatus:
        """Return the current link state and queue figures (any thread)."""
        db = self._template.reopen()
        try:
            return self._status(db)
        finally:
            db.close()

    def purge(self, db: OfflineDatabase) -> int:
        """Apply retention now (the worker does it hourly); return the rows purged."""
        return purge_expired(db, self._retention_days, now=self._clock())

    def drain(self, db: OfflineDatabase) -> bool:
        """Run one round on ``db``; return False if it stopped on a delivery failure."""
        journal, submissions = Journal(db, self._cipher), Submissions(db, self._cipher)
        outbox = Outbox(db, self._cipher)
        for item in outbox.due(self._batch_size):
            if self._stop.is_set():
                return True
            try:
                response = self._uploader.upload(item.kind, item.body, item.idempotency_key)
            except DeliveryRejected as err:
                log.error("outbox item %d (%s) refused by the API, parked: %s", item.id,
                          item.kind, err)
                outbox.park(item.id, str(err), incident=True)
                self._notify(db)
                continue
            except DeliveryDeferred as err:  # 429: the server asks us to wait
                outbox.record_failure(item.id, str(err))
                self._deferred_s = err.retry_after_s
                log.warning("API asks to slow down (%s); waiting %s s", err,
                            err.retry_after_s if err.retry_after_s is not None else "a while")
                return False
            except DeliveryRevoked as err:
                outbox.record_failure(item.id, str(err))
                log.error("the API refuses this kiosk's token (%s): delivery and card sales "
                          "stop until a technician enrols it again", err)
                self._last_error = str(err)
                if not self._set_link(db, LinkState.REVOKED):
                    self._notify(db)
                return False
            except DeliveryFailed as err:
                outbox.record_failure(item.id, str(err))
                self._failed(db, str(err))
                return False
            confirm(db, journal, submissions, item, response)
            self._failures, self._last_sync = 0, utc_now()
            if not self._set_link(db, LinkState.ONLINE):
                self._notify(db)
        return True

    def _run(self) -> None:
        db = self._template.reopen()
        next_purge = 0.0
        try:
            while not self._stop.is_set():
                try:
                    if time.monotonic() >= next_purge:
                        self.purge(db)
                        next_purge = time.monotonic() + PURGE_EVERY_S
                    ok = self._round(db)
                    if ok and Outbox(db, self._cipher).due(1):
                        continue  # more to send: no wait
                except Exception as err:  # the worker must outlive any one bad round
                    log.exception("sync round failed")
                    self._failed(db, f"internal error: {type(err).__name__}")
                    ok = False
                self._wait(self._delay() if not ok else self._interval_s)
        finally:
            db.close()

    def _round(self, db: OfflineDatabase) -> bool:
        if Outbox(db, self._cipher).due(1):
            return self.drain(db)
        try:
            reachable = self._uploader.probe()
        except Exception as err:  # a probe must never kill the worker
            log.warning("API probe failed: %s", type(err).__name__)
            reachable = False
        if reachable:
            self._failures = 0
            self._set_link(db, LinkState.ONLINE)
            return True
        self._failed(db, "API health check failed")
        return False

    def _failed(self, db: OfflineDatabase, error: str) -> None:
        self._failures += 1
        self._last_error = error
        log.info("sync failed (%d in a row): %s", self._failures, error)
        if not self._set_link(db, LinkState.OFFLINE):
            self._notify(db)

    def _delay(self) -> float:
        deferred, self._deferred_s = self._deferred_s, None
        if deferred is not None:  # Retry-After wins over our own backoff, within reason
            return min(max(deferred, self._base_backoff_s), MAX_RETRY_AFTER_S)
        if self._link is LinkState.REVOKED:
            return self._max_backoff_s
        return backoff_delay(
            max(self._failures, 1), base_s=self._base_backoff_s, cap_s=self._max_backoff_s,
            rng=self._rng,
        )

    def _wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _set_link(self, db: OfflineDatabase, link: LinkState) -> bool:
        if link is self._link:
            return False
        log.info("central API link: %s -> %s", self._link, link)
        self._link = link
        self._notify(db)
        return True

    def _status(self, db: OfflineDatabase) -> SyncStatus:
        depth, parked = db.conn.execute(
            "SELECT count(*) FILTER (WHERE state != 'delivered'),"
            " count(*) FILTER (WHERE state = 'parked') FROM outbox"
        ).fetchone()
        return SyncStatus(self._link, int(depth), int(parked), self._last_sync, self._last_error)

    def _notify(self, db: OfflineDatabase) -> None:
        status = self._status(db)
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("sync listener failed")
