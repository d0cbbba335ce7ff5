"""Open the kiosk's SQLite file durably, and quarantine it if it is damaged.

One file holds the journal, the outbox and the catalog cache. It runs in WAL mode with
``synchronous=FULL``: every commit is on disk before it returns, which the money journal
needs (a transition must be durable before the side effect it announces). The other tables
share the file and so the setting; their writes are rare enough that it costs nothing.

The file may hold money, so it is given up only on proof of corruption: SQLite says it is
not a database or is malformed, or ``PRAGMA integrity_check`` fails. Then the rows that can
still be read of open sales, undelivered uploads and requests are salvaged into a fresh file
(:mod:`offline_cache.salvage`), the damaged one is *moved aside* (``kiosk.db.corrupt-<UTC
time>``, with its -wal/-shm; never deleted) and the fresh one takes its place. The move and
the salvage are logged and recorded in the ``incidents`` table.

Every other failure to open (read-only file or folder, I/O error, full disk, locked by
another process, a schema newer than this code after a software rollback) raises
:class:`~offline_cache.errors.StoreUnavailable`: the kiosk goes out of service and never
starts on an empty journal over one that may hold money. A data folder is used by one
process at a time (:func:`lock_data_dir`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from offline_cache.errors import StoreUnavailable
from offline_cache.salvage import salvage_into
from offline_cache.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# Below this, a journal write may fail half-way through a citizen's payment: refuse to open.
MIN_FREE_BYTES = 1 << 20



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


def record_incident(tx: sqlite3.Connection, kind: str, detail: str) -> None:
    """Note something a technician must see, inside the caller's transaction (no personal data)."""
    tx.execute("INSERT INTO incidents (kind, detail, created_at) VALUES (?, ?, ?)",
               (kind, detail, utc_now()))


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


CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def is_corruption(err: BaseException) -> bool:
    """Tell proven corruption (salvage) from any other failure (out of service, file kept).

    Extended codes (SQLITE_CORRUPT_INDEX = 779 ...) carry the primary code in the low byte.
    """
    code = getattr(err, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in CORRUPTION_CODES


class _Corrupt(Exception):
    """Proof that the file is damaged (not merely unreadable right now)."""


def _check_and_migrate(conn: sqlite3.Connection) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        full = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if full != "ok":
            raise _Corrupt(f"integrity_check: {full}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(f"schema version {version} is newer than this kiosk's "
                               f"({SCHEMA_VERSION}): install the newer software again",
                               reason="newer_schema")
    if version < SCHEMA_VERSION:
        fresh = not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'payments'").fetchone()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split(SCHEMA):
                conn.execute(statement)
            if not fresh:  # an older file: bring its existing tables up to date
                for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[step]:
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _check_folder(folder: Path) -> None:
    """Refuse a read-only or nearly full filesystem before SQLite fails half-way."""
    stat = os.statvfs(folder)
    if stat.f_flag & os.ST_RDONLY:
        raise StoreUnavailable(f"{folder} is on a read-only filesystem", reason="read_only")
    free = stat.f_bavail * stat.f_frsize
    if free < MIN_FREE_BYTES:
        raise StoreUnavailable(f"{folder}: only {free} bytes free (need {MIN_FREE_BYTES})",
                               reason="disk_full")


def _split(script: str) -> list[str]:
    """Cut a script into statements (executescript would commit: the upgrade is atomic)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


def unavailable(path: Path, err: BaseException) -> StoreUnavailable:
    """Name the cause for a technician: locked, read-only, disk full, I/O, permissions."""
    code = getattr(err, "sqlite_errorcode", None)
    reasons = {sqlite3.SQLITE_BUSY: "locked", sqlite3.SQLITE_LOCKED: "locked",
               sqlite3.SQLITE_READONLY: "read_only", sqlite3.SQLITE_FULL: "disk_full",
               sqlite3.SQLITE_IOERR: "io_error", sqlite3.SQLITE_CANTOPEN: "cannot_open",
               sqlite3.SQLITE_PERM: "permission"}
    reason = reasons.get(code & 0xFF if isinstance(code, int) else -1, "cannot_open")
    if isinstance(err, OSError):
        reason = {28: "disk_full", 30: "read_only", 13: "permission"}.get(err.errno or 0,
                                                                          "io_error")
    return StoreUnavailable(f"{path}: {err}", reason=reason)


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
    """Open (or create) the kiosk database; salvage and replace only a corrupt file.

    Raises StoreUnavailable for anything that is not proven corruption.
    """
    conn: sqlite3.Connection | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_folder(path.parent)
        conn = _connect(path)
        _check_and_migrate(conn)
        return OfflineDatabase(path, conn)
    except StoreUnavailable:
        if conn is not None:
            conn.close()
        raise
    except (_Corrupt, sqlite3.DatabaseError, OSError) as err:
        if conn is not None:
            conn.close()
        if not isinstance(err, _Corrupt) and not is_corruption(err):
            raise unavailable(path, err) from err
        reason = str(err)
    return _replace_corrupt(path, reason)


def _replace_corrupt(path: Path, reason: str) -> OfflineDatabase:
    """Salvage into a new file beside the damaged one, then swap them (damaged kept)."""
    fresh_path = path.with_name(path.name + ".salvage")
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            fresh_path.with_name(fresh_path.name + suffix).unlink()
    try:
        conn = _connect(fresh_path)
        _check_and_migrate(conn)
        report = salvage_into(path, conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        moved = quarantine(path, reason)
        for suffix in ("", "-wal", "-shm"):
            part = fresh_path.with_name(fresh_path.name + suffix)
            if part.exists():
                part.rename(path.with_name(path.name + suffix))
        conn = _connect(path)
    except (sqlite3.DatabaseError, OSError) as err:
        # Nothing was moved unless the swap itself failed half-way; either way, no empty
        # journal is served: the kiosk stays out of service with the damaged file kept.
        raise unavailable(path, err) from err
    fresh = OfflineDatabase(path, conn)
    with fresh.transaction() as tx:
        record_incident(tx, "quarantine",
                        f"damaged database moved to {moved.name}: {reason}; {report.summary()}")
    return fresh
