"""The kiosk's running infrastructure: offline store, API client, sync worker.

Built once by the composition root, started before the first citizen and always closed,
so the sync thread and the database never outlive the app.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.api import ApiClient
from kiosk.enrolment import EnrolmentFileError, load_enrolment
from kiosk.services.ui_state import UiState
from kiosk.settings import Settings
from offline_cache.api_uploader import ApiUploader
from offline_cache.errors import CatalogUnavailable
from offline_cache.store import OfflineStore
from offline_cache.sync import LinkState, SyncStatus, SyncWorker

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What the services share while the kiosk runs."""

    store: OfflineStore
    api: ApiClient
    uploader: ApiUploader
    sync: SyncWorker
    ui_state: UiState

    def start(self) -> None:
        """Refresh the catalog (the cache serves when the API is down) and start syncing."""
        self.sync.subscribe(self._link_changed)
        try:
            catalog = self.store.catalog.current(self.uploader)
            log.info("catalog version %s ready", catalog.version)
        except CatalogUnavailable as err:
            log.warning("no catalog yet (%s); browsing is empty until the first sync", err)
        self.sync.start()

    def online(self) -> bool:
        """Tell whether the central API answered last time it was asked."""
        return self.sync.link is LinkState.ONLINE

    def _link_changed(self, status: SyncStatus) -> None:
        if status.link is not LinkState.UNKNOWN:
            self.ui_state.set_online(status.link is LinkState.ONLINE)

    def close(self) -> None:
        """Stop the sync worker, then release the API session and the database."""
        self.sync.stop()
        self.api.close()
        self.store.close()


def build_runtime(settings: Settings) -> Runtime:
    """Open the store and connect the API client with this kiosk's saved enrolment."""
    store = OfflineStore.from_settings(settings)
    try:
        enrolment = load_enrolment(settings.data_path(settings.api.enrolment_file))
    except EnrolmentFileError as err:
        log.error("enrolment file unusable (%s): the kiosk cannot sync until re-enrolled", err)
        enrolment = None
    if enrolment is None:
        log.warning("this kiosk is not enrolled: run `kiosk enrol CODE`; work stays queued")
    api = ApiClient.from_settings(settings.api, token=enrolment["token"] if enrolment else None,
                                  language=settings.kiosk.default_language)
    uploader = ApiUploader(api)
    return Runtime(store, api, uploader, store.sync_worker(uploader, settings.offline), UiState())
