"""Start and stop a real ``pcscd`` with the ``vsmartcard-vpcd`` virtual reader driver.

Only one pcscd can run on a machine, so a file lock serialises test runs that need it.
The vpcd driver exposes the readers "Virtual PCD 00 00" and "Virtual PCD 00 01"; the first
waits for a virtual card on TCP 127.0.0.1:35963.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import time
from pathlib import Path

VPCD_PORT = 35963
VIRTUAL_READER = "Virtual PCD 00 00"
LOCK_FILE = Path("/tmp/municipal-kiosk-pcscd.lock")


def list_readers() -> list[str]:
    """Ask pcscd for its readers through pyscard (empty when pcscd is unreachable)."""
    from smartcard.Exceptions import CardConnectionException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException
    from smartcard.System import readers

    try:
        return [str(reader) for reader in readers()]
    except (BaseSCardException, CardConnectionException):
        return []


class Pcscd:
    """A pcscd process owned by the tests; restartable for fault tests."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self._lock_handle = LOCK_FILE.open("w")

    def __enter__(self) -> Pcscd:
        fcntl.flock(self._lock_handle, fcntl.LOCK_EX)
        try:
            self.start()
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._release()

    def _release(self) -> None:
        fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
        self._lock_handle.close()

    def start(self, timeout: float = 45.0) -> None:
        """Start pcscd in the foreground and wait until the virtual readers appear."""
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        subprocess.run(["pkill", "-x", "pcscd"], check=False)
        self._wait_gone()
        self.process = subprocess.Popen(
            [binary, "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # A loaded machine can take many seconds before pcscd loads the vpcd driver.
        deadline = time.monotonic() + timeout
        while VIRTUAL_READER not in list_readers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"pcscd started but the vpcd virtual readers did not appear "
                                   f"within {timeout:.0f} s")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop pcscd (readers disappear for every client)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        """Stop and start again, as a technician or a crash would."""
        self.stop()
        self.start()

    @staticmethod
    def _wait_gone(timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode != 0:
                return
            time.sleep(0.05)
