"""A private ``pcscd`` with the ``vsmartcard-vpcd`` virtual reader driver, one per process.

pcscd's socket and pid file have fixed paths (``/run/pcscd``), so two daemons cannot share
a machine. Each test process (each pytest-xdist worker) therefore gets its own
:class:`PcscHome`: a short folder that pcscd sees as ``/run/pcscd`` inside a private mount
namespace, and a vpcd port pair of its own (the first port takes the virtual card, the
second is vpcd's second slot). Clients find the daemon through ``PCSCLITE_CSOCK_NAME``,
which libpcsclite reads once per process, so :func:`claim_pcsc_home` must run before the
first PC/SC call; child processes inherit it.

vpcd exposes the readers "Virtual PCD 00 00" and "Virtual PCD 00 01".
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

VIRTUAL_READER = "Virtual PCD 00 00"
FIRST_VPCD_PORT = 35965  # 35963 is vpcd's default: left to the system pcscd and `make demo`
PORT_PAIRS = 64
_LOCKS = Path(tempfile.gettempdir())
READER_CONF = """FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x{port:04X}
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    0x{port:04X}
"""


@dataclass(frozen=True)
class PcscHome:
    """Where this process's pcscd lives: its socket folder and its vpcd port."""

    folder: Path
    vpcd_port: int
    _lock: IO[str]

    @property
    def socket_path(self) -> Path:
        return self.folder / "pcscd.comm"

    @property
    def reader_conf(self) -> Path:
        return self.folder / "reader.conf"


_home: PcscHome | None = None


def _ports_free(*ports: int) -> bool:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _claim_port_pair() -> tuple[int, IO[str]]:
    """Lock the first vpcd port pair no other test process on this machine holds."""
    for pair in range(PORT_PAIRS):
        port = FIRST_VPCD_PORT + 2 * pair
        # Read-only, so a lock file another user created still locks (flock needs no write).
        path = _LOCKS / f"municipal-kiosk-vpcd-{port}.lock"
        handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_CREAT, 0o644))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        if _ports_free(port, port + 1):
            return port, handle
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
    raise RuntimeError(f"no free vpcd port pair from {FIRST_VPCD_PORT} "
                       f"({PORT_PAIRS} pairs tried)")


def claim_pcsc_home() -> PcscHome:
    """Give this process its own pcscd socket path and vpcd port (idempotent)."""
    global _home
    if _home is None:
        port, lock = _claim_port_pair()
        # sun_path holds 108 bytes: keep the folder short, not under pytest's tmp_path.
        folder = Path(tempfile.mkdtemp(prefix="kpcsc-"))
        (folder / "reader.conf").write_text(READER_CONF.format(port=port))
        os.environ["PCSCLITE_CSOCK_NAME"] = str(folder / "pcscd.comm")
        _home = PcscHome(folder, port, lock)
        atexit.register(shutil.rmtree, folder, True)
    return _home


def list_readers() -> list[str]:
    """Ask this process's pcscd for its readers through pyscard (empty when unreachable)."""
    from smartcard.Exceptions import CardConnectionException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException
    from smartcard.System import readers

    try:
        return [str(reader) for reader in readers()]
    except (BaseSCardException, CardConnectionException):
        return []


class Pcscd:
    """The process's own pcscd; restartable for fault tests."""

    def __init__(self, home: PcscHome | None = None) -> None:
        self.home = home or claim_pcsc_home()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def vpcd_port(self) -> int:
        """The port the virtual card connects to ("Virtual PCD 00 00")."""
        return self.home.vpcd_port

    def __enter__(self) -> Pcscd:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def argv(self) -> list[str]:
        """pcscd in a private mount namespace where our folder is ``/run/pcscd``.

        An empty tmpfs over ``/run`` also hides udev's device database, so a real USB reader
        plugged into the developer's machine never shows up in a test.
        """
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        script = ('mount -t tmpfs tmpfs /run && mkdir /run/pcscd '
                  '&& mount --bind "$0" /run/pcscd && exec "$1" --foreground -c "$2"')
        namespace = ["unshare", "--mount", "--propagation", "private"]
        if os.geteuid() != 0:
            namespace.insert(1, "--map-root-user")  # an unprivileged user namespace
        return [*namespace, "sh", "-c", script, str(self.home.folder), binary,
                str(self.home.reader_conf)]

    def start(self, timeout: float = 45.0) -> None:
        """Start pcscd in the foreground and wait until the virtual readers appear."""
        self.process = subprocess.Popen(self.argv(), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        # A loaded machine can take many seconds before pcscd loads the vpcd driver.
        deadline = time.monotonic() + timeout
        while VIRTUAL_READER not in list_readers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"pcscd started but the vpcd virtual readers did not appear "
                                   f"within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop pcscd (readers disappear for every client of this process)."""
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
