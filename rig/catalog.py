"""The catalog the UI tests browse: the reference API's demo catalog, in the offline cache.

``demo_catalog`` is the document the reference server serves (procedure_api's seed data);
``seed_catalog`` stores a document in the kiosk's offline cache as an earlier sync did.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from offline_cache.store import OfflineStore
from procedure_api.catalog_data import CATEGORIES, PROCEDURES


@lru_cache(maxsize=1)
def demo_catalog() -> dict[str, Any]:
    """Return the demo catalog document (``GET /v1/catalog`` shape)."""
    return {"version": "demo", "categories": CATEGORIES, "procedures": PROCEDURES}


def seed_catalog(data_dir: Path, document: dict[str, Any]) -> None:
    """Store ``document`` in the offline cache the app will open (as a past sync did)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = OfflineStore.open(data_dir / "kiosk.db", data_dir / "kiosk.key")
    try:
        store.catalog.store(document, etag='"seeded"')
    finally:
        store.close()
