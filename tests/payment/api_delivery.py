"""Deliver payment uploads with the real API client (the sync worker's Uploader contract).

offline_cache.delivery names ``offline_cache.api_uploader`` as the production adapter; it is
not on the offline-cache branch yet, so the crash test adapts ``kiosk.api.ApiClient`` here,
with the error split the contract documents (4xx -> rejected, the rest -> retry later).
"""

from __future__ import annotations

from typing import Any

from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiRejected
from offline_cache.delivery import DeliveryFailed, DeliveryRejected


class PaymentUploader:
    """Upload outbox items of kind "payment" through ApiClient.record_payment."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def upload(self, kind: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        if kind != "payment":
            raise DeliveryRejected(f"this adapter only delivers payments, not {kind}")
        try:
            return dict(self._client.record_payment(body, idempotency_key))
        except ApiRejected as err:
            raise DeliveryRejected(str(err)) from err
        except ApiError as err:
            raise DeliveryFailed(str(err), offline=isinstance(err, ApiOffline)) from err

    def probe(self) -> bool:
        try:
            self._client.health()
        except ApiError:
            return False
        return True
