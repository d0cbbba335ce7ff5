"""Linked serial pseudo-terminal pairs made by socat, like a null-modem cable."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SerialPair:
    """Two serial device paths wired to each other; ``unplug()`` cuts the cable."""

    kiosk_end: str
    device_end: str
    process: subprocess.Popen[bytes]

    def unplug(self) -> None:
        """Cut the link (both ends see a hang-up), like pulling the cable."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)


def open_serial_pair(directory: Path) -> SerialPair:
    """Start socat with two raw pseudo-terminals linked under ``directory``."""
    if shutil.which("socat") is None:
        raise RuntimeError("socat is not installed (make test installs it)")
    kiosk_end, device_end = str(directory / "kiosk-tty"), str(directory / "device-tty")
    process = subprocess.Popen(
        [
            "socat",
            f"pty,raw,echo=0,link={kiosk_end}",
            f"pty,raw,echo=0,link={device_end}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    while not (os.path.exists(kiosk_end) and os.path.exists(device_end)):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("socat did not create the pseudo-terminal pair")
        time.sleep(0.02)
    return SerialPair(kiosk_end, device_end, process)
