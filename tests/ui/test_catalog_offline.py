"""The catalog the API sent earlier is browsed from the offline cache while the API is down."""

from __future__ import annotations

from kiosk.api_uploader import ApiUploader
from kiosk.simulated.api import enrol_kiosk
from offline_cache.store import OfflineStore
from rig.harness import PORTRAIT


def test_catalog_fetched_from_the_api_is_browsed_from_the_cache_when_the_api_is_down(
        start_ui, own_api_server, tmp_path):
    client = enrol_kiosk(own_api_server).client()
    (tmp_path / "data").mkdir()
    store = OfflineStore.open(tmp_path / "data" / "kiosk.db", tmp_path / "data" / "kiosk.key")
    source = ApiUploader(client)  # what the composition root hands the cache
    try:
        fetched = store.catalog.current(source)
        assert fetched.fresh and fetched.body["categories"]
        assert store.catalog.current(source).etag == fetched.etag  # 304: kept
        own_api_server.stop()
        served = store.catalog.current(source)
        assert not served.fresh and served.body == fetched.body  # API down: the cached copy
    finally:
        client.close()
        store.close()

    ui = start_ui({**PORTRAIT, "api": {"url": own_api_server.base_url}}, catalog=False)
    category = fetched.body["categories"][0]
    procedure = next(p for p in fetched.body["procedures"]
                     if p["category_id"] == category["id"])
    ui.tap_through(("start", "home"), ("request", "categories"),
                   (category["title"]["es"], "procedures"), (procedure["title"]["es"], "procedure"))
    texts = ui.call("texts")
    assert procedure["office"]["es"] in texts and procedure["what_you_get"]["es"] in texts
