"""Print jobs are durable: a failed job survives a restart and can be printed again."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from drivers.printer.receipt import Receipt
from offline_cache.print_jobs import PrintJobState, PrintJobStore, UnknownPrintJob


def test_failed_job_survives_reopening_the_database(tmp_path, typical_receipt):
    path = tmp_path / "kiosk.db"
    store = PrintJobStore(Database(path))
    job = store.add(typical_receipt.to_json())
    store.record_sent(job.id)
    store.mark_failed(job.id, "paper ran out during the job")

    reopened = PrintJobStore(Database(path))
    (kept,) = reopened.failed()
    assert (kept.id, kept.state, kept.attempts) == (job.id, PrintJobState.FAILED, 1)
    assert kept.error == "paper ran out during the job"
    assert Receipt.from_json(kept.receipt_json) == typical_receipt


def test_new_job_is_queued_and_printed_jobs_leave_the_reprint_list(job_store, typical_receipt):
    job = job_store.add(typical_receipt.to_json())
    assert job.state is PrintJobState.QUEUED and job.attempts == 0
    job_store.mark_failed(job.id, "link failed")
    job_store.mark_printed(job.id)
    assert job_store.get(job.id).state is PrintJobState.PRINTED
    assert job_store.get(job.id).error is None
    assert job_store.failed() == []


def test_unknown_job_id_raises(job_store):
    with pytest.raises(UnknownPrintJob):
        job_store.get(404)


@pytest.mark.parametrize("records", ["durable", "memory"])
def test_both_job_records_keep_the_port_the_driver_relies_on(records, typical_receipt):
    """The driver sees only drivers.printer.jobs.JobRecords: both stores answer alike."""
    from drivers.printer.jobs import JobRecords, MemoryJobRecords

    store: JobRecords = (PrintJobStore(Database(memory=True)) if records == "durable"
                         else MemoryJobRecords())
    first = store.add(typical_receipt.to_json())
    second = store.add("{}")
    assert first.id != second.id and first.attempts == 0
    store.record_sent(first.id)
    store.record_sent(first.id)
    store.mark_failed(first.id, "paper out")
    assert store.get(first.id).attempts == 2
    assert Receipt.from_json(store.get(first.id).receipt_json) == typical_receipt
    with pytest.raises(LookupError):
        store.get(404)
