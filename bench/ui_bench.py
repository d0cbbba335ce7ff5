"""Citizen UI speed and memory: touch to next screen, transition frame rate, RSS growth.

Runs the real kiosk app (rig/app_runner.py) at 1080×1920 with the demo catalog in
its offline cache, driven over the loopback control socket:

- touch → first frame of the next screen (home → categories, Back), p50/p95, for instant
  screen changes (what the kiosk uses) and for a 0.15 s fade (the alternative);
- frames per second while the fade runs;
- CPU time the idle attract screen costs, its breathing ring stepped 12 times a second (the
  kiosk) against redrawn every frame (the alternative), on a software-rendered window;
- resident memory after 10 and after 500 simulated browse sessions (home → category →
  procedure → search "predial" → Back → wipe), to show that the wipe frees what a
  session built.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAPS = int(os.environ.get("BENCH_TAPS", "30"))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "500"))
IDLE_S = float(os.environ.get("BENCH_IDLE_S", "10"))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timed(ui: object, target: str, screen: str) -> dict[str, float]:
    ui.call("timed_tap", target=target, screen=screen)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        timing = ui.call("timing")  # type: ignore[attr-defined]
        if "done" in timing:
            return timing  # type: ignore[no-any-return]
        time.sleep(0.01)
    raise RuntimeError(f"{screen} never drew")


def touch_to_frame(ui: object, fade_s: float) -> None:
    """Print p50/p95 touch → first frame and the frame rate during the transition."""
    ui.call("set_transition", duration=fade_s)  # type: ignore[attr-defined]
    firsts, rates = [], []
    for _ in range(TAPS):
        for target, screen in (("request", "categories"), ("back", "home")):
            timing = _timed(ui, target, screen)
            firsts.append(timing["first"])
            if fade_s:
                rates.append(timing["frames"] / timing["done"])
    label = f"fade {fade_s:.2f} s" if fade_s else "instant (kiosk)"
    p50, p95 = _percentile(firsts, 0.5) * 1000, _percentile(firsts, 0.95) * 1000
    line = (f"{label:<16} touch -> next screen's first frame  p50 {p50:6.1f} ms  "
            f"p95 {p95:6.1f} ms  (n={len(firsts)})")
    if rates:
        line += f"   {statistics.median(rates):5.1f} frames/s during the fade"
    print(line, flush=True)


def attract_idle_cpu(ui: object) -> None:
    """Print the CPU the attract screen uses while nobody is there, stepped and per frame."""
    import psutil

    from screens.attract import PULSE_STEP_S

    process = psutil.Process(ui.call("pid"))  # type: ignore[attr-defined]
    for label, step in ((f"stepped 1/{round(1 / PULSE_STEP_S)} s (kiosk)", PULSE_STEP_S),
                        ("every frame", 0.0)):
        ui.call("set_attract_step", step_s=step)  # type: ignore[attr-defined]
        ui.tap("start")  # type: ignore[attr-defined]
        ui.wait_for_screen("home")  # type: ignore[attr-defined]
        ui.call("end_session")  # type: ignore[attr-defined]
        ui.wait_for_screen("attract")  # type: ignore[attr-defined]
        time.sleep(1)
        before = process.cpu_times()
        time.sleep(IDLE_S)
        after = process.cpu_times()
        used = (after.user + after.system - before.user - before.system) / IDLE_S
        print(f"attract idle, ring {label:<22} {used * 100:6.1f} % of one core "
              f"(over {IDLE_S:.0f} s, all threads)", flush=True)
    ui.call("set_attract_step", step_s=PULSE_STEP_S)  # type: ignore[attr-defined]


def rss_growth(ui: object) -> None:
    """Print RSS after 10 and after SESSIONS browse sessions."""
    import psutil

    process = psutil.Process(ui.call("pid"))  # type: ignore[attr-defined]
    for _ in range(10):
        ui.call("browse_session")  # type: ignore[attr-defined]
    after_10 = process.memory_info().rss / 2**20
    started = time.monotonic()
    for _ in range(SESSIONS - 10):
        ui.call("browse_session")  # type: ignore[attr-defined]
    per_session = (time.monotonic() - started) / max(1, SESSIONS - 10)
    after_n = process.memory_info().rss / 2**20
    growth = after_n - after_10
    per_kib = growth * 1024 / max(1, SESSIONS - 10)
    print(f"RSS after 10 sessions {after_10:7.1f} MiB   after {SESSIONS} {after_n:7.1f} MiB   "
          f"growth {growth:+6.1f} MiB ({per_kib:+.1f} KiB/session; "
          f"{per_session * 1000:.0f} ms per simulated session)", flush=True)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from rig.catalog import demo_catalog, seed_catalog
    from rig.config import write_config
    from rig.harness import PORTRAIT, KioskUI

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed_catalog(folder / "data", demo_catalog())
        config = write_config(folder, {**PORTRAIT,
                                       "timeouts": {"inactivity_warning_s": 3600}})
        with KioskUI(config, folder / "app.log") as ui:
            attract_idle_cpu(ui)
            ui.tap("start")
            ui.wait_for_screen("home")
            touch_to_frame(ui, 0.0)
            touch_to_frame(ui, 0.15)
            ui.call("set_transition", duration=0.0)
            rss_growth(ui)


if __name__ == "__main__":
    main()
