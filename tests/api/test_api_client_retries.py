"""Only safe calls are retried: GET and POST with an Idempotency-Key, never a bare POST."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.api import ApiClient, ApiOffline, ApiServerError
from kiosk.settings import load_settings
from kiosk.simulated.api import EnrolledKiosk


class SilentServer:
    """Accepts connections, counts them, never answers (a hung upstream)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def _client(port: int) -> ApiClient:
    return ApiClient(f"http://127.0.0.1:{port}/v1", token="t", connect_timeout_s=1,
                     read_timeout_s=0.3, retries=2, backoff_s=0.01)


@pytest.mark.timeout(30)
def test_get_is_retried(silent: SilentServer) -> None:
    with pytest.raises(ApiOffline):
        _client(silent.port).debts(plate="AB1234")
    assert len(silent.accepted) == 3


@pytest.mark.timeout(30)
def test_post_with_idempotency_key_is_retried(silent: SilentServer) -> None:
    with pytest.raises(ApiOffline):
        _client(silent.port).satisfaction(5, "pay_bills", idempotency_key="key-12345678")
    assert len(silent.accepted) == 3


@pytest.mark.timeout(30)
def test_post_without_idempotency_key_is_sent_once(silent: SilentServer) -> None:
    with pytest.raises(ApiOffline):
        _client(silent.port).request_assistance("help")
    assert len(silent.accepted) == 1


def test_client_built_from_demo_settings_talks_to_the_server(api_kiosk: EnrolledKiosk) -> None:
    settings = load_settings("config/demo.toml")
    api = settings.api.model_copy(update={"url": api_kiosk.base_url})
    client = ApiClient.from_settings(api, api_kiosk.token, language="en")
    assert client.timeout == (api.connect_timeout_s, api.read_timeout_s)
    assert client.catalog().catalog is not None


class _Unavailable(BaseHTTPRequestHandler):
    """Answers every GET with 503 and an hour-long Retry-After."""

    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = b'{"error": {"code": "maintenance", "message": "down"}}'
        self.send_response(503)
        self.send_header("Retry-After", "3600")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.timeout(30)
def test_retry_after_from_the_server_cannot_freeze_the_kiosk() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ApiServerError) as error:
            _client(server.server_address[1]).debts(plate="AB1234")
        assert error.value.status == 503 and _Unavailable.hits == 3
    finally:
        server.shutdown()
        server.server_close()
