"""The reference procedure API as a part of the stack, on a loopback port.

``ApiServer`` runs ``python -m procedure_api serve`` with its own SQLite file and the demo
seed, and can ``stop()``, ``kill()`` (crash) and ``start()`` again on the same port and
database. With a staff token it lets tests and benches ``enrol()`` kiosks with fresh
one-time codes; the demo has none and brings its own enrolment codes instead.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from kiosk.api import ApiClient
from kiosk.api_types import Enrolment
from kiosk.enrolment import save_enrolment
from kiosk.simulated.child import ChildProcess, python_module
from kiosk.simulated.net import free_port
from kiosk.simulated.zygote import AdoptedProcess, zygote_for


@dataclass
class ApiServer:
    """One reference server process; its database survives stop/start."""

    workdir: Path
    eid_ca: Path | None = None
    nonce_ttl_s: float = 120.0
    extra_args: list[str] = field(default_factory=list)
    tls: tuple[Path, Path] | None = None  # (certificate PEM, key PEM): serve HTTPS
    port: int = field(default_factory=free_port)
    staff_token: str | None = field(default_factory=lambda: secrets.token_urlsafe(16))
    enrolment_codes: tuple[str, ...] = ()  # one-time codes the server knows from the start
    database: Path | None = None  # default: procedure_api.db in workdir
    _child: ChildProcess | None = field(default=None, init=False, repr=False)

    @property
    def db_path(self) -> Path:
        return self.database or self.workdir / "procedure_api.db"

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

    @property
    def process(self) -> subprocess.Popen[bytes] | AdoptedProcess | None:
        """The running server process (None before the first start)."""
        return None if self._child is None else self._child.process

    def kiosk_settings(self) -> dict[str, Any]:
        """What a kiosk needs to use this server: its URL and where receipts' QR codes point."""
        return {"api": {"url": self.base_url},
                "kiosk": {"verification_url": f"{self.root_url}/verify"}}

    def __enter__(self) -> ApiServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _argv(self) -> list[str]:
        args = ["serve", "--db", str(self.db_path), "--host", "127.0.0.1",
                "--port", str(self.port), "--seed", "demo", "--nonce-ttl", str(self.nonce_ttl_s),
                "--log-level", "warning"]
        if self.eid_ca is not None:
            args += ["--eid-ca", str(self.eid_ca)]
        if self.tls is not None:
            args += ["--ssl-certfile", str(self.tls[0]), "--ssl-keyfile", str(self.tls[1])]
        for code in self.enrolment_codes:
            args += ["--enrolment-code", code]
        return python_module("procedure_api", *args, *self.extra_args)

    def start(self, timeout: float = 30.0) -> None:
        """Start the server (again) and wait until it accepts connections."""
        if self._child is None:
            self.workdir.mkdir(parents=True, exist_ok=True)
            env = {"PROCEDURE_API_STAFF_TOKEN": self.staff_token} if self.staff_token else {}
            self._child = ChildProcess("reference API", self._argv(), self.log_path,
                                       ready_prefix="procedure_api ready", env=env,
                                       zygote=zygote_for("procedure_api"))
        if not self._child.running:
            self._child.start(timeout)

    def stop(self) -> None:
        """Shut the server down gracefully (SIGTERM), like a maintenance restart."""
        if self._child is not None:
            self._child.stop()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), like a crash or power cut."""
        if self._child is not None:
            self._child.kill()

    def restart(self) -> None:
        """Stop and start again on the same port and database."""
        self.stop()
        self.start()

    @property
    def _verify(self) -> str | bool:
        return str(self.tls[0]) if self.tls else True

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

    def enrol_into(self, enrolment_file: Path, kiosk_id: str | None = None) -> EnrolledKiosk:
        """Enrol a kiosk and save its enrolment where that kiosk will read it."""
        kiosk = enrol_kiosk(self, kiosk_id)
        save_enrolment(enrolment_file, Enrolment(kiosk_id=kiosk.kiosk_id, token=kiosk.token))
        return kiosk

    def revoke(self, kiosk_id: str) -> None:
        """Revoke a kiosk through the staff API."""
        self.staff("POST", f"/staff/kiosks/{kiosk_id}/revocation")

    def client(self, token: str | None = None, **overrides: Any) -> ApiClient:
        """A client with short timeouts for checks; ``overrides`` go to ``ApiClient``."""
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
