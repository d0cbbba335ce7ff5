"""Run a device's blocking I/O on that device's own single thread.

pyscard, pyserial and USB handles are not safe to share across threads, so every call to a
device goes through one :class:`DeviceWorker`. The rule, the same for every driver: a
driver's public methods hop onto its worker themselves (:meth:`DeviceWorker.call`), so any
thread may call them and they block until done; async services await them through
``asyncio.to_thread`` and never see a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class DeviceWorker:
    """A single worker thread owned by one device."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"device-{name}")
        self._thread_ident: int | None = None
        self._executor.submit(self._remember_thread).result()

    def _remember_thread(self) -> None:
        self._thread_ident = threading.get_ident()

    def on_worker_thread(self) -> bool:
        """Tell whether the caller already runs on this device's thread."""
        return threading.get_ident() == self._thread_ident

    def call(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``func`` on the device thread and wait for its result (re-entrant)."""
        if self.on_worker_thread():
            return func(*args, **kwargs)
        return self._executor.submit(func, *args, **kwargs).result()

    def close(self) -> None:
        """Stop the thread after the queued calls finish."""
        self._executor.shutdown(wait=True)
