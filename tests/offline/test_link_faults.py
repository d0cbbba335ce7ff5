"""Acceptance 2: link faults between the sync worker and the real API.

Through rig/faulty_proxy.py: connection resets, injected 500s, answers held beyond the
client timeout, answers dropped after the server recorded the item, and the server itself
stopped and restarted mid-sync. Every queued item must reach the server exactly once and
in order, and the UI-facing link state must follow.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable

import pytest

from common.money import Money
from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.simulated.api import enrol_kiosk
from offline_cache.journal import PaidBill
from offline_cache.store import OfflineStore
from offline_cache.sync import LinkState, SyncStatus, SyncWorker
from rig.faulty_proxy import Fault, FaultyProxy

READ_TIMEOUT_S = 0.6


class LinkWatch:
    """Collect the worker's status events and wait for conditions on them."""

    def __init__(self) -> None:
        self.events: list[SyncStatus] = []
        self._changed = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._changed:
            self.events.append(status)
            self._changed.notify_all()

    def wait(self, check: Callable[[SyncStatus], bool], timeout: float = 15.0) -> SyncStatus:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if self.events and check(self.events[-1]):
                    return self.events[-1]
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; last status: {self.events[-1:]}"
                self._changed.wait(left)

    def links(self) -> list[LinkState]:
        out: list[LinkState] = []
        for status in self.events:
            if not out or out[-1] is not status.link:
                out.append(status.link)
        return out


def _pay(store: OfflineStore, amount: int) -> int:
    p = store.journal.create_payment(Money(amount), [PaidBill(f"LF-{amount}", Money(amount))])
    store.journal.begin_authorizing(p.ticket)
    store.journal.record_authorized(p.ticket, authorization_code=f"A{amount}",
                                    operation_number=str(amount), card_type="CR",
                                    card_last4="0005")
    return p.ticket


def _online_and_empty(status: SyncStatus) -> bool:
    return status.link is LinkState.ONLINE and status.queue_depth == 0


@pytest.mark.slow
def test_every_item_arrives_once_and_in_order_through_link_faults(tmp_path, own_api_server,
                                                                  valid_submission):
    server = own_api_server
    kiosk = enrol_kiosk(server)
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    with FaultyProxy(server.port) as proxy:
        client = ApiClient(f"http://127.0.0.1:{proxy.port}/v1", token=kiosk.token,
                           connect_timeout_s=0.5, read_timeout_s=READ_TIMEOUT_S, retries=0)
        worker = SyncWorker(store.database, store.cipher, ApiUploader(client),
                            interval_s=0.1, max_backoff_s=0.4, base_backoff_s=0.05,
                            retention_days=30, batch_size=5, rng=random.Random(2))
        watch = LinkWatch()
        worker.subscribe(watch)
        worker.start()
        tickets: list[int] = []
        submissions: list[str] = []

        def queue_some(n: int) -> None:
            for _ in range(n):
                tickets.append(_pay(store, 1000 + len(tickets)))
            s = store.submissions.create(valid_submission["procedure_id"],
                                         valid_submission["form"], None)
            submissions.append(store.submissions.queue(s.id).idempotency_key)
            store.outbox.enqueue_satisfaction(4, "link_faults")
            worker.wake()

        try:
            watch.wait(lambda s: s.link is LinkState.ONLINE)
            faults = [(Fault.RESET, 0.0), (Fault.HTTP_500, 0.0),
                      (Fault.DELAY, READ_TIMEOUT_S * 3), (Fault.DROP_RESPONSE, 0.0)]
            for fault, delay in faults:
                proxy.set_fault(fault, delay)
                queue_some(3)
                watch.wait(lambda s: s.link is LinkState.OFFLINE)
                proxy.clear()
                watch.wait(_online_and_empty)
            dropped, held = proxy.answers_dropped, proxy.answers_delayed
            # the server goes away in the middle of a long (slowed-down) queue, then comes back
            proxy.set_fault(Fault.DELAY, READ_TIMEOUT_S / 6)
            queue_some(12)
            watch.wait(lambda s: s.queue_depth < 14)  # some delivered...
            server.stop()
            proxy.clear()
            watch.wait(lambda s: s.link is LinkState.OFFLINE)
            offline_depth = worker.status().queue_depth
            server.start()
            watch.wait(_online_and_empty)
        finally:
            worker.stop()
            client.close()
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    recorded = [r[0] for r in conn.execute(
        "SELECT ticket FROM payments WHERE kiosk_id = ? ORDER BY rowid", (kiosk.kiosk_id,))]
    cases = [r[0] for r in conn.execute(
        "SELECT idempotency_key FROM cases WHERE kiosk_id = ? ORDER BY rowid",
        (kiosk.kiosk_id,))]
    conn.close()
    store.close()
    print(f"\nlink faults: {len(tickets)} payments, {len(submissions)} submissions;"
          f" proxy: {proxy.connections} connections, {proxy.faults_injected} faulted requests,"
          f" {dropped} answers dropped, {held} held past the timeout;"
          f" {offline_depth} items waited while the server was down;"
          f" link states {[s.value for s in watch.links()]}")
    assert recorded == tickets  # exactly once, in order
    assert cases == submissions
    assert offline_depth > 0
    # the server recorded items whose answer the kiosk never got (dropped, or held 3x past
    # the client's timeout), and still nothing arrived twice
    assert dropped > 0 and held > 0
    assert watch.links().count(LinkState.OFFLINE) >= 5  # four proxy faults + server stop
    assert watch.links()[-1] is LinkState.ONLINE
