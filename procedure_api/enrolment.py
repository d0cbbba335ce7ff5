"""One-time enrolment codes bound to one kiosk id, and the lockout of guessing sources.

A code is issued *for* a kiosk id, expires (``enrolment_code_ttl_hours``) and works once:
a stolen or leftover code cannot take over another kiosk's identity. Each wrong code is
counted against the source address that sent it; ``enrolment_max_failures`` of them within
``enrolment_lockout_minutes`` lock that source out until the oldest of them ages out of the
window, right code or not. Failures are stored, so a restart does not reset the count.
"""

from __future__ import annotations

import math
import secrets
import sqlite3
from datetime import datetime, timedelta

from procedure_api.auth import hash_secret
from procedure_api.config import ServerConfig
from procedure_api.db import iso


def new_code() -> str:
    """Make a code a technician can type: three groups of four hex digits."""
    return "-".join(secrets.token_hex(2).upper() for _ in range(3))


def issue_code(
    conn: sqlite3.Connection, kiosk_id: str, now: datetime, ttl_hours: int,
    code: str | None = None,
) -> tuple[str, str]:
    """Store a code for ``kiosk_id`` (random unless given); return it and its expiry.

    Issuing a given code again renews it while it is unused; a used code stays used.
    """
    code = code or new_code()
    expires_at = iso(now + timedelta(hours=ttl_hours))
    conn.execute(
        "INSERT INTO enrolment_codes (code_hash, created_at, kiosk_id, expires_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (code_hash) DO UPDATE SET"
        " created_at = excluded.created_at, kiosk_id = excluded.kiosk_id,"
        " expires_at = excluded.expires_at WHERE used_at IS NULL",
        (hash_secret(code), iso(now), kiosk_id, expires_at))
    return code, expires_at


def redeem_code(conn: sqlite3.Connection, code: str, kiosk_id: str, now: datetime) -> str | None:
    """Spend ``code`` for ``kiosk_id``; return None, or why it was refused (for the log)."""
    row = conn.execute("SELECT kiosk_id, used_at, expires_at FROM enrolment_codes"
                       " WHERE code_hash = ?", (hash_secret(code),)).fetchone()
    if row is None:
        return "unknown code"
    if row["used_at"] is not None:
        return "code already used"
    if row["kiosk_id"] != kiosk_id:
        return f"code issued for kiosk {row['kiosk_id']}"
    if row["expires_at"] is None or row["expires_at"] <= iso(now):
        return "code expired"
    conn.execute("UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ?",
                 (iso(now), hash_secret(code)))
    return None


def seconds_locked_out(
    conn: sqlite3.Connection, source: str, now: datetime, config: ServerConfig
) -> int:
    """Return how long ``source`` must wait before it may try a code (0: it may).

    Failures older than the window are forgotten on the way.
    """
    window = timedelta(minutes=config.enrolment_lockout_minutes)
    conn.execute("DELETE FROM enrolment_failures WHERE failed_at <= ?", (iso(now - window),))
    rows = conn.execute(
        "SELECT failed_at FROM enrolment_failures WHERE source = ?"
        " ORDER BY failed_at DESC LIMIT 1 OFFSET ?",
        (source, config.enrolment_max_failures - 1)).fetchall()
    if not rows:
        return 0
    unlocks = datetime.fromisoformat(rows[0]["failed_at"]) + window
    return max(1, math.ceil((unlocks - now).total_seconds()))


def record_failure(conn: sqlite3.Connection, source: str, now: datetime) -> None:
    """Count one wrong code against ``source``."""
    conn.execute("INSERT INTO enrolment_failures (source, failed_at) VALUES (?, ?)",
                 (source, iso(now)))
