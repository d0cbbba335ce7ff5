"""A real, size-limited filesystem for the disk-full and read-only tests (tmpfs, as root)."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class SmallDisk:
    """A mounted tmpfs: make it read-only or full, then put it right again."""

    path: Path

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def read_write(self) -> None:
        subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)

    def fill(self) -> None:
        """Write a filler file until the filesystem refuses more."""
        with (self.path / "filler").open("ab") as handle:
            chunk = b"\0" * 65536
            while True:
                try:
                    handle.write(chunk)
                    handle.flush()
                except OSError as err:
                    if err.errno != errno.ENOSPC:
                        raise
                    break
        for size in (4096, 512, 1):  # the last pages too
            with contextlib.suppress(OSError), (self.path / "filler").open("ab") as handle:
                while True:
                    handle.write(b"\0" * size)
                    handle.flush()

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "8m") -> Iterator[SmallDisk]:
    """Mount a tmpfs of ``size`` at ``folder`` for the test; unmount it afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (make test runs as root)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                    str(folder)], check=True)
    try:
        yield SmallDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
