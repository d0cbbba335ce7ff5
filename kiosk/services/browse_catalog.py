"""What the browsing screens read: categories, procedures and search over the catalog.

The screens see only :class:`BrowseCatalog`. :class:`OfflineBrowseCatalog` implements it
over the offline cache (the last ``GET /v1/catalog`` answer and its search index), so
browsing works the same with or without a connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from offline_cache.catalog import CatalogCache
from offline_cache.search import CatalogSearch

log = logging.getLogger(__name__)

Localized = dict[str, str]


def pick(text: dict[str, Any], language: str) -> Any:
    """Choose ``language`` from a localized value, falling back to Spanish then any."""
    if language in text:
        return text[language]
    if "es" in text:
        return text["es"]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class Category:
    """A group of procedures on the browse screen."""

    id: str
    title: Localized
    description: Localized


@dataclass(frozen=True)
class Procedure:
    """One procedure as the citizen reads it before starting."""

    id: str
    category_id: str
    title: Localized
    description: Localized
    what_you_get: Localized
    requirements: dict[str, list[str]]
    fee_kind: str  # "fixed" | "lookup" | "free"
    amount_cents: int | None
    identity_level: str
    estimated_time: Localized
    office: Localized
    keywords: dict[str, list[str]]


class BrowseCatalog(Protocol):
    """The catalog as the screens need it."""

    def categories(self) -> list[Category]:
        """List every category, in catalog order."""
        ...

    def procedures(self, category_id: str | None = None) -> list[Procedure]:
        """List the procedures of one category (all when ``None``), in catalog order."""
        ...

    def procedure(self, procedure_id: str) -> Procedure:
        """Return one procedure; raise KeyError when the catalog has no such id."""
        ...

    def search(self, text: str, language: str, limit: int = 8) -> list[Procedure]:
        """Rank procedures matching ``text`` (typos and missing accents forgiven)."""
        ...


def _procedure(data: dict[str, Any]) -> Procedure:
    fee = data.get("fee") or {}
    return Procedure(
        id=str(data["id"]), category_id=str(data["category_id"]),
        title=dict(data["title"]), description=dict(data.get("description") or {}),
        what_you_get=dict(data.get("what_you_get") or {}),
        requirements={k: list(v) for k, v in (data.get("requirements") or {}).items()},
        fee_kind=str(fee.get("kind", "free")), amount_cents=fee.get("amount_cents"),
        identity_level=str(data.get("identity_level", "none")),
        estimated_time=dict(data.get("estimated_time") or {}),
        office=dict(data.get("office") or {}),
        keywords={k: list(v) for k, v in (data.get("keywords") or {}).items()},
    )


class OfflineBrowseCatalog:
    """:class:`BrowseCatalog` over the offline cache's last catalog and its search index.

    The cached document is read once and kept in memory (it is small); :meth:`reload`
    re-reads it after the sync worker stored a newer catalog.
    """

    def __init__(self, cache: CatalogCache, search: CatalogSearch) -> None:
        self._cache = cache
        self._search = search
        self.version = ""
        self._categories: list[Category] = []
        self._procedures: list[Procedure] = []
        self._by_id: dict[str, Procedure] = {}
        self.reload()

    def reload(self) -> None:
        """Read the cached catalog (empty when the kiosk never received one)."""
        cached = self._cache.cached()
        document: dict[str, Any] = cached.body if cached is not None else {}
        if cached is None:
            log.warning("no catalog cached yet; browsing shows nothing until the first sync")
        self.version = str(document.get("version", ""))
        self._categories = [
            Category(str(c["id"]), dict(c["title"]), dict(c.get("description") or {}))
            for c in document.get("categories", [])
        ]
        self._procedures = [_procedure(p) for p in document.get("procedures", [])]
        self._by_id = {p.id: p for p in self._procedures}

    def categories(self) -> list[Category]:
        """List every category that has at least one procedure."""
        used = {p.category_id for p in self._procedures}
        return [c for c in self._categories if c.id in used]

    def procedures(self, category_id: str | None = None) -> list[Procedure]:
        """List the procedures of one category (all when ``None``)."""
        return [p for p in self._procedures if category_id in (None, p.category_id)]

    def procedure(self, procedure_id: str) -> Procedure:
        """Return one procedure; raise KeyError for an unknown id."""
        return self._by_id[procedure_id]

    def search(self, text: str, language: str, limit: int = 8) -> list[Procedure]:
        """Rank procedures with the offline search index (accents and typos forgiven)."""
        hits = self._search.search(text, language, limit)
        return [self._by_id[hit.procedure_id] for hit in hits if hit.procedure_id in self._by_id]
