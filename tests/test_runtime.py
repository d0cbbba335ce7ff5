"""The composition root's runtime: catalog at start-up, online state following the link."""

from __future__ import annotations

import threading

from kiosk.enrolment import save_enrolment
from kiosk.runtime import build_runtime
from kiosk.settings import load_settings
from rig.config import write_config
from rig.wait import wait_for


def test_runtime_fetches_the_catalog_and_follows_the_link(tmp_path, own_api_server):
    kiosk_id = "kiosk-runtime-test"
    token = own_api_server.enrol(kiosk_id)
    path = write_config(tmp_path, {
        "kiosk": {"id": kiosk_id},
        "api": {"url": own_api_server.base_url, "connect_timeout_s": 1, "read_timeout_s": 2,
                "retries": 0},
        "offline": {"sync_interval_s": 0.2, "base_backoff_s": 0.1, "max_backoff_s": 0.5},
    })
    settings = load_settings(path)
    save_enrolment(settings.data_path(settings.api.enrolment_file),
                   {"kiosk_id": kiosk_id, "token": token})
    runtime = build_runtime(settings)
    seen: list[bool] = []
    runtime.ui_state.subscribe(lambda notices: seen.append(notices.online))
    updated = threading.Event()
    runtime.on_catalog_updated(updated.set)
    try:
        runtime.start()
        assert updated.wait(15), "the screens were never told about the new catalog"
        cached = runtime.store.catalog.cached()
        assert cached is not None and len(cached.body["procedures"]) >= 30
        wait_for(runtime.online, "the link to be online")
        own_api_server.stop()
        wait_for(lambda: seen[-1] is False, "the offline notice")
        own_api_server.start()
        wait_for(lambda: seen[-1] is True, "the online notice again")
    finally:
        runtime.close()
    leftovers = [t.name for t in threading.enumerate()
                 if "sync" in t.name.lower() or t.name == "catalog-refresh"]
    assert not leftovers


def test_runtime_starts_from_the_cache_when_the_api_is_down(tmp_path, own_api_server):
    token = own_api_server.enrol("kiosk-cache-test")
    path = write_config(tmp_path, {
        "kiosk": {"id": "kiosk-cache-test"},
        "api": {"url": own_api_server.base_url, "connect_timeout_s": 1, "retries": 0},
    })
    settings = load_settings(path)
    save_enrolment(settings.data_path(settings.api.enrolment_file),
                   {"kiosk_id": "kiosk-cache-test", "token": token})
    first = build_runtime(settings)
    try:
        first.start()
    finally:
        first.close()
    own_api_server.stop()
    second = build_runtime(settings)
    try:
        second.start()  # no exception: the cached catalog serves
        cached = second.store.catalog.cached()
        assert cached is not None and cached.body["procedures"]
    finally:
        second.close()


def test_an_unenrolled_kiosk_starts_and_keeps_work_queued(tmp_path, own_api_server):
    path = write_config(tmp_path, {"api": {"url": own_api_server.base_url, "retries": 0}})
    runtime = build_runtime(load_settings(path))
    try:
        runtime.start()  # the catalog needs a token: nothing cached, but no crash
        item = runtime.store.outbox.enqueue_assistance_request("help")
        assert item > 0
    finally:
        runtime.close()


def test_start_up_does_not_wait_for_a_silent_api(tmp_path):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        path = write_config(tmp_path, {"api": {"url": f"http://127.0.0.1:{port}/v1",
                                               "read_timeout_s": 5, "retries": 0}})
        runtime = build_runtime(load_settings(path))
        try:
            runtime.start()
            refresh = [t for t in threading.enumerate() if t.name == "catalog-refresh"]
            assert refresh and refresh[0].is_alive()  # start() returned; the fetch still waits
        finally:
            runtime.close()
