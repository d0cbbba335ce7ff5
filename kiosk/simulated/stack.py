"""The one builder of simulated stacks: for ``kiosk demo``, the tests and the benches.

A stack is a list of parts, started in order and stopped in reverse (also when one fails
to start). Each part is a context manager that says, in :meth:`Part.kiosk_settings`, what
a kiosk needs to use it (the API's URL, the printer's port, the terminal's serial device);
the stack merges them into one settings override for the kiosk it serves. The parts:

- :class:`~kiosk.simulated.api.ApiServer`: the reference procedure API;
- :class:`~kiosk.simulated.pcsc.SystemPcscd` or :class:`~kiosk.simulated.pcsc.PrivatePcscd`;
- :class:`~kiosk.simulated.devices.CardProcess`: the virtual e-ID card in vpcd's slot;
- :class:`~kiosk.simulated.devices.PrinterProcess` or ``LocalPrinter`` (in this process);
- :class:`~kiosk.simulated.devices.TerminalProcess` or ``LocalTerminal`` (in this process).

Nothing here is reachable from ``kiosk run``: only ``kiosk demo`` (kiosk/demo.py), the
tests and the benches build stacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Protocol, TypeVar

from kiosk.settings import deep_merge


class Part(Protocol):
    """A simulated part: running inside its ``with`` block, and usable by a kiosk."""

    def __enter__(self) -> Any: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Any: ...

    def kiosk_settings(self) -> dict[str, Any]:
        """Return the settings (as in config/*.toml) a kiosk needs to use this part."""
        ...


P = TypeVar("P", bound=Part)


def kiosk_settings(parts: Iterable[Part]) -> dict[str, Any]:
    """Merge what a kiosk needs to use each of ``parts`` into one settings override."""
    merged: dict[str, Any] = {}
    for part in parts:
        merged = deep_merge(merged, part.kiosk_settings())
    return merged


class SimulatedStack:
    """Start parts in order; stop them in reverse; merge their settings for a kiosk."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self._running = ExitStack()

    def start(self, part: P) -> P:
        """Start ``part`` (it is stopped with the stack) and return it, running."""
        self._running.enter_context(part)
        self.parts.append(part)
        return part

    def kiosk_settings(self) -> dict[str, Any]:
        """What a kiosk needs to use every part started so far."""
        return kiosk_settings(self.parts)

    def close(self) -> None:
        """Stop every part, the last started first."""
        self._running.close()
        self.parts.clear()

    def __enter__(self) -> SimulatedStack:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
