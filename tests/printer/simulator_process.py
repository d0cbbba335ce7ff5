"""Start ``python -m drivers.printer.simulator`` as a process, as the demo and a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from drivers.printer.simulator.control import send_command

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def simulator_process(*args: str) -> Iterator[dict[str, str]]:
    """Run the simulator with ``args``; yield the fields of its "ready" line."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.printer.simulator", *args],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("printer simulator ready"):
            raise RuntimeError(f"simulator did not start: {line!r}")
        yield dict(part.split("=", 1) for part in line.split()[3:])
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def jobs(control_port: int, at_least: int = 0, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Ask the simulator for its jobs, waiting until it has recorded ``at_least`` of them."""
    deadline = time.monotonic() + timeout
    while True:
        answer = send_command(control_port, "jobs")
        if not answer.startswith("ok "):
            raise RuntimeError(answer)
        recorded: list[dict[str, Any]] = json.loads(answer[3:])
        if len(recorded) >= at_least or time.monotonic() > deadline:
            return recorded
        time.sleep(0.05)
