"""One router per area of the contract; ``ERRORS`` documents the error shape for all."""

from __future__ import annotations

from typing import Any

from procedure_api.schemas import ErrorResponse

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Bad request", 401: "Kiosk not enrolled or revoked", 403: "Forbidden",
        404: "Not found", 409: "Conflict", 413: "Request body too large",
        422: "Invalid input",
    }.items()
}
