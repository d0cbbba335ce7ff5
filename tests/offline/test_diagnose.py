"""The doctor's view of the offline cache: key permissions, incidents, parked items."""

from __future__ import annotations

from offline_cache.database import open_database
from offline_cache.diagnose import diagnose
from offline_cache.outbox import Outbox


def test_healthy_store_diagnoses_ok(tmp_path, cipher, database):
    lines = diagnose(database.path, tmp_path / "kiosk.key")
    assert all(line.ok for line in lines), [line.line() for line in lines]


def test_world_readable_key_and_quarantine_and_parked_items_are_reported(tmp_path, cipher):
    (tmp_path / "kiosk.key").chmod(0o644)
    bad = tmp_path / "kiosk.db"
    bad.write_bytes(b"garbage" * 1000)
    db = open_database(bad)
    outbox = Outbox(db, cipher)
    outbox.park(outbox.enqueue_satisfaction(2, "x"), "422 invalid_request: bad score")
    lines = {line.part: line for line in diagnose(bad, tmp_path / "kiosk.key")}
    db.close()
    assert not lines["offline key"].ok and "chmod 600" in lines["offline key"].action
    assert not lines["offline incident"].ok and "moved to" in lines["offline incident"].summary
    assert not lines["offline queue"].ok and "1 rejected" in lines["offline queue"].summary
    assert lines["offline database"].ok


def test_diagnosis_never_creates_or_changes_files(tmp_path):
    lines = diagnose(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    assert all(line.ok for line in lines)
    assert list(tmp_path.iterdir()) == []
