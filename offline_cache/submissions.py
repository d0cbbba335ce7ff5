"""Procedure submissions: the form's journey from "confirmed" to a server case number.

``created`` (form filled in) → ``queued`` (the citizen confirmed; durable and in the outbox,
in one transaction) → ``receipt_printed`` → ``synced`` (the server returned a case number;
the form's personal data is purged). ``created`` may end ``cancelled`` when the citizen
backs out. Transitions follow :data:`offline_cache.machine.SUBMISSION_TRANSITIONS`.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from offline_cache import outbox
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, set_state, utc_now
from offline_cache.errors import UnknownRecord
from offline_cache.machine import SubmissionState, next_submission_state

__all__ = ["Submission", "SubmissionState", "Submissions"]


@dataclass(frozen=True)
class Submission:
    """A submission as the journal holds it (form empty once purged)."""

    id: int
    idempotency_key: str
    procedure_id: str
    state: SubmissionState
    case_number: str | None
    form: dict[str, Any]


_COLUMNS = "id, idempotency_key, procedure_id, state, case_number, private"


class Submissions:
    """The submission state machine over one offline database connection."""

    def __init__(self, database: OfflineDatabase, cipher: RecordCipher) -> None:
        self._database = database
        self._cipher = cipher

    def create(
        self, procedure_id: str, form: dict[str, Any], citizen_session: str | None
    ) -> Submission:
        """Record a filled-in form (encrypted); assign its Idempotency-Key."""
        now = utc_now()
        with self._database.transaction() as tx:
            cur = tx.execute(
                "INSERT INTO submissions (idempotency_key, procedure_id, state, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), procedure_id, SubmissionState.CREATED, now, now),
            )
            row_id = int(cur.lastrowid or 0)
            private = {"form": form, "citizen_session": citizen_session}
            tx.execute(
                "UPDATE submissions SET private = ? WHERE id = ?",
                (self._cipher.seal("submissions", row_id, private), row_id),
            )
            return self._load(tx, row_id)

    def queue(self, submission_id: int) -> Submission:
        """Confirm the submission and queue its upload in the same transaction."""
        with self._database.transaction() as tx:
            row = self._row(tx, submission_id)
            nxt = next_submission_state(submission_id, SubmissionState(row[3]), "queued")
            now = utc_now()
            tx.execute(
                "UPDATE submissions SET state = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
                (nxt, now, now, submission_id),
            )
            private = self._private(row)
            body = {
                "procedure_id": row[2],
                "form": private["form"],
                "citizen_session": private["citizen_session"],
                "submitted_at": now,
            }
            outbox.enqueue(
                tx, self._cipher, "submission", body, stream=f"submission:{submission_id}",
                ref_id=submission_id, idempotency_key=row[1],
            )
            return self._load(tx, submission_id)

    def cancel(self, submission_id: int) -> Submission:
        """Drop a submission the citizen did not confirm, with its personal data."""
        return self._move(submission_id, "cancelled", private=None)

    def record_receipt_printed(self, submission_id: int) -> Submission:
        """Note that the citizen got a receipt with the provisional reference."""
        return self._move(submission_id, "receipt_printed", receipt_printed_at=utc_now())

    def record_synced(self, submission_id: int, case_number: str) -> Submission:
        """Record the server's case number and purge the form's personal data."""
        with self._database.transaction() as tx:
            self.synced_in(tx, submission_id, case_number)
            return self._load(tx, submission_id)

    def synced_in(self, tx: sqlite3.Connection, submission_id: int, case_number: str) -> None:
        """Mark a submission synced inside the caller's transaction (used by the worker)."""
        state = SubmissionState(self._row(tx, submission_id)[3])
        nxt, now = next_submission_state(submission_id, state, "synced"), utc_now()
        set_state(tx, "submissions", submission_id, nxt, case_number=case_number, private=None,
                  synced_at=now, purged_at=now)

    def get(self, submission_id: int) -> Submission:
        """Return one submission."""
        with self._database.reading() as conn:
            return self._load(conn, submission_id)

    def _move(self, submission_id: int, event: str, **columns: str | None) -> Submission:
        with self._database.transaction() as tx:
            state = SubmissionState(self._row(tx, submission_id)[3])
            nxt = next_submission_state(submission_id, state, event)
            set_state(tx, "submissions", submission_id, nxt, **columns)
            return self._load(tx, submission_id)

    def _row(self, conn: sqlite3.Connection, submission_id: int) -> tuple[Any, ...]:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        if row is None:
            raise UnknownRecord(f"no submission {submission_id}")
        return tuple(row)

    def _private(self, row: tuple[Any, ...]) -> dict[str, Any]:
        if row[5] is None:
            return {"form": {}, "citizen_session": None}
        value: dict[str, Any] = self._cipher.open("submissions", row[0], row[5])
        return value

    def _load(self, conn: sqlite3.Connection, submission_id: int) -> Submission:
        row = self._row(conn, submission_id)
        return Submission(
            id=row[0], idempotency_key=row[1], procedure_id=row[2],
            state=SubmissionState(row[3]), case_number=row[4], form=self._private(row)["form"],
        )
