"""Client of the central procedure API (contract: docs/openapi.json).

Synchronous on a ``requests.Session``; async callers use ``asyncio.to_thread``. Every call
has connect and read timeouts; only safe calls are retried (see kiosk/api_transport.py).
HTTP and transport failures are mapped to the :mod:`kiosk.api_errors` tree in one place,
``_call``; nothing above this module sees a ``requests`` exception.
"""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import requests

from kiosk.api_errors import (
    ApiError,
    ApiOffline,
    ApiRejected,
    ApiServerError,
    ApiUnauthorized,
    ApiUntrusted,
)
from kiosk.api_transport import build_session
from kiosk.api_types import (
    AssistanceRequest,
    CasePublicStatus,
    CaseStatus,
    CatalogFetch,
    Challenge,
    CitizenAuthentication,
    CloseAnswer,
    Debt,
    DecodedBill,
    Enrolment,
    Health,
    HeartbeatAck,
    PaymentRecorded,
    ReceiptCopy,
)
from kiosk.settings import ApiSection

__all__ = [
    "ApiClient", "ApiError", "ApiOffline", "ApiRejected", "ApiServerError", "ApiUnauthorized",
    "ApiUntrusted", "CatalogFetch",
]
log = logging.getLogger(__name__)
LOOKUP_KEYS = ("national_number", "cadastral_key", "water_account", "plate")


class ApiClient:
    """One kiosk's connection to the API; ``token`` is None only before enrolment."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        language: str = "es",
        connect_timeout_s: float = 3.0,
        read_timeout_s: float = 10.0,
        retries: int = 2,
        backoff_s: float = 0.5,
        ca_bundle: Path | None = None,
        pinned_sha256: Collection[str] = (),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token, self.language = token, language
        self.timeout = (connect_timeout_s, read_timeout_s)
        self._retrying = build_session(
            retries=retries, backoff_s=backoff_s, ca_bundle=ca_bundle, pins=pinned_sha256)
        self._single = build_session(
            retries=0, backoff_s=0, ca_bundle=ca_bundle, pins=pinned_sha256)

    @classmethod
    def from_settings(cls, api: ApiSection, token: str | None, language: str = "es") -> ApiClient:
        """Build a client from the validated ``[api]`` settings."""
        return cls(
            api.url, token=token, language=language, connect_timeout_s=api.connect_timeout_s,
            read_timeout_s=api.read_timeout_s, retries=api.retries, backoff_s=api.backoff_s,
            ca_bundle=api.ca_bundle,
            pinned_sha256=api.pinned_sha256)

    def close(self) -> None:
        """Close pooled connections."""
        self._retrying.close()
        self._single.close()

    # --- the one place where HTTP becomes typed results and errors -----------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        ok: Collection[int] = (200, 201),
    ) -> requests.Response:
        all_headers = {"Accept": "application/json", "Accept-Language": self.language}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if idempotency_key:
            all_headers["Idempotency-Key"] = idempotency_key
        all_headers.update(headers or {})
        safe = method == "GET" or idempotency_key is not None
        session = self._retrying if safe else self._single
        try:
            response = session.request(method, self.base_url + path, json=json, params=params,
                                       headers=all_headers, timeout=self.timeout)
        except requests.exceptions.SSLError as err:
            log.warning("API TLS check failed on %s %s: %s", method, path, err)
            raise ApiUntrusted(f"TLS verification failed for {self.base_url}") from err
        except requests.exceptions.RequestException as err:
            log.info("API unreachable on %s %s: %s", method, path, type(err).__name__)
            raise ApiOffline(f"{method} {path}: {type(err).__name__}") from err
        if response.status_code in ok:
            return response
        raise _error_for(response, method, path)

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._call(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError as err:
            raise ApiServerError(f"{method} {path}: not JSON", response.status_code) from err
        if not isinstance(body, dict):
            raise ApiServerError(f"{method} {path}: not a JSON object", response.status_code)
        return body

    # --- endpoints -------------------------------------------------------------------------

    def health(self) -> Health:
        """Check that the server answers (no credentials needed)."""
        return cast(Health, self._json("GET", "/health"))

    def enrol(self, code: str, kiosk_id: str) -> Enrolment:
        """Trade a technician's one-time code for this kiosk's token (and start using it)."""
        enrolment = cast(Enrolment, self._json(
            "POST", "/enrolments", json={"code": code, "kiosk_id": kiosk_id}))
        self.token = enrolment["token"]
        return enrolment

    def catalog(self, etag: str | None = None) -> CatalogFetch:
        """Fetch the catalog; with the cached ``etag``, an unchanged catalog costs a 304."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._call("GET", "/catalog", headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return CatalogFetch(etag=response.headers.get("ETag", etag), catalog=None)
        try:
            body = response.json()
        except ValueError as err:
            raise ApiServerError("GET /catalog: answer is not JSON", 200) from err
        return CatalogFetch(etag=response.headers.get("ETag"), catalog=body)

    def debts(self, **lookup: str) -> list[Debt]:
        """Look up pending debts by one of national_number, cadastral_key, water_account, plate."""
        if len(lookup) != 1 or next(iter(lookup)) not in LOOKUP_KEYS:
            raise ValueError(f"give exactly one of {', '.join(LOOKUP_KEYS)}")
        return cast(list[Debt], self._json("GET", "/debts", params=lookup)["debts"])

    def bill(self, reference: str) -> Debt:
        """Find a bill by its reference, paid or not; unknown: ApiRejected bill_not_found (404)."""
        return cast(Debt, self._json("GET", f"/bills/{quote(reference, safe='')}"))

    def receipt_copy(self, reference: str, check: str | None) -> ReceiptCopy:
        """What a receipt printed at any kiosk said; refused: ApiRejected receipt_not_found
        (404) or too_many_receipt_attempts (429)."""
        return cast(ReceiptCopy, self._json("POST", "/receipts/lookup",
                                            json={"reference": reference, "check": check}))

    def decode_bill(self, barcode: str) -> DecodedBill:
        """Ask the server to decode a bill's barcode (kiosk.bill_barcode does it offline)."""
        return cast(DecodedBill, self._json("POST", "/bills/decode", json={"barcode": barcode}))

    def record_payment(self, payment: Mapping[str, Any], idempotency_key: str) -> PaymentRecorded:
        """Record an authorized card payment; resending with the same key is harmless."""
        return cast(PaymentRecorded, self._json(
            "POST", "/payments", json=payment, idempotency_key=idempotency_key))

    def close_batch(self, close: Mapping[str, Any], idempotency_key: str) -> CloseAnswer:
        """Report the terminal's batch close; the answer lists what does not reconcile."""
        return cast(CloseAnswer, self._json(
            "POST", "/closes", json=close, idempotency_key=idempotency_key))

    def record_consent(self, consent: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Record a citizen's consent (or refusal): which fields, never their values."""
        return dict(self._json("POST", "/consents", json=consent,
                               idempotency_key=idempotency_key))

    def submit(self, submission: Mapping[str, Any], idempotency_key: str) -> str:
        """Send a procedure request and return its case number."""
        body = self._json("POST", "/submissions", json=submission, idempotency_key=idempotency_key)
        return str(body["case_number"])

    def eid_challenge(self) -> Challenge:
        """Get a fresh single-use nonce for the e-ID card to sign."""
        return cast(Challenge, self._json("POST", "/eid/challenges"))

    def eid_authenticate(
        self, nonce: str, certificate_b64: str, signature_b64: str, algorithm: str
    ) -> CitizenAuthentication:
        """Prove the citizen's identity with the card's signature over the nonce."""
        return cast(CitizenAuthentication, self._json("POST", "/eid/authentications", json={
            "nonce": nonce, "certificate": certificate_b64, "signature": signature_b64,
            "algorithm": algorithm}))

    def case_status(self, case_number: str) -> CasePublicStatus:
        """Return a case's status by its number (the status only: no procedure, no dates)."""
        return cast(CasePublicStatus,
                    self._json("GET", f"/cases/{quote(case_number, safe='')}"))

    def my_cases(self, citizen_session: str) -> list[CaseStatus]:
        """Return the identified citizen's cases."""
        body = self._json("GET", "/citizens/me/cases",
                          headers={"X-Citizen-Session": citizen_session})
        return cast(list[CaseStatus], body["cases"])

    def my_debts(self, citizen_session: str) -> list[Debt]:
        """Return the identified citizen's pending debts."""
        body = self._json("GET", "/citizens/me/debts",
                          headers={"X-Citizen-Session": citizen_session})
        return cast(list[Debt], body["debts"])

    def request_assistance(self, reason: str) -> AssistanceRequest:
        """Ask staff to come to this kiosk."""
        return cast(AssistanceRequest, self._json(
            "POST", "/assistance-requests", json={"reason": reason}))

    def assistance_status(self, request_id: int) -> AssistanceRequest:
        """Tell whether staff acknowledged an assistance request."""
        return cast(AssistanceRequest, self._json("GET", f"/assistance-requests/{request_id}"))

    def heartbeat(self, report: Mapping[str, Any]) -> HeartbeatAck:
        """Send device states, queue depth, app version and last sync time."""
        return cast(HeartbeatAck, self._json("POST", "/heartbeats", json=report))

    def satisfaction(self, score: int, journey: str, idempotency_key: str, *,
                     procedure_id: str | None = None, reason: str | None = None) -> None:
        """Send a satisfaction answer (1..5) for a journey, its procedure and low-score reason."""
        body: dict[str, Any] = {"score": score, "journey": journey}
        if procedure_id:
            body["procedure_id"] = procedure_id
        if reason:
            body["reason"] = reason
        self._json("POST", "/satisfaction", json=body, idempotency_key=idempotency_key)


def _retry_after(response: requests.Response) -> float | None:
    """Read Retry-After (seconds or an HTTP date) when the server asks us to slow down."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_for(response: requests.Response, method: str, path: str) -> ApiError:
    """Map a non-success answer to the error tree (the only place that reads statuses)."""
    status = response.status_code
    try:
        detail = response.json()["error"]
        code, message = str(detail["code"]), str(detail["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "", ""
    log.warning("API %s %s answered %s %s", method, path, status, code or "(no error body)")
    if status == 401:
        return ApiUnauthorized(f"{method} {path}: 401 {code}")
    if 400 <= status < 500 and code:
        return ApiRejected(code, message, status, _retry_after(response))
    return ApiServerError(f"{method} {path}: HTTP {status} {code}".strip(), status)
