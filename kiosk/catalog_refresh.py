"""Keep the catalog fresh in the background: at start, every interval, and when the link
returns. A changed catalog (a new fee, a withdrawn procedure) is announced to listeners;
the shell applies it between two citizens, never in the middle of a journey.

The fetch uses the cached ETag, so an unchanged catalog costs a 304 and nothing else.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from offline_cache.catalog import CatalogCache, CatalogSource
from offline_cache.errors import CatalogUnavailable
from offline_cache.sync import LinkState, SyncStatus

log = logging.getLogger(__name__)


class CatalogRefresh:
    """A thread that refreshes the cached catalog and tells listeners when it changed."""

    def __init__(self, cache: CatalogCache, source: CatalogSource, interval_s: float) -> None:
        self._cache, self._source, self._interval_s = cache, source, interval_s
        self._listeners: list[Callable[[], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._link = LinkState.UNKNOWN

    def on_updated(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (from this thread) whenever a newer catalog is stored."""
        self._listeners.append(listener)

    def link_changed(self, status: SyncStatus) -> None:
        """A sync listener: the link came back online, so look at once."""
        if status.link is LinkState.ONLINE and self._link is not LinkState.ONLINE:
            self._wake.set()
        self._link = status.link

    def refresh_now(self) -> bool:
        """Fetch once; True when a newer catalog was stored (listeners already told)."""
        before = self._cache.cached()
        try:
            catalog = self._cache.current(self._source)
        except CatalogUnavailable as err:
            log.warning("no catalog yet (%s); browsing is empty until the first sync", err)
            return False
        if before is not None and before.version == catalog.version:
            return False
        log.info("catalog version %s ready", catalog.version)
        for listener in list(self._listeners):
            listener()
        return True

    def start(self) -> None:
        """Refresh at once (the cached catalog serves meanwhile), then every interval."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="catalog-refresh",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh_now()
            except Exception:  # the refresh must outlive one bad answer; say so
                log.exception("catalog refresh failed")
            self._wake.wait(self._interval_s)
            self._wake.clear()

    def stop(self) -> None:
        """Stop refreshing (a fetch in progress is bounded by the API client's timeouts)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
