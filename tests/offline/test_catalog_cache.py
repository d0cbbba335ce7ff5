"""Catalog cache with the real API: ETag refresh, offline serving, quarantine recovery."""

from __future__ import annotations

import pytest

from common.money import Money
from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.simulated.api import enrol_kiosk
from offline_cache.errors import CatalogUnavailable
from offline_cache.journal import PaymentState
from offline_cache.store import OfflineStore
from rig.faulty_proxy import Fault, FaultyProxy


@pytest.fixture
def kiosk(api_server):
    return enrol_kiosk(api_server)


def _through(proxy: FaultyProxy, token: str) -> ApiUploader:
    return ApiUploader(ApiClient(f"http://127.0.0.1:{proxy.port}/v1", token=token,
                                 connect_timeout_s=0.5, read_timeout_s=2, retries=0))


def test_catalog_is_cached_refreshed_with_etag_and_served_offline(tmp_path, api_server,
                                                                  kiosk):
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    with FaultyProxy(api_server.port) as proxy:
        source = _through(proxy, kiosk.token)
        first = store.catalog.current(source)
        assert first.fresh and first.etag and first.body["procedures"]
        again = store.catalog.current(source)  # If-None-Match -> 304: the cached copy
        assert again.fresh and again.fetched_at == first.fetched_at
        assert again.body == first.body
        proxy.set_fault(Fault.RESET)
        offline = store.catalog.current(source)
        assert not offline.fresh and offline.version == first.version
        assert offline.body == first.body
    store.close()


def test_no_cache_and_no_link_is_a_clear_error(tmp_path, api_server, kiosk):
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    with FaultyProxy(api_server.port) as proxy:
        proxy.set_fault(Fault.RESET)
        source = _through(proxy, kiosk.token)
        with pytest.raises(CatalogUnavailable) as caught:
            store.catalog.current(source)
    assert caught.value.message_key == "The list of procedures is not available right now."
    store.close()


def test_corrupt_database_is_quarantined_and_the_kiosk_keeps_working(tmp_path, kiosk):
    db_path = tmp_path / "kiosk.db"
    store = OfflineStore.open(db_path, tmp_path / "kiosk.key")
    source = ApiUploader(kiosk.client())
    store.catalog.current(source)
    store.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with db_path.open("r+b") as handle:  # a power cut scribbled over the header
        handle.write(b"\xde\xad\xbe\xef" * 64)

    store = OfflineStore.open(db_path, tmp_path / "kiosk.key")
    [incident] = store.database.incidents()
    assert incident.kind == "quarantine"
    assert len(list(tmp_path.glob("kiosk.db.corrupt-*"))) == 1  # kept for a technician
    assert store.catalog.cached() is None
    refetched = store.catalog.current(source)  # the catalog comes back from the API
    assert refetched.fresh
    assert store.search.search("predial")  # and search works on it
    payment = store.journal.create_payment(Money(1500), ())
    store.journal.begin_authorizing(payment.ticket)
    assert store.journal.get(payment.ticket).state is PaymentState.AUTHORIZING
    store.close()
