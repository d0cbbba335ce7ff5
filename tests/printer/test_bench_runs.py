"""The printer benchmark still runs and reports native QR as the smaller receipt."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.printer.simulator_process import PROJECT_ROOT


def test_printer_bench_reports_bytes_and_line_times():
    result = subprocess.run(
        [sys.executable, "-m", "bench.printer_bench", "--no-measure"], cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, capture_output=True, text=True,
        timeout=60, check=True)
    rows = {line[:34].strip(): line[34:].split() for line in result.stdout.splitlines()
            if line.startswith(("native", "image", "alt"))}
    native = int(rows["native QR + native barcode"][0])
    image = int(rows["image QR + native barcode"][0])
    assert native < image
    assert rows["native QR + native barcode"][1] == f"{native * 10 / 9600:.2f}s"
