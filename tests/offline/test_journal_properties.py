"""Any sequence of journal calls behaves exactly like the transition table says."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from common.money import Money
from offline_cache.crypto import RecordCipher
from offline_cache.database import open_database
from offline_cache.errors import IllegalTransition
from offline_cache.journal import Journal, PaidBill, PaymentState
from offline_cache.machine import PAYMENT_TRANSITIONS

EVENTS = ["begin_authorizing", "authorized", "declined", "unknown", "receipt_printed", "synced"]


def _call(journal: Journal, ticket: int, event: str) -> None:
    if event == "begin_authorizing":
        journal.begin_authorizing(ticket)
    elif event == "authorized":
        journal.record_authorized(ticket, authorization_code="A", operation_number="1",
                                  card_type="DB", card_last4="0001")
    elif event == "declined":
        journal.record_declined(ticket, code="05")
    elif event == "unknown":
        journal.record_unknown(ticket)
    elif event == "receipt_printed":
        journal.record_receipt_printed(ticket)
    else:
        journal.record_synced(ticket)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(EVENTS), max_size=8))
def test_random_call_sequences_follow_the_table(events):
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "k.db")
        journal = Journal(db, RecordCipher(b"\x09" * 32))
        ticket = journal.create_payment(Money(100), [PaidBill("R", Money(100))]).ticket
        model = PaymentState.CREATED
        uploads = 0
        for event in events:
            expected = PAYMENT_TRANSITIONS.get((model, event))
            if expected is None:
                try:
                    _call(journal, ticket, event)
                except IllegalTransition:
                    pass
                else:
                    raise AssertionError(f"{event} from {model} was accepted")
            else:
                _call(journal, ticket, event)
                uploads += event == "authorized"
                model = expected
            assert journal.get(ticket).state is model
        queued = db.conn.execute("SELECT count(*) FROM outbox WHERE kind = 'payment'")
        assert queued.fetchone()[0] == uploads <= 1  # one upload per authorized payment
        db.close()
