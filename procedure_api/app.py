"""Build the FastAPI application: state, routers, error handlers."""

from __future__ import annotations

from fastapi import FastAPI

from procedure_api import VERSION
from procedure_api.body_limit import BodySizeLimit
from procedure_api.config import ServerConfig
from procedure_api.db import Database
from procedure_api.errors import install_handlers
from procedure_api.idempotency import purge_expired
from procedure_api.routers import (
    ERRORS,
    assistance,
    cases,
    catalog,
    closes,
    consents,
    debts,
    eid,
    fleet,
    kiosks,
    payments,
    public,
    receipts,
    telemetry,
)
from procedure_api.state import ServerState


def create_app(config: ServerConfig, db: Database | None = None) -> FastAPI:
    """Create the app over ``config.db_path`` (or an open database) with every router."""
    app = FastAPI(
        title="Central procedure API",
        version=VERSION,
        description="Contract between municipal self-service kiosks and the municipality.",
        servers=[{"url": "/"}],
    )
    state = ServerState(config=config, db=db or Database(config.db_path))
    purge_expired(state)
    app.state.server = state
    install_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    app.include_router(public.router, responses=ERRORS)
    for module in (kiosks, assistance, closes, payments, catalog, consents):
        app.include_router(module.router, responses=ERRORS)
        app.include_router(module.staff, responses=ERRORS)
    for module in (debts, cases, eid, telemetry, receipts):
        app.include_router(module.router, responses=ERRORS)
    app.include_router(fleet.staff, responses=ERRORS)
    app.include_router(telemetry.staff, responses=ERRORS)
    return app
