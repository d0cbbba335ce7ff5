"""One background thread per job, one way to run it: a round now, then every interval.

Each of the kiosk's background jobs (payment watch, heartbeat, catalog refresh, daily close)
owns a :class:`PeriodicJob`, so start, wake-up, stop and "one bad round never ends the job"
are written once. A failed round is logged for technicians and the next round comes anyway.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class PeriodicJob:
    """Run ``round_`` on a named daemon thread every ``interval_s``; :meth:`wake` runs it early."""

    def __init__(self, name: str, interval_s: float, round_: Callable[[], object], *,
                 at_start: bool = True, join_s: float = 30.0) -> None:
        self._name, self._interval_s, self._round = name, interval_s, round_
        self._at_start, self._join_s = at_start, join_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (a second call does nothing)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run the next round now instead of at the end of the interval."""
        self._wake.set()

    def _run(self) -> None:
        if not self._at_start:
            self._pause()
        while not self._stop.is_set():
            try:
                self._round()
            except Exception:  # the job must outlive one bad round; say so
                log.exception("%s round failed", self._name)
            self._pause()

    def _pause(self) -> None:
        self._wake.wait(self._interval_s)
        self._wake.clear()

    def stop(self) -> None:
        """Stop the job; a round in progress finishes first (bounded by ``join_s``)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self._join_s)
            self._thread = None
