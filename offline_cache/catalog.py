"""The last catalog the API sent, with its ETag, so the kiosk can serve without a link.

:meth:`CatalogCache.current` asks the API with ``If-None-Match``: a 304 keeps the cached
copy, a 200 replaces it and rebuilds the search index in the same transaction, and when the
API cannot be reached the cached copy is served (:class:`CatalogUnavailable` only if there
is none — e.g. the first start after a quarantined database, until the link returns).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from offline_cache.database import OfflineDatabase, utc_now
from offline_cache.errors import CatalogUnavailable
from offline_cache.search import index_catalog

log = logging.getLogger(__name__)


class CatalogUnreachable(Exception):
    """The catalog source could not answer (link down, timeout, server error)."""


class CatalogSource(Protocol):
    """Where fresh catalogs come from (the API client, through an adapter)."""

    def fetch_catalog(self, etag: str | None) -> tuple[dict[str, Any], str | None] | None:
        """Return (catalog, etag), or None if unchanged (304); raise CatalogUnreachable."""
        ...


@dataclass(frozen=True)
class CachedCatalog:
    """A catalog document and where it came from."""

    body: dict[str, Any]
    etag: str | None
    version: str | None
    fetched_at: str
    fresh: bool  # True if the API confirmed it just now


class CatalogCache:
    """Keep the newest catalog in SQLite and serve it when offline."""

    def __init__(self, database: OfflineDatabase) -> None:
        self._database = database

    def cached(self) -> CachedCatalog | None:
        """Return the stored catalog, if any."""
        with self._database.reading() as conn:
            row = conn.execute(
                "SELECT body, etag, version, fetched_at FROM catalog WHERE id = 1"
            ).fetchone()
        if row is None:
            return None
        return CachedCatalog(json.loads(row[0]), row[1], row[2], row[3], fresh=False)

    def store(self, body: dict[str, Any], etag: str | None) -> CachedCatalog:
        """Replace the stored catalog and its search index atomically."""
        now = utc_now()
        version = str(body["version"]) if "version" in body else None
        with self._database.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO catalog (id, etag, version, body, fetched_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (etag, version, json.dumps(body, ensure_ascii=False), now),
            )
            index_catalog(tx, body)
        log.info("catalog version %s cached", version)
        return CachedCatalog(body, etag, version, now, fresh=True)

    def current(self, source: CatalogSource) -> CachedCatalog:
        """Refresh from ``source`` if it answers; otherwise serve the cached catalog."""
        cached = self.cached()
        try:
            answer = source.fetch_catalog(cached.etag if cached else None)
        except CatalogUnreachable as err:
            if cached is None:
                log.warning("no catalog cached and the API is unreachable: %s", err)
                raise CatalogUnavailable(f"no cached catalog and the API is unreachable: {err}")\
                    from err
            log.info("catalog API unreachable; serving cached version %s", cached.version)
            return cached
        if answer is None:
            if cached is None:  # a 304 without a cache: the source misbehaves
                raise CatalogUnavailable("catalog source said 'not modified' but none is cached")
            return CachedCatalog(cached.body, cached.etag, cached.version, cached.fetched_at, True)
        body, etag = answer
        return self.store(body, etag)
