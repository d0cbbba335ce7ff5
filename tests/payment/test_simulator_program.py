"""The simulator as a program (for ``make demo``): own pty, loopback control, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from drivers.payment.transbank import TransbankTerminal
from kiosk.simulated.net import free_port
from rig.wait import wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def run_module(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_program_serves_its_own_pty_and_obeys_the_control_command(tmp_path: Path) -> None:
    control_port = free_port()
    link = tmp_path / "payment-terminal"
    process = run_module("drivers.payment.simulator", "--pty", "--think-s", "0",
                         "--control-port", str(control_port), "--link", str(link))
    driver = None
    try:
        assert process.stdout is not None
        kiosk_port = process.stdout.readline().strip().removeprefix("kiosk-port: ")
        assert link.resolve() == Path(kiosk_port).resolve()
        wait_for_port(control_port)
        control = subprocess.run(
            [sys.executable, "-m", "drivers.payment.simulator.control", "--control-port",
             str(control_port), "decline", "--code", "05"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True, text=True, check=True, timeout=30)
        assert json.loads(control.stdout) == {"queued": 1}
        driver = TransbankTerminal(str(link), ack_timeout_s=1, response_timeout_s=5)
        driver.poll()
        declined = driver.sale(10_000, 5, lambda _: None)
        approved = driver.sale(10_000, 6, lambda _: None)
        assert (declined.response_code, approved.approved) == ("05", True)
    finally:
        if driver is not None:
            driver.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        if process.stdout is not None:
            process.stdout.close()
    assert not link.exists()  # removed on a clean stop
