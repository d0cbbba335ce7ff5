"""Carry the money out of a damaged database file into a fresh one.

A file that fails ``PRAGMA integrity_check`` may still hold open sales and payments not yet
delivered. Before it is moved aside, every row that can still be read of the tables that
carry money or a citizen's request is copied into the new file, with the same ids: the
encrypted columns use the row id as associated data, and payment tickets are derived from
it, so an id must never change nor be given out again. Rows already settled (synced,
declined, cancelled, delivered) are not copied: the server has them, or they carry nothing.

The damaged file is read from a copy (with its -wal), never written.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# table -> the rows worth carrying over (SQL condition)
KEPT_ROWS = {
    "payments": "state NOT IN ('synced', 'declined')",
    "submissions": "state NOT IN ('synced', 'cancelled')",
    "outbox": "state IN ('pending', 'parked')",
    "incidents": "1",
}
ROWID_PROBE_LIMIT = 200_000  # when a table cannot be scanned, probe ids up to this


@dataclass
class SalvageReport:
    """What was carried over, and what could not be read (for the incident)."""

    copied: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the technician's incident."""
        copied = ", ".join(f"{n} {t}" for t, n in self.copied.items()) or "nothing"
        text = f"salvaged {copied}"
        return text + (f"; unreadable: {', '.join(self.unreadable)}" if self.unreadable else "")


def salvage_into(damaged: Path, fresh: sqlite3.Connection) -> SalvageReport:
    """Copy the readable open rows of ``damaged`` into ``fresh`` (same schema, same ids)."""
    report = SalvageReport()
    with tempfile.TemporaryDirectory(prefix="kiosk-salvage-") as folder:
        copy = Path(folder) / damaged.name
        for suffix in ("", "-wal"):
            part = damaged.with_name(damaged.name + suffix)
            if part.exists():
                shutil.copyfile(part, copy.with_name(copy.name + suffix))
        try:
            source = sqlite3.connect(copy, isolation_level=None)
        except sqlite3.DatabaseError as err:
            report.unreadable.append(f"whole file ({err})")
            return report
        with contextlib.closing(source):
            sequences = _sequences(source)
            fresh.execute("BEGIN IMMEDIATE")
            try:
                for table, condition in KEPT_ROWS.items():
                    _copy_table(source, fresh, table, condition, report)
                _keep_sequences(fresh, sequences)
            except BaseException:
                fresh.execute("ROLLBACK")
                raise
            fresh.execute("COMMIT")
    log.warning("salvage of %s: %s", damaged.name, report.summary())
    return report


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _readable_rows(source: sqlite3.Connection, table: str,
                   condition: str) -> tuple[list[tuple[object, ...]], bool]:
    """Return the rows that can be read, and whether the table had unreadable parts."""
    try:
        return source.execute(f"SELECT * FROM {table} WHERE {condition}").fetchall(), False
    except sqlite3.DatabaseError:
        pass
    rows: list[tuple[object, ...]] = []
    damaged = True  # the scan failed: some rows may be past saving, say so
    top = _max_id(source, table)
    for row_id in range(1, top + 1):
        try:
            row = source.execute(f"SELECT * FROM {table} WHERE id = ? AND ({condition})",
                                 (row_id,)).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            rows.append(row)
    return rows, damaged


def _max_id(source: sqlite3.Connection, table: str) -> int:
    """The highest id the table gave out, or the probe limit when even that is unreadable."""
    try:
        row = source.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                             (table,)).fetchone()
    except sqlite3.DatabaseError:
        return ROWID_PROBE_LIMIT
    return 0 if row is None else min(int(row[0]), ROWID_PROBE_LIMIT)


def _copy_table(source: sqlite3.Connection, fresh: sqlite3.Connection, table: str,
                condition: str, report: SalvageReport) -> None:
    try:
        source_columns = _columns(source, table)
    except sqlite3.DatabaseError:
        report.unreadable.append(table)
        return
    columns = [c for c in _columns(fresh, table) if c in source_columns]
    if not source_columns:
        return  # an old file without this table
    rows, damaged = _readable_rows(source, table, condition)
    if damaged:
        report.unreadable.append(table)
    picks = [source_columns.index(c) for c in columns]
    names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
    for row in rows:
        fresh.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})",
                      [row[i] for i in picks])
    report.copied[table] = len(rows)


def _sequences(source: sqlite3.Connection) -> dict[str, int]:
    """The highest id each table ever gave out (tickets are derived from payment ids)."""
    found: dict[str, int] = {}
    with contextlib.suppress(sqlite3.DatabaseError):
        found.update({str(n): int(s) for n, s in
                      source.execute("SELECT name, seq FROM sqlite_sequence")})
    for table in KEPT_ROWS:
        with contextlib.suppress(sqlite3.DatabaseError):
            top = source.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            if top is not None:
                found[table] = max(found.get(table, 0), int(top))
    return found


def _keep_sequences(fresh: sqlite3.Connection, sequences: dict[str, int]) -> None:
    """Make the fresh file continue the old numbering, so no id (or ticket) is reused."""
    for table, seq in sequences.items():
        if table not in KEPT_ROWS:
            continue
        current = fresh.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                                (table,)).fetchone()
        if current is None:
            fresh.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, seq))
        elif int(current[0]) < seq:
            fresh.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq, table))
