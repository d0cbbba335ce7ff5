"""The real reference API server as a subprocess on a free loopback port, for tests.

``ApiServer`` starts ``python -m procedure_api serve`` with its own SQLite file and the demo
seed, waits until /v1/health answers, and can ``stop()``, ``kill()`` (crash) and
``start()`` again on the same port and database. ``enrol()`` makes a kiosk token with a
fresh one-time code (through the staff API); ``client()`` builds a ready ``ApiClient``.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from kiosk.api import ApiClient
from tests.rig.net import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ApiServer:
    """One reference server process; its database survives stop/start."""

    workdir: Path
    eid_ca: Path | None = None
    nonce_ttl_s: float = 120.0
    extra_args: list[str] = field(default_factory=list)
    tls: tuple[Path, Path] | None = None  # (certificate PEM, key PEM): serve HTTPS
    port: int = field(default_factory=free_port)
    staff_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    process: subprocess.Popen[bytes] | None = None

    @property
    def db_path(self) -> Path:
        return self.workdir / "procedure_api.db"

    @property
    def log_path(self) -> Path:
        return self.workdir / "procedure_api.log"

    @property
    def root_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def start(self, timeout: float = 30.0) -> None:
        """Start the server (again) and wait until it answers /v1/health."""
        if self.process is not None and self.process.poll() is None:
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, "-m", "procedure_api", "serve", "--db", str(self.db_path),
                "--host", "127.0.0.1", "--port", str(self.port), "--seed", "demo",
                "--nonce-ttl", str(self.nonce_ttl_s), "--log-level", "warning"]
        if self.eid_ca is not None:
            args += ["--eid-ca", str(self.eid_ca)]
        if self.tls is not None:
            args += ["--ssl-certfile", str(self.tls[0]), "--ssl-keyfile", str(self.tls[1])]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT),
               "PROCEDURE_API_STAFF_TOKEN": self.staff_token}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(args + self.extra_args, cwd=PROJECT_ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"procedure_api exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.base_url}/health", timeout=1, verify=self._verify).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        self.kill()
        raise TimeoutError(f"procedure_api not ready after {timeout}s")

    @property
    def _verify(self) -> str | bool:
        return str(self.tls[0]) if self.tls else True

    def stop(self) -> None:
        """Shut the server down gracefully (SIGTERM), like a maintenance restart."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), like a crash or power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def restart(self) -> None:
        """Stop and start again on the same port and database."""
        self.stop()
        self.start()

    def staff(self, method: str, path: str, json: dict[str, Any] | None = None) -> Any:
        """Call a staff endpoint (``path`` after /v1) and return its JSON; raise on error."""
        response = requests.request(method, self.base_url + path, json=json, timeout=10,
                                    headers={"Authorization": f"Bearer {self.staff_token}"},
                                    verify=self._verify)
        response.raise_for_status()
        return response.json()

    def new_enrolment_code(self, kiosk_id: str) -> str:
        """Issue a one-time enrolment code for ``kiosk_id`` through the staff API."""
        return str(self.staff("POST", "/staff/enrolment-codes", {"kiosk_id": kiosk_id})["code"])

    def enrol(self, kiosk_id: str | None = None) -> str:
        """Enrol a kiosk with a fresh code issued for it and return its token."""
        kiosk_id = kiosk_id or f"kiosk-{secrets.token_hex(4)}"
        response = requests.post(f"{self.base_url}/enrolments", timeout=10, json={
            "code": self.new_enrolment_code(kiosk_id), "kiosk_id": kiosk_id},
            verify=self._verify)
        response.raise_for_status()
        return str(response.json()["token"])

    def revoke(self, kiosk_id: str) -> None:
        """Revoke a kiosk through the staff API."""
        self.staff("POST", f"/staff/kiosks/{kiosk_id}/revocation")

    def client(self, token: str | None = None, **overrides: Any) -> ApiClient:
        """A client with short test timeouts; ``overrides`` go to ``ApiClient``."""
        options: dict[str, Any] = {"connect_timeout_s": 2.0, "read_timeout_s": 5.0,
                                   "retries": 1, "backoff_s": 0.05, **overrides}
        return ApiClient(self.base_url, token=token, **options)


@dataclass(frozen=True)
class EnrolledKiosk:
    """What most API tests need: where the server is, a kiosk token, and a client maker."""

    base_url: str
    kiosk_id: str
    token: str
    client: Callable[..., ApiClient]
    server: ApiServer


def enrol_kiosk(server: ApiServer, kiosk_id: str | None = None) -> EnrolledKiosk:
    """Enrol a new kiosk on ``server`` and return its credentials and client factory."""
    kiosk_id = kiosk_id or f"kiosk-{secrets.token_hex(4)}"
    token = server.enrol(kiosk_id)
    return EnrolledKiosk(server.base_url, kiosk_id, token,
                         lambda **kw: server.client(token, **kw), server)


@contextmanager
def running_api_server(workdir: Path, **options: Any) -> Iterator[ApiServer]:
    """Run a server for the duration of a ``with`` block (``options`` go to ApiServer)."""
    server = ApiServer(workdir, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()
