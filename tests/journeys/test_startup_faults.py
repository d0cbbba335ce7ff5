"""The start-up crash matrix: every fault at open keeps the money, delivered once when fixed.

Faults: {corrupt file, newer schema, read-only filesystem, full disk, locked by another
process} × money: {an open sale (answer lost, the terminal charged it), an undelivered
upload (authorized, queued)}. The kiosk starts on the real runtime (terminal simulator on a
socat pair, reference API over HTTP, real SQLite file, a real tmpfs for the disk faults);
while the fault lasts it refuses to start (out of service), except for proven corruption,
which it salvages. Once the fault is fixed, the sale is settled from the terminal and the
town hall holds it exactly once.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from common.money import Money
from drivers.payment.base import OutcomeUnknown
from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from drivers.payment.transbank import TransbankTerminal
from kiosk.runtime import build_runtime, open_store
from kiosk.settings import Settings, load_settings
from kiosk.simulated.api import ApiServer
from offline_cache import database as database_module
from offline_cache.errors import StoreUnavailable
from offline_cache.journal import PaidBill, PaymentState
from offline_cache.schema import SCHEMA_VERSION
from rig.config import write_config
from rig.fs import SmallDisk, small_disk
from rig.serial_pty import SerialPair
from rig.wait import wait_for

KIOSK_ID = "kiosk-startup-faults"
AMOUNT = Money(2_500_000)
BILLS = (PaidBill("100000000003", AMOUNT),)


def _settings(data_dir: Path, folder: Path, api: ApiServer, port: str) -> Settings:
    settings = load_settings(write_config(folder, {
        "kiosk": {"id": KIOSK_ID, "data_dir": str(data_dir), "log_dir": str(folder / "logs")},
        "api": {"url": api.base_url, "retries": 0, "read_timeout_s": 2},
        "offline": {"sync_interval_s": 0.2, "base_backoff_s": 0.1, "max_backoff_s": 0.3},
        "devices": {"eid": {"type": "none"}, "printer": {"type": "none"},
                    "payment": {"type": "transbank", "port": port, "ack_timeout_s": 0.5,
                                "response_timeout_s": 1.0}}}))
    api.enrol_into(settings.data_path(settings.api.enrolment_file), KIOSK_ID)
    return settings


def _leave_money(settings: Settings, port: str, memory_sim: TerminalSimulator,
                 kind: str) -> int:
    """Leave an open sale (charged, answer lost) or an authorized, undelivered one."""
    store = open_store(settings)
    terminal = TransbankTerminal(port, ack_timeout_s=0.5, response_timeout_s=1.0)
    try:
        payment = store.journal.create_payment(AMOUNT, BILLS)
        store.journal.begin_authorizing(payment.ticket)
        if kind == "open_sale":
            memory_sim.memory.queue(Script(Fault.NO_ANSWER, charged=True))
            with pytest.raises(OutcomeUnknown):
                terminal.sale(AMOUNT.cents, payment.ticket, lambda _: None)
            store.journal.record_unknown(payment.ticket)  # ... and the kiosk died here
        else:
            sale = terminal.sale(AMOUNT.cents, payment.ticket, lambda _: None)
            store.journal.record_authorized(
                payment.ticket, authorization_code=str(sale.authorization_code),
                operation_number=str(sale.operation_number), card_type="DB",
                card_last4="4242")  # ... and the link was down: the upload waits
        store.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return payment.ticket
    finally:
        terminal.close()
        store.close()


_HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def _locked(path: Path) -> Iterator[Callable[[], None]]:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

    def release() -> None:
        holder.kill()
        holder.wait()

    try:
        yield release
    finally:
        release()
        assert holder.stdout is not None
        holder.stdout.close()


def _corrupt_catalog(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO catalog (id, etag, version, body, fetched_at)"
                 " VALUES (1, 'e', 'v', ?, 'now')", ("x" * 50_000,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'catalog'"
                                        " AND pagetype = 'overflow'")]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * 4096)
        handle.write(b"\xff" * 4096)


def _set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


@pytest.fixture
def terminal(serial_pair: SerialPair) -> Iterator[TerminalSimulator]:
    sim = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.01,
                            ack_timeout_s=0.5).start()
    yield sim
    sim.stop()


@pytest.mark.parametrize("kind", ["open_sale", "undelivered_upload"])
@pytest.mark.parametrize("fault", ["corrupt", "newer_schema", "read_only", "disk_full",
                                   "locked"])
def test_a_fault_at_start_up_keeps_the_money_and_delivers_it_once_when_fixed(
        fault: str, kind: str, tmp_path: Path, own_api_server: ApiServer,
        serial_pair: SerialPair, terminal: TerminalSimulator,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
    with small_disk(tmp_path / "disk", size="8m") as disk:
        data = disk.path / "data"
        settings = _settings(data, tmp_path, own_api_server, serial_pair.kiosk_end)
        ticket = _leave_money(settings, serial_pair.kiosk_end, terminal, kind)
        db_path = settings.data_path(settings.offline.database)
        with _fault(fault, db_path, disk):
            if fault == "corrupt":  # proven corruption: salvaged, the kiosk may start
                build_runtime(settings).close()
            else:
                with pytest.raises(StoreUnavailable):
                    build_runtime(settings)
        runtime = build_runtime(settings)  # the fault is fixed: the kiosk starts
        try:
            runtime.start()
            wait_for(lambda: runtime.store.journal.get(ticket).state is PaymentState.SYNCED,
                     f"ticket {ticket} delivered after the {fault} was fixed", timeout=20)
        finally:
            runtime.close()
    with sqlite3.connect(own_api_server.db_path) as conn:
        recorded = conn.execute("SELECT ticket, authorization_code FROM payments"
                                " WHERE kiosk_id = ?", (KIOSK_ID,)).fetchall()
    (charged,) = terminal.memory.approved
    assert recorded == [(ticket, charged.authorization_code)]  # exactly once, as charged
    assert terminal.memory.sale_commands == 1  # nothing was sold twice


@contextmanager
def _fault(fault: str, db_path: Path, disk: SmallDisk) -> Iterator[None]:
    """Apply one fault for the block; leave it fixed afterwards (as a technician would)."""
    if fault == "corrupt":
        _corrupt_catalog(db_path)
        yield
    elif fault == "newer_schema":
        _set_version(db_path, SCHEMA_VERSION + 1)
        yield
        _set_version(db_path, SCHEMA_VERSION)  # the newer release is installed again
    elif fault == "read_only":
        disk.read_only()
        yield
        disk.read_write()
    elif fault == "disk_full":
        disk.fill()
        yield
        disk.free()
    else:
        with _locked(db_path):
            yield
