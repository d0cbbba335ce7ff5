"""What the routers share for one server process: config, database, catalog snapshot."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from procedure_api.config import ServerConfig
from procedure_api.db import Database


@dataclass
class CatalogSnapshot:
    """The catalog as served: body bytes and their ETag, computed once per change."""

    etag: str
    body: bytes


@dataclass
class ServerState:
    config: ServerConfig
    db: Database
    _catalog: CatalogSnapshot | None = field(default=None, repr=False)

    def catalog(self) -> CatalogSnapshot:
        """Return the catalog snapshot, building it from the database on first use."""
        if self._catalog is None:
            self._catalog = build_catalog_snapshot(self.db)
        return self._catalog

    def catalog_changed(self) -> None:
        """Forget the snapshot: staff changed a procedure (a new version and ETag follow)."""
        self._catalog = None



def build_catalog_snapshot(db: Database) -> CatalogSnapshot:
    """Serialise categories and procedures; the version is a hash of their content."""
    with db.transaction() as conn:
        categories = [json.loads(r[0]) for r in conn.execute(
            "SELECT data FROM categories ORDER BY position")]
        procedures = [data for r in conn.execute("SELECT data FROM procedures ORDER BY position")
                      if not (data := json.loads(r[0])).get("withdrawn")]
    content: dict[str, Any] = {"categories": categories, "procedures": procedures}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    version = hashlib.sha256(canonical).hexdigest()[:16]
    body = json.dumps({"version": version, **content}, ensure_ascii=False).encode()
    return CatalogSnapshot(etag=f'"{version}"', body=body)


def server_state(request: Request) -> ServerState:
    """Return the process's shared state (a FastAPI dependency)."""
    state: ServerState = request.app.state.server
    return state
