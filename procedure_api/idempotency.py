"""Idempotency-Key handling: replay the first response, reject a reused key, forget late.

Keys are scoped per kiosk. The first request with a key runs and its response is stored in
the same transaction as its effect, so a crash cannot leave an effect without its key. The
same key with the same body (and endpoint) returns that stored response; with a different
body it is a 409 ``idempotency_conflict``. Keys are kept ``idempotency_retention_days``
(90 by default): a kiosk can be offline for a long weekend or a broken network for weeks,
and a key forgotten before its last resend would let that resend pay twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from procedure_api.db import iso
from procedure_api.errors import ApiProblem
from procedure_api.state import ServerState

log = logging.getLogger(__name__)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9._:-]{8,128}$",
        description="Unique per operation; resending it returns the first response.",
    ),
]
Action = Callable[[sqlite3.Connection], tuple[int, dict[str, Any]]]


def body_fingerprint(endpoint: str, body: BaseModel) -> str:
    """Hash the endpoint and the validated body (key order and spacing do not matter)."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{endpoint}\n{canonical}".encode()).hexdigest()


def run_once(
    state: ServerState, kiosk_id: str, key: str, endpoint: str, body: BaseModel, action: Action
) -> JSONResponse:
    """Run ``action`` once per (kiosk, key); replay its stored response afterwards."""
    fingerprint = body_fingerprint(endpoint, body)
    now = state.config.clock()
    with state.db.transaction() as conn:
        row = conn.execute(
            "SELECT body_hash, status, response FROM idempotency_keys"
            " WHERE kiosk_id = ? AND key = ?",
            (kiosk_id, key),
        ).fetchone()
        if row is not None:
            if row["body_hash"] != fingerprint:
                log.warning("idempotency conflict on %s from kiosk %s", endpoint, kiosk_id)
                raise ApiProblem(409, "idempotency_conflict")
            return JSONResponse(
                json.loads(row["response"]),
                status_code=row["status"],
                headers={"Idempotent-Replayed": "true"},
            )
        status, response = action(conn)
        conn.execute(
            "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kiosk_id, key, endpoint, fingerprint, status, json.dumps(response), iso(now)),
        )
        _forget_expired(conn, state, now)
    return JSONResponse(response, status_code=status)


def _forget_expired(conn: sqlite3.Connection, state: ServerState, now: datetime) -> int:
    oldest_kept = now - timedelta(days=state.config.idempotency_retention_days)
    return conn.execute("DELETE FROM idempotency_keys WHERE created_at < ?",
                        (iso(oldest_kept),)).rowcount


def purge_expired(state: ServerState) -> int:
    """Delete keys older than the retention period; return how many went."""
    with state.db.transaction() as conn:
        return _forget_expired(conn, state, state.config.clock())
