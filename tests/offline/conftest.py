"""Fixtures for the offline cache: a real database file and key file in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.journal import Journal
from offline_cache.outbox import Outbox
from offline_cache.submissions import Submissions


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
