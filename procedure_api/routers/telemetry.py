"""Heartbeats (device states, queue depth, version, last sync) and satisfaction answers.

Staff read the answers as summaries per procedure or per kiosk, so the municipality can
see which service disappoints and why, without ever seeing a single citizen.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from procedure_api.auth import Kiosk, State, require_staff
from procedure_api.db import iso
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.report_schemas import (
    LOW_SCORE,
    HeartbeatAck,
    HeartbeatIn,
    Recorded,
    SatisfactionIn,
)
from procedure_api.staff_schemas import SatisfactionGroup, SatisfactionSummary

router = APIRouter(tags=["telemetry"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])
GROUP_COLUMN = {"procedure": "procedure_id", "kiosk": "kiosk_id"}


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
            "INSERT INTO satisfaction (kiosk_id, score, journey, procedure_id, reason,"
            " received_at) VALUES (?, ?, ?, ?, ?, ?)",
            (kiosk, body.score, body.journey, body.procedure_id, body.reason,
             iso(state.config.clock())))
        return 201, {"status": "recorded"}

    return run_once(state, kiosk, idempotency_key, "satisfaction", body, action)


@staff.get("/v1/staff/satisfaction", response_model=SatisfactionSummary)
def satisfaction_summary(
    state: State,
    by: Annotated[Literal["procedure", "kiosk"], Query()] = "procedure",
) -> SatisfactionSummary:
    """Summarise the answers per procedure or per kiosk: count, mean, low scores by reason."""
    column = GROUP_COLUMN[by]
    with state.db.transaction() as conn:
        rows = conn.execute(f"SELECT {column} AS key, score, reason FROM satisfaction"
                            ).fetchall()
    scores: dict[str | None, list[int]] = {}
    reasons: dict[str | None, Counter[str]] = {}
    for row in rows:
        scores.setdefault(row["key"], []).append(int(row["score"]))
        low = reasons.setdefault(row["key"], Counter())
        if row["score"] <= LOW_SCORE:
            low[row["reason"] or "none"] += 1
    groups = [_group(key, values, reasons[key]) for key, values in scores.items()]
    groups.sort(key=lambda group: (-group.count, group.key or ""))
    return SatisfactionSummary(by=by, groups=groups)


def _group(key: str | None, scores: list[int], low: Counter[str]) -> SatisfactionGroup:
    low_count = sum(low.values())
    return SatisfactionGroup(
        key=key, count=len(scores), mean=round(sum(scores) / len(scores), 2),
        low_count=low_count,
        low_by_reason={reason: round(n / low_count, 3) for reason, n in sorted(low.items())})
