"""A journal that may hold money is never dropped: faults at open mean out of service.

Only proven corruption replaces the file, and then open sales and undelivered uploads are
salvaged into the new one with the same ids (their ciphertexts are bound to them). Read-only,
full, locked or newer files raise StoreUnavailable and are left exactly as they were.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.money import Money
from offline_cache import database as database_module
from offline_cache.crypto import RecordCipher
from offline_cache.data_lock import lock_data_dir
from offline_cache.database import open_database
from offline_cache.errors import StoreUnavailable
from offline_cache.journal import Journal, PaidBill
from offline_cache.machine import PaymentState
from offline_cache.outbox import Outbox
from offline_cache.schema import SCHEMA_VERSION
from rig.fs import small_disk

KEY = b"\x07" * 32
BILL = (PaidBill("100000000001", Money(7_122_600)),)


def _money(path: Path) -> tuple[int, int]:
    """A file with an open sale (unknown) and an authorized sale whose upload is pending."""
    db = open_database(path)
    journal = Journal(db, RecordCipher(KEY))
    for _ in range(3):  # settled history: synced sales are not carried over, tickets are kept
        done = journal.create_payment(Money(100), BILL).ticket
        journal.begin_authorizing(done)
        journal.record_declined(done, code="05")
    open_sale = journal.create_payment(Money(7_122_600), BILL).ticket
    journal.begin_authorizing(open_sale)
    journal.record_unknown(open_sale)
    charged = journal.create_payment(Money(4_000_000), BILL).ticket
    journal.begin_authorizing(charged)
    journal.record_authorized(charged, authorization_code="A1B2C3", operation_number="000042",
                              card_type="VI", card_last4="4242")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return open_sale, charged


def _assert_money_intact(path: Path, open_sale: int, charged: int) -> None:
    db = open_database(path)
    try:
        journal = Journal(db, RecordCipher(KEY))
        assert journal.get(open_sale).state is PaymentState.UNKNOWN
        assert journal.get(open_sale).bills == BILL  # still decrypts: same row id
        paid = journal.get(charged)
        assert paid.state is PaymentState.AUTHORIZED and paid.card_last4 == "4242"
        [upload] = [e for e in Outbox(db, RecordCipher(KEY)).view() if e.kind == "payment"]
        assert upload.state == "pending"
        new = journal.create_payment(Money(500), BILL)
        assert new.ticket > charged  # no ticket is given out twice
    finally:
        db.close()


def _damage_catalog_page(path: Path) -> None:
    """Overwrite a page of the catalog table only: corruption SQLite proves on check."""
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO catalog (id, etag, version, body, fetched_at)"
                 " VALUES (1, 'e', 'v', ?, 'now')", ("x" * 50_000,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = 'catalog'"
                                            " AND pagetype = 'overflow'")]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * page_size)
        handle.write(b"\xff" * page_size)


def test_proven_corruption_salvages_open_sales_and_pending_uploads_with_their_ids(tmp_path):
    path = tmp_path / "kiosk.db"
    open_sale, charged = _money(path)
    _damage_catalog_page(path)
    db = open_database(path)
    [incident] = db.incidents()
    db.close()
    assert incident.kind == "quarantine"
    assert "salvaged 2 payments" in incident.detail and "1 outbox" in incident.detail
    assert len(list(tmp_path.glob("kiosk.db.corrupt-*"))) == 1  # the damaged file is kept
    _assert_money_intact(path, open_sale, charged)


def test_damage_inside_the_payments_says_what_could_not_be_read(tmp_path):
    path = tmp_path / "kiosk.db"
    db = open_database(path)
    journal = Journal(db, RecordCipher(KEY))
    for _ in range(300):
        ticket = journal.create_payment(Money(100), [PaidBill("x" * 300, Money(100))]).ticket
        journal.begin_authorizing(ticket)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    [page] = [r[0] for r in db.conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'payments' AND pagetype = 'leaf'")][5:6]
    db.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096 + 100)
        handle.write(b"\xff" * 3000)
    fresh = open_database(path)
    [incident] = fresh.incidents()
    kept = fresh.conn.execute("SELECT count(*) FROM payments").fetchone()[0]
    fresh.close()
    assert 200 < kept < 300  # most rows saved, the damaged page's rows not
    assert "unreadable: payments" in incident.detail


def test_a_newer_schema_is_left_alone_and_the_kiosk_is_out_of_service(tmp_path):
    path = tmp_path / "kiosk.db"
    open_sale, charged = _money(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")  # a newer release, rolled back
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable) as caught:
        open_database(path)
    assert caught.value.reason == "newer_schema"
    assert path.read_bytes() == before and not list(tmp_path.glob("*.corrupt-*"))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # the newer software is back
    conn.close()
    _assert_money_intact(path, open_sale, charged)


def test_a_read_only_filesystem_is_out_of_service_and_nothing_is_moved(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        path = disk.path / "kiosk.db"
        open_sale, charged = _money(path)
        disk.read_only()
        with pytest.raises(StoreUnavailable) as caught:
            open_database(path)
        assert caught.value.reason == "read_only"
        disk.read_write()
        assert not list(disk.path.glob("*.corrupt-*"))
        _assert_money_intact(path, open_sale, charged)


def test_a_full_disk_is_out_of_service_and_nothing_is_moved(tmp_path):
    with small_disk(tmp_path / "disk", size="4m") as disk:
        path = disk.path / "kiosk.db"
        open_sale, charged = _money(path)
        disk.fill()
        with pytest.raises(StoreUnavailable) as caught:
            open_database(path)
        assert caught.value.reason == "disk_full"
        disk.free()
        assert not list(disk.path.glob("*.corrupt-*"))
        _assert_money_intact(path, open_sale, charged)


_HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("SELECT count(*) FROM payments").fetchone()
print("locked", flush=True)
time.sleep(60)
"""


def test_a_database_locked_by_another_process_is_out_of_service(tmp_path, monkeypatch):
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "kiosk.db"
    open_sale, charged = _money(path)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreUnavailable) as caught:
            open_database(path)
        assert caught.value.reason == "locked"
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert not list(tmp_path.glob("*.corrupt-*"))
    _assert_money_intact(path, open_sale, charged)


_HOLD_DATA_DIR = """
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from offline_cache.data_lock import lock_data_dir
lock_data_dir(Path(sys.argv[1]))
print("holding", flush=True)
time.sleep(60)
"""


def test_one_kiosk_process_per_data_folder_and_a_killed_one_leaves_no_lock(tmp_path):
    root = str(Path(__file__).resolve().parents[2])
    other = subprocess.Popen([sys.executable, "-c", _HOLD_DATA_DIR, str(tmp_path), root],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "holding"
        with pytest.raises(StoreUnavailable) as caught:
            lock_data_dir(tmp_path)
        assert caught.value.reason == "in_use"
    finally:
        other.kill()  # SIGKILL: the kernel releases the flock
        other.wait()
        assert other.stdout is not None
        other.stdout.close()
    deadline = time.monotonic() + 5
    while True:
        try:
            os.close(lock_data_dir(tmp_path))
            break
        except StoreUnavailable:
            assert time.monotonic() < deadline, "the killed process's lock was not released"
            time.sleep(0.05)


def test_a_version_1_file_is_brought_up_to_date_with_its_money_intact(tmp_path):
    path = tmp_path / "kiosk.db"
    open_sale, charged = _money(path)
    conn = sqlite3.connect(path)  # make it the file an older release wrote
    for column in ("review_reason", "terminal_amount_cents", "close_id"):
        conn.execute(f"ALTER TABLE payments DROP COLUMN {column}")
    conn.execute("DROP TABLE closes")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    _assert_money_intact(path, open_sale, charged)
    conn = sqlite3.connect(path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(payments)")}
    assert {"review_reason", "terminal_amount_cents", "close_id"} <= columns
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def _error_with_code(code: int) -> sqlite3.DatabaseError:
    err = sqlite3.DatabaseError("simulated")
    err.sqlite_errorcode = code  # type: ignore[attr-defined]
    return err


@pytest.mark.parametrize(("code", "corrupt"), [
    (sqlite3.SQLITE_CORRUPT, True), (sqlite3.SQLITE_NOTADB, True),
    (779, True),  # SQLITE_CORRUPT_INDEX: an extended code of SQLITE_CORRUPT
    (sqlite3.SQLITE_READONLY, False), (sqlite3.SQLITE_FULL, False), (sqlite3.SQLITE_BUSY, False),
    (sqlite3.SQLITE_IOERR | (13 << 8), False),  # SQLITE_IOERR_FSYNC
])
def test_only_corruption_codes_lead_to_salvage(code: int, corrupt: bool) -> None:
    assert database_module.is_corruption(_error_with_code(code)) is corrupt


def test_an_error_without_a_code_is_not_corruption() -> None:
    assert not database_module.is_corruption(sqlite3.DatabaseError("no code"))
