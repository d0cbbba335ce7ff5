"""The printer's job records: the port through which the driver keeps every job it prints.

The driver stores a receipt before sending it, counts each attempt whose bytes left, and
marks the outcome, so a receipt that did not print can be printed again (as a copy once any
byte reached the paper). The kiosk's durable implementation is
``offline_cache.print_jobs.PrintJobStore``; :class:`MemoryJobRecords` serves ``kiosk doctor``
and the technician's test print, which need no reprint.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Protocol


class PrintJobRecord(Protocol):
    """What the driver reads back of a stored job."""

    @property
    def id(self) -> int: ...

    @property
    def receipt_json(self) -> str: ...

    @property
    def attempts(self) -> int: ...


class JobRecords(Protocol):
    """Where the driver keeps its jobs; every method may be called on the printer's thread."""

    def add(self, receipt_json: str) -> PrintJobRecord:
        """Store a new job and return it with its id."""

    def get(self, job_id: int) -> PrintJobRecord:
        """Return a stored job (LookupError if there is none)."""

    def record_sent(self, job_id: int) -> PrintJobRecord:
        """Count one attempt whose bytes reached the printer (even partly)."""

    def mark_printed(self, job_id: int) -> PrintJobRecord:
        """The printer took the whole job."""

    def mark_failed(self, job_id: int, error: str) -> PrintJobRecord:
        """The job did not print completely; keep it for a reprint."""


@dataclass(frozen=True)
class MemoryJob:
    id: int
    receipt_json: str
    attempts: int = 0
    state: str = "queued"
    error: str | None = None


class MemoryJobRecords:
    """Jobs kept in memory only, for prints that never need a reprint."""

    def __init__(self) -> None:
        self._jobs: dict[int, MemoryJob] = {}
        self._lock = threading.Lock()

    def add(self, receipt_json: str) -> MemoryJob:
        with self._lock:
            job = MemoryJob(len(self._jobs) + 1, receipt_json)
            self._jobs[job.id] = job
            return job

    def get(self, job_id: int) -> MemoryJob:
        with self._lock:
            try:
                return self._jobs[job_id]
            except KeyError:
                raise LookupError(f"no print job {job_id}") from None

    def _put(self, job: MemoryJob) -> MemoryJob:
        with self._lock:
            self._jobs[job.id] = job
        return job

    def record_sent(self, job_id: int) -> MemoryJob:
        job = self.get(job_id)
        return self._put(replace(job, attempts=job.attempts + 1))

    def mark_printed(self, job_id: int) -> MemoryJob:
        return self._put(replace(self.get(job_id), state="printed", error=None))

    def mark_failed(self, job_id: int, error: str) -> MemoryJob:
        return self._put(replace(self.get(job_id), state="failed", error=error))
