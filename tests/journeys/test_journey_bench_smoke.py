"""bench.journey_bench still runs end to end (two journeys), so the bench never rots."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from kiosk.settings import PROJECT_ROOT


@pytest.mark.timeout(120)
def test_journey_bench_pays_two_journeys_and_prints_its_table() -> None:
    # the bench runs its own pcscd (a private one per process) and virtual card
    result = subprocess.run(
        [sys.executable, "-m", "bench.journey_bench", "--journeys", "2", "--rss-after", "1"],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True, text=True, timeout=110)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert ("2 payments at the API, 2 receipts printed, 2 sales approved" in out), out
    total = re.search(r"^total\s+([\d.]+)\s+([\d.]+)", out, re.MULTILINE)
    sale = re.search(r"pay: terminal sale over the pty\s+([\d.]+)", out)
    assert total is not None and sale is not None, out
    assert 0 < float(sale[1]) < float(total[1])
    assert re.search(r"RSS after 1 journeys [\d.]+ MiB, after 2 [\d.]+ MiB", out), out
