"""The catalog the UI tests browse, stored in the kiosk's offline cache before start.

It is the reference API's demo catalog when that package is present. Until issue 3's seed
lands: the offline cache's shared fixture procedures (tests/offline/catalog_fixture.py),
which have no categories, plus the category names below. TEMPORARY: deleted with the
fallback when procedure_api is merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offline_cache.store import OfflineStore


def demo_catalog() -> dict[str, Any]:
    """Return the catalog document (``GET /v1/catalog`` shape) the tests use."""
    try:
        from procedure_api.catalog_data import CATEGORIES, PROCEDURES
    except ImportError:
        from tests.offline.catalog_fixture import catalog

        return {**catalog(), "categories": _FALLBACK_CATEGORIES}
    return {"version": "demo", "categories": CATEGORIES, "procedures": PROCEDURES}


def seed_catalog(data_dir: Path, document: dict[str, Any]) -> None:
    """Store ``document`` in the offline cache the app will open (as a past sync did)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = OfflineStore.open(data_dir / "kiosk.db", data_dir / "kiosk.key")
    try:
        store.catalog.store(document, etag='"seeded"')
    finally:
        store.close()


def _category(cid: str, es: str, en: str) -> dict[str, Any]:
    return {"id": cid, "title": {"es": es, "en": en}, "description": {"es": "", "en": ""}}


_FALLBACK_CATEGORIES = [
    _category("housing", "Vivienda y servicios", "Housing and local services"),
    _category("vehicles", "Vehículos y transporte", "Vehicles and transport"),
    _category("business", "Negocios", "Business"),
    _category("legal", "Registro civil y trámites legales", "Legal and civil records"),
    _category("education", "Educación", "Education"),
    _category("benefits", "Ayudas y beneficios", "Benefits"),
    _category("employment", "Empleo y pensiones", "Employment and pensions"),
]
