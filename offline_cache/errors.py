"""The offline cache's one exception hierarchy.

Exception tree::

    OfflineCacheError            base of every offline-cache failure (message_key for the UI)
    ├── IllegalTransition        a journal row was asked to move along an edge its machine lacks
    ├── UnknownRecord            no payment / submission / outbox item with that number
    ├── RecordTampered           an encrypted record failed authentication (flipped byte, moved row)
    ├── KeyFileError             the key file is missing, unreadable or readable by others
    ├── StoreUnavailable         the database cannot be opened safely now (locked, read-only,
    │                            disk full, I/O error, newer schema): out of service
    └── CatalogUnavailable       no catalog cached yet and the API cannot be reached
"""

from __future__ import annotations


class OfflineCacheError(Exception):
    """Base of every offline-cache failure; ``message_key`` is the plain text for the UI."""

    message_key = "The kiosk cannot complete this step right now. Please ask for assistance."

    def __init__(self, log_text: str, message_key: str | None = None) -> None:
        super().__init__(log_text)
        if message_key is not None:
            self.message_key = message_key


class IllegalTransition(OfflineCacheError):
    """A state change the journal's machine does not allow (a bug or a replayed action)."""

    def __init__(self, table: str, row: int, state: str, event: str) -> None:
        super().__init__(f"{table} {row}: '{event}' is not allowed in state '{state}'")
        self.table, self.row, self.state, self.event = table, row, state, event


class UnknownRecord(OfflineCacheError):
    """The journal holds no row with that number."""


class RecordTampered(OfflineCacheError):
    """An encrypted record does not authenticate: it was altered or moved to another row."""

    message_key = "Some stored data is damaged. Please call an assistant."


class KeyFileError(OfflineCacheError):
    """The data key cannot be used safely (unreadable, wrong size or readable by others)."""

    message_key = "The kiosk is not configured safely. Please call an assistant."


class CatalogUnavailable(OfflineCacheError):
    """No catalog is cached and the central service cannot be reached."""

    message_key = "The list of procedures is not available right now."


class StoreUnavailable(OfflineCacheError):
    """The journal cannot be opened safely now; serving anyone would risk money.

    ``reason`` is a short code for technicians and the out-of-service screen
    (``locked``, ``in_use``, ``read_only``, ``disk_full``, ``io_error``, ``permission``,
    ``cannot_open``, ``newer_schema``).
    """

    message_key = ("This kiosk is out of service right now. Please use another kiosk or ask "
                   "at the desk.")

    def __init__(self, log_text: str, reason: str) -> None:
        super().__init__(log_text)
        self.reason = reason
