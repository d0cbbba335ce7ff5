"""The kiosk's running infrastructure: store, API client, sync, devices and background jobs.

Built once by the composition root (building does no device I/O), started before the first
citizen and always closed, so threads, ports and the database never outlive the app.
:meth:`Runtime.start` settles payments a crash or a lost answer left open BEFORE the
kiosk serves anyone (the architecture's rule); while any stays open, card_payment.pay
refuses new sales. The background jobs (payment watch, heartbeat, catalog refresh, daily
close) start with it and stop at close.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.eid import build_eid_reader
from drivers.eid.base import EidReader
from drivers.payment.registry import terminal_from_settings
from drivers.printer.driver import EscposReceiptPrinter, build_printer
from drivers.printer.profile import ProfileError
from drivers.worker import DeviceWorker
from kiosk import __version__
from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.catalog_refresh import CatalogRefresh
from kiosk.daily_close_schedule import DailyCloseSchedule
from kiosk.devices import DeviceHub
from kiosk.enrolment import EnrolmentFileError, load_enrolment
from kiosk.heartbeat import HeartbeatReporter
from kiosk.payment_watch import PaymentWatch
from kiosk.services.ui_state import UiState
from kiosk.settings import OfflineSection, Settings
from offline_cache.data_lock import lock_data_dir
from offline_cache.database import OfflineDatabase
from offline_cache.delivery import Uploader
from offline_cache.print_jobs import PrintJobStore
from offline_cache.store import OfflineStore
from offline_cache.sync import LinkState, SyncStatus, SyncWorker

log = logging.getLogger(__name__)
DEVICE_REFRESH_S = 10.0  # how soon a device that came back (terminal, printer) is usable again


@dataclass
class Runtime:
    """What the services share while the kiosk runs."""

    store: OfflineStore
    api: ApiClient
    uploader: ApiUploader
    sync: SyncWorker
    ui_state: UiState
    devices: DeviceHub = field(default_factory=lambda: DeviceHub(None, None, None))
    print_jobs_db: OfflineDatabase | None = None  # the printer's own connection to the store
    data_lock: int | None = None  # flock on the data folder (lock_data_dir), held until close
    heartbeat: HeartbeatReporter | None = None
    daily_close: DailyCloseSchedule | None = None
    payment_watch: PaymentWatch = field(init=False)
    _devices_started: bool = field(default=False, init=False)
    catalog_interval_s: float = 900.0
    catalog_refresh: CatalogRefresh = field(init=False)

    def __post_init__(self) -> None:
        self.payment_watch = PaymentWatch(self.store.journal, self.devices, DEVICE_REFRESH_S)
        self.catalog_refresh = CatalogRefresh(self.store.catalog, self.uploader,
                                              self.catalog_interval_s)

    def on_catalog_updated(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (from a background thread) when a newer catalog is stored."""
        self.catalog_refresh.on_updated(listener)

    def start(self) -> None:
        """Start the devices, settle open payments, refresh the catalog and start syncing."""
        self.start_devices()
        self.devices.refresh()
        self.recover_payments()
        self.devices.start_watching(DEVICE_REFRESH_S)
        self.payment_watch.start()
        self.sync.subscribe(self._link_changed)
        # The cached catalog serves at once; a slow or absent API must not delay start-up.
        self.sync.subscribe(self.catalog_refresh.link_changed)
        self.catalog_refresh.start()
        self.sync.start()
        if self.heartbeat is not None:
            self.heartbeat.start()
        if self.daily_close is not None:
            self.daily_close.start()

    def start_devices(self) -> None:
        """Feed device statuses to the UI state and start the e-ID reader's card watch."""
        if self._devices_started:
            return
        self.devices.subscribe(self.ui_state.device_status)
        if self.devices.eid is not None:
            self.devices.eid.start()
        self._devices_started = True

    def recover_payments(self) -> int:
        """Settle payments waiting for the terminal before anyone is served (blocking).

        Returns how many the terminal answered for. What it cannot answer for now stays
        open (no new card sale until it can) and the payment watch asks again.
        """
        if self.store.journal.needing_recovery() and self.devices.terminal is None:
            log.error("payments need recovery but no terminal is configured; card payment "
                      "stays blocked until a technician settles them")
        return self.payment_watch.settle_now()

    def online(self) -> bool:
        """Tell whether the central API answered last time it was asked."""
        return self.sync.link is LinkState.ONLINE

    def _link_changed(self, status: SyncStatus) -> None:
        if status.link is not LinkState.UNKNOWN:
            self.ui_state.set_online(status.link is LinkState.ONLINE)
            self.ui_state.set_authorized(status.link is not LinkState.REVOKED)

    def close(self) -> None:
        """Stop the sync worker and the devices, then release the API session and the database."""
        self.catalog_refresh.stop()  # bounded by the API client's own timeouts
        if self.heartbeat is not None:
            self.heartbeat.stop()
        if self.daily_close is not None:
            self.daily_close.stop()
        self.payment_watch.stop()
        self.sync.stop()
        self.devices.close()
        if self.print_jobs_db is not None:
            self.print_jobs_db.close()
        self.api.close()
        self.store.close()
        if self.data_lock is not None:
            os.close(self.data_lock)
            self.data_lock = None


def build_runtime(settings: Settings) -> Runtime:
    """Hold the data folder, open the store and connect the API client with the enrolment.

    Raises StoreUnavailable (another kiosk holds the folder; the journal cannot be opened
    safely) or KeyFileError: the caller shows "out of service", never an empty kiosk.
    """
    data_lock = lock_data_dir(settings.kiosk.data_dir)
    try:
        store = open_store(settings)
    except BaseException:
        os.close(data_lock)
        raise
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
    print_jobs_db = store.database.reopen()
    devices = DeviceHub(_build_eid(settings), _build_printer(settings, print_jobs_db),
                        terminal_from_settings(settings.devices.payment))
    sync = build_sync_worker(store, uploader, settings.offline)
    heartbeat = HeartbeatReporter(store, devices, sync, version=__version__,
                                  interval_s=settings.api.heartbeat_interval_s)
    daily_close = DailyCloseSchedule(settings.daily_close, settings.kiosk, store, devices, sync)
    return Runtime(store, api, uploader, sync, UiState(), devices, print_jobs_db, data_lock,
                   heartbeat, daily_close, settings.offline.catalog_refresh_s)


def open_store(settings: Settings) -> OfflineStore:
    """Open the offline store at the configured paths (relative ones under the data dir)."""
    return OfflineStore.open(settings.data_path(settings.offline.database),
                             settings.data_path(settings.offline.key_file))


def build_sync_worker(store: OfflineStore, uploader: Uploader,
                      offline: OfflineSection) -> SyncWorker:
    """Build the (not yet started) sync worker with the configured timings."""
    return SyncWorker(
        store.database, store.cipher, uploader, interval_s=offline.sync_interval_s,
        max_backoff_s=offline.max_backoff_s, base_backoff_s=offline.base_backoff_s,
        retention_days=offline.retention_days, batch_size=offline.batch_size,
    )


def _build_eid(settings: Settings) -> EidReader | None:
    eid = settings.devices.eid
    return build_eid_reader(eid.type, eid.reader, eid.poll_timeout_s)


def _build_printer(settings: Settings, database: OfflineDatabase) -> EscposReceiptPrinter | None:
    """Build the printer with its job store on the kiosk's database; None if unusable."""
    try:
        return build_printer(settings.devices.printer, PrintJobStore(database.db),
                             DeviceWorker("printer"))
    except ProfileError as err:
        log.error("printer configuration unusable (%s): receipts only on screen", err)
        return None


