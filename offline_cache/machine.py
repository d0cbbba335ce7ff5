"""The journal's state machines, as transition tables in data.

Each table maps ``(state, event) -> next state``; anything missing is an illegal move.
We chose a table over a state-machine library (python-statemachine, transitions) because
the state lives in SQLite, not in a Python object: a transition is one conditional
``UPDATE ... WHERE state = ?`` inside a write transaction, and a library would keep a second,
in-memory copy of the state that can disagree with the durable one after a crash. The table
is also what the docs and tests enumerate (see docs/ARCHITECTURE.md, "Money path").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from offline_cache.errors import IllegalTransition

log = logging.getLogger(__name__)


class PaymentState(StrEnum):
    CREATED = "created"
    AUTHORIZING = "authorizing"
    AUTHORIZED = "authorized"
    DECLINED = "declined"
    UNKNOWN = "unknown"
    RECEIPT_PRINTED = "receipt_printed"
    SYNCED = "synced"
    # the terminal approved something else than what we asked (another amount): never
    # "paid"; reversed at the terminal when it can be, and a person looks at it either way
    ANOMALY = "anomaly"


class SubmissionState(StrEnum):
    CREATED = "created"  # form filled in, not yet confirmed by the citizen
    QUEUED = "queued"  # confirmed: durable and in the outbox
    RECEIPT_PRINTED = "receipt_printed"
    SYNCED = "synced"  # the server confirmed and returned a case number
    CANCELLED = "cancelled"  # the citizen backed out before confirming


P = PaymentState
PAYMENT_TRANSITIONS: Mapping[tuple[PaymentState, str], PaymentState] = {
    (P.CREATED, "begin_authorizing"): P.AUTHORIZING,
    (P.AUTHORIZING, "authorized"): P.AUTHORIZED,
    (P.AUTHORIZING, "declined"): P.DECLINED,
    (P.AUTHORIZING, "unknown"): P.UNKNOWN,
    # recovery: the terminal's "last sale" by our ticket number settles an unknown outcome
    (P.UNKNOWN, "authorized"): P.AUTHORIZED,
    (P.UNKNOWN, "declined"): P.DECLINED,
    (P.AUTHORIZED, "receipt_printed"): P.RECEIPT_PRINTED,
    (P.RECEIPT_PRINTED, "synced"): P.SYNCED,
    # the upload does not wait for the printer (a jammed printer must not hold money back):
    # the server may confirm first; the receipt is then noted without leaving SYNCED.
    (P.AUTHORIZED, "synced"): P.SYNCED,
    (P.SYNCED, "receipt_printed"): P.SYNCED,
    # an answer that does not match what was sent: not paid, not declined; staff decide
    (P.AUTHORIZING, "anomaly"): P.ANOMALY,
    (P.UNKNOWN, "anomaly"): P.ANOMALY,
    (P.ANOMALY, "reversed"): P.DECLINED,  # the terminal refunded it: nothing was kept
    # the daily close's sales detail lists the sale: proof, at last, that it was charged
    (P.UNKNOWN, "found_in_batch"): P.AUTHORIZED,
}

S = SubmissionState
SUBMISSION_TRANSITIONS: Mapping[tuple[SubmissionState, str], SubmissionState] = {
    (S.CREATED, "queued"): S.QUEUED,
    (S.CREATED, "cancelled"): S.CANCELLED,
    (S.QUEUED, "receipt_printed"): S.RECEIPT_PRINTED,
    (S.RECEIPT_PRINTED, "synced"): S.SYNCED,
    (S.QUEUED, "synced"): S.SYNCED,
    (S.SYNCED, "receipt_printed"): S.SYNCED,
}


def next_payment_state(row: int, state: PaymentState, event: str) -> PaymentState:
    """Return the payment's next state, or raise IllegalTransition."""
    try:
        return PAYMENT_TRANSITIONS[(state, event)]
    except KeyError:
        log.error("refused payment %d: %s while %s", row, event, state)
        raise IllegalTransition("payment", row, state, event) from None


def next_submission_state(row: int, state: SubmissionState, event: str) -> SubmissionState:
    """Return the submission's next state, or raise IllegalTransition."""
    try:
        return SUBMISSION_TRANSITIONS[(state, event)]
    except KeyError:
        log.error("refused submission %d: %s while %s", row, event, state)
        raise IllegalTransition("submission", row, state, event) from None
