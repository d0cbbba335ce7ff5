"""The warm zygote forks real reference API processes that behave like cold-started ones."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import requests

from kiosk.simulated.api import ApiServer
from kiosk.simulated.child import StackError
from kiosk.simulated.zygote import ENABLE_ENV, AdoptedProcess, zygote_for


@pytest.fixture(autouse=True)
def _zygote_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENABLE_ENV, "1")


def test_a_forked_api_is_a_process_of_its_own_with_its_environment_and_log(tmp_path: Path) -> None:
    with ApiServer(tmp_path / "api") as api:
        assert isinstance(api.process, AdoptedProcess)
        assert api.process.pid != os.getpid()
        assert requests.get(api.base_url + "/health", timeout=5).status_code == 200
        # The staff token reaches the fork through its environment, as with a cold start.
        assert api.new_enrolment_code("kiosk-zygote-1")
        assert "procedure_api ready" in api.log_path.read_text()
        first_pid = api.process.pid
        api.restart()
        assert api.process.pid != first_pid
        assert requests.get(api.base_url + "/health", timeout=5).status_code == 200
        api.kill()
        # Adopted: this process reaps it and sees how it ended.
        assert api.process.returncode == -signal.SIGKILL


def test_a_fork_that_fails_reports_its_exit_code_and_its_words(tmp_path: Path) -> None:
    server = ApiServer(tmp_path / "api", extra_args=["--idempotency-days", "1"])
    with pytest.raises(StackError, match=r"exited with code 2[\s\S]*idempotency-days"):
        server.start(timeout=20)


def test_a_restart_after_the_zygote_died_starts_the_api_cold(tmp_path: Path) -> None:
    with ApiServer(tmp_path / "api") as api:
        assert isinstance(api.process, AdoptedProcess)
        zygote = zygote_for("procedure_api")
        assert zygote is not None
        zygote.close()
        api.restart()
        assert not isinstance(api.process, AdoptedProcess)
        assert requests.get(api.base_url + "/health", timeout=5).status_code == 200
    assert zygote_for("procedure_api") is not zygote  # the next server gets a new one


def test_switched_off_the_api_is_an_ordinary_child(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENABLE_ENV, "0")
    with ApiServer(tmp_path / "api") as api:
        assert not isinstance(api.process, AdoptedProcess)
        assert requests.get(api.base_url + "/health", timeout=5).status_code == 200
