"""One kiosk process per data folder: two would interleave journal writes and terminal sales."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from offline_cache.database import unavailable
from offline_cache.errors import StoreUnavailable


def lock_data_dir(folder: Path) -> int:
    """Hold this data folder for this process; StoreUnavailable if another kiosk holds it.

    The lock is an ``flock`` on ``<folder>/.kiosk.lock``, released by the kernel when the
    process ends (even by SIGKILL), so a crash never leaves the kiosk locked out. Returns
    the file descriptor, to be kept open for the process's life.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / ".kiosk.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as err:
        raise unavailable(folder, err) from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreUnavailable(f"{folder} is in use by another kiosk process",
                               reason="in_use") from None
    with contextlib.suppress(OSError):  # the pid is for technicians; a full disk may refuse it
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    return fd
