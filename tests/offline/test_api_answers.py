"""Each API answer to an upload is handled on purpose; nothing charged is parked silently.

Real reference server on loopback (and the faulty proxy for a rate limiter in front of it),
real journal file. 429 waits as long as Retry-After says and delivers once; 409 and 422 park
the upload with an incident that keeps the server's answer and the encrypted body; a revoked
token stops delivery and card sales, and keeps the queue for when the kiosk is enrolled again.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from common.money import Money
from kiosk.api_uploader import ApiUploader
from kiosk.runtime import build_sync_worker
from kiosk.settings import OfflineSection
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk
from offline_cache.journal import PaidBill
from offline_cache.store import OfflineStore
from offline_cache.sync import LinkState
from rig.faulty_proxy import Fault, FaultyProxy

TIMINGS = OfflineSection(sync_interval_s=0.2, base_backoff_s=0.1, max_backoff_s=0.5)


def _charged(store: OfflineStore, reference: str = "100000000001", amount: int = 150_000) -> int:
    journal = store.journal
    payment = journal.create_payment(Money(amount), (PaidBill(reference, Money(amount)),))
    journal.begin_authorizing(payment.ticket)
    journal.record_authorized(payment.ticket, authorization_code="A1B2C3",
                              operation_number="000042", card_type="DB", card_last4="4242")
    return payment.ticket


def _payload_kept(store: OfflineStore) -> bool:
    row = store.database.conn.execute(
        "SELECT payload IS NOT NULL FROM outbox WHERE kind = 'payment'").fetchone()
    return bool(row[0])


@pytest.fixture
def store(tmp_path: Path):
    opened = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    yield opened
    opened.close()


def test_a_429_waits_for_retry_after_then_delivers_once(store, own_api_server: ApiServer):
    kiosk = enrol_kiosk(own_api_server)
    with FaultyProxy(own_api_server.port) as proxy:
        client = own_api_server.client(kiosk.token, retries=0)
        client.base_url = f"http://127.0.0.1:{proxy.port}/v1"
        worker = build_sync_worker(store, ApiUploader(client), TIMINGS)
        ticket = _charged(store)
        proxy.set_fault(Fault.HTTP_429, delay_s=2)
        started = time.monotonic()
        worker.start()
        try:
            while proxy.faults_injected == 0:
                time.sleep(0.05)
            proxy.clear()
            while store.journal.get(ticket).state.value != "synced":
                assert time.monotonic() - started < 20, "never delivered after the 429"
                time.sleep(0.05)
        finally:
            worker.stop()
    assert time.monotonic() - started >= 2  # it waited what the server asked
    [upload] = [e for e in store.outbox.view(include_delivered=True) if e.kind == "payment"]
    assert upload.state == "delivered" and upload.attempts >= 2  # never parked on the way
    assert store.database.incidents() == []
    with sqlite3.connect(own_api_server.db_path) as conn:
        [(count,)] = conn.execute("SELECT count(*) FROM payments WHERE kiosk_id = ?",
                                  (kiosk.kiosk_id,)).fetchall()
    assert count == 1


def test_a_422_parks_the_payment_with_an_incident_and_keeps_its_body(
        store, api_kiosk: EnrolledKiosk):
    worker = build_sync_worker(store, ApiUploader(api_kiosk.client()), TIMINGS)
    ticket = _charged(store, reference="X" * 200)  # longer than the API accepts
    assert worker.drain(store.database)
    [parked] = [e for e in store.outbox.view() if e.kind == "payment"]
    assert parked.state == "parked" and "422" in (parked.last_error or "")
    [incident] = store.database.incidents()
    assert incident.kind == "delivery_refused" and "422" in incident.detail
    assert _payload_kept(store)  # a technician can still send it once it is fixed
    assert store.journal.get(ticket).state.value == "authorized"  # charged, not forgotten


def test_a_409_conflict_parks_with_an_incident_and_delivers_nothing_twice(
        store, api_kiosk: EnrolledKiosk):
    ticket = _charged(store)
    [item] = store.outbox.due()
    other = dict(item.body, amount_cents=item.body["amount_cents"] + 100)
    api_kiosk.client().record_payment(other, item.idempotency_key)  # same key, other body
    worker = build_sync_worker(store, ApiUploader(api_kiosk.client()), TIMINGS)
    assert worker.drain(store.database)
    [parked] = [e for e in store.outbox.view() if e.kind == "payment"]
    assert parked.state == "parked" and "409" in (parked.last_error or "")
    assert "409" in store.database.incidents()[0].detail and _payload_kept(store)
    assert store.journal.get(ticket).state.value == "authorized"


def test_a_revoked_token_stops_delivery_and_keeps_the_queue(
        store, own_api_server: ApiServer):
    kiosk = enrol_kiosk(own_api_server)
    own_api_server.revoke(kiosk.kiosk_id)
    worker = build_sync_worker(store, ApiUploader(kiosk.client()), TIMINGS)
    ticket = _charged(store)
    assert not worker.drain(store.database)
    assert worker.link is LinkState.REVOKED
    [waiting] = [e for e in store.outbox.view() if e.kind == "payment"]
    assert waiting.state == "pending" and _payload_kept(store)  # kept for the re-enrolment
    assert store.journal.get(ticket).state.value == "authorized"


def test_a_revoked_kiosk_takes_no_card_payment_and_home_says_so(store, own_api_server, tmp_path):
    import asyncio

    from drivers.payment.transbank import TransbankTerminal
    from kiosk.devices import DeviceHub
    from kiosk.services.degraded import MSG_NOT_AUTHORIZED, current_offer
    from kiosk.services.pay_bills import PayBills
    from kiosk.services.pay_errors import KioskNotAuthorized
    from kiosk.services.pay_model import PayableBill
    from kiosk.settings import KioskSection

    kiosk = enrol_kiosk(own_api_server)
    own_api_server.revoke(kiosk.kiosk_id)
    worker = build_sync_worker(store, ApiUploader(kiosk.client()), TIMINGS)
    store.outbox.enqueue_heartbeat({"app_version": "test", "devices": {}, "queue_depth": 0})
    assert not worker.drain(store.database) and worker.link is LinkState.REVOKED
    terminal = TransbankTerminal(str(tmp_path / "never-opened"))
    hub = DeviceHub(None, None, terminal)
    pay = PayBills(api=kiosk.client(), journal=store.journal, devices=hub, sync=worker,
                   kiosk=KioskSection(id=kiosk.kiosk_id, municipality="M", languages=["es"],
                                      data_dir=tmp_path, log_dir=tmp_path,
                                      verification_url="https://x/verify"))
    selection = pay.select([PayableBill("100000000001", Money(150_000), "2026-12-31")])
    try:
        with pytest.raises(KioskNotAuthorized):
            asyncio.run(pay.pay(selection, lambda _: None, receipt_on_screen_ok=True))
    finally:
        terminal.close()
    assert store.journal.needing_recovery() == [] and not store.journal.awaiting_staff()
    offer = current_offer(hub, online=False, authorized=False)
    assert not offer.pay and offer.home_notices()[0] == MSG_NOT_AUTHORIZED
