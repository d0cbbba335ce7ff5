"""What this kiosk keeps to reprint its receipts later: the receipt itself, encrypted.

One row per receipt issued (payment or request), for ``window_days``: the receipt as JSON
(``drivers.printer.receipt.Receipt``) and its check (the card's last four digits for a
payment, the case number for a request) sealed together with AES-GCM and bound to the row.
The row is found by SHA-256 of the QR's key or of the printed reference (plain hashes: they
only index, the check is what proves), so the file holds no readable receipt. Older rows
are dropped as new ones are written. Receipts from other kiosks come from the API.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase

TABLE = "receipt_copies"


def reference_hash(reference: str) -> str:
    """Index a reference as typed or scanned (case, spaces and dashes do not matter)."""
    compact = re.sub(r"[^A-Za-z0-9]", "", reference).upper()
    return hashlib.sha256(compact.encode()).hexdigest()


@dataclass(frozen=True)
class StoredCopy:
    """A receipt this kiosk issued, as it was printed."""

    kind: str
    receipt_json: str
    check: str  # last four card digits (payment) or case number (request); "" if none
    created_at: datetime


class ReceiptCopies:
    """The ``receipt_copies`` table of the kiosk's database."""

    def __init__(self, database: OfflineDatabase, cipher: RecordCipher, *,
                 window_days: int = 90) -> None:
        self._database, self._cipher, self.window_days = database, cipher, window_days

    def record(self, kind: str, qr_key: str, printed_reference: str, receipt_json: str,
               check: str) -> int:
        """Keep one issued receipt (and drop those past the window) in one transaction."""
        now = datetime.now(UTC)
        with self._database.transaction() as tx:
            tx.execute(f"DELETE FROM {TABLE} WHERE created_at < ?",
                       ((now - timedelta(days=self.window_days)).isoformat(),))
            row_id = int(tx.execute(
                f"INSERT INTO {TABLE} (kind, qr_key, printed_reference, private, created_at)"
                " VALUES (?, ?, ?, x'', ?)",
                (kind, reference_hash(qr_key), reference_hash(printed_reference),
                 now.isoformat())).lastrowid or 0)
            sealed = self._cipher.seal(TABLE, row_id, {"receipt": receipt_json,
                                                       "check": check})
            tx.execute(f"UPDATE {TABLE} SET private = ? WHERE id = ?", (sealed, row_id))
        return row_id

    def find(self, reference: str) -> StoredCopy | None:
        """The newest receipt whose QR key or printed reference is ``reference``."""
        digest = reference_hash(reference)
        with self._database.reading() as conn:
            row = conn.execute(
                f"SELECT id, kind, private, created_at FROM {TABLE}"
                " WHERE qr_key = ? OR printed_reference = ? ORDER BY id DESC LIMIT 1",
                (digest, digest)).fetchone()
        if row is None:
            return None
        opened = self._cipher.open(TABLE, int(row[0]), bytes(row[2]))
        return StoredCopy(str(row[1]), str(opened["receipt"]), str(opened["check"]),
                          datetime.fromisoformat(str(row[3])))
