"""Sync worker logic: order, parking, backoff, events (scripted uploader; the real server
is exercised in test_link_faults.py and test_crash_consistency.py)."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest

from common.money import Money
from offline_cache.backoff import backoff_delay
from offline_cache.delivery import DeliveryFailed, DeliveryRejected
from offline_cache.journal import PaidBill, PaymentState
from offline_cache.sync import LinkState, SyncStatus, SyncWorker


class ScriptedUploader:
    """Answers from a script of outcomes: 'ok', 'reject', 'fail' (default 'ok')."""

    def __init__(self, script: list[str] | None = None) -> None:
        self.script = list(script or [])
        self.sent: list[tuple[str, str]] = []
        self.up = True

    def upload(self, kind: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "fail":
            raise DeliveryFailed("link down")
        self.sent.append((kind, idempotency_key))
        if outcome == "reject":
            raise DeliveryRejected("422 invalid_form: the form is missing a field")
        return {"case_number": f"EXP-{len(self.sent)}", "payment_id": len(self.sent)}

    def probe(self) -> bool:
        return self.up


def _worker(database, cipher, uploader, **kw) -> SyncWorker:
    return SyncWorker(database, cipher, uploader, interval_s=0.05, max_backoff_s=0.2,
                      retention_days=30, base_backoff_s=0.01, rng=random.Random(1), **kw)


def _paid(journal) -> int:
    p = journal.create_payment(Money(1000), [PaidBill("R1", Money(1000))])
    journal.begin_authorizing(p.ticket)
    journal.record_authorized(p.ticket, authorization_code="A", operation_number="1",
                              card_type="DB", card_last4="1111")
    return p.ticket


def test_drain_delivers_in_order_and_marks_rows_synced(database, cipher, journal, submissions,
                                                       outbox):
    t1 = _paid(journal)
    s = submissions.create("p1", {"name": "Ana"}, None)
    submissions.queue(s.id)
    outbox.enqueue_satisfaction(5, "pay_bills")
    uploader = ScriptedUploader()
    assert _worker(database, cipher, uploader).drain(database) is True
    assert [k for k, _ in uploader.sent] == ["payment", "submission", "satisfaction"]
    assert journal.get(t1).state is PaymentState.SYNCED
    assert submissions.get(s.id).case_number == "EXP-2"
    assert outbox.depth() == 0


def test_failure_stops_the_round_and_keeps_the_item_first(database, cipher, journal, outbox):
    t1, t2 = _paid(journal), _paid(journal)
    uploader = ScriptedUploader(["fail"])
    worker = _worker(database, cipher, uploader)
    assert worker.drain(database) is False
    assert uploader.sent == [] and worker.link is LinkState.OFFLINE
    [first, _second] = outbox.view()
    assert first.attempts == 1 and first.last_error == "link down"
    assert worker.drain(database) is True
    assert [key for _, key in uploader.sent] == [journal.get(t1).idempotency_key,
                                                  journal.get(t2).idempotency_key]
    assert worker.link is LinkState.ONLINE


def test_rejected_item_is_parked_with_its_error_and_others_continue(database, cipher,
                                                                    submissions, outbox):
    bad = submissions.create("p1", {}, None)
    submissions.queue(bad.id)
    outbox.enqueue_satisfaction(3, "status")
    uploader = ScriptedUploader(["reject"])
    _worker(database, cipher, uploader).drain(database)
    parked = [e for e in outbox.view() if e.state == "parked"]
    assert [(e.kind, e.last_error) for e in parked] == [
        ("submission", "422 invalid_form: the form is missing a field")]
    assert outbox.depth() == 1  # only the parked one is left
    outbox.retry_parked(parked[0].id)
    _worker(database, cipher, ScriptedUploader()).drain(database)
    assert outbox.depth() == 0


def test_heartbeats_are_coalesced(outbox):
    outbox.enqueue_heartbeat({"queue_depth": 1})
    outbox.enqueue_heartbeat({"queue_depth": 2})
    [item] = outbox.due()
    assert item.body == {"queue_depth": 2}


def test_thread_follows_the_link_and_tells_listeners(database, cipher, journal):
    uploader = ScriptedUploader()
    uploader.up = False
    worker = _worker(database, cipher, uploader)
    seen: list[SyncStatus] = []
    offline, delivered = threading.Event(), threading.Event()

    def listen(status: SyncStatus) -> None:
        seen.append(status)
        if status.link is LinkState.OFFLINE:
            offline.set()
        if status.link is LinkState.ONLINE and status.queue_depth == 0 and uploader.sent:
            delivered.set()

    worker.subscribe(listen)
    worker.start()
    try:
        assert offline.wait(5)
        uploader.up = True
        _paid(journal)
        worker.wake()
        assert delivered.wait(5)
    finally:
        worker.stop()
    assert seen[0].link is LinkState.OFFLINE
    assert worker.status().queue_depth == 0


@pytest.mark.parametrize("failures", [1, 2, 5, 10, 40])
def test_backoff_grows_and_never_exceeds_the_cap(failures):
    rng = random.Random(failures)
    delays = [backoff_delay(failures, base_s=1, cap_s=300, rng=rng) for _ in range(200)]
    step = min(300, 2 ** (failures - 1))
    assert all(step / 2 <= d <= step for d in delays)
    assert max(delays) - min(delays) > 0  # jittered, not fixed


def test_delivery_of_an_already_synced_payment_is_not_resent(database, cipher, journal, outbox):
    ticket = _paid(journal)
    journal.record_synced(ticket)  # e.g. a technician settled it by hand
    uploader = ScriptedUploader()
    worker = _worker(database, cipher, uploader)
    assert worker.drain(database) and worker.drain(database)
    assert len(uploader.sent) == 1 and outbox.depth() == 0
