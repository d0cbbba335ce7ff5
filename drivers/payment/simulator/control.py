"""Loopback control of a running simulator: queue scripted outcomes, read its memory.

One JSON object per line over TCP on 127.0.0.1, one answer line back::

    {"script": {"fault": "decline", "code": "05"}}  ->  {"queued": 1}
    {"state": true}                                  ->  {"last_sale": {...}, "approved": 2, ...}
    {"foreign_sale": 1500}    another till used the terminal: an approved sale not ours
    {"forget": true}          the terminal was reset or swapped: no last sale any more

Run ``python -m drivers.payment.simulator.control --control-port N decline --code 05``.
"""

from __future__ import annotations

import argparse
import json
import socket
import socketserver
import threading
from dataclasses import asdict
from typing import Any

from drivers.payment.simulator.scripts import Fault, Script, TerminalMemory


def handle(memory: TerminalMemory, request: dict[str, Any]) -> dict[str, Any]:
    """Apply one control request to the terminal's memory and describe the result."""
    if "script" in request:
        spec = dict(request["script"])
        memory.queue(Script(fault=Fault(spec.pop("fault")), **spec))
        return {"queued": len(memory.scripts)}
    if "foreign_sale" in request:
        return {"sale": asdict(memory.foreign_sale(int(request["foreign_sale"])))}
    if request.get("forget"):
        memory.forget()
        return {"forgotten": True}
    if request.get("state"):
        with memory.lock:
            last = asdict(memory.last_sale) if memory.last_sale else None
            return {"last_sale": last, "approved": [asdict(s) for s in memory.approved],
                    "batch": [asdict(s) for s in memory.batch],
                    "closes": memory.closes, "sale_commands": memory.sale_commands}
    return {"error": "unknown request"}


class ControlServer(socketserver.ThreadingTCPServer):
    """Serve control requests for one simulator on 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, memory: TerminalMemory) -> None:
        self.memory = memory
        super().__init__(("127.0.0.1", port), _Handler)

    def start(self) -> ControlServer:
        """Serve on a background thread."""
        threading.Thread(target=self.serve_forever, name="terminal-sim-control",
                         daemon=True).start()
        return self


class _Handler(socketserver.StreamRequestHandler):
    server: ControlServer

    def handle(self) -> None:
        for line in self.rfile:
            try:
                answer = handle(self.server.memory, json.loads(line))
            except (ValueError, TypeError, KeyError) as err:
                answer = {"error": str(err)}
            self.wfile.write(json.dumps(answer).encode() + b"\n")


def send(port: int, request: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
    """Send one control request to a simulator and return its answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(json.dumps(request).encode() + b"\n")
        answer: dict[str, Any] = json.loads(conn.makefile("rb").readline())
        return answer


def main(argv: list[str] | None = None) -> None:
    """Command line: queue one outcome, or print the simulator's state."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("fault", choices=[*(f.value for f in Fault), "state"])
    parser.add_argument("--code", default="01", help="decline code")
    parser.add_argument("--charged", action="store_true", help="no_answer after approval")
    parser.add_argument("--bad-copies", type=int, default=1)
    parser.add_argument("--delay-s", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.fault == "state":
        request: dict[str, Any] = {"state": True}
    else:
        request = {"script": {"fault": args.fault, "code": args.code, "charged": args.charged,
                              "bad_copies": args.bad_copies, "delay_s": args.delay_s}}
    print(json.dumps(send(args.control_port, request)))


if __name__ == "__main__":
    main()
