"""Shared fixtures: the real stacks every test drives (see tests/rig/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rig.net import free_port
from tests.rig.pcsc import Pcscd
from tests.rig.serial_pty import SerialPair, open_serial_pair

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("ARTIFACTS", PROJECT_ROOT / "artifacts"))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for screenshots and rendered receipts a person should look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def loopback_port() -> int:
    """A free TCP port on 127.0.0.1."""
    return free_port()


@pytest.fixture
def serial_pair(tmp_path: Path) -> Iterator[SerialPair]:
    """Two linked serial pseudo-terminals (kiosk end, device end)."""
    pair = open_serial_pair(tmp_path)
    yield pair
    pair.unplug()


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    """A real pcscd with the vpcd virtual readers, for the whole session."""
    with Pcscd() as daemon:
        yield daemon
