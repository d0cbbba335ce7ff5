"""Heartbeats (device states, queue depth, version, last sync) and satisfaction answers."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter

from procedure_api.auth import Kiosk, State
from procedure_api.db import iso
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.schemas import HeartbeatAck, HeartbeatIn, Recorded, SatisfactionIn

router = APIRouter(tags=["telemetry"])


@router.post("/v1/heartbeats", response_model=HeartbeatAck)
def heartbeat(body: HeartbeatIn, state: State, kiosk: Kiosk) -> HeartbeatAck:
    """Record the kiosk's health report; answer with the server time (clock drift check)."""
    now = iso(state.config.clock())
    with state.db.transaction() as conn:
        conn.execute("INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES (?, ?, ?)",
                     (kiosk, now, body.model_dump_json()))
    return HeartbeatAck(status="ok", server_time=now)


@router.post("/v1/satisfaction", response_model=Recorded, status_code=201)
def satisfaction(
    body: SatisfactionIn, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Record a one-question survey answer once, even if the outbox resends it."""

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        conn.execute(
            "INSERT INTO satisfaction (kiosk_id, score, journey, received_at) VALUES (?, ?, ?, ?)",
            (kiosk, body.score, body.journey, iso(state.config.clock())))
        return 201, {"status": "recorded"}

    return run_once(state, kiosk, idempotency_key, "satisfaction", body, action)
