"""45 days offline with the clock moved: every charged sale reaches the town hall, once.

The kiosk charges three bills on the real terminal (simulator on a pty) while the API cannot
be reached; 45 days pass on the kiosk's clock (retention runs) and on the server's (the
real app under uvicorn with an injected clock); the link returns and the outbox drains.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common.money import Money
from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.services.card_payment import PaymentStatus, pay
from offline_cache.journal import PaidBill, PaymentState
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker
from rig.faulty_proxy import Fault, FaultyProxy
from tests.api.clocked_server import clocked_api_server
from tests.fixtures.terminal import TerminalLine


def test_charged_sales_survive_45_days_offline_and_are_delivered_once(
        tmp_path: Path, terminal_line: TerminalLine) -> None:
    (tmp_path / "api").mkdir()
    with clocked_api_server(tmp_path / "api", seed=True) as server:
        api_db = tmp_path / "api" / "clocked-api.db"
        with sqlite3.connect(api_db) as conn:
            debts = conn.execute("SELECT reference, amount_cents FROM debts WHERE status ="
                                 " 'pending' ORDER BY reference LIMIT 3").fetchall()
        kiosk_id = "kiosk-outage"
        code = server.staff("POST", "/staff/enrolment-codes", {"kiosk_id": kiosk_id})["code"]
        token = ApiClient(server.base_url).enrol(code, kiosk_id)["token"]
        port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
        store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
        clock = {"now": datetime.now(UTC)}
        with FaultyProxy(port) as proxy:
            client = ApiClient(f"http://127.0.0.1:{proxy.port}/v1", token=token, retries=0,
                               connect_timeout_s=1, read_timeout_s=2)
            worker = SyncWorker(store.database, store.cipher, ApiUploader(client),
                                interval_s=0.2, max_backoff_s=0.3, retention_days=30,
                                clock=lambda: clock["now"])
            proxy.set_fault(Fault.RESET)  # the link is down
            tickets = []
            for reference, amount in debts:
                outcome = asyncio.run(pay(store.journal, terminal_line.driver, Money(amount),
                                          (PaidBill(reference, Money(amount)),),
                                          lambda _: None))
                assert outcome.status is PaymentStatus.PAID
                tickets.append(outcome.payment.ticket)
            assert not worker.drain(store.database)  # nothing gets through
            clock["now"] += timedelta(days=45)  # the kiosk's clock
            worker.purge(store.database)  # retention: 45 > 30 days, yet the money stays
            server.clock.advance(days=45)  # the server's clock
            proxy.clear()  # the link returns
            assert worker.drain(store.database)
            assert worker.drain(store.database)  # a second round sends nothing again
        for ticket in tickets:
            assert store.journal.get(ticket).state is PaymentState.SYNCED
        store.close()
    with sqlite3.connect(api_db) as conn:
        recorded = conn.execute("SELECT ticket, needs_review FROM payments WHERE kiosk_id = ?",
                                (kiosk_id,)).fetchall()
        paid = conn.execute("SELECT count(*) FROM debts WHERE status = 'paid'").fetchone()[0]
    assert sorted(t for t, _ in recorded) == sorted(tickets)  # each once
    assert all(review == 0 for _, review in recorded)  # 45 days is inside the server's window
    assert paid == 3
    assert len(terminal_line.memory.approved) == 3
