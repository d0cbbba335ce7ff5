"""A journal the kiosk cannot open safely shows "out of service", then recovers by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from offline_cache.data_lock import lock_data_dir
from rig.config import PROJECT_ROOT, write_config
from tests.ui.looks import ocr


def _kiosk_run(config: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(config),
                             *args], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _log(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in (tmp_path / "logs").glob("*.log*"))


def test_a_data_folder_in_use_shows_out_of_service_in_both_languages(tmp_path, artifacts_dir):
    config = write_config(tmp_path, {"devices": {"eid": {"type": "none"}}})
    held = lock_data_dir(tmp_path / "data")  # another kiosk process holds the folder
    shot = artifacts_dir / "out-of-service.png"
    try:
        process = _kiosk_run(config, "--screenshot", str(shot), "--exit-after", "2")
        output, _ = process.communicate(timeout=90)
    finally:
        os.close(held)
    assert process.returncode == 0, output[-2000:]
    assert "Traceback" not in output
    seen = ocr(shot, "es")
    assert "Fuera de servicio" in seen and "Out of service" in seen
    assert "STORE-in_use" in seen
    assert "out of service (STORE-in_use)" in _log(tmp_path)
    assert not list((tmp_path / "data").glob("kiosk.db*"))  # it never opened a journal


def test_the_kiosk_starts_by_itself_once_the_fault_is_gone(tmp_path):
    config = write_config(tmp_path, {"devices": {"eid": {"type": "none"}}})
    held = lock_data_dir(tmp_path / "data")
    process = _kiosk_run(config)
    try:
        deadline = time.monotonic() + 60
        while "out of service (STORE-in_use)" not in _log(tmp_path):
            assert time.monotonic() < deadline and process.poll() is None, _log(tmp_path)
            time.sleep(0.2)
        os.close(held)  # the other process ended
        deadline = time.monotonic() + 60
        while "kiosk kiosk-demo-01 started" not in _log(tmp_path):
            assert time.monotonic() < deadline and process.poll() is None, _log(tmp_path)
            time.sleep(0.2)
        assert "the fault is gone" in _log(tmp_path)
        assert (tmp_path / "data" / "kiosk.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
