"""``kiosk doctor`` lines for the offline cache: key file, database, incidents, queue.

Read-only: the database is opened with ``mode=ro`` so a diagnosis never quarantines or
migrates anything (the kiosk does that when it starts).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from common.diagnosis import Diagnosis
from offline_cache.crypto import load_or_create_key
from offline_cache.errors import KeyFileError


def diagnose(database_path: Path, key_path: Path) -> list[Diagnosis]:
    """Check the key file and the offline database; never changes either."""
    return [_key(key_path), *_database(database_path)]


def _key(path: Path) -> Diagnosis:
    if not path.exists():
        return Diagnosis("offline key", True, f"{path} will be created (0600) at first start")
    try:
        load_or_create_key(path)
    except KeyFileError as err:
        return Diagnosis("offline key", False, str(err), action=f"chmod 600 {path}")
    return Diagnosis("offline key", True, f"{path} is private (0600)")


def _database(path: Path) -> list[Diagnosis]:
    if not path.exists():
        return [Diagnosis("offline database", True, f"{path} will be created at first start")]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            incidents = conn.execute(
                "SELECT detail FROM incidents WHERE acknowledged = 0 ORDER BY id").fetchall()
            waiting, parked = conn.execute(
                "SELECT count(*) FILTER (WHERE state = 'pending'),"
                " count(*) FILTER (WHERE state = 'parked') FROM outbox").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as err:
        return [Diagnosis("offline database", False, f"{path} cannot be read ({err})",
                          action="the kiosk will move it aside and start a fresh one")]
    lines = [Diagnosis("offline database", check == "ok", f"{path}: integrity {check}")]
    lines += [Diagnosis("offline incident", False, str(row[0]),
                        action="look at the quarantined file, then acknowledge it")
              for row in incidents]
    lines.append(Diagnosis("offline queue", parked == 0,
                           f"{waiting} waiting, {parked} rejected by the server",
                           action="open the technician queue view", required=False))
    return lines
