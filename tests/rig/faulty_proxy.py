"""A loopback TCP proxy that injects link faults between the kiosk and the reference API.

Test-only and owned by the offline cache (issue 4): it needs no change in the server. Put it
between an API client and the server and switch faults on and off::

    with FaultyProxy(upstream_port) as proxy:
        client = ApiClient(f"http://127.0.0.1:{proxy.port}/v1", ...)
        proxy.set_fault(Fault.RESET)

Faults apply to every connection opened after the switch; switching also cuts the open
connections, so a keep-alive session cannot dodge the fault.

- ``NONE``: forward bytes both ways.
- ``RESET``: accept, then reset (RST) at once: "connection reset by peer".
- ``HTTP_500``: answer ``500`` with the API's error shape without contacting the server.
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
    DELAY = "delay"
    DROP_RESPONSE = "drop_response"


_ERROR = b'{"error": {"code": "injected", "message": "fault injected by the test proxy"}}'
_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    b"Content-Length: " + str(len(_ERROR)).encode() + b"\r\nConnection: close\r\n\r\n" + _ERROR
)


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
        self._open: set[socket.socket] = set()
        self.connections = 0
        self.faults_injected = 0
        self._closed = False
        threading.Thread(target=self._accept_loop, name="faulty-proxy", daemon=True).start()

    def set_fault(self, fault: Fault, delay_s: float = 0.0) -> None:
        """Apply ``fault`` to new connections and cut the open ones."""
        with self._lock:
            self._fault, self._delay_s = fault, delay_s
            victims, self._open = self._open, set()
        for sock in victims:
            _reset(sock)

    def clear(self) -> None:
        """Go back to plain forwarding."""
        self.set_fault(Fault.NONE)

    def close(self) -> None:
        """Stop accepting and cut every connection."""
        self._closed = True
        self._listener.close()
        self.set_fault(Fault.NONE)

    def __enter__(self) -> FaultyProxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                fault, delay = self._fault, self._delay_s
                self.connections += 1
                if fault is not Fault.NONE:
                    self.faults_injected += 1
            threading.Thread(
                target=self._serve, args=(client, fault, delay), daemon=True
            ).start()

    def _serve(self, client: socket.socket, fault: Fault, delay: float) -> None:
        if fault is Fault.RESET:
            _reset(client)
            return
        if fault is Fault.HTTP_500:
            with contextlib.suppress(OSError):
                client.recv(65536)
                client.sendall(_500)
            _reset(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            _reset(client)  # the server is down: the client sees the link drop
            return
        with self._lock:
            self._open.update((client, upstream))
        threading.Thread(target=self._pump, args=(client, upstream, Fault.NONE, 0.0),
                         daemon=True).start()
        self._pump(upstream, client, fault, delay)

    def _pump(self, source: socket.socket, sink: socket.socket, fault: Fault, delay: float) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if fault is Fault.DROP_RESPONSE:
                    break  # the server answered; the client never hears it
                if fault is Fault.DELAY:
                    time.sleep(delay)
                sink.sendall(data)
        except OSError:
            pass
        _reset(sink)
        _reset(source)
