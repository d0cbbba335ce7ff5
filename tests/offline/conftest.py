"""Fixtures for the offline cache: a real database file and key file in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.journal import Journal
from offline_cache.outbox import Outbox
from offline_cache.submissions import Submissions

# a procedure of the reference API's demo seed that needs no e-ID session, with its form
SUBMISSION_PROCEDURE = "tree_pruning"
SUBMISSION_FORM: dict[str, Any] = {
    "national_number": "85073003361", "address": "Calle Los Aromos 123",
    "details": "Rama grande sobre el cable de la luz",
}


@pytest.fixture
def cipher(tmp_path: Path) -> RecordCipher:
    """A cipher with a fresh 0600 key file."""
    return RecordCipher(load_or_create_key(tmp_path / "kiosk.key"))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[OfflineDatabase]:
    """A fresh kiosk database file."""
    db = open_database(tmp_path / "kiosk.db")
    yield db
    db.close()


@pytest.fixture
def journal(database: OfflineDatabase, cipher: RecordCipher) -> Journal:
    """The payment journal on the fresh database."""
    return Journal(database, cipher)


@pytest.fixture
def submissions(database: OfflineDatabase, cipher: RecordCipher) -> Submissions:
    """The submission journal on the fresh database."""
    return Submissions(database, cipher)


@pytest.fixture
def outbox(database: OfflineDatabase, cipher: RecordCipher) -> Outbox:
    """The outbox on the fresh database."""
    return Outbox(database, cipher)


@pytest.fixture(scope="session")
def valid_submission() -> dict[str, Any]:
    """A procedure id and form the reference API's demo seed accepts."""
    return {"procedure_id": SUBMISSION_PROCEDURE, "form": dict(SUBMISSION_FORM)}
