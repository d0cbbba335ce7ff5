"""pcscd with the ``vsmartcard-vpcd`` virtual reader driver: the system's, or a private one.

The demo uses the system's pcscd (starting it when none runs) and vpcd's configured port.
Tests and benches get a private pcscd per process instead: pcscd's socket and pid file have
fixed paths (``/run/pcscd``), so two daemons cannot share a machine. Each test process (each
pytest-xdist worker) therefore gets its own :class:`PcscHome`: a short folder that pcscd
sees as ``/run/pcscd`` inside a private mount namespace, and a vpcd port pair of its own
(the first port takes the virtual card, the second is vpcd's second slot). Clients find the
daemon through ``PCSCLITE_CSOCK_NAME``, which libpcsclite reads once per process, so
:func:`claim_pcsc_home` must run before the first PC/SC call; child processes inherit it.

vpcd exposes the readers "Virtual PCD 00 00" and "Virtual PCD 00 01".
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.simulated.child import ChildProcess, NotReady, StackError

log = logging.getLogger(__name__)

VIRTUAL_READER = "Virtual PCD 00 00"
SYSTEM_SOCKET = "/run/pcscd/pcscd.comm"  # where libpcsclite finds the system's pcscd
# Below the kernel's ephemeral range (32768-60999): no outgoing connection and no free_port()
# of another test process can take a port between our check and pcscd's bind of it. 35963,
# vpcd's default, stays the system pcscd's and `make demo`'s.
FIRST_VPCD_PORT = 29565
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
    _lock_fd: int  # held open for the life of the process: the port pair stays ours

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


def _claim_port_pair() -> tuple[int, int]:
    """Lock the first vpcd port pair no other test process on this machine holds."""
    for pair in range(PORT_PAIRS):
        port = FIRST_VPCD_PORT + 2 * pair
        # Read-only, so a lock file another user created still locks (flock needs no write).
        path = _LOCKS / f"municipal-kiosk-vpcd-{port}.lock"
        lock_fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock_fd)
            continue
        if _ports_free(port, port + 1):
            return port, lock_fd
        fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)
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
    from smartcard.Exceptions import SmartcardException
    from smartcard.pcsc.PCSCExceptions import BaseSCardException
    from smartcard.System import readers

    try:
        return [str(reader) for reader in readers()]
    except (BaseSCardException, SmartcardException):
        return []


def _pcscd_binary() -> str:
    return shutil.which("pcscd") or "/usr/sbin/pcscd"


def _virtual_reader_ready() -> bool:
    return VIRTUAL_READER in list_readers()


class PrivatePcscd:
    """This process's own pcscd (tests, benches); restartable for fault tests."""

    def __init__(self, home: PcscHome | None = None) -> None:
        self.home = home or claim_pcsc_home()
        self._child = ChildProcess("private pcscd", self.argv(), self.home.folder / "pcscd.log",
                                   ready_check=_virtual_reader_ready)

    @property
    def vpcd_port(self) -> int:
        """The port the virtual card connects to ("Virtual PCD 00 00")."""
        return self.home.vpcd_port

    def kiosk_settings(self) -> dict[str, Any]:
        """Nothing: the card plugged into a reader says which one a kiosk uses."""
        return {}

    def __enter__(self) -> PrivatePcscd:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def argv(self) -> list[str]:
        """pcscd in a private mount namespace where our folder is ``/run/pcscd``.

        An empty tmpfs over ``/run`` also hides udev's device database, so a real USB reader
        plugged into the developer's machine never shows up in a test.
        """
        script = ('mount -t tmpfs tmpfs /run && mkdir /run/pcscd '
                  '&& mount --bind "$0" /run/pcscd && exec "$1" --foreground -c "$2"')
        namespace = ["unshare", "--mount", "--propagation", "private"]
        if os.geteuid() != 0:
            namespace.insert(1, "--map-root-user")  # an unprivileged user namespace
        return [*namespace, "sh", "-c", script, str(self.home.folder), _pcscd_binary(),
                str(self.home.reader_conf)]

    def start(self, timeout: float = 45.0) -> None:
        """Start pcscd in the foreground and wait until the virtual readers appear.

        One more try when the readers never show: a port taken by a stranger between our
        check and vpcd's bind would otherwise fail every PC/SC test of this worker.
        """
        try:
            self._child.start(timeout)  # a loaded machine takes seconds to load the driver
        except NotReady as first:
            log.warning("private pcscd showed no reader; starting it once more: %s", first)
            self._child.start(timeout)

    def stop(self) -> None:
        """Stop pcscd (readers disappear for every client of this process)."""
        self._child.stop()

    def restart(self) -> None:
        """Stop and start again, as a technician or a crash would."""
        self.stop()
        self.start()


def _pcscd_answers() -> bool:
    """Tell whether a pcscd listens where this process's PC/SC clients look for one.

    The socket, not the process list: test workers' private daemons (each in its own mount
    namespace) are pcscd processes too, and a socket-activated daemon has no process yet.
    """
    path = os.environ.get("PCSCLITE_CSOCK_NAME", SYSTEM_SOCKET)
    with socket.socket(socket.AF_UNIX) as probe:
        return probe.connect_ex(path) == 0


class SystemPcscd:
    """The machine's pcscd with vpcd (the demo's), started only when none runs."""

    def __init__(self, vpcd_port: int, logs: Path) -> None:
        self.vpcd_port = vpcd_port  # where the system's vpcd waits (/etc/reader.conf.d/vpcd)
        self._logs = logs
        self._child: ChildProcess | None = None

    def kiosk_settings(self) -> dict[str, Any]:
        """Nothing: the card plugged into a reader says which one a kiosk uses."""
        return {}

    def __enter__(self) -> SystemPcscd:
        if _virtual_reader_ready():  # a desktop usually runs one already
            return self
        if _pcscd_answers():
            raise StackError("pcscd is running without the vpcd virtual reader: install "
                             "vsmartcard-vpcd and restart pcscd (systemctl restart pcscd)")
        self._child = ChildProcess("smart-card service (pcscd)", [_pcscd_binary(), "--foreground"],
                                   self._logs / "pcscd.log", ready_check=_virtual_reader_ready)
        self._child.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.stop()
