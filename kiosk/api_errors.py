"""Errors of the central procedure API client (the only ones above kiosk/api.py).

Exception tree::

    ApiError                  base: the API call did not give a usable answer
    ├── ApiOffline            no answer: refused, unreachable, timed out (retry later)
    │   └── ApiUntrusted      TLS verification or certificate pinning failed
    ├── ApiUnauthorized       401: this kiosk is not enrolled or was revoked
    ├── ApiRejected           4xx with the API's error shape: code, message, status
    └── ApiServerError        5xx or an answer that is not the contract's JSON

``message_key`` is the gettext msgid the UI shows; ``str(error)`` is for technicians' logs.
"""

from __future__ import annotations


class ApiError(Exception):
    """The API call did not give a usable answer."""

    message_key = "The municipal service is not available right now."


class ApiOffline(ApiError):
    """The server could not be reached or did not answer in time."""

    message_key = "The municipal service cannot be reached right now. Please try again later."


class ApiUntrusted(ApiOffline):
    """The server's TLS certificate is not the trusted or pinned one."""


class ApiUnauthorized(ApiError):
    """The server refused this kiosk's credentials (not enrolled or revoked)."""

    message_key = "This kiosk is out of service. Please call a technician."


class ApiRejected(ApiError):
    """The server refused the request; ``code`` is its machine code, ``message`` its text."""

    message_key = "The request could not be completed."

    def __init__(self, code: str, message: str, status: int,
                 retry_after_s: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.code, self.message, self.status = code, message, status
        self.retry_after_s = retry_after_s  # 429: how long the server asks us to wait


class ApiServerError(ApiError):
    """The server failed (5xx) or answered something outside the contract."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
