"""Composition root: build everything from validated settings and run the kiosk.

Nothing else constructs infrastructure: :func:`build_runtime` opens the offline store, the
API client and the sync worker; :func:`build_shell` hands the services to the screens
through ``ShellOptions``; :func:`run_kiosk` starts them and always closes them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk import __version__
from kiosk.kivy_setup import configure_kivy
from kiosk.logging_setup import configure_logging
from kiosk.runtime import Runtime, build_runtime, open_store
from kiosk.settings import Settings
from offline_cache.data_lock import lock_data_dir
from offline_cache.errors import KeyFileError, StoreUnavailable

if TYPE_CHECKING:
    from kiosk.demo_panel import DemoPanel
    from screens.shell import KioskShell

log = logging.getLogger(__name__)
OUT_OF_SERVICE_RETRY_S = 5.0  # how often the out-of-service screen checks the fault again


def prepare(settings: Settings) -> None:
    """Create the data directory and start technician logging."""
    settings.kiosk.data_dir.mkdir(parents=True, exist_ok=True)
    configure_logging(
        settings.kiosk.log_dir,
        settings.logging.level,
        settings.logging.max_bytes,
        settings.logging.backups,
    )
    log.info("municipal kiosk %s, kiosk id %s", __version__, settings.kiosk.id)


def build_shell(settings: Settings, runtime: Runtime, *, screenshot: Path | None = None,
                exit_after: float | None = None,
                demo_panel: DemoPanel | None = None) -> KioskShell:
    """Configure Kivy and build the app on ``runtime``'s services (not yet running).

    ``demo_panel`` (``kiosk demo`` only) adds the demo's function keys; the shell refuses
    it in kiosk mode.
    """
    configure_kivy(settings)
    from kivy.clock import Clock

    from kiosk.receipts.request import RequestReceipts
    from kiosk.receipts.status import StatusSlips
    from kiosk.services.assistance import OutboxAssistance
    from kiosk.services.browse_catalog import OfflineBrowseCatalog
    from kiosk.services.card_custody import CardCustody
    from kiosk.services.check_status import CheckStatus
    from kiosk.services.consent import OutboxConsents
    from kiosk.services.identify import Identifier
    from kiosk.services.pay_bills import PayBills
    from kiosk.services.proactive import ProactiveNotes
    from kiosk.services.reprint_receipt import ReprintReceipts
    from kiosk.services.satisfaction import OutboxSatisfaction
    from kiosk.services.submit_procedure import SubmitProcedure, procedure_document
    from offline_cache.sync import LinkState
    from screens.shell import KioskShell, ShellOptions

    store = runtime.store
    store.receipt_copies.window_days = settings.kiosk.reprint_window_days
    catalog = OfflineBrowseCatalog(store.catalog, store.search)
    between = BetweenCitizens(catalog.reload)
    # A newer catalog arrives on a background thread; the screens read it on Kivy's thread,
    # and only between two citizens (a fee never changes under someone's finger).
    runtime.on_catalog_updated(lambda: Clock.schedule_once(lambda _dt: between.request()))

    def session(present: bool) -> None:
        between.citizen(present)
        if runtime.daily_close is not None:
            runtime.daily_close.citizen(present)

    reader = runtime.devices.eid
    custody = CardCustody()
    runtime.devices.subscribe(custody.on_status)
    options = ShellOptions(
        municipality=settings.kiosk.municipality,
        kiosk_id=settings.kiosk.id,
        languages=tuple(settings.kiosk.languages),
        default_language=settings.kiosk.default_language,
        kiosk_mode=settings.kiosk.mode == "kiosk",
        catalog=catalog,
        locked=settings.kiosk.locked(),
        timeouts=settings.timeouts,
        ui_state=runtime.ui_state,
        assistance=OutboxAssistance(store.outbox, online=runtime.online, wake=runtime.sync.wake),
        status=CheckStatus(runtime.api),
        status_slips=StatusSlips(settings.kiosk, runtime.devices.printer),
        devices=runtime.devices,
        identifier=None if reader is None else (lambda: Identifier(reader, runtime.api)),
        procedure_document=lambda procedure_id: procedure_document(store.catalog, procedure_id),
        submit=SubmitProcedure(store.submissions, runtime.sync.wake,
                               link_down=lambda: runtime.sync.link is LinkState.OFFLINE),
        request_receipts=RequestReceipts(settings.kiosk, runtime.devices.printer,
                                         store.submissions, store.receipt_copies),
        pay_bills=lambda language: PayBills(
            api=runtime.api, journal=store.journal, devices=runtime.devices,
            kiosk=settings.kiosk, sync=runtime.sync, language=language,
            copies=store.receipt_copies),
        reprint=ReprintReceipts(
            store.receipt_copies, runtime.api, runtime.devices.printer, settings.kiosk,
            lambda procedure_id: procedure_document(store.catalog, procedure_id)),
        satisfaction=OutboxSatisfaction(store.outbox, wake=runtime.sync.wake),
        consents=OutboxConsents(store.outbox, wake=runtime.sync.wake),
        card_custody=custody,
        proactive=ProactiveNotes(runtime.api),
        demo_panel=demo_panel,
        on_session=session,
        screenshot=screenshot,
        exit_after=exit_after,
    )
    return KioskShell(options)


def out_of_service_code(err: StoreUnavailable | KeyFileError) -> str:
    """The short code technicians read on the out-of-service screen."""
    return f"STORE-{err.reason}" if isinstance(err, StoreUnavailable) else "KEY-file"


def store_opens(settings: Settings) -> bool:
    """Tell whether the data folder and the journal can be taken now (then let them go)."""
    try:
        runtime_lock = lock_data_dir(settings.kiosk.data_dir)
    except StoreUnavailable:
        return False
    try:
        open_store(settings).close()
    except (StoreUnavailable, KeyFileError):
        return False
    finally:
        os.close(runtime_lock)
    return True


def run_out_of_service(settings: Settings, err: StoreUnavailable | KeyFileError, *,
                       screenshot: Path | None = None, exit_after: float | None = None) -> bool:
    """Show the out-of-service screen until the fault is gone; True if it went."""
    code = out_of_service_code(err)
    log.error("out of service (%s): %s", code, err)
    configure_kivy(settings)
    from screens.out_of_service import OutOfServiceApp

    app = OutOfServiceApp(municipality=settings.kiosk.municipality, code=code,
                          kiosk_mode=settings.kiosk.mode == "kiosk",
                          recover=lambda: store_opens(settings), retry_s=OUT_OF_SERVICE_RETRY_S,
                          screenshot=screenshot, exit_after=exit_after)
    asyncio.run(app.async_run(async_lib="asyncio"))
    return app.recovered


def restart_process() -> NoReturn:
    """Replace this process by a fresh start of the same command (same pid for systemd)."""
    argv = sys.argv if getattr(sys, "frozen", False) else sys.orig_argv
    log.info("restarting: %s", " ".join(argv))
    logging.shutdown()
    os.execv(sys.executable, argv)


class BetweenCitizens:
    """Run an action now if nobody is at the kiosk, else once the citizen's session ends."""

    def __init__(self, action: Callable[[], None]) -> None:
        self._action, self._present, self._pending = action, False, False

    def request(self) -> None:
        """Ask for the action (Kivy's thread)."""
        if self._present:
            self._pending = True
        else:
            self._action()

    def citizen(self, present: bool) -> None:
        """Be told when a citizen starts and when the session is wiped (Kivy's thread)."""
        self._present = present
        if not present and self._pending:
            self._pending = False
            self._action()


def run_shell(shell: KioskShell) -> None:
    """Run the Kivy app on asyncio until it stops."""
    asyncio.run(shell.async_run(async_lib="asyncio"))


def run_kiosk(settings: Settings, *, screenshot: Path | None = None,
              exit_after: float | None = None, demo_panel: DemoPanel | None = None) -> int:
    """Run the kiosk UI on the configured hardware until it is stopped (after prepare()).

    A journal that cannot be opened safely shows "out of service" instead (never an empty
    kiosk); once the fault is gone the process starts again from the top.
    """
    try:
        runtime = build_runtime(settings)
    except (StoreUnavailable, KeyFileError) as err:
        if run_out_of_service(settings, err, screenshot=screenshot, exit_after=exit_after):
            restart_process()
        return 0
    try:
        shell = build_shell(settings, runtime, screenshot=screenshot, exit_after=exit_after,
                            demo_panel=demo_panel)
        runtime.start()
        run_shell(shell)
    finally:
        runtime.close()
    return 0
