"""Heartbeats reach the town hall: staff see a parked payment and an incident from afar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common.money import Money
from kiosk import __version__
from kiosk.runtime import build_runtime
from kiosk.settings import load_settings
from kiosk.simulated.api import ApiServer
from offline_cache.journal import PaidBill
from rig.config import write_config
from rig.wait import wait_for


def _latest(api: ApiServer, kiosk_id: str) -> dict[str, Any] | None:
    beats = api.staff("GET", f"/staff/kiosks/{kiosk_id}/heartbeats?limit=1")["heartbeats"]
    return beats[0]["report"] if beats else None


def test_a_parked_payment_and_its_incident_show_in_the_next_heartbeat(
        tmp_path: Path, own_api_server: ApiServer) -> None:
    settings = load_settings(write_config(tmp_path, {
        "kiosk": {"id": "kiosk-heartbeat"},
        "api": {"url": own_api_server.base_url, "retries": 0, "heartbeat_interval_s": 0.5},
        "offline": {"sync_interval_s": 0.2, "base_backoff_s": 0.1, "max_backoff_s": 0.3},
        "devices": {"eid": {"type": "none"}, "printer": {"type": "none"},
                    "payment": {"type": "none"}}}))
    own_api_server.enrol_into(settings.data_path(settings.api.enrolment_file), "kiosk-heartbeat")
    runtime = build_runtime(settings)
    try:
        runtime.start()
        wait_for(lambda: _latest(own_api_server, "kiosk-heartbeat"), "the first heartbeat")
        first = _latest(own_api_server, "kiosk-heartbeat")
        assert first is not None and first["app_version"] == __version__
        assert first["parked"] == 0 and first["incidents"] == 0
        journal = runtime.store.journal  # a charged sale whose upload the API refuses (422)
        payment = journal.create_payment(Money(100), (PaidBill("X" * 200, Money(100)),))
        journal.begin_authorizing(payment.ticket)
        journal.record_authorized(payment.ticket, authorization_code="A1", operation_number="1",
                                  card_type="DB", card_last4="4242")
        runtime.sync.wake()

        def parked_seen() -> bool:
            report = _latest(own_api_server, "kiosk-heartbeat")
            return bool(report and report["parked"] == 1 and report["incidents"] >= 1)

        wait_for(parked_seen, "a heartbeat with the parked payment", timeout=20)
        report = _latest(own_api_server, "kiosk-heartbeat")
        assert report is not None and report["queue_depth"] >= 1
        assert report["free_disk_bytes"] > 0 and report["last_sync"]
        kiosks = own_api_server.staff("GET", "/staff/kiosks")["kiosks"]
        assert [k["kiosk_id"] for k in kiosks] == ["kiosk-heartbeat"]
    finally:
        runtime.close()
