"""A loopback TCP proxy that injects link faults between the kiosk and the reference API.

Test-only and owned by the offline cache (issue 4): it needs no change in the server. Put it
between an API client and the server and switch faults on and off::

    with FaultyProxy(upstream_port) as proxy:
        client = ApiClient(f"http://127.0.0.1:{proxy.port}/v1", ...)
        proxy.set_fault(Fault.RESET)

A fault applies to every request sent after the switch, on new and kept-alive connections
alike (the proxy decides per request, as it reads it).

- ``NONE``: forward bytes both ways.
- ``RESET``: accept, then reset (RST) at once: "connection reset by peer".
- ``HTTP_500``: answer ``500`` with the API's error shape without contacting the server.
- ``HTTP_429``: answer ``429 Too Many Requests`` with ``Retry-After: <delay_s>`` (a rate
  limiter in front of the API), without contacting the server.
- ``DELAY``: forward the request, hold each piece of the answer ``delay_s`` (slow link, or
  beyond the client timeout).
- ``DROP_RESPONSE``: forward the request, let the server process it, then reset instead of
  returning the answer: the case "uploaded but not acknowledged".
"""

from __future__ import annotations

import contextlib
import enum
import socket
import struct
import threading
import time
from types import TracebackType


class Fault(enum.Enum):
    NONE = "none"
    RESET = "reset"
    HTTP_500 = "http_500"
    HTTP_429 = "http_429"
    DELAY = "delay"
    DROP_RESPONSE = "drop_response"


_ERROR = b'{"error": {"code": "injected", "message": "fault injected by the test proxy"}}'
_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    b"Content-Length: " + str(len(_ERROR)).encode() + b"\r\nConnection: close\r\n\r\n" + _ERROR
)


_SLOW_DOWN = b'{"error": {"code": "rate_limited", "message": "too many requests"}}'


def _429(retry_after_s: float) -> bytes:
    return (b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
            b"Retry-After: " + str(int(retry_after_s)).encode() + b"\r\n"
            b"Content-Length: " + str(len(_SLOW_DOWN)).encode() +
            b"\r\nConnection: close\r\n\r\n" + _SLOW_DOWN)


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


class FaultyProxy:
    """Forward 127.0.0.1:<port> to 127.0.0.1:<upstream_port>, with switchable faults."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._fault, self._delay_s = Fault.NONE, 0.0
        self._lock = threading.Lock()
        self.connections = 0
        self.faults_injected = 0  # requests that met a fault
        self.answers_dropped = 0  # server answers the client never got
        self.answers_delayed = 0  # server answers held back delay_s
        self._closed = False
        threading.Thread(target=self._accept_loop, name="faulty-proxy", daemon=True).start()

    def set_fault(self, fault: Fault, delay_s: float = 0.0) -> None:
        """Apply ``fault`` to every request from now on (keep-alive connections included)."""
        with self._lock:
            self._fault, self._delay_s = fault, delay_s

    def clear(self) -> None:
        """Go back to plain forwarding."""
        self.set_fault(Fault.NONE)

    def close(self) -> None:
        """Stop accepting new connections."""
        self._closed = True
        self._listener.close()

    def __enter__(self) -> FaultyProxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _current(self) -> tuple[Fault, float]:
        with self._lock:
            if self._fault is not Fault.NONE:
                self.faults_injected += 1
            return self._fault, self._delay_s

    def _count(self, fault: Fault) -> None:
        with self._lock:
            if fault is Fault.DROP_RESPONSE:
                self.answers_dropped += 1
            else:
                self.answers_delayed += 1

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            _reset(client)  # the server is down: the client sees the link drop
            return
        upstream.settimeout(None)
        answer_mode: list[tuple[Fault, float]] = [(Fault.NONE, 0.0)]  # set per request
        threading.Thread(target=self._answers, args=(upstream, client, answer_mode),
                         daemon=True).start()
        try:
            while data := client.recv(65536):
                fault, delay = self._current()
                if fault is Fault.RESET:
                    break
                if fault is Fault.HTTP_500:
                    client.sendall(_500)
                    break
                if fault is Fault.HTTP_429:
                    client.sendall(_429(delay))
                    break
                answer_mode[0] = (fault, delay)
                upstream.sendall(data)
        except OSError:
            pass
        _reset(client)
        _reset(upstream)

    def _answers(self, upstream: socket.socket, client: socket.socket,
                 answer_mode: list[tuple[Fault, float]]) -> None:
        try:
            while data := upstream.recv(65536):
                fault, delay = answer_mode[0]
                if fault is Fault.DROP_RESPONSE:
                    self._count(fault)
                    break  # the server answered; the client never hears it
                if fault is Fault.DELAY:
                    self._count(fault)
                    time.sleep(delay)
                client.sendall(data)
        except OSError:
            pass
        _reset(client)
        _reset(upstream)
