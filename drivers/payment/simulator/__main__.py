"""Run the terminal simulator: ``python -m drivers.payment.simulator --pty`` (or --port PATH).

With ``--pty`` it creates its own pseudo-terminal and prints ``kiosk-port: /dev/pts/N``;
point ``devices.payment.port`` at that path, or at the symlink ``--link PATH`` makes.
``--control-port`` opens the loopback control (see :mod:`drivers.payment.simulator.control`;
0 = any free port). Then it prints ``terminal simulator ready kiosk-port=PATH control=N``
(``control=none`` without a control port). Stops cleanly on SIGTERM / Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path

from drivers.payment.simulator.control import ControlServer
from drivers.payment.simulator.ports import DevicePort, PtyDevicePort, SerialDevicePort
from drivers.payment.simulator.scripts import TerminalMemory
from drivers.payment.simulator.terminal import TerminalSimulator


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description="POS Integrado terminal simulator")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", help="device end of a serial line (e.g. a socat pty)")
    where.add_argument("--pty", action="store_true", help="create a pseudo-terminal")
    parser.add_argument("--link", type=Path,
                        help="with --pty: also make this symlink to the kiosk end (for configs)")
    parser.add_argument("--control-port", type=int, help="loopback control port (0 = any free)")
    parser.add_argument("--think-s", type=float, default=0.5,
                        help="pause before each intermediate message and the answer")
    parser.add_argument("--line-baudrate", type=int,
                        help="spend real 8N1 wire time at this speed on every byte")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    port: DevicePort
    if args.pty:
        pty = PtyDevicePort(args.line_baudrate)
        port, path = pty, pty.kiosk_path
        if args.link is not None:
            args.link.parent.mkdir(parents=True, exist_ok=True)
            args.link.unlink(missing_ok=True)
            args.link.symlink_to(path)
    else:
        port, path = SerialDevicePort(args.port, args.line_baudrate), args.port
    memory = TerminalMemory()
    simulator = TerminalSimulator(port, memory, think_s=args.think_s).start()
    control = (ControlServer(args.control_port, memory).start()
               if args.control_port is not None else None)
    control_port = control.server_address[1] if control is not None else "none"
    print(f"kiosk-port: {path}", flush=True)
    print(f"terminal simulator ready kiosk-port={path} control={control_port}", flush=True)

    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    done.wait()
    if control is not None:
        control.shutdown()
    simulator.stop()
    if args.pty and args.link is not None:
        args.link.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
