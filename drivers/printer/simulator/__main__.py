"""Run the printer simulator: ``python -m drivers.printer.simulator --port N``.

``--serial PATH`` serves a serial device end instead (e.g. one end of a socat pty pair);
``--control-port M`` opens the loopback control channel; ``--png-dir`` renders every job.
Prints one "ready" line with the ports when it accepts work; stops on SIGTERM / Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path

from drivers.printer.simulator.control import ControlServer
from drivers.printer.simulator.server import PrinterSimulator


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until told to stop."""
    parser = argparse.ArgumentParser(prog="python -m drivers.printer.simulator",
                                     description="Simulated ESC/POS receipt printer")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (0: any free port)")
    where.add_argument("--serial", help="serial device path to serve (device end of a pty)")
    parser.add_argument("--baudrate", type=int, default=115200)
    parser.add_argument("--control-port", type=int, default=None,
                        help="loopback port for fault-injection commands (0: any free port)")
    parser.add_argument("--png-dir", type=Path, default=None, help="render each job here")
    parser.add_argument("--width-dots", type=int, default=512)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.png_dir is not None:
        args.png_dir.mkdir(parents=True, exist_ok=True)
    with PrinterSimulator(args.width_dots, args.png_dir) as sim:
        if args.serial:
            sim.attach_serial(args.serial, args.baudrate)
            ready = f"serial={args.serial}"
        else:
            ready = f"port={sim.listen(args.port)}"
        control = ControlServer(sim, args.control_port) if args.control_port is not None \
            else None
        if control is not None:
            ready += f" control={control.port}"
        print(f"printer simulator ready {ready}", flush=True)
        stop.wait()
        if control is not None:
            control.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
