"""Payment fixtures: the real journal (the terminal line is in tests/fixtures/terminal.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import open_database
from offline_cache.journal import Journal


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """The real payment journal on a fresh database file."""
    database = open_database(tmp_path / "kiosk.db")
    yield Journal(database, RecordCipher(load_or_create_key(tmp_path / "kiosk.key")))
    database.close()
