"""Loopback control channel: one text command per line, one answer line ("ok ..." / "error ...").

Commands: ``paper ok|low|out`` · ``cover open|closed`` · ``slow <bytes/s>|off`` ·
``disconnect-after <bytes>`` · ``paper-out-after <bytes>`` · ``status normal|silent|garbled``
· ``jobs`` (JSON summary of the recorded jobs) · ``render <job number> <png path>``.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from pathlib import Path

from drivers.printer.simulator.render import save_png
from drivers.printer.simulator.server import PrinterSimulator


def execute(sim: PrinterSimulator, line: str) -> str:
    """Run one control command against ``sim`` and return the answer line."""
    words = line.split()
    if not words:
        return "error empty command"
    name, args = words[0], words[1:]
    try:
        if name == "paper" and len(args) == 1:
            sim.faults.set_paper(args[0])
        elif name == "cover" and args in (["open"], ["closed"]):
            sim.faults.set_cover_open(args[0] == "open")
        elif name == "slow" and len(args) == 1:
            sim.faults.set_slow(None if args[0] == "off" else float(args[0]))
        elif name == "disconnect-after" and len(args) == 1:
            sim.faults.disconnect_after(int(args[0]))
        elif name == "paper-out-after" and len(args) == 1:
            sim.faults.paper_out_after(int(args[0]))
        elif name == "status" and len(args) == 1:
            sim.faults.set_status_mode(args[0])
        elif name == "jobs" and not args:
            return "ok " + json.dumps([
                {"number": j.number, "complete": j.complete, "interrupted": j.interrupted,
                 "lines": j.lines, "qr": j.qr_codes, "barcodes": [b.data for b in j.barcodes],
                 "images": len(j.images), "errors": j.errors} for j in list(sim.jobs)
            ], ensure_ascii=False)
        elif name == "render" and len(args) == 2:
            job = next(j for j in list(sim.jobs) if j.number == int(args[0]))
            save_png(job, Path(args[1]), sim.width_dots)
        else:
            return f"error unknown command {line.strip()!r}"
    except StopIteration:
        return "error no such job"
    except ValueError as err:
        return f"error {err}"
    return "ok"


class ControlServer:
    """Serve :func:`execute` on a loopback TCP port."""

    def __init__(self, sim: PrinterSimulator, port: int = 0) -> None:
        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for raw in self.rfile:
                    answer = execute(sim, raw.decode("utf-8", "replace"))
                    self.wfile.write(answer.encode("utf-8") + b"\n")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


def send_command(port: int, line: str, timeout: float = 5.0) -> str:
    """Send one control command to a running simulator and return its answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(line.encode("utf-8") + b"\n")
        answer = conn.makefile("rb").readline()
    return answer.decode("utf-8").rstrip("\n")
