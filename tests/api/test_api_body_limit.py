"""Every route refuses a body over 64 KiB before reading it: quickly, and without growing."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import psutil
import pytest
import requests

from kiosk.api import ApiRejected
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

LIMIT = 64 * 1024
HUGE = 64 * 1024 * 1024
CHUNK = b"x" * (1 << 16)
ROUTES = ["/v1/enrolments", "/v1/payments", "/v1/heartbeats", "/v1/staff/enrolment-codes",
          "/v1/health", "/v1/no-such-route"]


@pytest.fixture(scope="module")
def limit_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A server of this module's own, so that its memory is measured alone."""
    with ApiServer(tmp_path_factory.mktemp("limit")) as server:
        yield server


def _rss(server: ApiServer) -> int:
    assert server.process is not None
    return int(psutil.Process(server.process.pid).memory_info().rss)


def _assert_refused(response: requests.Response, started: float) -> None:
    assert time.monotonic() - started < 5
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("path", ROUTES)
def test_declared_huge_body_is_answered_before_a_byte_of_it_is_sent(
    limit_api: ApiServer, path: str
) -> None:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {HUGE}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", limit_api.port), timeout=5) as sock:
        sock.sendall(head.encode())
        answer = sock.makefile("rb").read()  # the server answers and closes at once
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in status.lower()
    assert json.loads(body)["error"]["code"] == "payload_too_large"


def test_64_mib_body_is_refused_quickly_without_growing_the_server(limit_api: ApiServer) -> None:
    url = limit_api.base_url + "/enrolments"
    requests.post(url, data=b"x" * (LIMIT + 1), timeout=10)  # warm the path up
    before = _rss(limit_api)
    started = time.monotonic()
    _assert_refused(requests.post(url, data=b"x" * HUGE, timeout=30), started)
    started = time.monotonic()
    streamed = requests.post(url, data=(CHUNK for _ in range(HUGE // len(CHUNK))), timeout=30,
                             headers={"Content-Type": "application/json"})
    _assert_refused(streamed, started)
    assert _rss(limit_api) - before < 8 * 1024 * 1024


def test_streamed_body_is_counted_on_an_authenticated_route(limit_api: ApiServer) -> None:
    kiosk = enrol_kiosk(limit_api)
    started = time.monotonic()
    response = requests.post(kiosk.base_url + "/heartbeats", timeout=30,
                             data=(CHUNK for _ in range(32)),
                             headers={"Authorization": f"Bearer {kiosk.token}",
                                      "Content-Type": "application/json",
                                      "Accept-Language": "en"})
    _assert_refused(response, started)
    assert response.json()["error"]["message"] == "The request is too large."


def test_body_of_exactly_the_limit_is_still_served(api_kiosk: EnrolledKiosk) -> None:
    body = json.dumps({"reason": "help"}).encode()
    headers = {"Authorization": f"Bearer {api_kiosk.token}", "Content-Type": "application/json"}
    url = api_kiosk.base_url + "/assistance-requests"
    at_limit = requests.post(url, data=body.ljust(LIMIT), headers=headers, timeout=10)
    assert at_limit.status_code == 201
    over = requests.post(url, data=body.ljust(LIMIT + 1), headers=headers, timeout=10)
    assert over.status_code == 413


def test_kiosk_client_sees_a_too_large_body_as_a_rejection(api_kiosk: EnrolledKiosk) -> None:
    with pytest.raises(ApiRejected) as error:
        api_kiosk.client().heartbeat({"app_version": "x" * LIMIT})
    assert error.value.status == 413 and error.value.code == "payload_too_large"

