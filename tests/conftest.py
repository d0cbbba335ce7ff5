"""Shared fixtures: the real stacks every test drives (see tests/rig/)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.eid.reader import PcscEidReader
from drivers.eid.virtual_card.control import VirtualCardClient
from tests.eid.conftest import CITIZENS, StatusLog, card_is, wait_slot
from tests.rig.api_server import ApiServer, EnrolledKiosk, enrol_kiosk, running_api_server
from tests.rig.net import free_port
from tests.rig.pcsc import VIRTUAL_READER, Pcscd, claim_pcsc_home
from tests.rig.serial_pty import SerialPair, open_serial_pair

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("ARTIFACTS", PROJECT_ROOT / "artifacts"))


def pytest_configure(config: pytest.Config) -> None:
    """Point this process's PC/SC clients at its own pcscd before any of them connects.

    Each pytest-xdist worker is a process of its own, so each gets its own daemon socket
    and vpcd port (tests/rig/pcsc.py); apps and tools the tests start inherit them.
    """
    claim_pcsc_home()


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
    """This worker's own pcscd with the vpcd virtual readers, for the whole session."""
    with Pcscd() as daemon:
        yield daemon


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The reference API (demo seed) shared by the session; do not stop it in a test."""
    with running_api_server(tmp_path_factory.mktemp("api")) as server:
        yield server


@pytest.fixture
def api_kiosk(api_server: ApiServer) -> EnrolledKiosk:
    """A newly enrolled kiosk on the shared server: base_url, token, client(**overrides)."""
    return enrol_kiosk(api_server)


@pytest.fixture
def own_api_server(tmp_path: Path) -> Iterator[ApiServer]:
    """A private reference API this test may stop, kill and start again (same port, DB)."""
    with running_api_server(tmp_path / "api") as server:
        yield server


# --- e-ID: the virtual card (one process per worker, on the worker's vpcd port) ----------
@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The virtual e-ID card's test PKI folder (eid-ca.pem for an API that trusts it)."""
    return tmp_path_factory.mktemp("eid-pki")


@pytest.fixture(scope="session")
def card_process(pcscd: Pcscd, pki_dir: Path) -> Iterator[VirtualCardClient]:
    """The virtual card program (``python -m drivers.eid.virtual_card``) and its client."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.eid.virtual_card", "--pki", str(pki_dir),
         "--vpcd-port", str(pcscd.vpcd_port)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "ready" in line, f"virtual card did not start: {line!r}"
    client = VirtualCardClient(int(line.split("control=")[1].split()[0]))
    yield client
    client.close()
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.fixture(scope="session")
def eid_api(card_process: VirtualCardClient, pki_dir: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The reference API trusting the virtual card's CA (shared; tests enrol their own kiosk)."""
    with running_api_server(tmp_path_factory.mktemp("eid-api"),
                            eid_ca=pki_dir / "eid-ca.pem") as server:
        yield server


@pytest.fixture
def card(card_process: VirtualCardClient) -> VirtualCardClient:
    """A healthy, inserted card of the first demo citizen with 3 PIN tries."""
    card_process.remove()
    wait_slot(present=False)
    card_process.clear_faults()
    for citizen in CITIZENS:
        card_process.use_citizen(citizen.national_number)
        card_process.set_pin(citizen.pin, tries=3)
    card_process.insert(CITIZENS[0].national_number)
    wait_slot(present=True)
    return card_process


@pytest.fixture
def statuses() -> StatusLog:
    return StatusLog()


@pytest.fixture
def reader(card: VirtualCardClient, statuses: StatusLog) -> Iterator[PcscEidReader]:
    """Our reader driver, started, with the card recognised."""
    driver = PcscEidReader(VIRTUAL_READER, monitor_timeout_s=0.5)
    driver.add_listener(statuses)
    driver.start()
    statuses.wait_for(card_is("present"))
    yield driver
    driver.stop()
