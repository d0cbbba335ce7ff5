"""A 4xx from the real API parks the item with the server's error; the rest flows on."""

from __future__ import annotations

from kiosk.api_uploader import ApiUploader
from kiosk.runtime import build_sync_worker
from kiosk.simulated.api import enrol_kiosk
from offline_cache.store import OfflineStore
from offline_cache.submissions import SubmissionState


def test_rejected_submission_is_parked_with_the_error_and_not_retried(tmp_path, api_server,
                                                                       valid_submission):
    kiosk = enrol_kiosk(api_server)
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    bad = store.submissions.create("no_such_procedure", {"details": "x"}, None)
    store.submissions.queue(bad.id)
    good = store.submissions.create(valid_submission["procedure_id"],
                                    valid_submission["form"], None)
    store.submissions.queue(good.id)
    worker = build_sync_worker(store, ApiUploader(kiosk.client()), _offline_settings())
    assert worker.drain(store.database)
    assert worker.drain(store.database)  # a second round does not resend the parked item
    [parked] = [e for e in store.outbox.view() if e.state == "parked"]
    assert parked.kind == "submission" and parked.attempts == 1
    assert parked.last_error is not None and "422 unknown_procedure" in parked.last_error
    assert store.submissions.get(bad.id).state is SubmissionState.QUEUED
    assert store.submissions.get(good.id).case_number  # the next item went through
    assert worker.status().parked == 1
    store.close()


def _offline_settings():
    from kiosk.settings import OfflineSection

    return OfflineSection(sync_interval_s=1, max_backoff_s=1)
