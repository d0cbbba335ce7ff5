"""What the kiosk keeps to reprint a receipt: encrypted, found by what the receipt says, and
a version 2 file (before receipt copies) upgraded atomically with its money intact."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.errors import RecordTampered, StoreUnavailable
from offline_cache.receipt_copies import ReceiptCopies
from offline_cache.schema import SCHEMA_VERSION
from tests.offline.test_store_faults import _assert_money_intact, _money

KEY = "5ce8d56d-afe5-40ad-b1c6-16511de9199e"
RECEIPT = Receipt(ReceiptHeader("Municipalidad", "kiosk-a", datetime(2026, 12, 3, 9, 0)),
                  (ReceiptLine("Multa de estacionamiento", 1_250_000, "300000000001"),),
                  "PAG-000017", f"https://verify.example/verify?ref={KEY}")


def test_a_receipt_is_found_by_its_qr_key_or_printed_reference_and_never_stored_plain(
        database: OfflineDatabase, cipher: RecordCipher, tmp_path: Path) -> None:
    copies = ReceiptCopies(database, cipher)
    copies.record("payment", KEY, RECEIPT.reference, RECEIPT.to_json(), "4242")
    by_qr, by_typed = copies.find(KEY.upper()), copies.find("pag 000017")
    assert by_qr is not None and by_qr == by_typed
    assert Receipt.from_json(by_qr.receipt_json) == RECEIPT
    assert by_qr.kind == "payment" and by_qr.check == "4242"
    assert copies.find("PAG-000018") is None
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "kiosk.db").read_bytes()
    for plain in (b"Multa", b"PAG-000017", b"4242", KEY.encode()):
        assert plain not in raw


def test_a_copy_moved_to_another_row_does_not_open(database: OfflineDatabase,
                                                   cipher: RecordCipher) -> None:
    copies = ReceiptCopies(database, cipher)
    first = copies.record("payment", KEY, "PAG-000017", RECEIPT.to_json(), "4242")
    copies.record("request", "other-key", "VE-2026-000001", RECEIPT.to_json(), "")
    with database.transaction() as tx:
        (blob,) = tx.execute("SELECT private FROM receipt_copies WHERE id = ?",
                             (first,)).fetchone()
        tx.execute("UPDATE receipt_copies SET private = ? WHERE id != ?", (blob, first))
    with pytest.raises(RecordTampered):
        copies.find("VE-2026-000001")


def test_copies_older_than_the_window_are_dropped_when_a_new_one_is_kept(
        database: OfflineDatabase, cipher: RecordCipher) -> None:
    copies = ReceiptCopies(database, cipher, window_days=90)
    copies.record("payment", KEY, "PAG-000017", RECEIPT.to_json(), "4242")
    old = (datetime.now(UTC) - timedelta(days=91)).isoformat()
    with database.transaction() as tx:
        tx.execute("UPDATE receipt_copies SET created_at = ?", (old,))
    copies.record("payment", "a-newer-key", "PAG-000018", RECEIPT.to_json(), "1357")
    assert copies.find(KEY) is None and copies.find("PAG-000018") is not None


def test_a_version_2_file_gains_receipt_copies_atomically_with_its_money_intact(
        tmp_path: Path, cipher: RecordCipher) -> None:
    path = tmp_path / "kiosk.db"
    open_sale, charged = _money(path)
    conn = sqlite3.connect(path)  # the file release 2 wrote: no receipt_copies table
    conn.execute("DROP TABLE receipt_copies")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    _assert_money_intact(path, open_sale, charged)
    db = open_database(path)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        copies = ReceiptCopies(db, cipher)
        copies.record("payment", KEY, "PAG-000017", RECEIPT.to_json(), "4242")
        assert copies.find(KEY) is not None
    finally:
        db.close()


def test_a_failed_upgrade_leaves_the_version_2_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    _money(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE receipt_copies")
    conn.execute("CREATE VIEW receipt_copies AS SELECT 1 AS id")  # the new table cannot be made
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StoreUnavailable):  # out of service, the file untouched
        open_database(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2  # rolled back whole
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"
                                  " WHERE name LIKE 'receipt_copies%'").fetchall())
        assert kinds == {"receipt_copies": "view"}
    finally:
        conn.close()
