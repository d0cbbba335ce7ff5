"""Services behind the citizen screens: history, session limits, notices, catalog, help."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.base import DeviceClass, DeviceState, DeviceStatus
from kiosk.services.assistance import OutboxAssistance
from kiosk.services.browse_catalog import OfflineBrowseCatalog
from kiosk.services.degraded import (
    MSG_PAY_BARCODE_ONLY,
    MSG_REQUEST_NEEDS_LINK,
    MSG_REQUEST_SENT_LATER,
    JourneyOffer,
    procedure_offer,
)
from kiosk.services.session import CitizenSession
from kiosk.services.ui_state import DEVICE_FAULT, Notices, UiState
from kiosk.settings import TimeoutsSection
from offline_cache.store import OfflineStore
from rig.catalog import demo_catalog
from screens.navigator import Navigator


class Screens:
    def __init__(self) -> None:
        self.shown: list[tuple[str, dict[str, object], str]] = []

    def __call__(self, screen: str, params: dict[str, object], direction: str) -> None:
        self.shown.append((screen, params, direction))


def test_back_returns_to_the_previous_screen_with_its_parameters():
    screens = Screens()
    nav = Navigator(screens)
    nav.go("home")
    nav.go("procedures", category_id="housing")
    nav.go("procedure", procedure_id="property_tax")
    assert nav.back() == "procedures"
    assert screens.shown[-1] == ("procedures", {"category_id": "housing"}, "back")
    assert nav.back() == "home"


def test_back_skips_screens_marked_not_returnable_so_a_payment_is_never_repeated():
    nav = Navigator(Screens())
    nav.go("home")
    nav.go("check_answers")
    nav.go("paying", returnable=False)
    nav.go("receipt", returnable=False)
    nav.go("survey")
    assert nav.back() == "check_answers"


def test_sealing_forgets_everything_before_the_current_screen():
    nav = Navigator(Screens())
    nav.go("home")
    nav.go("paying", returnable=False)
    nav.go("receipt")
    nav.seal()
    assert not nav.can_go_back()
    assert nav.back() == "home"  # Back after a sealed receipt leads home, never to paying
    assert [e.screen for e in nav.history] == ["home"]


def test_back_with_an_empty_history_shows_home():
    screens = Screens()
    assert Navigator(screens).back() == "home"
    assert screens.shown == [("home", {}, "back")]


def test_large_text_and_assistance_extend_the_inactivity_limits():
    timeouts = TimeoutsSection(inactivity_warning_s=60, inactivity_countdown_s=30,
                               large_text_factor=1.5, assisted_factor=3.0)
    session = CitizenSession("es")
    assert (session.limits(timeouts).warning_s, session.limits(timeouts).countdown_s) == (60, 30)
    session.next_text_size()
    assert session.limits(timeouts).warning_s == 90
    session.assisted = True
    assert session.limits(timeouts).countdown_s == pytest.approx(30 * 1.5 * 3)


def test_ui_state_reports_offline_and_device_faults_to_listeners():
    state, seen = UiState(), []
    state.subscribe(seen.append)
    state.set_online(False)
    state.set_online(False)  # no change, no event
    state.device_status(DeviceStatus(DeviceClass.PRINTER, DeviceState.HARDWARE_ERROR,
                                     message_key="The printer is out of paper."))
    state.device_status(DeviceStatus(DeviceClass.PAYMENT, DeviceState.OFFLINE))
    state.device_status(DeviceStatus(DeviceClass.PRINTER, DeviceState.ONLINE))
    assert seen == [
        Notices(True, {}), Notices(False, {}),
        Notices(False, {"printer": "The printer is out of paper."}),
        Notices(False, {"printer": "The printer is out of paper.", "payment": DEVICE_FAULT}),
        Notices(False, {"payment": DEVICE_FAULT}),
    ]


@pytest.fixture
def store(tmp_path: Path) -> OfflineStore:
    opened = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    yield opened
    opened.close()


def test_browse_catalog_lists_categories_procedures_and_searches_the_offline_index(store):
    store.catalog.store(demo_catalog(), etag='"1"')
    catalog = OfflineBrowseCatalog(store.catalog, store.search)
    categories = catalog.categories()
    assert categories and all(catalog.procedures(c.id) for c in categories)
    housing = [p.id for p in catalog.procedures("housing")]
    assert housing and all(catalog.procedure(pid).category_id == "housing" for pid in housing)
    found = catalog.search("predial", "es")
    assert found and "predial" in found[0].title["es"].lower()
    assert catalog.search("predail", "es")[0].id == found[0].id  # a typo still finds it
    with pytest.raises(KeyError):
        catalog.procedure("no-such-procedure")


def test_browse_catalog_is_empty_not_broken_before_the_first_sync(store):
    catalog = OfflineBrowseCatalog(store.catalog, store.search)
    assert catalog.categories() == [] and catalog.search("predial", "es") == []


def test_calling_an_assistant_queues_the_request_in_the_outbox(store):
    desk = OutboxAssistance(store.outbox, online=lambda: False)
    receipt = desk.request_assistance("help requested on screen search")
    assert receipt.queued
    (item,) = [i for i in store.outbox.due() if i.id == receipt.outbox_id]
    assert (item.kind, item.body) == ("assistance_request",
                                      {"reason": "help requested on screen search"})


def test_with_the_link_down_only_what_can_be_sent_later_starts_and_each_says_so():
    for fee_kind, identity_level in (("fixed", "eid"), ("lookup", "none"), ("free", "none")):
        assert procedure_offer(fee_kind, identity_level, online=True) == JourneyOffer(True)
    assert procedure_offer("fixed", "eid", online=False) == JourneyOffer(
        False, MSG_REQUEST_NEEDS_LINK)  # the PIN is checked at the API: not even the form
    for identity_level in ("none", "id_number"):
        assert procedure_offer("free", identity_level, online=False) == JourneyOffer(
            True, MSG_REQUEST_SENT_LATER)
    for identity_level in ("eid", "id_number"):  # Pay still takes a barcode offline
        assert procedure_offer("lookup", identity_level, online=False) == JourneyOffer(
            True, MSG_PAY_BARCODE_ONLY)
