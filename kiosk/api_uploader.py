"""Adapt ``kiosk.api.ApiClient`` to what the sync worker and the catalog cache need.

The client already maps HTTP to its error tree (the one place that reads statuses); here
that tree is reduced to delivery outcomes, each handled on purpose by the sync worker:

* 429 → :class:`DeliveryDeferred` with the server's Retry-After: the item waits, no park;
* 401 (revoked or unknown token) → :class:`DeliveryRevoked`: delivery stops, card sales
  stop, the queue is kept until a technician re-enrols the kiosk;
* any other 4xx with the API's error shape (409 conflict, 422 invalid, ...) →
  :class:`DeliveryRejected`: parked with an incident that keeps the server's answer, the
  encrypted body is kept for a technician;
* ``ApiOffline`` → link down; ``ApiServerError`` (5xx) → :class:`DeliveryFailed`, retried
  with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiRejected, ApiUnauthorized
from offline_cache.catalog import CatalogUnreachable
from offline_cache.delivery import (
    DeliveryDeferred,
    DeliveryFailed,
    DeliveryRejected,
    DeliveryRevoked,
)

log = logging.getLogger(__name__)


class ApiUploader:
    """Deliver outbox items and fetch catalogs through the kiosk's API client."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client
        self._senders: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
            "payment": lambda body, key: dict(self._client.record_payment(body, key)),
            "submission": lambda body, key: {"case_number": self._client.submit(body, key)},
            "satisfaction": self._satisfaction,
            "heartbeat": lambda body, _key: dict(self._client.heartbeat(body)),
            "close": lambda body, key: dict(self._client.close_batch(body, key)),
            "consent": lambda body, key: self._client.record_consent(body, key),
            "assistance_request": lambda body, _key: dict(
                self._client.request_assistance(str(body["reason"]))),
        }

    def _satisfaction(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        procedure, reason = body.get("procedure_id"), body.get("reason")
        self._client.satisfaction(int(body["score"]), str(body["journey"]), key,
                                  procedure_id=None if procedure is None else str(procedure),
                                  reason=None if reason is None else str(reason))
        return {}

    def upload(self, kind: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Send one item; raise DeliveryRejected (4xx) or DeliveryFailed (retry later)."""
        try:
            send = self._senders[kind]
        except KeyError:
            raise DeliveryRejected(f"no API call for outbox kind {kind!r}") from None
        try:
            return send(body, idempotency_key)
        except ApiRejected as err:
            if err.status == 429:
                raise DeliveryDeferred(f"429 {err.code}", err.retry_after_s) from err
            raise DeliveryRejected(f"{err.status} {err.code}: {err.message}",
                                   status=err.status, code=err.code) from err
        except ApiUnauthorized as err:
            raise DeliveryRevoked(str(err)) from err
        except ApiOffline as err:
            raise DeliveryFailed(str(err), offline=True) from err
        except ApiError as err:
            raise DeliveryFailed(str(err), offline=False) from err

    def probe(self) -> bool:
        """Tell whether GET /v1/health answers."""
        try:
            self._client.health()
        except ApiError:
            return False
        return True

    def fetch_catalog(self, etag: str | None) -> tuple[dict[str, Any], str | None] | None:
        """Fetch the catalog with If-None-Match; None means 304 (keep the cache)."""
        try:
            answer = self._client.catalog(etag)
        except ApiError as err:
            raise CatalogUnreachable(str(err)) from err
        if answer.catalog is None:
            return None
        return answer.catalog, answer.etag
