"""The simulated printer's condition and the faults a test or technician can inject."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Condition:
    """Mechanical state and injected faults; every field may change while a job runs."""

    paper: str = "ok"  # ok | low | out
    cover_open: bool = False
    bytes_per_second: float | None = None  # None = as fast as the link goes
    disconnect_after: int | None = None  # bytes into the next job, then drop the link
    # (TCP: the connection closes; serial: the rest of the job is lost, as with a pulled cable)
    paper_out_after: int | None = None  # bytes into the next job, then the roll ends
    status_mode: str = "normal"  # normal | silent (no answers) | garbled (0xFF answers)


class Faults:
    """Thread-safe control API over a :class:`Condition` (Python side of the simulator)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._condition = Condition()

    def snapshot(self) -> Condition:
        """Copy of the current condition."""
        with self._lock:
            return Condition(**vars(self._condition))

    def set_paper(self, state: str) -> None:
        """Load paper ("ok"), let it run low ("low") or run out ("out")."""
        if state not in ("ok", "low", "out"):
            raise ValueError(f"paper state must be ok, low or out, not {state!r}")
        with self._lock:
            self._condition.paper = state

    def set_cover_open(self, is_open: bool) -> None:
        """Open or close the cover."""
        with self._lock:
            self._condition.cover_open = is_open

    def set_slow(self, bytes_per_second: float | None) -> None:
        """Accept at most this many bytes per second (None: full speed)."""
        if bytes_per_second is not None and bytes_per_second <= 0:
            raise ValueError("bytes per second must be positive")
        with self._lock:
            self._condition.bytes_per_second = bytes_per_second

    def disconnect_after(self, job_bytes: int | None) -> None:
        """Drop the link once the next job has sent this many bytes (one shot)."""
        with self._lock:
            self._condition.disconnect_after = job_bytes

    def paper_out_after(self, job_bytes: int | None) -> None:
        """Let the roll end once the next job has sent this many bytes (one shot)."""
        with self._lock:
            self._condition.paper_out_after = job_bytes

    def set_status_mode(self, mode: str) -> None:
        """Answer status queries normally, not at all ("silent") or with junk ("garbled")."""
        if mode not in ("normal", "silent", "garbled"):
            raise ValueError(f"status mode must be normal, silent or garbled, not {mode!r}")
        with self._lock:
            self._condition.status_mode = mode

    def take_job_faults(self, job_bytes: int) -> tuple[bool, bool]:
        """Fire the one-shot faults due at ``job_bytes``: (disconnect now, paper ends now)."""
        with self._lock:
            c = self._condition
            drop = c.disconnect_after is not None and job_bytes >= c.disconnect_after
            ends = c.paper_out_after is not None and job_bytes >= c.paper_out_after
            if drop:
                c.disconnect_after = None
            if ends:
                c.paper_out_after, c.paper = None, "out"
            return drop, ends

    def status_byte(self, n: int) -> int | None:
        """The DLE EOT n answer for the current condition (None: stay silent)."""
        c = self.snapshot()
        if c.status_mode == "silent":
            return None
        if c.status_mode == "garbled":
            return 0xFF
        out, stopped = c.paper == "out", c.paper == "out" or c.cover_open
        if n == 1:
            return 0x12 | (0x08 if stopped else 0)
        if n == 2:
            return 0x12 | (0x04 if c.cover_open else 0) | (0x20 if out else 0)
        if n == 3:
            return 0x12
        return 0x12 | (0x0C if c.paper in ("low", "out") else 0) | (0x60 if out else 0)
