"""The reference API served over loopback HTTP from this process, on a clock the test moves.

Expiry and lockout windows last hours and minutes; rather than sleep, a test runs the real
app (``create_app`` under uvicorn, the same stack ``python -m procedure_api serve`` runs)
in a thread with an injected clock, and advances that clock between requests.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import uvicorn

from kiosk.simulated.net import free_port
from procedure_api.app import create_app
from procedure_api.config import ServerConfig
from procedure_api.db import Database
from procedure_api.seed import seed_demo


class Clock:
    """A settable clock for ``ServerConfig.clock``."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class ClockedServer:
    """Where the in-process server listens, and how to call its staff API."""

    base_url: str
    staff_token: str
    clock: Clock

    def staff(self, method: str, path: str, json: dict[str, Any] | None = None) -> Any:
        """Call a staff endpoint (``path`` after /v1) and return its JSON; raise on error."""
        response = requests.request(method, self.base_url + path, json=json, timeout=10,
                                    headers={"Authorization": f"Bearer {self.staff_token}"})
        response.raise_for_status()
        return response.json()


@contextmanager
def clocked_api_server(workdir: Path, *, seed: bool = False,
                       **config: Any) -> Iterator[ClockedServer]:
    """Serve a fresh database on a free port; ``config`` goes to ``ServerConfig``.

    ``seed``: load the demo municipality (citizens, debts), as ``serve --seed demo`` does.
    """
    clock, token = Clock(), secrets.token_urlsafe(16)
    settings = ServerConfig(db_path=workdir / "clocked-api.db", staff_token=token, clock=clock,
                            **config)
    db, port = Database(settings.db_path), free_port()
    if seed:
        seed_demo(db)
    server = uvicorn.Server(uvicorn.Config(
        create_app(settings, db), host="127.0.0.1", port=port, log_level="warning",
        proxy_headers=False))
    thread = threading.Thread(target=server.run, name="clocked-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the in-process procedure API did not start")
        time.sleep(0.02)
    try:
        yield ClockedServer(f"http://127.0.0.1:{port}/v1", token, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.close()
