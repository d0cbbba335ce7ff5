"""Idempotency keys outlive any offline period, then are forgotten (injected clock)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from procedure_api.config import ServerConfig
from procedure_api.db import Database
from procedure_api.errors import ApiProblem
from procedure_api.idempotency import purge_expired, run_once
from procedure_api.state import ServerState


class Body(BaseModel):
    amount: int


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _state(tmp_path: Path, clock: Clock, **options: Any) -> ServerState:
    config = ServerConfig(db_path=tmp_path / "db.sqlite", clock=clock, **options)
    return ServerState(config=config, db=Database(config.db_path))


def _counting_action(calls: list[int]) -> Any:
    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        calls.append(1)
        return 201, {"n": len(calls)}
    return action


def test_default_retention_is_longer_than_thirty_days() -> None:
    assert ServerConfig(db_path=Path("x")).idempotency_retention_days >= 30


def test_key_replays_after_a_long_offline_weekend_and_a_month(tmp_path: Path, clock: Clock) -> None:
    state, calls = _state(tmp_path, clock), []
    first = run_once(state, "k1", "key-0001", "payments", Body(amount=5), _counting_action(calls))
    clock.now += timedelta(days=45)
    purge_expired(state)
    again = run_once(state, "k1", "key-0001", "payments", Body(amount=5), _counting_action(calls))
    assert len(calls) == 1 and json.loads(again.body) == json.loads(first.body)


def test_key_is_forgotten_after_the_retention_period(tmp_path: Path, clock: Clock) -> None:
    state, calls = _state(tmp_path, clock, idempotency_retention_days=30,
                          payment_max_age_days=30), []
    run_once(state, "k1", "key-0002", "payments", Body(amount=5), _counting_action(calls))
    clock.now += timedelta(days=31)
    assert purge_expired(state) == 1
    run_once(state, "k1", "key-0002", "payments", Body(amount=5), _counting_action(calls))
    assert len(calls) == 2


def test_failed_action_does_not_consume_the_key(tmp_path: Path, clock: Clock) -> None:
    state, calls = _state(tmp_path, clock), []

    def failing(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        raise ApiProblem(422, "unknown_procedure")

    with pytest.raises(ApiProblem):
        run_once(state, "k1", "key-0003", "submissions", Body(amount=1), failing)
    run_once(state, "k1", "key-0003", "submissions", Body(amount=1), _counting_action(calls))
    assert calls == [1]
