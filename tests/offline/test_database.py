"""Opening the kiosk database: a damaged file is kept aside and replaced by a salvaged one."""

from __future__ import annotations

import logging
import os

from common.money import Money
from offline_cache.crypto import RecordCipher
from offline_cache.database import open_database
from offline_cache.journal import Journal, PaidBill


def _damage(path, offset: int = 0) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"this is not a sqlite database at all, sorry" * 20)


def test_garbage_file_is_moved_aside_and_a_fresh_database_works(tmp_path, caplog):
    path = tmp_path / "kiosk.db"
    path.write_bytes(os.urandom(8192))
    original = path.read_bytes()
    with caplog.at_level(logging.ERROR, logger="offline_cache.database"):
        db = open_database(path)
    [kept] = list(tmp_path.glob("kiosk.db.corrupt-*"))
    assert kept.read_bytes() == original  # moved, never deleted or altered
    [incident] = db.incidents()
    assert incident.kind == "quarantine" and kept.name in incident.detail
    assert "moved aside" in caplog.text
    payment = Journal(db, RecordCipher(b"\x07" * 32)).create_payment(Money(900), ())
    assert payment.ticket == 1
    db.close()


def test_damaged_pages_inside_a_real_database_are_quarantined_and_open_rows_kept(tmp_path):
    path = tmp_path / "kiosk.db"
    db = open_database(path)
    journal = Journal(db, RecordCipher(b"\x07" * 32))
    for _ in range(200):
        journal.create_payment(Money(100), [PaidBill("x" * 200, Money(100))])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    _damage(path, offset=4096 * 2)
    fresh = open_database(path)
    [incident] = fresh.incidents()
    assert incident.kind == "quarantine" and "salvaged 200 payments" in incident.detail
    # never sent to a terminal, but open: carried over (tests/offline/test_store_faults.py)
    assert fresh.conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 200
    assert len(list(tmp_path.glob("kiosk.db.corrupt-*"))) == 1
    fresh.close()


def test_incident_stays_visible_after_restart_until_acknowledged(tmp_path):
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"\x00" * 4096)
    open_database(path).close()
    db = open_database(path)
    [incident] = db.incidents()
    db.acknowledge_incident(incident.id)
    assert db.incidents() == []
    assert len(db.incidents(include_acknowledged=True)) == 1
    db.close()


def test_healthy_database_is_not_quarantined(tmp_path):
    open_database(tmp_path / "kiosk.db").close()
    db = open_database(tmp_path / "kiosk.db")
    assert db.incidents() == []
    assert list(tmp_path.glob("*.corrupt-*")) == []
    db.close()


def test_store_opens_at_the_configured_paths_inside_the_data_dir(tmp_path):
    from kiosk.runtime import open_store
    from kiosk.settings import load_settings

    site = tmp_path / "site.toml"
    site.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n'
                    '[api]\nurl = "https://127.0.0.1:9/v1"\n')
    (tmp_path / "data").mkdir()
    store = open_store(load_settings(site))
    store.journal.create_payment(Money(100), ())
    store.close()
    assert (tmp_path / "data" / "kiosk.db").is_file()
    assert ((tmp_path / "data" / "kiosk.key").stat().st_mode & 0o777) == 0o600
