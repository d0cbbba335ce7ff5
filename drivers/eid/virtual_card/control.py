"""Loopback JSON-lines control socket of the virtual card, and its Python client.

One request per line, ``{"cmd": "insert", "citizen": "65031200353"}``; one answer per line,
``{"ok": true, ...}`` or ``{"ok": false, "error": "..."}``. Commands: insert, remove,
use_citizen, set_pin, set_faults, clear_faults, status, reset_apdu_count, and
``apdu_log`` (``{"since": n}``: the C-APDUs numbered above n, each ``{"n", "ins", "p1p2",
"file"}`` where ``file`` is the path selected when the command came; never data).
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from typing import Any

from drivers.eid.virtual_card.card import VirtualCard


def _dispatch(card: VirtualCard, request: dict[str, Any]) -> dict[str, Any]:
    command = request.pop("cmd", None)
    if command == "insert":
        card.insert(request.get("citizen"))
    elif command == "remove":
        card.remove()
    elif command == "use_citizen":
        card.use_citizen(str(request["citizen"]))
    elif command == "set_pin":
        card.set_pin(request.get("pin"), request.get("tries"))
    elif command == "set_faults":
        card.set_faults(**request)
    elif command == "clear_faults":
        card.clear_faults()
    elif command == "reset_apdu_count":
        card.apdu_count = 0
        card.apdu_log.clear()
    elif command == "apdu_log":
        return {"ok": True, "apdus": card.apdus(int(request.get("since") or 0)),
                "apdu_count": card.apdu_count}
    elif command != "status":
        raise KeyError(f"unknown command {command!r}")
    return {"ok": True, **card.status()}


class ControlServer(socketserver.ThreadingTCPServer):
    """Serves the control protocol for one card on 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, card: VirtualCard, port: int = 0) -> None:
        self.card = card
        super().__init__(("127.0.0.1", port), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, name="card-control",
                                       daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(socketserver.StreamRequestHandler):
    server: ControlServer

    def handle(self) -> None:
        for line in self.rfile:
            try:
                answer = _dispatch(self.server.card, json.loads(line))
            except (KeyError, ValueError, TypeError) as err:
                answer = {"ok": False, "error": f"{type(err).__name__}: {err}"}
            self.wfile.write(json.dumps(answer).encode() + b"\n")


class VirtualCardClient:
    """Drive a running virtual card (``python -m drivers.eid.virtual_card``)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 10.0) -> None:
        self.port = port  # another process may drive the same card through this port
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._file = self._sock.makefile("rwb")

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        """Send one command; raises RuntimeError with the card's error text."""
        self._file.write(json.dumps({"cmd": cmd, **args}).encode() + b"\n")
        self._file.flush()
        answer: dict[str, Any] = json.loads(self._file.readline())
        if not answer.get("ok"):
            raise RuntimeError(answer.get("error", "virtual card refused the command"))
        return answer

    def insert(self, citizen: str | None = None) -> None:
        """Insert the card (optionally switching citizen first)."""
        self.call("insert", citizen=citizen)

    def remove(self) -> None:
        """Pull the card out."""
        self.call("remove")

    def use_citizen(self, national_number: str) -> None:
        """Switch whose card goes in next."""
        self.call("use_citizen", citizen=national_number)

    def set_pin(self, pin: str | None = None, tries: int | None = None) -> None:
        """Set the current card's PIN and/or tries left."""
        self.call("set_pin", pin=pin, tries=tries)

    def set_faults(self, **faults: Any) -> None:
        """Inject faults: atr, noise, garbage_identity, truncated_identity, eof_once_at,
        remove_on_ins."""
        self.call("set_faults", **faults)

    def clear_faults(self) -> None:
        """Make the card healthy again."""
        self.call("clear_faults")

    def status(self) -> dict[str, Any]:
        """Inserted/connected, citizen, tries left, APDU count."""
        return self.call("status")

    def reset_apdu_count(self) -> None:
        """Zero the APDU counter and empty the APDU log."""
        self.call("reset_apdu_count")

    def apdu_log(self, since: int = 0) -> list[dict[str, Any]]:
        """The C-APDUs the card received numbered above ``since`` (headers, never data)."""
        apdus: list[dict[str, Any]] = self.call("apdu_log", since=since)["apdus"]
        return apdus

    def close(self) -> None:
        """Close the control connection (the card keeps running)."""
        self._file.close()
        self._sock.close()
