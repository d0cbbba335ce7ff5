"""Open the kiosk's SQLite file durably, and quarantine it if it is damaged.

One file holds the journal, the outbox and the catalog cache. It runs in WAL mode with
``synchronous=FULL``: every commit is on disk before it returns, which the money journal
needs (a transition must be durable before the side effect it announces). The other tables
share the file and so the setting; their writes are rare enough that it costs nothing.

A file SQLite cannot read, or one that fails ``PRAGMA quick_check``, is *moved aside*
(``kiosk.db.corrupt-<UTC time>``, with its -wal/-shm) — never deleted, a technician may
need it to recover money records — and a fresh file is started. The move is logged and
recorded in the fresh file's ``incidents`` table, which the technician screen reads
(:meth:`OfflineDatabase.incidents`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL,
    authorization_code TEXT, operation_number TEXT, card_type TEXT, decline_code TEXT,
    private BLOB,                       -- AES-GCM: bills (references), card_last4
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    authorized_at TEXT, receipt_printed_at TEXT, synced_at TEXT, purged_at TEXT
);
CREATE INDEX IF NOT EXISTS payments_ticket ON payments (ticket);
CREATE INDEX IF NOT EXISTS payments_state ON payments (state);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    procedure_id TEXT NOT NULL,
    state TEXT NOT NULL,
    case_number TEXT,
    private BLOB,                       -- AES-GCM: form answers, citizen session
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    submitted_at TEXT, receipt_printed_at TEXT, synced_at TEXT, purged_at TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- payment | submission | satisfaction | heartbeat | ...
    stream TEXT NOT NULL,               -- items of one stream are delivered in id order
    ref_id INTEGER,                     -- payments.id / submissions.id when relevant
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,                -- pending | delivered | parked
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    payload BLOB,                       -- AES-GCM JSON body; NULL once delivered
    created_at TEXT NOT NULL, delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id);
CREATE INDEX IF NOT EXISTS outbox_stream ON outbox (stream, id);
CREATE TABLE IF NOT EXISTS catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    etag TEXT, version TEXT, body TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS catalog_fts USING fts5(
    procedure_id UNINDEXED, title_es UNINDEXED, title_en UNINDEXED,
    title, keywords, body,
    tokenize = "unicode61 remove_diacritics 2", prefix = "2 3 4"
);
CREATE VIRTUAL TABLE IF NOT EXISTS catalog_vocab USING fts5vocab(catalog_fts, row);
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, detail TEXT NOT NULL, created_at TEXT NOT NULL,
    acknowledged INTEGER NOT NULL DEFAULT 0
);
"""


def utc_now() -> str:
    """Return the current UTC time as an ISO 8601 string (what the journal stores)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def set_state(
    tx: sqlite3.Connection, table: str, row_id: int, state: str, **columns: str | None
) -> None:
    """Write a journal row's new state (and extra columns) inside the caller's transaction."""
    sets = "".join(f", {name} = ?" for name in columns)
    tx.execute(
        f"UPDATE {table} SET state = ?, updated_at = ?{sets} WHERE id = ?",
        (state, utc_now(), *columns.values(), row_id),
    )


@dataclass(frozen=True)
class Incident:
    """Something a technician must know about the offline store (e.g. a quarantined file)."""

    id: int
    kind: str
    detail: str
    created_at: str
    acknowledged: bool


class OfflineDatabase:
    """One durable connection to the kiosk's SQLite file.

    Several threads may share it (asyncio.to_thread callers): writes go through
    :meth:`transaction`, reads through :meth:`reading`, both under one lock. The sync worker
    uses its own connection (:meth:`reopen`).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one durable write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Read without interleaving with another thread's transaction on this connection."""
        with self._lock:
            yield self.conn

    def reopen(self) -> OfflineDatabase:
        """Open another connection to the same file, for another thread."""
        return OfflineDatabase(self.path, _connect(self.path))

    def incidents(self, *, include_acknowledged: bool = False) -> list[Incident]:
        """List the incidents a technician has not acknowledged yet (newest last)."""
        sql = "SELECT id, kind, detail, created_at, acknowledged FROM incidents"
        if not include_acknowledged:
            sql += " WHERE acknowledged = 0"
        rows = self.conn.execute(sql + " ORDER BY id").fetchall()
        return [Incident(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def acknowledge_incident(self, incident_id: int) -> None:
        """Mark an incident as seen by a technician."""
        with self.transaction() as conn:
            conn.execute("UPDATE incidents SET acknowledged = 1 WHERE id = ?", (incident_id,))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.DatabaseError(f"cannot switch {path} to WAL (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # purged ciphertext is overwritten, not left
    return conn


def _check_and_migrate(conn: sqlite3.Connection) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {result}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"schema version {version} is newer than this kiosk's")
    if version < SCHEMA_VERSION:
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def quarantine(path: Path, reason: str) -> Path:
    """Move a damaged database file (and its -wal/-shm) aside; return the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.rename(target.with_name(target.name + suffix))
    log.error("offline database %s is damaged (%s); moved aside to %s", path, reason, target)
    return target


def open_database(path: Path) -> OfflineDatabase:
    """Open (or create) the kiosk database; quarantine a damaged file and start fresh."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path)
        _check_and_migrate(conn)
        return OfflineDatabase(path, conn)
    except sqlite3.DatabaseError as err:
        if conn is not None:
            conn.close()
        reason = str(err)
        moved = quarantine(path, reason)
    conn = _connect(path)
    _check_and_migrate(conn)
    fresh = OfflineDatabase(path, conn)
    with fresh.transaction() as tx:
        tx.execute(
            "INSERT INTO incidents (kind, detail, created_at) VALUES ('quarantine', ?, ?)",
            (f"damaged database moved to {moved.name}: {reason}", utc_now()),
        )
    return fresh
