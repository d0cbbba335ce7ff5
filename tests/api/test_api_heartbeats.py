"""Heartbeats reach the server with outbox depth and incidents, and staff can read them."""

from __future__ import annotations

from typing import Any

import requests

from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

OLD_KIOSK_REPORT: dict[str, Any] = {  # what a kiosk from before issue 15 sends
    "devices": {"printer": {"state": "online", "detail": {"paper": "low"}}},
    "queue_depth": 4, "app_version": "0.1.0", "last_sync": "2026-11-21T09:59:00+00:00"}
REPORT: dict[str, Any] = {
    **OLD_KIOSK_REPORT, "parked": 2, "incidents": 1,
    "oldest_pending_at": "2026-11-21T08:00:00+00:00", "free_disk_bytes": 5_000_000_000}


def _summary(server: ApiServer, kiosk_id: str) -> dict[str, Any]:
    kiosks = server.staff("GET", "/staff/kiosks")["kiosks"]
    [summary] = [k for k in kiosks if k["kiosk_id"] == kiosk_id]
    return dict(summary)


def test_staff_see_the_latest_heartbeat_of_each_kiosk(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    assert _summary(api_server, api_kiosk.kiosk_id)["last_heartbeat"] is None
    client = api_kiosk.client()
    client.heartbeat(OLD_KIOSK_REPORT)
    ack = client.heartbeat(REPORT)
    summary = _summary(api_server, api_kiosk.kiosk_id)
    assert summary["enrolled_at"] and summary["revoked_at"] is None
    latest = summary["last_heartbeat"]
    assert latest["received_at"] == ack["server_time"]
    report = latest["report"]
    assert (report["parked"], report["incidents"], report["free_disk_bytes"]) == (
        2, 1, 5_000_000_000)
    assert report["oldest_pending_at"].startswith("2026-11-21T08:00:00")
    assert report["devices"]["printer"] == {"state": "online", "detail": {"paper": "low"}}


def test_heartbeat_of_an_older_kiosk_is_accepted_with_defaults(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    assert api_kiosk.client().heartbeat(OLD_KIOSK_REPORT)["status"] == "ok"
    report = _summary(api_server, api_kiosk.kiosk_id)["last_heartbeat"]["report"]
    assert (report["parked"], report["incidents"]) == (0, 0)
    assert report["oldest_pending_at"] is None and report["free_disk_bytes"] is None


def test_staff_read_a_kiosks_heartbeats_newest_first(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    client = api_kiosk.client()
    for parked in range(4):
        client.heartbeat({**REPORT, "parked": parked})
    history = api_server.staff("GET", f"/staff/kiosks/{api_kiosk.kiosk_id}/heartbeats?limit=3")
    assert history["kiosk_id"] == api_kiosk.kiosk_id
    assert [h["report"]["parked"] for h in history["heartbeats"]] == [3, 2, 1]


def test_revoked_kiosk_is_listed_with_its_revocation(api_server: ApiServer) -> None:
    kiosk = enrol_kiosk(api_server)
    api_server.revoke(kiosk.kiosk_id)
    assert _summary(api_server, kiosk.kiosk_id)["revoked_at"]


def test_heartbeats_of_an_unknown_kiosk_are_not_found(api_server: ApiServer) -> None:
    response = requests.get(api_server.base_url + "/staff/kiosks/kiosk-nobody/heartbeats",
                            headers={"Authorization": f"Bearer {api_server.staff_token}"},
                            timeout=10)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_kiosk_token_cannot_read_the_fleet(api_kiosk: EnrolledKiosk) -> None:
    headers = {"Authorization": f"Bearer {api_kiosk.token}"}
    for path in ("/staff/kiosks", f"/staff/kiosks/{api_kiosk.kiosk_id}/heartbeats"):
        response = requests.get(api_kiosk.base_url + path, headers=headers, timeout=10)
        assert response.status_code == 401, path
