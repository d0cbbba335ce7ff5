"""Run the virtual e-ID card: ``python -m drivers.eid.virtual_card --pki var/demo/pki``.

Prints ``virtual-card ready control=<port> ca=<path>`` once the control socket listens.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from drivers.eid.citizens import DEMO_CITIZENS, load_citizens
from drivers.eid.test_pki import load_or_create_pki
from drivers.eid.virtual_card.card import VPCD_PORT, VirtualCard
from drivers.eid.virtual_card.control import ControlServer


def main(argv: list[str] | None = None) -> int:
    """Start the card, its control socket, and wait for SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m drivers.eid.virtual_card")
    parser.add_argument("--pki", type=Path, default=Path("var/demo/pki"),
                        help="test PKI folder (created if missing)")
    parser.add_argument("--citizens", type=Path, default=DEMO_CITIZENS)
    parser.add_argument("--control-port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--vpcd-port", type=int, default=VPCD_PORT)
    parser.add_argument("--insert", nargs="?", const="", default=None, metavar="NATIONAL_NUMBER",
                        help="insert a card at start (the first citizen's if no number)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    citizens = load_citizens(args.citizens)
    pki = load_or_create_pki(args.pki, citizens)
    card = VirtualCard(pki, citizens, port=args.vpcd_port)
    server = ControlServer(card, args.control_port)
    server.thread.start()
    if args.insert is not None:
        card.insert(args.insert or None)
    print(f"virtual-card ready control={server.port} ca={pki.ca_bundle_path}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    card.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
