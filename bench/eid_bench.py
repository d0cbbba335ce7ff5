"""e-ID: APDU count and wall time for "identify" and "PIN + sign", against OpenSC.

Run: python -m bench.eid_bench [--rounds N]
Needs pcscd + vsmartcard-vpcd (the test rig starts a private one with its own vpcd port).
The virtual card runs in this process and counts every C-APDU it receives; a real reader's
APDU costs far more than vpcd's, so the counts predict real-reader time better than the
wall clock does.
Comparison: OpenSC's ``pkcs15-tool --read-certificate`` reading the same certificate.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers.base import DeviceStatus
from drivers.eid.citizens import load_citizens
from drivers.eid.reader import PcscEidReader
from drivers.eid.test_pki import load_or_create_pki
from drivers.eid.virtual_card.card import VirtualCard
from kiosk.simulated.pcsc import VIRTUAL_READER, PrivatePcscd


class _Presence:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.absent = threading.Event()

    def __call__(self, status: DeviceStatus) -> None:
        card = status.detail.get("card")
        (self.event if card == "present" else self.absent).set()
        (self.absent if card == "present" else self.event).clear()


def _measure(card: VirtualCard, action: Callable[[], object]) -> tuple[float, int]:
    before = card.apdu_count
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000, card.apdu_count - before


def _row(label: str, samples: list[tuple[float, int]]) -> str:
    times = [t for t, _ in samples]
    counts = {c for _, c in samples}
    return (f"{label:<44} {statistics.median(times):8.1f} ms   APDUs "
            f"{'/'.join(str(c) for c in sorted(counts)):>7}   (n={len(samples)})")


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.eid_bench")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    citizens = load_citizens()
    with tempfile.TemporaryDirectory() as folder, PrivatePcscd() as pcscd:
        pki = load_or_create_pki(Path(folder), citizens)
        card = VirtualCard(pki, citizens, port=pcscd.vpcd_port)
        presence = _Presence()
        reader = PcscEidReader(VIRTUAL_READER, monitor_timeout_s=0.5)
        reader.add_listener(presence)
        reader.start()
        identify: list[tuple[float, int]] = []
        detect: list[tuple[float, int]] = []
        read: list[tuple[float, int]] = []
        sign: list[tuple[float, int]] = []
        certificate: list[tuple[float, int]] = []
        opensc: list[tuple[float, int]] = []
        pin = citizens[0].pin
        try:
            for _ in range(args.rounds):
                card.remove()
                presence.absent.wait(10)

                def insert() -> None:
                    card.insert()
                    presence.event.wait(10)

                detect.append(_measure(card, insert))
                read.append(_measure(card, reader.read_identity))
                identify.append((detect[-1][0] + read[-1][0], detect[-1][1] + read[-1][1]))
                certificate.append(_measure(card, reader.read_auth_certificate))

                def pin_and_sign() -> None:
                    reader.verify_pin(bytearray(pin.encode()))
                    reader.sign_challenge(b"\x01" * 32)

                sign.append(_measure(card, pin_and_sign))
                opensc.append(_measure(card, lambda: subprocess.run(
                    ["pkcs15-tool", "--reader", VIRTUAL_READER, "--read-certificate", "02"],
                    capture_output=True, check=True, timeout=60)))
        finally:
            reader.stop()
            card.close()
    print(_row("identify (insert -> identity + address checked)", identify))
    print(_row("  of which: insert -> card recognised", detect))
    print(_row("  of which: identity + address read, verified", read))
    print(_row("auth certificate read (ours)", certificate))
    print(_row("auth certificate read (OpenSC pkcs15-tool)", opensc))
    print(_row("PIN + sign (certificate cached)", sign))
    print(f"ours reads files in {0xF8}-byte chunks and sizes DER certificates from their "
          "header (no 6Cxx round trip).")


if __name__ == "__main__":
    main()
