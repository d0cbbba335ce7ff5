"""HTTP sessions for the API client: retries with backoff, TLS verification, pinning.

Two sessions share the settings: one retries (GET, and POST carrying an Idempotency-Key,
which the server deduplicates), one never retries (a POST without a key could be applied
twice). Retries use urllib3's ``Retry`` (exponential backoff capped at 10 s; a server's
Retry-After is ignored so that no answer can make the kiosk wait longer than that).
Pinning checks the SHA-256 of the server's DER certificate right after the TLS handshake,
before a single request byte (or the kiosk token) is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import SSLError
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 502, 503, 504)


def _pinned_pool_class(pins: frozenset[str]) -> type[HTTPSConnectionPool]:
    class PinnedConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            der = self.sock.getpeercert(binary_form=True) if self.sock else None  # type: ignore[union-attr]
            if der is None or hashlib.sha256(der).hexdigest() not in pins:
                self.close()
                raise SSLError("the server certificate does not match any pinned SHA-256")

    class PinnedPool(HTTPSConnectionPool):
        ConnectionCls = PinnedConnection

    return PinnedPool


class _Adapter(HTTPAdapter):
    """An adapter whose HTTPS pools check certificate pins (when there are any)."""

    def __init__(self, pins: frozenset[str], **kwargs: Any) -> None:
        self._pins = pins
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        if self._pins:
            self.poolmanager.pool_classes_by_scheme = {
                "http": HTTPConnectionPool, "https": _pinned_pool_class(self._pins)}


def build_session(
    *, retries: int, backoff_s: float, ca_bundle: Path | None, pins: Collection[str]
) -> requests.Session:
    """Make a session that retries ``retries`` times with exponential backoff (0 = never)."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff_s,
        backoff_max=10,
        allowed_methods=frozenset({"GET", "POST"}),
        status_forcelist=RETRY_STATUSES if retries else (),
        raise_on_status=False,
        # A Retry-After of an hour would freeze the kiosk: our own bounded backoff instead.
        respect_retry_after_header=False,
    )
    session = requests.Session()
    session.verify = str(ca_bundle) if ca_bundle else True
    session.trust_env = False  # a kiosk must not pick up a proxy from its environment
    adapter = _Adapter(frozenset(pin.lower() for pin in pins), max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
