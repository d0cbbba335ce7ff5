"""Cold start to the first attract frame, and peak RSS, against a bare Kivy app.

Each run is a fresh process (`kiosk demo --no-simulators`) that prints the wall-clock time
of its first swapped frame; the figure is that time minus the moment we spawned it. Peak
RSS comes from the kernel's accounting for that child (``wait4``). The baseline is a bare
Kivy app showing one label: the difference is what the kiosk itself costs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))



def one_run(argv: list[str]) -> tuple[float, float]:
    """Return (seconds to first frame, peak RSS in MiB) for one fresh process."""
    env = dict(os.environ, KIOSK_REPORT_FIRST_FRAME="1", PYTHONPATH=str(ROOT))
    started = time.time()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    first_frame = None
    for line in process.stdout:
        if line.startswith("first-frame "):
            first_frame = float(line.split()[1])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if first_frame is None or process.returncode != 0:
        raise RuntimeError(f"{argv} exited {process.returncode} without a first frame")
    return first_frame - started, usage.ru_maxrss / 1024


def measure(label: str, argv: list[str]) -> tuple[float, float]:
    one_run(argv)  # warm the page cache: we measure a cold process, not a cold disk
    runs = [one_run(argv) for _ in range(RUNS)]
    starts, rss = [r[0] for r in runs], [r[1] for r in runs]
    median_start, peak = statistics.median(starts), max(rss)
    print(f"{label:<28} first frame median {median_start * 1000:7.0f} ms "
          f"(min {min(starts) * 1000:.0f}, max {max(starts) * 1000:.0f}, n={RUNS})   "
          f"peak RSS {peak:6.1f} MiB")
    return median_start, peak


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT))
        from rig.config import write_config

        config = write_config(Path(tmp))
        kiosk = measure("kiosk (attract screen)", [sys.executable, "-m", "kiosk", "demo",
                                                   "--no-simulators", "--config", str(config),
                                                   "--exit-after", "1"])
        bare = measure("bare Kivy app (baseline)", [sys.executable, "-m", "bench.bare_kivy_app"])
    print(f"kiosk overhead over bare Kivy: {(kiosk[0] - bare[0]) * 1000:+.0f} ms, "
          f"{kiosk[1] - bare[1]:+.1f} MiB")


if __name__ == "__main__":
    main()
