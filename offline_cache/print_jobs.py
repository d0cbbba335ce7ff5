"""Durable print jobs, so a receipt that did not print can be printed again.

Each job keeps the receipt as JSON (the model of ``drivers.printer.receipt``), its state
(``queued`` -> ``printed`` | ``failed``; a failed job may be printed again), the last error
in technician words, and how many times its bytes were sent (a reprint after any attempt is
marked as a copy). The caller owns the database (``sqlite_utils.Database``): this module
only creates and uses its own table. Use the store from the thread that opened the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError, Table

TABLE = "print_jobs"


class PrintJobState(StrEnum):
    QUEUED = "queued"
    PRINTED = "printed"
    FAILED = "failed"


class UnknownPrintJob(LookupError):
    """No print job has this id."""


@dataclass(frozen=True)
class PrintJob:
    id: int
    receipt_json: str
    state: PrintJobState
    error: str | None
    attempts: int
    created_at: str
    updated_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PrintJobStore:
    """The ``print_jobs`` table of the kiosk's database."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._table: Table = db.table(TABLE)
        if not self._table.exists():
            self._table.create(
                {"id": int, "receipt_json": str, "state": str, "error": str,
                 "attempts": int, "created_at": str, "updated_at": str},
                pk="id", not_null={"receipt_json", "state", "attempts"},
            )
            self._table.create_index(["state"])

    def add(self, receipt_json: str) -> PrintJob:
        """Store a new job in state ``queued`` and return it (with its id)."""
        now = _now()
        with self._db.conn:
            table = self._table.insert({
                "receipt_json": receipt_json, "state": PrintJobState.QUEUED.value,
                "error": None, "attempts": 0, "created_at": now, "updated_at": now,
            })
        assert table.last_rowid is not None
        return self.get(table.last_rowid)

    def get(self, job_id: int) -> PrintJob:
        """Return a job; raises UnknownPrintJob."""
        try:
            row: dict[str, Any] = self._table.get(job_id)
        except NotFoundError as err:
            raise UnknownPrintJob(f"no print job {job_id}") from err
        return PrintJob(row["id"], row["receipt_json"], PrintJobState(row["state"]),
                        row["error"], row["attempts"], row["created_at"], row["updated_at"])

    def record_sent(self, job_id: int) -> PrintJob:
        """Count one attempt whose bytes reached the printer (even partly)."""
        job = self.get(job_id)
        return self._update(job_id, attempts=job.attempts + 1)

    def mark_printed(self, job_id: int) -> PrintJob:
        """The printer took the whole job with paper and cover fine."""
        return self._update(job_id, state=PrintJobState.PRINTED.value, error=None)

    def mark_failed(self, job_id: int, error: str) -> PrintJob:
        """The job did not print completely; keep it for a reprint."""
        return self._update(job_id, state=PrintJobState.FAILED.value, error=error)

    def failed(self) -> list[PrintJob]:
        """Jobs waiting for a reprint, oldest first."""
        rows = self._table.rows_where("state = ?", [PrintJobState.FAILED.value], order_by="id")
        return [self.get(row["id"]) for row in rows]

    def _update(self, job_id: int, **values: Any) -> PrintJob:
        self.get(job_id)
        with self._db.conn:
            self._table.update(job_id, {**values, "updated_at": _now()})
        return self.get(job_id)
