"""A database file from before issue 15 opens, gains the new columns, and keeps its rules."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from procedure_api.auth import hash_secret
from procedure_api.db import Database
from procedure_api.enrolment import redeem_code

OLD_TABLES = """
CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL, used_at TEXT, kiosk_id TEXT);
CREATE TABLE payments (
    payment_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, ticket INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL, currency TEXT NOT NULL, bills TEXT NOT NULL,
    authorization_code TEXT NOT NULL, operation_number TEXT NOT NULL, card_type TEXT NOT NULL,
    card_last4 TEXT NOT NULL, authorized_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
    needs_review INTEGER NOT NULL, idempotency_key TEXT NOT NULL);
"""


def test_old_database_gains_the_new_columns_and_its_unbound_codes_are_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_TABLES)
        conn.execute("INSERT INTO enrolment_codes (code_hash, created_at) VALUES (?, ?)",
                     (hash_secret("OLD-CODE-0001"), "2026-11-01T00:00:00+00:00"))
    conn.close()
    db = Database(path)
    with db.transaction() as tx:
        columns = {row["name"] for row in tx.execute("PRAGMA table_info(payments)")}
        assert {"review_reason", "close_id"} <= columns
        # a code from before binding belongs to no kiosk: it enrols none
        assert redeem_code(tx, "OLD-CODE-0001", "kiosk-any", datetime.now(UTC)) is not None
    db.close()
