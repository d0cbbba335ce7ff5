"""The server's SQLite database: schema, one connection, serialised transactions.

A reference server serves a handful of kiosks, so one connection guarded by a lock is enough
and makes every idempotent "look up key, act, store response" step atomic.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrolment_codes (
    code_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL, used_at TEXT, kiosk_id TEXT,
    expires_at TEXT);
CREATE TABLE IF NOT EXISTS enrolment_failures (source TEXT NOT NULL, failed_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS enrolment_failures_by_source ON enrolment_failures (source, failed_at);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, enrolled_at TEXT NOT NULL,
    revoked_at TEXT);
CREATE TABLE IF NOT EXISTS categories (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS procedures (
    id TEXT PRIMARY KEY, category_id TEXT NOT NULL, position INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS citizens (
    national_number TEXT PRIMARY KEY, surname TEXT NOT NULL, given_names TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS debts (
    reference TEXT PRIMARY KEY, kind TEXT NOT NULL, national_number TEXT,
    cadastral_key TEXT, water_account TEXT, plate TEXT,
    description_es TEXT NOT NULL, description_en TEXT NOT NULL,
    amount_cents INTEGER NOT NULL, due_date TEXT NOT NULL, status TEXT NOT NULL,
    address_hint TEXT);
CREATE INDEX IF NOT EXISTS debts_by_national_number ON debts (national_number);
CREATE INDEX IF NOT EXISTS debts_by_cadastral_key ON debts (cadastral_key);
CREATE INDEX IF NOT EXISTS debts_by_water_account ON debts (water_account);
CREATE INDEX IF NOT EXISTS debts_by_plate ON debts (plate);
CREATE TABLE IF NOT EXISTS payments (
    payment_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, ticket INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL, currency TEXT NOT NULL, bills TEXT NOT NULL,
    authorization_code TEXT NOT NULL, operation_number TEXT NOT NULL, card_type TEXT NOT NULL,
    card_last4 TEXT NOT NULL, authorized_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
    needs_review INTEGER NOT NULL, idempotency_key TEXT NOT NULL, review_reason TEXT,
    close_id TEXT);
CREATE INDEX IF NOT EXISTS payments_by_key ON payments (idempotency_key);
CREATE TABLE IF NOT EXISTS closes (
    close_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, terminal_id TEXT NOT NULL,
    closed_at TEXT NOT NULL, received_at TEXT NOT NULL, sales_count INTEGER NOT NULL,
    sales_total_cents INTEGER NOT NULL, kiosk_count INTEGER NOT NULL,
    kiosk_total_cents INTEGER NOT NULL, server_count INTEGER NOT NULL,
    server_total_cents INTEGER NOT NULL, operations TEXT NOT NULL, status TEXT NOT NULL,
    missing_at_server TEXT NOT NULL, not_in_terminal TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS closes_by_kiosk ON closes (kiosk_id, received_at);
CREATE TABLE IF NOT EXISTS cases (
    case_number TEXT PRIMARY KEY, procedure_id TEXT NOT NULL, national_number TEXT,
    kiosk_id TEXT, status TEXT NOT NULL, form TEXT NOT NULL, submitted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, idempotency_key TEXT);
CREATE INDEX IF NOT EXISTS cases_by_citizen ON cases (national_number);
CREATE INDEX IF NOT EXISTS cases_by_key ON cases (idempotency_key);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    kiosk_id TEXT NOT NULL, key TEXT NOT NULL, endpoint TEXT NOT NULL,
    body_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, key));
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency_keys (created_at);
CREATE TABLE IF NOT EXISTS eid_nonces (
    nonce TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS citizen_sessions (
    token_hash TEXT PRIMARY KEY, national_number TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assistance_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, reason TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, acknowledged_at TEXT,
    acknowledged_by TEXT);
CREATE TABLE IF NOT EXISTS heartbeats (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, received_at TEXT NOT NULL,
    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS heartbeats_by_kiosk ON heartbeats (kiosk_id, id);
CREATE TABLE IF NOT EXISTS satisfaction (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, score INTEGER NOT NULL,
    journey TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS consents (
    consent_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, decision TEXT NOT NULL,
    journey TEXT NOT NULL, procedure_id TEXT, fields_read TEXT NOT NULL,
    fields_shared TEXT NOT NULL, given_at TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS consents_by_kiosk ON consents (kiosk_id, received_at);
"""
# Columns added since the first release, as (table, column, type): an older database file
# gets them when it is opened, so a demo folder survives an upgrade.
ADDED_COLUMNS = (
    ("enrolment_codes", "expires_at", "TEXT"),
    ("payments", "review_reason", "TEXT"),
    ("payments", "close_id", "TEXT"),
    ("debts", "address_hint", "TEXT"),
    ("cases", "fee_reference", "TEXT"),
    ("satisfaction", "procedure_id", "TEXT"),
    ("satisfaction", "reason", "TEXT"),
)
# Indexes over added columns, created once those columns exist.
LATE_INDEXES = """
CREATE INDEX IF NOT EXISTS payments_by_close ON payments (kiosk_id, close_id);
CREATE INDEX IF NOT EXISTS cases_by_fee ON cases (fee_reference);
"""


def iso(moment: datetime) -> str:
    """Format a UTC time so that stored timestamps sort as text."""
    return moment.isoformat(timespec="microseconds")


class Database:
    """One SQLite connection; ``transaction()`` serialises and commits or rolls back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(SCHEMA)
        self._add_missing_columns()
        self._conn.executescript(LATE_INDEXES)

    def _add_missing_columns(self) -> None:
        for table, column, kind in ADDED_COLUMNS:
            present = {row["name"] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one immediate transaction; an exception rolls it back."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (on shutdown)."""
        with self._lock:
            self._conn.close()
