"""The client fails fast and typed when the server is away, and never hangs."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import pytest

from kiosk.api import ApiClient, ApiOffline
from kiosk.simulated.api import ApiServer, enrol_kiosk


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.mark.timeout(30)
def test_stopped_server_raises_offline(own_api_server: ApiServer) -> None:
    client = enrol_kiosk(own_api_server).client(connect_timeout_s=1, retries=2)
    own_api_server.stop()
    with pytest.raises(ApiOffline):
        client.catalog()
    with pytest.raises(ApiOffline):
        client.request_assistance("help")


@pytest.mark.timeout(30)
def test_server_that_never_answers_raises_offline(silent_server: int) -> None:
    client = ApiClient(f"http://127.0.0.1:{silent_server}/v1", token="t",
                       connect_timeout_s=1, read_timeout_s=1, retries=1, backoff_s=0.05)
    with pytest.raises(ApiOffline):
        client.debts(national_number="65031200353")
    with pytest.raises(ApiOffline):
        client.record_payment({"ticket": 1}, idempotency_key=str(uuid.uuid4()))


@pytest.mark.timeout(60)
def test_restarted_server_keeps_kiosks_and_replays_payments(own_api_server: ApiServer) -> None:
    client, key = enrol_kiosk(own_api_server).client(), str(uuid.uuid4())
    payment = {"ticket": 7, "amount_cents": 500, "currency": "CLP",
               "bills": [{"reference": "999999999993", "amount_cents": 500}],
               "authorization_code": "XY12", "operation_number": "77", "card_type": "CR",
               "card_last4": "0001", "authorized_at": "2026-11-21T10:00:00+00:00"}
    first = client.record_payment(payment, key)
    own_api_server.kill()
    own_api_server.start()
    assert client.record_payment(payment, key) == first
