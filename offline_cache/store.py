"""Open the offline cache's parts on one database (the composition root passes the paths)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offline_cache.catalog import CatalogCache
from offline_cache.closes import CloseBook
from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.errors import KeyFileError
from offline_cache.journal import Journal
from offline_cache.outbox import Outbox
from offline_cache.receipt_copies import ReceiptCopies
from offline_cache.search import CatalogSearch
from offline_cache.submissions import Submissions


@dataclass(frozen=True)
class OfflineStore:
    """Everything the services use from the offline cache, on one database connection."""

    database: OfflineDatabase
    cipher: RecordCipher
    journal: Journal
    submissions: Submissions
    outbox: Outbox
    catalog: CatalogCache
    search: CatalogSearch
    closes: CloseBook
    receipt_copies: ReceiptCopies

    @classmethod
    def open(cls, database_path: Path, key_path: Path) -> OfflineStore:
        """Open (or create) the store; a proven-corrupt database is salvaged, kept aside.

        Raises StoreUnavailable when the file cannot be opened safely (read-only, full disk,
        a newer schema, locked), so the kiosk shows out of service instead of guessing.
        Raises KeyFileError if the key file is unsafe, or missing while the database holds
        records encrypted with it (a new key would silently make them unreadable).
        """
        database = open_database(database_path)
        if not key_path.exists() and _holds_encrypted_records(database):
            database.close()
            raise KeyFileError(f"key file {key_path} is missing but {database_path} holds"
                               " encrypted records; restore the key file from backup")
        try:
            cipher = RecordCipher(load_or_create_key(key_path))
        except KeyFileError:
            database.close()
            raise
        journal = Journal(database, cipher)
        return cls(
            database=database, cipher=cipher, journal=journal,
            submissions=Submissions(database, cipher), outbox=Outbox(database, cipher),
            catalog=CatalogCache(database), search=CatalogSearch(database),
            closes=CloseBook(database, cipher, journal),
            receipt_copies=ReceiptCopies(database, cipher),
        )

    def close(self) -> None:
        """Close the database connection."""
        self.database.close()


def _holds_encrypted_records(database: OfflineDatabase) -> bool:
    with database.reading() as conn:
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM payments WHERE private IS NOT NULL)"
            " OR EXISTS (SELECT 1 FROM submissions WHERE private IS NOT NULL)"
            " OR EXISTS (SELECT 1 FROM outbox WHERE payload IS NOT NULL)"
            " OR EXISTS (SELECT 1 FROM receipt_copies)"
        ).fetchone()
    return bool(row[0])
