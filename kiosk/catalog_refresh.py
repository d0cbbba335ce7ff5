"""Keep the catalog fresh in the background: at start, every interval, and when the link
returns. A changed catalog (a new fee, a withdrawn procedure) is announced to listeners;
the shell applies it between two citizens, never in the middle of a journey.

The fetch uses the cached ETag, so an unchanged catalog costs a 304 and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.periodic import PeriodicJob
from offline_cache.catalog import CatalogCache, CatalogSource
from offline_cache.errors import CatalogUnavailable
from offline_cache.sync import LinkState, SyncStatus

log = logging.getLogger(__name__)


class CatalogRefresh:
    """A thread that refreshes the cached catalog and tells listeners when it changed."""

    def __init__(self, cache: CatalogCache, source: CatalogSource, interval_s: float) -> None:
        self._cache, self._source, self._interval_s = cache, source, interval_s
        self._listeners: list[Callable[[], None]] = []
        self._job = PeriodicJob("catalog-refresh", interval_s, self.refresh_now)
        self._link = LinkState.UNKNOWN

    def on_updated(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (from this thread) whenever a newer catalog is stored."""
        self._listeners.append(listener)

    def link_changed(self, status: SyncStatus) -> None:
        """A sync listener: the link came back online, so look at once."""
        if status.link is LinkState.ONLINE and self._link is not LinkState.ONLINE:
            self._job.wake()
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
        self._job.start()

    def stop(self) -> None:
        """Stop refreshing (a fetch in progress is bounded by the API client's timeouts)."""
        self._job.stop()
