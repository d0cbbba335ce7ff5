"""Fetch the catalog from the central API into the offline cache (304 when unchanged).

:class:`ApiCatalogSource` adapts :class:`kiosk.api.ApiClient` to the offline cache's
``CatalogSource``: a link failure or server error becomes ``CatalogUnreachable``, so the
cache serves its last copy and the citizen browses as if nothing happened.
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiServerError
from offline_cache.catalog import CachedCatalog, CatalogCache, CatalogUnreachable

log = logging.getLogger(__name__)


class ApiCatalogSource:
    """``GET /v1/catalog`` with the cached ETag, as the offline cache expects."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def fetch_catalog(self, etag: str | None) -> tuple[dict[str, Any], str | None] | None:
        """Return (catalog, etag), None when unchanged; raise CatalogUnreachable."""
        try:
            fetched = self._client.catalog(etag)
        except (ApiOffline, ApiServerError) as err:
            raise CatalogUnreachable(str(err)) from err
        if fetched.catalog is None:
            return None
        return fetched.catalog, fetched.etag


def refresh_catalog(cache: CatalogCache, client: ApiClient) -> CachedCatalog:
    """Bring the cached catalog up to date, or keep serving it when the API is away."""
    try:
        return cache.current(ApiCatalogSource(client))
    except ApiError as err:  # refused (e.g. token revoked): keep what we have
        log.warning("catalog refresh refused by the API: %s", err)
        cached = cache.cached()
        if cached is None:
            raise
        return cached
