"""Personal data at rest: never plaintext in the file, tamper-evident, gone after sync/retention."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from common.money import Money
from offline_cache.errors import RecordTampered
from offline_cache.journal import PaidBill, PaymentState
from offline_cache.retention import RETENTION_EXPIRED, purge_expired
from offline_cache.sync import SyncWorker
from tests.offline.test_sync_worker import ScriptedUploader

NAME = "Graciela Inés Villanueva"
NATIONAL_NUMBER = "85.07.30-033.61"
REFERENCE = "PRED-VILLA-778812"
SESSION = "citizen-session-6a1f0c2e"
SECRETS = [NAME, NATIONAL_NUMBER, REFERENCE, SESSION, '"card_last4":"9731"']


def _raw(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def _fill(journal, submissions):
    p = journal.create_payment(Money(4500000), [PaidBill(REFERENCE, Money(4500000))])
    journal.begin_authorizing(p.ticket)
    journal.record_authorized(p.ticket, authorization_code="Z9", operation_number="77",
                              card_type="CR", card_last4="9731")
    s = submissions.create("birth-certificate",
                           {"name": NAME, "national_number": NATIONAL_NUMBER}, SESSION)
    submissions.queue(s.id)
    return p.ticket, s.id


def _texts(raw: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in raw]


def test_raw_database_file_holds_no_personal_data_in_plaintext(database, journal, submissions):
    ticket, _ = _fill(journal, submissions)
    raw = _raw(database.path)
    assert b"birth-certificate" in raw  # the grep sees plain columns...
    assert _texts(raw) == []  # ...and no personal data
    # while the technician still reads amounts and states in plain columns
    row = database.conn.execute(
        "SELECT amount_cents, state FROM payments WHERE ticket = ?", (ticket,)).fetchone()
    assert row == (4500000, "authorized")
    assert journal.get(ticket).bills[0].reference == REFERENCE  # but the key opens it


@pytest.mark.parametrize("table", ["payments", "submissions", "outbox"])
def test_a_flipped_byte_in_a_stored_record_is_detected(database, journal, submissions, outbox,
                                                       table):
    ticket, sid = _fill(journal, submissions)
    column = "payload" if table == "outbox" else "private"
    row_id, blob = database.conn.execute(
        f"SELECT id, {column} FROM {table} ORDER BY id LIMIT 1").fetchone()
    damaged = bytearray(blob)
    damaged[random.Random(table).randrange(len(damaged))] ^= 0x40
    database.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?",
                          (bytes(damaged), row_id))
    if table == "outbox":  # the worker must survive: the item is parked, never sent
        assert [i.id for i in outbox.due()] == [row_id + 1]
        [parked] = [e for e in outbox.view() if e.state == "parked"]
        assert parked.id == row_id and "failed authentication" in (parked.last_error or "")
        return
    read = {"payments": lambda: journal.get(ticket), "submissions": lambda: submissions.get(sid)}
    with pytest.raises(RecordTampered):
        read[table]()


def test_a_record_copied_onto_another_row_is_detected(database, journal):
    a = journal.create_payment(Money(100), [PaidBill("A", Money(100))])
    b = journal.create_payment(Money(200), [PaidBill("B", Money(200))])
    database.conn.execute(
        "UPDATE payments SET private = (SELECT private FROM payments WHERE ticket = ?)"
        " WHERE ticket = ?", (a.ticket, b.ticket))
    with pytest.raises(RecordTampered):
        journal.get(b.ticket)


def test_personal_data_is_gone_after_confirmed_sync(database, cipher, journal, submissions):
    ticket, sid = _fill(journal, submissions)
    blobs = [r[0] for r in database.conn.execute(
        "SELECT private FROM payments UNION ALL SELECT private FROM submissions"
        " UNION ALL SELECT payload FROM outbox")]
    worker = SyncWorker(database, cipher, ScriptedUploader(), interval_s=1, max_backoff_s=1,
                        retention_days=30)
    assert worker.drain(database)
    database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = _raw(database.path)
    assert [b for b in blobs if b in raw] == []  # ciphertext overwritten (secure_delete)
    assert journal.get(ticket).state is PaymentState.SYNCED
    assert journal.get(ticket).bills == () and submissions.get(sid).form == {}


def test_retention_purges_requests_but_never_a_charged_payment_before_delivery(
        database, journal, submissions, outbox):
    ticket, sid = _fill(journal, submissions)
    assert purge_expired(database, 30) == 0  # nothing is old yet
    for days in (31, 45, 400):  # a long outage, or a clock that jumps
        later = datetime.now(UTC) + timedelta(days=days)
        purge_expired(database, 30, now=later)
    assert journal.get(ticket).bills != ()  # the payment keeps what its upload needs ...
    [upload] = [e for e in outbox.view() if e.kind == "payment"]
    assert upload.state == "pending"  # ... and is still on its way to the API
    assert [item.kind for item in outbox.due()] == ["payment"]
    assert submissions.get(sid).form == {}  # a request's personal data still goes
    [request] = [e for e in outbox.view() if e.kind == "submission"]
    assert (request.state, request.last_error) == ("parked", RETENTION_EXPIRED)
