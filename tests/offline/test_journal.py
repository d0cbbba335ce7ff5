"""The payment and submission state machines: legal paths, illegal moves, durability."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from common.money import Money
from offline_cache.crypto import RecordCipher
from offline_cache.database import open_database
from offline_cache.errors import IllegalTransition, RecordTampered, UnknownRecord
from offline_cache.journal import MAX_TICKET, Journal, PaidBill, PaymentState
from offline_cache.machine import PAYMENT_TRANSITIONS, SubmissionState

BILLS = [{"reference": "PRED-2024-0001", "amount_cents": 1250000}]  # as stored and uploaded
PAID = (PaidBill("PRED-2024-0001", Money(1250000)),)


def _authorize(journal: Journal, ticket: int) -> None:
    journal.record_authorized(
        ticket, authorization_code="A1B2C3", operation_number="000123",
        card_type="CD", card_last4="4242",
    )


def test_create_assigns_increasing_tickets_and_distinct_keys(journal):
    first = journal.create_payment(Money(1000), PAID)
    second = journal.create_payment(Money(2000), PAID)
    assert (first.ticket, second.ticket) == (1, 2)
    assert first.idempotency_key != second.idempotency_key
    assert first.state is PaymentState.CREATED and first.bills == PAID


def test_bills_are_stored_as_before_and_rows_written_before_read_as_paid_bills(
        journal, database, cipher):
    p = journal.create_payment(Money(1250000), PAID)
    row_id, blob = database.conn.execute(
        "SELECT id, private FROM payments WHERE ticket = ?", (p.ticket,)).fetchone()
    assert cipher.open("payments", row_id, blob) == {"bills": BILLS, "card_last4": None}
    # a row as an older kiosk wrote it, straight into the file
    database.conn.execute("UPDATE payments SET private = ? WHERE id = ?", (cipher.seal(
        "payments", row_id, {"bills": BILLS, "card_last4": "4242"}), row_id))
    assert journal.get(p.ticket).bills == PAID and journal.get(p.ticket).card_last4 == "4242"
    assert journal.get(p.ticket).amount == Money(1250000, "CLP")


def test_happy_path_reaches_synced_and_purges_personal_data(journal, outbox):
    p = journal.create_payment(Money(1250000), PAID)
    assert journal.begin_authorizing(p.ticket).state is PaymentState.AUTHORIZING
    _authorize(journal, p.ticket)
    assert journal.get(p.ticket).card_last4 == "4242"
    assert journal.record_receipt_printed(p.ticket).state is PaymentState.RECEIPT_PRINTED
    synced = journal.record_synced(p.ticket)
    assert synced.state is PaymentState.SYNCED
    assert synced.bills == () and synced.card_last4 is None
    assert synced.amount.cents == 1250000 and synced.authorization_code == "A1B2C3"


def test_authorized_payment_is_queued_for_upload_in_the_same_transaction(journal, outbox):
    p = journal.create_payment(Money(5000), PAID)
    journal.begin_authorizing(p.ticket)
    assert outbox.due() == []
    _authorize(journal, p.ticket)
    [item] = outbox.due()
    assert item.kind == "payment" and item.idempotency_key == p.idempotency_key
    assert item.body["ticket"] == p.ticket and item.body["bills"] == BILLS
    assert item.body["card_last4"] == "4242" and item.body["currency"] == "CLP"


def test_sync_may_arrive_before_the_receipt_is_printed(journal):
    p = journal.create_payment(Money(5000), PAID)
    journal.begin_authorizing(p.ticket)
    _authorize(journal, p.ticket)
    journal.record_synced(p.ticket)
    assert journal.record_receipt_printed(p.ticket).state is PaymentState.SYNCED


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (s, e)
        for s, e in itertools.product(
            list(PaymentState),
            ["begin_authorizing", "authorized", "declined", "unknown", "receipt_printed", "synced"],
        )
        if (s, e) not in PAYMENT_TRANSITIONS
    ],
)
def test_every_move_missing_from_the_table_raises(journal, state, event):
    p = journal.create_payment(Money(100), ())
    path = {
        PaymentState.CREATED: [],
        PaymentState.AUTHORIZING: ["begin_authorizing"],
        PaymentState.AUTHORIZED: ["begin_authorizing", "authorized"],
        PaymentState.DECLINED: ["begin_authorizing", "declined"],
        PaymentState.UNKNOWN: ["begin_authorizing", "unknown"],
        PaymentState.RECEIPT_PRINTED: ["begin_authorizing", "authorized", "receipt_printed"],
        PaymentState.SYNCED: ["begin_authorizing", "authorized", "synced"],
        PaymentState.ANOMALY: ["begin_authorizing", "anomaly"],
    }[state]
    calls = {
        "begin_authorizing": lambda: journal.begin_authorizing(p.ticket),
        "authorized": lambda: _authorize(journal, p.ticket),
        "declined": lambda: journal.record_declined(p.ticket, code="51"),
        "unknown": lambda: journal.record_unknown(p.ticket),
        "receipt_printed": lambda: journal.record_receipt_printed(p.ticket),
        "synced": lambda: journal.record_synced(p.ticket),
        "anomaly": lambda: journal.record_anomaly(p.ticket, "amount", terminal_amount_cents=1,
                                                  authorization_code="A1",
                                                  operation_number="000001"),
    }
    for step in path:
        calls[step]()
    assert journal.get(p.ticket).state is state
    with pytest.raises(IllegalTransition):
        calls[event]()
    assert journal.get(p.ticket).state is state  # the failed move changed nothing


def test_needing_recovery_lists_authorizing_and_unknown_only(journal):
    tickets = [journal.create_payment(Money(100 + i), ()).ticket for i in range(4)]
    journal.begin_authorizing(tickets[0])
    journal.begin_authorizing(tickets[1])
    journal.record_unknown(tickets[1])
    journal.begin_authorizing(tickets[2])
    journal.record_declined(tickets[2], code="05")
    assert [p.ticket for p in journal.needing_recovery()] == tickets[:2]
    journal.record_declined(tickets[1], code="no_sale")  # recovery settles unknown
    _authorize(journal, tickets[0])
    assert journal.needing_recovery() == []


def test_transitions_survive_reopening_the_file(tmp_path, cipher):
    db = open_database(tmp_path / "k.db")
    p = Journal(db, cipher).create_payment(Money(700), PAID)
    Journal(db, cipher).begin_authorizing(p.ticket)
    db.close()
    reopened = open_database(tmp_path / "k.db")
    assert [x.ticket for x in Journal(reopened, cipher).needing_recovery()] == [p.ticket]
    reopened.close()


def test_ticket_wraps_after_six_digits_and_get_returns_the_newest(journal, database):
    database.conn.execute(
        "INSERT INTO sqlite_sequence (name, seq) VALUES ('payments', ?)", (MAX_TICKET - 1,)
    )
    last = journal.create_payment(Money(100), ())
    wrapped = journal.create_payment(Money(200), ())
    assert (last.ticket, wrapped.ticket) == (MAX_TICKET, 1)
    assert journal.get(1).amount.cents == 200


def test_unknown_ticket_raises_a_typed_error(journal):
    with pytest.raises(UnknownRecord):
        journal.get(42)


def test_non_positive_amount_is_refused(journal):
    with pytest.raises(ValueError):
        journal.create_payment(Money(0), ())


def test_journal_runs_with_full_synchronous_wal(database):
    assert database.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_failed_write_inside_a_transaction_leaves_no_half_payment(journal, database):
    with pytest.raises(sqlite3.IntegrityError), database.transaction() as tx:
        tx.execute("UPDATE sqlite_sequence SET seq = seq")  # something succeeds first
        tx.execute("INSERT INTO payments (ticket) VALUES (1)")  # then a NOT NULL violation
    assert database.conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 0


def test_submission_path_queues_upload_and_stores_the_case_number(submissions, outbox):
    s = submissions.create("birth-certificate", {"name": "Ana Pérez"}, "sess-1")
    assert s.state is SubmissionState.CREATED and s.form == {"name": "Ana Pérez"}
    submissions.queue(s.id)
    [item] = outbox.due()
    assert item.kind == "submission" and item.body["form"] == {"name": "Ana Pérez"}
    assert item.body["citizen_session"] == "sess-1"
    submissions.record_receipt_printed(s.id)
    done = submissions.record_synced(s.id, "EXP-2026-000017")
    assert done.state is SubmissionState.SYNCED
    assert (done.case_number, done.form) == ("EXP-2026-000017", {})


def test_submission_illegal_moves_raise(submissions):
    s = submissions.create("p1", {}, None)
    with pytest.raises(IllegalTransition):
        submissions.record_synced(s.id, "X")
    submissions.cancel(s.id)
    with pytest.raises(IllegalTransition):
        submissions.queue(s.id)
    assert submissions.get(s.id).state is SubmissionState.CANCELLED


def test_a_payment_cannot_be_read_with_another_key(database):
    Journal(database, RecordCipher(b"\x02" * 32)).create_payment(Money(100), PAID)
    with pytest.raises(RecordTampered):
        Journal(database, RecordCipher(b"\x01" * 32)).get(1)


def test_threads_sharing_one_connection_get_distinct_tickets(journal):
    from concurrent.futures import ThreadPoolExecutor

    def pay(i: int) -> int:
        p = journal.create_payment(Money(100 + i), PAID)
        journal.begin_authorizing(p.ticket)
        assert journal.get(p.ticket).amount.cents == 100 + i
        return p.ticket

    with ThreadPoolExecutor(max_workers=6) as pool:
        tickets = list(pool.map(pay, range(60)))
    assert sorted(tickets) == list(range(1, 61))
    assert len(journal.needing_recovery()) == 60


def test_an_illegal_move_is_logged_for_technicians(journal, caplog):
    p = journal.create_payment(Money(100), PAID)
    with pytest.raises(IllegalTransition) as caught:
        journal.record_receipt_printed(p.ticket)
    assert caught.value.state == "created" and caught.value.event == "receipt_printed"
    assert f"refused payment {p.ticket}: receipt_printed while created" in caplog.text
    assert "PRED-2024-0001" not in caplog.text  # no personal data in the log
