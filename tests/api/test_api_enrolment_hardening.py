"""Enrolment codes are bound to one kiosk id, expire, work once, and guessing is locked out."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from kiosk.api import ApiClient, ApiRejected, ApiUnauthorized
from kiosk.simulated.api import ApiServer
from rig.config import PROJECT_ROOT
from tests.api.clocked_server import ClockedServer, clocked_api_server

WRONG = "BAD0-BAD0-BAD0"


class _FromAddress(HTTPAdapter):
    """Connect from a chosen loopback address, to be another source than 127.0.0.1."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, source_address=(self._address, 0), **kwargs)


def _enrol(base_url: str, code: str, kiosk_id: str, source: str = "127.0.0.1",
           **headers: str) -> requests.Response:
    with requests.Session() as session:
        session.mount("http://", _FromAddress(source))
        return session.post(f"{base_url}/enrolments", json={"code": code, "kiosk_id": kiosk_id},
                            headers=headers, timeout=10)


def _code(server: ApiServer | ClockedServer, kiosk_id: str, **options: Any) -> dict[str, Any]:
    answer: dict[str, Any] = server.staff("POST", "/staff/enrolment-codes",
                                          {"kiosk_id": kiosk_id, **options})
    return answer


@pytest.fixture(scope="module")
def enrol_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """This module's own server, so that its wrong codes never lock out the shared one.

    Each lockout test locks out a loopback address of its own.
    """
    with ApiServer(tmp_path_factory.mktemp("enrol")) as server:
        yield server


def test_code_enrols_only_the_kiosk_it_was_issued_for(enrol_api: ApiServer) -> None:
    code = enrol_api.new_enrolment_code("kiosk-bound-a")
    refused = _enrol(enrol_api.base_url, code, "kiosk-bound-b")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "invalid_enrolment_code"
    assert _enrol(enrol_api.base_url, code, "kiosk-bound-a").status_code == 201


def test_code_for_another_kiosk_cannot_take_over_an_enrolled_kiosk(enrol_api: ApiServer) -> None:
    token = enrol_api.enrol("kiosk-victim")
    stray = enrol_api.new_enrolment_code("kiosk-unused")
    assert _enrol(enrol_api.base_url, stray, "kiosk-victim").status_code == 403
    assert enrol_api.client(token).debts(plate="VE0001")  # the real kiosk keeps working


def test_code_issued_for_a_kiosk_replaces_its_token(api_server: ApiServer) -> None:
    old = api_server.enrol("kiosk-replaced-pc")
    new = api_server.enrol("kiosk-replaced-pc")
    assert api_server.client(new).debts(plate="VE0001")
    with pytest.raises(ApiUnauthorized):
        api_server.client(old).debts(plate="VE0001")


def test_staff_code_expires_after_24_hours_by_default(api_server: ApiServer) -> None:
    before = datetime.now().astimezone()
    issued = _code(api_server, "kiosk-ttl")
    ttl = datetime.fromisoformat(issued["expires_at"]) - before
    assert issued["kiosk_id"] == "kiosk-ttl"
    assert timedelta(hours=24) <= ttl < timedelta(hours=24, minutes=1)


def test_code_is_refused_once_it_expired(tmp_path: Path) -> None:
    with clocked_api_server(tmp_path) as server:
        first, second = _code(server, "kiosk-day-1")["code"], _code(server, "kiosk-day-2")["code"]
        short = _code(server, "kiosk-short", ttl_hours=2)["code"]
        server.clock.advance(hours=2, seconds=1)
        expired = _enrol(server.base_url, short, "kiosk-short")
        assert expired.status_code == 403
        assert expired.json()["error"]["code"] == "invalid_enrolment_code"
        server.clock.advance(hours=21, minutes=58, seconds=59)  # 23 h 59 min after issue
        assert _enrol(server.base_url, first, "kiosk-day-1").status_code == 201
        server.clock.advance(minutes=1, seconds=1)
        assert _enrol(server.base_url, second, "kiosk-day-2").status_code == 403


def test_wrong_codes_lock_the_source_out_even_for_the_right_code(enrol_api: ApiServer) -> None:
    source, code = "127.0.0.2", enrol_api.new_enrolment_code("kiosk-locked")
    for _ in range(5):
        assert _enrol(enrol_api.base_url, WRONG, "kiosk-locked", source).status_code == 403
    locked = _enrol(enrol_api.base_url, code, "kiosk-locked", source,
                    **{"Accept-Language": "en"})
    assert locked.status_code == 429
    assert locked.json()["error"] == {
        "code": "too_many_enrolment_attempts",
        "message": "Too many wrong enrolment codes from this address; try again later."}
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "locked out" in enrol_api.log_path.read_text()


def test_lockout_holds_one_source_only(enrol_api: ApiServer) -> None:
    for _ in range(5):
        _enrol(enrol_api.base_url, WRONG, "kiosk-x", "127.0.0.3")
    code = enrol_api.new_enrolment_code("kiosk-elsewhere")
    assert _enrol(enrol_api.base_url, code, "kiosk-elsewhere", "127.0.0.4").status_code == 201


def test_forwarded_for_header_does_not_escape_the_lockout(enrol_api: ApiServer) -> None:
    for _ in range(5):
        _enrol(enrol_api.base_url, WRONG, "kiosk-x", "127.0.0.5")
    code = enrol_api.new_enrolment_code("kiosk-spoof")
    spoofed = _enrol(enrol_api.base_url, code, "kiosk-spoof", "127.0.0.5",
                     **{"X-Forwarded-For": "203.0.113.9", "Forwarded": "for=203.0.113.9"})
    assert spoofed.status_code == 429


def test_lockout_ends_with_its_window(tmp_path: Path) -> None:
    with clocked_api_server(tmp_path) as server:
        code = _code(server, "kiosk-patient")["code"]
        for _ in range(5):
            server.clock.advance(seconds=30)
            assert _enrol(server.base_url, WRONG, "kiosk-patient").status_code == 403
        server.clock.advance(minutes=12)  # 14 min after the first wrong code
        assert int(_enrol(server.base_url, code, "kiosk-patient").headers["Retry-After"]) == 60
        server.clock.advance(minutes=1)
        assert _enrol(server.base_url, code, "kiosk-patient").status_code == 201


def test_kiosk_client_sees_the_lockout_as_a_rejection(tmp_path: Path) -> None:
    with clocked_api_server(tmp_path, enrolment_max_failures=2) as server:
        code = _code(server, "kiosk-client")["code"]
        client = ApiClient(server.base_url, retries=0)
        for _ in range(2):
            with pytest.raises(ApiRejected) as wrong:
                client.enrol(WRONG, "kiosk-client")
            assert wrong.value.status == 403
        with pytest.raises(ApiRejected) as locked:
            client.enrol(code, "kiosk-client")
        client.close()
    assert locked.value.status == 429 and locked.value.code == "too_many_enrolment_attempts"


def _procedure_api(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "procedure_api", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)


def test_command_line_codes_are_bound_to_a_kiosk(tmp_path: Path) -> None:
    server = ApiServer(tmp_path, extra_args=["--enrolment-code", "kiosk-cli-b:CLI-CODE-0002"])
    server.workdir.mkdir(parents=True, exist_ok=True)
    printed = _procedure_api("enrolment-code", "--db", str(server.db_path),
                             "--kiosk-id", "kiosk-cli-a")
    assert printed.returncode == 0, printed.stderr
    server.start()
    try:
        code = printed.stdout.strip()
        assert _enrol(server.base_url, code, "kiosk-cli-b").status_code == 403
        assert _enrol(server.base_url, code, "kiosk-cli-a").status_code == 201
        assert _enrol(server.base_url, "CLI-CODE-0002", "kiosk-cli-b").status_code == 201
    finally:
        server.stop()


def test_a_code_without_its_kiosk_id_is_refused_at_start(tmp_path: Path) -> None:
    result = _procedure_api("serve", "--db", str(tmp_path / "db.sqlite"),
                            "--enrolment-code", "JUST-A-CODE")
    assert result.returncode == 2 and "KIOSK_ID:CODE" in result.stderr
