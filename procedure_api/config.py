"""Server settings, fixed at start-up and shared by every router."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


def utc_now() -> datetime:
    """Return the current time in UTC (the default clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServerConfig:
    """What one server process needs; tests inject ``clock`` to age nonces without sleeping."""

    db_path: Path
    eid_ca_file: Path | None = None
    staff_token: str | None = None
    nonce_ttl_s: float = 120.0
    citizen_session_ttl_s: float = 900.0
    # A submission may reach us days after the citizen authenticated (kiosk offline), so a
    # citizen session stays valid for submissions much longer than for live look-ups.
    submission_session_days: int = 60
    # Longer than any kiosk can stay offline: a key forgotten too early lets a replay pay twice.
    idempotency_retention_days: int = 90
    # An older authorized_at goes to review instead of settling debts. Never above the key
    # retention: a resend whose key was already forgotten must not settle anything twice.
    payment_max_age_days: int = 90
    enrolment_code_ttl_hours: int = 24
    # Wrong enrolment codes one source address may try within the window before a lockout.
    enrolment_max_failures: int = 5
    enrolment_lockout_minutes: int = 15
    # Every request body, on every route; the largest legitimate one is a few KiB.
    max_body_bytes: int = 64 * 1024
    clock: Callable[[], datetime] = field(default=utc_now)

    def __post_init__(self) -> None:
        if self.payment_max_age_days > self.idempotency_retention_days:
            raise ValueError("payment_max_age_days cannot exceed idempotency_retention_days")
